/** The printable status report of an instance. */

const da = {
  reportTitle: "Statusrapport",
  reportMeta: (org: string, date: string) => `${org} · udarbejdet ${date}`,
  reportPrintHint: "Brug browserens Udskriv (Ctrl+P) for at udskrive eller gemme som PDF.",
  reportCounts: (confirmed: number, open: number, overdue: number, waiting: number) =>
    `${confirmed} bekræftet · ${open} åbne · ${overdue} overskredet · ${waiting} venter`,
  reportStarted: (date: string) => `Startet ${date}`,
  backToInstance: "Tilbage til forløbet",
};

const en: typeof da = {
  reportTitle: "Status report",
  reportMeta: (org, date) => `${org} · prepared ${date}`,
  reportPrintHint: "Use the browser's Print (Ctrl+P) to print or save as PDF.",
  reportCounts: (confirmed, open, overdue, waiting) =>
    `${confirmed} confirmed · ${open} open · ${overdue} overdue · ${waiting} waiting`,
  reportStarted: (date) => `Started ${date}`,
  backToInstance: "Back to the instance",
};

export const reportStrings = { da, en };
