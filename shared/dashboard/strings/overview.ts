/** The overview page: overdue deadlines, the rest of this week, running instances. */

const da = {
  overviewTitle: "Overblik",
  overdueHeading: "Overskredne frister",
  overdueNone: "Ingen overskredne frister.",
  weekHeading: (week: number) => `Frist resten af denne uge (uge ${week})`,
  weekNone: "Ingen frister resten af ugen.",
  runningHeading: "Forløb, der kører",
  runningNone: "Ingen forløb kører lige nu.",
  reportLink: "Statusrapport",
};

const en: typeof da = {
  overviewTitle: "Overview",
  overdueHeading: "Overdue deadlines",
  overdueNone: "No overdue deadlines.",
  weekHeading: (week) => `Due for the rest of this week (week ${week})`,
  weekNone: "Nothing due for the rest of the week.",
  runningHeading: "Running instances",
  runningNone: "No instance is running.",
  reportLink: "Status report",
};

export const overviewStrings = { da, en };
