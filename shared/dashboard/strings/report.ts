/** The printable status report of an instance. */

const da = {
  reportTitle: "Statusrapport",
  reportMeta: (org: string, date: string) => `${org} · udarbejdet ${date}`,
  reportPrintHint: "Brug browserens Udskriv (Ctrl+P) for at udskrive eller gemme som PDF.",
  reportStarted: (date: string) => `Startet ${date}`,
  backToInstance: "Tilbage til forløbet",
};

const en: typeof da = {
  reportTitle: "Status report",
  reportMeta: (org, date) => `${org} · prepared ${date}`,
  reportPrintHint: "Use the browser's Print (Ctrl+P) to print or save as PDF.",
  reportStarted: (date) => `Started ${date}`,
  backToInstance: "Back to the instance",
};

export const reportStrings = { da, en };
