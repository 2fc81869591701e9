/** The overview page: overdue deadlines, those due soon, running instances. */

const da = {
  overviewTitle: "Overblik",
  overdueHeading: "Overskredne frister",
  overdueNone: "Ingen overskredne frister.",
  soonHeading: (days: number) => `Frist inden for ${days} dage`,
  soonNone: (days: number) => `Ingen frister de næste ${days} dage.`,
  runningHeading: "Forløb, der kører",
  runningNone: "Ingen forløb kører lige nu.",
  reportLink: "Statusrapport",
};

const en: typeof da = {
  overviewTitle: "Overview",
  overdueHeading: "Overdue deadlines",
  overdueNone: "No overdue deadlines.",
  soonHeading: (days) => `Due within ${days} days`,
  soonNone: (days) => `Nothing due in the next ${days} days.`,
  runningHeading: "Running instances",
  runningNone: "No instance is running.",
  reportLink: "Status report",
};

export const overviewStrings = { da, en };
