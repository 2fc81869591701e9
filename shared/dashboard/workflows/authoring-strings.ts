/**
 * The texts of the authoring aids (the editor's starting points, the grammar reference, unit type
 * names and save warnings), kept beside them so the shared strings modules stay untouched.
 */
import type { Language } from "../strings.ts";

const da = {
  referenceTitle: "Vejledning: sådan skrives en skabelon",
  referenceLead:
    "Skabeloner skrives i YAML. Nøglerne skrives på engelsk, præcis som her; teksterne, du selv skriver, er på dansk (og gerne også engelsk).",
  referenceContents: "Indhold",
  referenceKey: "Nøgle",
  referenceMeaning: "Betydning",
  referenceOpen: "Vejledning til formatet",
  referenceLink: (section: string) => `Se vejledningen: ${section}`,
  startLegend: "Start fra",
  startSkeleton: "Et udkast med forklaringer til hver nøgle",
  startCopy: (title: string, id: string) => `En kopi af »${title}« (${id})`,
  startButton: "Brug som udgangspunkt",
  startHint: "Teksten i feltet herunder erstattes. En kopi får et nyt id, så originalen ikke ændres.",
  copyComment: (id: string) => `# Kopi af ${id}. Giv den et nyt id og en ny titel, før du gemmer.`,
  typeWithCount: (name: string, code: string) => (name === code ? code : `${name} (${code})`),
  savedWithWarnings: "Gemt, men se advarslen:",
  unknownUnitType: (milestone: string, type: string) =>
    `Ingen enhed i kataloget har typen ${type}, så milepælen ${milestone} får ingen forekomster, før en sådan enhed er oprettet.`,
  directoryTypesLead: "Kataloget har disse enhedstyper (skriv koden i forEach):",
};

const en: typeof da = {
  referenceTitle: "Reference: how to write a workflow",
  referenceLead:
    "Workflows are written in YAML. Keys are written in English exactly as here; the texts you write yourself are in Danish (and preferably English too).",
  referenceContents: "Contents",
  referenceKey: "Key",
  referenceMeaning: "Meaning",
  referenceOpen: "Reference for the format",
  referenceLink: (section) => `See the reference: ${section}`,
  startLegend: "Start from",
  startSkeleton: "A draft explaining each key",
  startCopy: (title, id) => `A copy of “${title}” (${id})`,
  startButton: "Use as starting point",
  startHint: "The text in the field below is replaced. A copy gets a new id, so the original is not changed.",
  copyComment: (id) => `# Copy of ${id}. Give it a new id and a new title before you save.`,
  typeWithCount: (name, code) => (name === code ? code : `${name} (${code})`),
  savedWithWarnings: "Saved, but see the warning:",
  unknownUnitType: (milestone, type) =>
    `No unit in the directory has the type ${type}, so the milestone ${milestone} has no occurrences until such a unit is added.`,
  directoryTypesLead: "The directory has these unit types (write the code in forEach):",
};

export type AuthoringStrings = typeof da;

export function authoringStrings(language: Language): AuthoringStrings {
  return language === "en" ? en : da;
}
