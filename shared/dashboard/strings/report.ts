/** The printable status report of an instance. */

const da = {
  reportTitle: "Statusrapport",
  reportMeta: (org: string, date: string) => `${org} · udarbejdet ${date}`,
  reportPrintHint:
    "Udskriv / gem som PDF: brug browserens Udskriv (Ctrl+P), og vælg »Gem som PDF« som printer, hvis rapporten skal sendes som fil. Alle navne står fuldt ud, og menu og knapper kommer ikke med.",
  reportStarted: (date: string) => `Startet ${date}`,
  backToInstance: "Tilbage til forløbet",
};

const en: typeof da = {
  reportTitle: "Status report",
  reportMeta: (org, date) => `${org} · prepared ${date}`,
  reportPrintHint:
    "Print / save as PDF: use the browser's Print (Ctrl+P) and choose “Save as PDF” as the printer to send the report as a file. Every name is printed in full; the menu and the buttons are left out.",
  reportStarted: (date) => `Started ${date}`,
  backToInstance: "Back to the instance",
};

export const reportStrings = { da, en };
