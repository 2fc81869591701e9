/**
 * Danish names for the unit types the bundled templates and sample directories use. Types are
 * free identifiers, so an unknown one is shown as it is; English pages show the code.
 */
import type { Language } from "../strings.ts";

const DANISH: Readonly<Record<string, string>> = {
  daycare: "dagtilbud",
  school: "skole",
  club: "klub",
  "health-visiting": "sundhedspleje",
  "culture-leisure": "kultur og fritid",
  "reference-group": "referencegruppe",
  administration: "forvaltning",
};

export function unitTypeName(type: string, language: Language): string {
  return language === "da" ? (DANISH[type] ?? type) : type;
}
