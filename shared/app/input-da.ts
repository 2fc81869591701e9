/**
 * The Danish text of a refused input field, for the dashboard's Danish pages: zod's own messages
 * (and ours given to zod) are English, so the Danish one is chosen here by the issue's code and
 * the field it is about. Pure; the API keeps the English message.
 */
import type { z } from "zod";
import { quoteDa } from "../model/errors.ts";

/** Fields whose text is the same whatever zod found wrong with them. */
const FIELD_DA: Readonly<Record<string, string>> = {
  to: "Skriv den nye frist som en dato ÅÅÅÅ-MM-DD (fx 2025-03-30), eventuelt med klokkeslæt (2025-03-30T12:00).",
  overdueTo: "Skriv den nye frist som en dato ÅÅÅÅ-MM-DD (fx 2025-03-30).",
  occurrenceKey: "Vælg milepælen, som forløbet viser den.",
  deadlines: "Vælg, om fristerne skal blive stående, eller om de skal flyttes med pausen.",
  expectedRev: "Forløbets version er ikke et helt tal. Se ændringen igen, og gem derefter.",
};

const ID_DA =
  "Skriv et id med små bogstaver, tal og bindestreg. Det skal begynde med et bogstav og må højst have 63 tegn.";

const TYPE_DA: Readonly<Record<string, string>> = {
  string: "en tekst",
  number: "et tal",
  int: "et helt tal",
  boolean: "ja eller nej",
  object: "et sæt felter",
  record: "et sæt felter",
  array: "en liste",
};

/** The field a path ends in: `mapping.a` → "mapping", `units[0]` → "units". */
function fieldOf(path: readonly PropertyKey[]): string {
  const named = path.filter((s): s is string => typeof s === "string");
  return named[0] ?? "";
}

function reasonDa(issue: z.core.$ZodIssue): string {
  if (issue.code === "too_big") return `Begrundelsen må højst have ${String(issue.maximum)} tegn.`;
  if (issue.code === "custom")
    return "Skriv begrundelsen på én linje uden tabulatorer eller andre kontroltegn.";
  return "Skriv en begrundelse på mindst 3 tegn, så det kan ses i historikken, hvorfor forløbet blev ændret.";
}

/** Danish for one zod issue (not unrecognized_keys: see unknownKeyDa). */
export function issueDa(issue: z.core.$ZodIssue): string {
  const field = fieldOf(issue.path);
  if (field === "reason") return reasonDa(issue);
  const fixed = FIELD_DA[field];
  if (fixed !== undefined) return fixed;
  switch (issue.code) {
    case "invalid_type":
      if (/received undefined/.test(issue.message)) return "Feltet skal udfyldes.";
      return `Feltet skal være ${TYPE_DA[issue.expected] ?? "noget andet"}.`;
    case "too_small":
      if (issue.origin === "string") {
        return Number(issue.minimum) <= 1
          ? "Feltet skal udfyldes."
          : `Skriv mindst ${String(issue.minimum)} tegn.`;
      }
      return `Værdien skal være mindst ${String(issue.minimum)}.`;
    case "too_big":
      if (issue.origin === "string") return `Skriv højst ${String(issue.maximum)} tegn.`;
      return `Værdien må højst være ${String(issue.maximum)}.`;
    case "invalid_format":
      return /^must be lower-case letters/.test(issue.message) ? ID_DA : "Værdien har ikke den rigtige form.";
    case "invalid_key":
      return ID_DA;
    case "invalid_value":
      return `Vælg en af mulighederne: ${issue.values.map((v) => quoteDa(String(v))).join(", ")}.`;
    case "custom":
      return "Teksten må ikke indeholde linjeskift, tabulatorer eller andre kontroltegn.";
    default:
      return "Værdien kan ikke bruges her.";
  }
}

export function unknownKeyDa(key: string): string {
  return `Feltet ${quoteDa(key)} kendes ikke og kan ikke bruges her.`;
}

export const CPR_DA =
  "Det ligner et CPR-nummer. fristflow gemmer aldrig CPR-numre – brug et sagsnummer i stedet.";
export const RESERVED_KEY_DA = (key: string) =>
  `Navnet ${quoteDa(key)} er reserveret og kan ikke bruges som navn.`;
export const TOO_DEEP_DA = "Indholdet er lagt i for mange lag inden i hinanden.";
