/** The workflow pages: the list, versions, and the editor with its check, error list and plan. */

const da = {
  workflowsTitle: "Skabeloner",
  workflowsLead:
    "En skabelon beskriver et forløbs milepæle, frister og påmindelser. Når du gemmer, bliver det en ny version; forløb, der kører, beholder deres version.",
  workflowsNone: "Der er ingen skabeloner endnu.",
  newWorkflow: "Ny skabelon",
  versionsHeading: "Versioner",
  versionLabel: (v: number) => `Version ${v}`,
  versionMeta: (at: string, by: string) => `gemt ${at} af ${by}`,
  showSource: "Vis YAML",
  editWorkflow: "Redigér (gem som ny version)",
  startFromWorkflow: "Start et forløb",
  migrateRunning: "Flyt kørende forløb til nyeste version",
  editorNewTitle: "Ny skabelon",
  editorEditTitle: (id: string) => `Redigér skabelonen ${id}`,
  sourceLabel: "Definition (YAML)",
  sourceHint:
    "Skriv eller indsæt definitionen. Formatet er beskrevet i »Vejledning: sådan skrives en skabelon« under Skabeloner.",
  fileLabel: "Eller upload en fil (.yaml, .yml, .json)",
  fileHint: "En valgt fil erstatter teksten i feltet.",
  previewStartLabel: "Startdato for planen",
  previewUnitsLegend: "Enhedstyper fra kataloget (til planen)",
  previewUnitsHint: "Milepæle, der gentages pr. enhed, vises for enhederne af de valgte typer.",
  noUnitTypes: "Kataloget har ingen enheder endnu.",
  checkButton: "Tjek og vis plan",
  saveButton: "Gem som ny version",
  sourceEmpty: "Skriv, indsæt eller upload en definition.",
  fileNotUtf8: "Filen er ikke UTF-8-tekst. Gem den som UTF-8 og prøv igen.",
  previewStartInvalid: "Startdatoen skal være en dato, fx 2024-08-01.",
  validHeading: "Definitionen er gyldig",
  validText: (id: string, next: number) =>
    `Tjek planen herunder. Gemmes den, bliver den version ${next} af ${id}.`,
  errorsHeading: (n: number) => (n === 1 ? "Definitionen har 1 fejl" : `Definitionen har ${n} fejl`),
  errorsLead: "Ret teksten i feltet og tjek igen. Hver fejl står også under sin linje i listen nedenfor.",
  atLine: (line: number, column: number) => `Linje ${line}, kolonne ${column}`,
  wholeFile: "Hele filen",
  listingHeading: "Definitionen med linjenumre",
  planHeading: "Plan",
  planLead: (start: string, timezone: string) =>
    `Som forløbet ville gå med start ${start}, hvis hver milepæl blev bekræftet på sin frist (tidszone ${timezone}).`,
  planSummary: (occurrences: number, reminders: number) =>
    `${occurrences} milepæle i alt, ${reminders} planlagte påmindelser.`,
  planMissingUnits: (title: string, types: string) =>
    `»${title}« gentages for hver enhed af typen ${types}, men ingen sådan enhed er valgt, så den er ikke med i planen.`,
  period: "(periode)",
  ownerLeader: (unit: string) => `leder af ${unit}`,
  ownerManager: (unit: string) => `chef for ${unit}`,
  ownerParam: (name: string) => `parameteren ${name}`,
  savedNotice: (id: string, version: number) => `Gemt som version ${version} af ${id}.`,
};

const en: typeof da = {
  workflowsTitle: "Workflows",
  workflowsLead:
    "A workflow describes an instance's milestones, deadlines and reminders. Saving makes a new version; running instances keep their version.",
  workflowsNone: "There are no workflows yet.",
  newWorkflow: "New workflow",
  versionsHeading: "Versions",
  versionLabel: (v) => `Version ${v}`,
  versionMeta: (at, by) => `saved ${at} by ${by}`,
  showSource: "Show YAML",
  editWorkflow: "Edit (save as a new version)",
  startFromWorkflow: "Start an instance",
  migrateRunning: "Move running instances to the latest version",
  editorNewTitle: "New workflow",
  editorEditTitle: (id) => `Edit the workflow ${id}`,
  sourceLabel: "Definition (YAML)",
  sourceHint:
    "Write or paste the definition. The format is described in “Reference: how to write a workflow” under Workflows.",
  fileLabel: "Or upload a file (.yaml, .yml, .json)",
  fileHint: "A chosen file replaces the text in the field.",
  previewStartLabel: "Start date for the plan",
  previewUnitsLegend: "Unit types from the directory (for the plan)",
  previewUnitsHint: "Milestones repeated per unit are shown for the units of the chosen types.",
  noUnitTypes: "The directory has no units yet.",
  checkButton: "Check and show plan",
  saveButton: "Save as new version",
  sourceEmpty: "Write, paste or upload a definition.",
  fileNotUtf8: "The file is not UTF-8 text. Save it as UTF-8 and try again.",
  previewStartInvalid: "The start date must be a date, e.g. 2024-08-01.",
  validHeading: "The definition is valid",
  validText: (id, next) => `Check the plan below. Saved, it becomes version ${next} of ${id}.`,
  errorsHeading: (n) => (n === 1 ? "The definition has 1 error" : `The definition has ${n} errors`),
  errorsLead: "Fix the text in the field and check again. Each error is also shown under its line below.",
  atLine: (line, column) => `Line ${line}, column ${column}`,
  wholeFile: "The whole file",
  listingHeading: "The definition with line numbers",
  planHeading: "Plan",
  planLead: (start, timezone) =>
    `How the instance would run from ${start} if every milestone were confirmed on its deadline (time zone ${timezone}).`,
  planSummary: (occurrences, reminders) =>
    `${occurrences} milestones in all, ${reminders} planned reminders.`,
  planMissingUnits: (title, types) =>
    `“${title}” is repeated for every unit of type ${types}, but no such unit is chosen, so it is not in the plan.`,
  period: "(period)",
  ownerLeader: (unit) => `leader of ${unit}`,
  ownerManager: (unit) => `manager of ${unit}`,
  ownerParam: (name) => `the parameter ${name}`,
  savedNotice: (id, version) => `Saved as version ${version} of ${id}.`,
};

export const workflowStrings = { da, en };
