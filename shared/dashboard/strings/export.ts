/**
 * The exports (CSV and Excel): column names, file and sheet names, and the download links on
 * the instance page. The files' words follow the user's language like the pages'.
 */

const da = {
  export: {
    colInstance: "Forløb",
    colWorkflow: "Skabelon",
    colCaseRef: "Sagsnummer",
    colMilestone: "Milepæl",
    colUnit: "Enhed",
    colOwner: "Ansvarlig",
    colDue: "Frist",
    colStatus: "Status",
    colConfirmedAt: "Bekræftet",
    colConfirmedBy: "Bekræftet af",
    colDaysOverdue: "Dage over fristen",
    colWhen: "Tidspunkt",
    colWho: "Hvem",
    colWhat: "Hvad",
    colReason: "Begrundelse",
    milestonesFile: (name: string) => `${name} – milepæle`,
    auditFile: (name: string) => `${name} – historik`,
    milestonesSheet: "Milepæle",
    deadlinesFile: (date: string) => `Frister ${date}`,
    deadlinesSheet: "Frister",
    deadlinesWhich: "fristerne i søgningen",
    auditSheet: "Historik",
    downloadCsv: "Hent som CSV",
    downloadXlsx: "Hent som Excel (XLSX)",
    /** Said after the link's words to screen readers, so the two pairs of links differ. */
    milestonesWhich: "milepælene",
    auditWhich: "historikken",
    downloadLead: "Filerne åbner i Excel med datoerne som datoer.",
  },
};

const en: typeof da = {
  export: {
    colInstance: "Instance",
    colWorkflow: "Workflow",
    colCaseRef: "Case reference",
    colMilestone: "Milestone",
    colUnit: "Unit",
    colOwner: "Owner",
    colDue: "Deadline",
    colStatus: "Status",
    colConfirmedAt: "Confirmed at",
    colConfirmedBy: "Confirmed by",
    colDaysOverdue: "Days overdue",
    colWhen: "Time",
    colWho: "Who",
    colWhat: "What",
    colReason: "Reason",
    milestonesFile: (name) => `${name} – milestones`,
    auditFile: (name) => `${name} – history`,
    milestonesSheet: "Milestones",
    deadlinesFile: (date) => `Deadlines ${date}`,
    deadlinesSheet: "Deadlines",
    deadlinesWhich: "the deadlines found",
    // Not "History": Excel keeps that sheet name for itself.
    auditSheet: "Audit trail",
    downloadCsv: "Download as CSV",
    downloadXlsx: "Download as Excel (XLSX)",
    milestonesWhich: "the milestones",
    auditWhich: "the history",
    downloadLead: "The files open in Excel with the dates as dates.",
  },
};

export const exportStrings = { da, en };
