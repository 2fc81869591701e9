/**
 * What an instance is called wherever staff see it (mails, confirm page, overview, lists, the
 * instance page, Mine frister, .ics): its name, and the parameters that identify the case (a case
 * reference), never an e-mail address. Pure, and the one place that decides it, so every page and
 * mail says the same.
 *
 * The name is the one given at start; without one (and on records written before names existed)
 * a case workflow is called by its case reference (`caseRef`), anything else by the workflow's
 * title in the reader's language.
 */
import type { Language, Params, Workflow } from "../model/schema.ts";
import { pickText } from "../model/text.ts";

/** The parameter the case templates hold the case reference in (workflows/*.yaml). */
export const CASE_REFERENCE_PARAMETER = "caseRef";
/** Longest name a person may give (a subject line must still show the milestone). */
export const MAX_INSTANCE_NAME = 120;

/** What the name is read from: an instance record or summary with its parameters. */
export interface NamedInstance {
  name?: string | undefined;
  params?: Params | undefined;
}

type Definition = Pick<Workflow, "title" | "parameters">;

/** A parameter's name or title says it identifies the case (`caseRef`, "Sagsnummer", "Journalnr."). */
const IDENTIFYING_NAME =
  /(ref|reference|sagsnr|sagsnummer|journalnr|journalnummer|caseno|casenumber|caseid)$/i;
const IDENTIFYING_TITLE =
  /(^|[\s(])(sagsnummer|sagsnr\.?|sags-id|journalnummer|journalnr\.?|referencenummer|reference|case reference|case number|case id)($|[\s):,])/i;
/** A value that is an address is personal data, whatever its parameter is called. */
const LOOKS_LIKE_EMAIL = /\S@\S/;

export interface IdentifyingParam {
  /** The parameter's name in the definition. */
  name: string;
  /** Its title in the language asked for, or its name. */
  label: string;
  value: string;
}

/**
 * The parameters that identify the case, in the definition's order: strings or numbers whose name
 * or title says so. Never an e-mail parameter or a value that looks like an address.
 */
export function identifyingParams(
  instance: NamedInstance,
  definition: Definition,
  language: Language,
): IdentifyingParam[] {
  const found: IdentifyingParam[] = [];
  for (const [name, parameter] of Object.entries(definition.parameters ?? {})) {
    if (parameter.type !== "string" && parameter.type !== "number") continue;
    const raw = instance.params?.[name];
    if (typeof raw !== "string" && typeof raw !== "number") continue;
    const value = String(raw).trim();
    if (value === "" || LOOKS_LIKE_EMAIL.test(value)) continue;
    const title = parameter.title === undefined ? undefined : pickText(parameter.title, language);
    const byTitle =
      parameter.title !== undefined &&
      [pickText(parameter.title, "da"), pickText(parameter.title, "en")].some((t) =>
        IDENTIFYING_TITLE.test(t),
      );
    if (!IDENTIFYING_NAME.test(name) && !byTitle) continue;
    found.push({ name, label: title ?? name, value });
  }
  return found;
}

/** The instance's name: the one given at start, else the case reference, else the workflow title. */
export function instanceDisplayName(
  instance: NamedInstance,
  definition: Definition,
  language: Language,
): string {
  const given = instance.name?.trim();
  if (given) return given;
  const caseRef = instance.params?.[CASE_REFERENCE_PARAMETER];
  if (definition.parameters?.[CASE_REFERENCE_PARAMETER] !== undefined && typeof caseRef === "string") {
    const ref = caseRef.trim();
    if (ref !== "" && !LOOKS_LIKE_EMAIL.test(ref)) return ref;
  }
  return pickText(definition.title, language);
}

export interface InstanceIdentity {
  name: string;
  /** The identifying parameters, without one that only repeats the name. */
  identifiers: IdentifyingParam[];
}

export function instanceIdentity(
  instance: NamedInstance,
  definition: Definition,
  language: Language,
): InstanceIdentity {
  const name = instanceDisplayName(instance, definition, language);
  const identifiers = identifyingParams(instance, definition, language).filter((p) => p.value !== name);
  return { name, identifiers };
}

/** One line: `Name (Sagsnummer: ABC-123)`, or just the name when it says it all. */
export function instanceLabel(instance: NamedInstance, definition: Definition, language: Language): string {
  return identityLine(instanceIdentity(instance, definition, language));
}

export function identityLine(identity: InstanceIdentity): string {
  if (identity.identifiers.length === 0) return identity.name;
  return `${identity.name} (${identity.identifiers.map((p) => `${p.label}: ${p.value}`).join(", ")})`;
}

/**
 * What a milestone state copies of its instance (the given name, the identifying parameters'
 * values), so the confirm page names the instance from that one item. Absent when there is none,
 * so an instance without them writes nothing new.
 */
export function namingFields(
  instance: NamedInstance,
  definition: Definition,
): { instanceName?: string; instanceRefs?: Record<string, string> } {
  const name = instance.name?.trim();
  const refs = Object.fromEntries(
    identifyingParams(instance, definition, "da").map((p) => [p.name, p.value]),
  );
  return {
    ...(name ? { instanceName: name } : {}),
    ...(Object.keys(refs).length > 0 ? { instanceRefs: refs } : {}),
  };
}
