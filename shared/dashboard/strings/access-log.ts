/** The access log: the export page, and the words of its CSV (which is always in Danish). */
import type { AccessLogEntry, AccessView } from "../../store/records.ts";

const da = {
  accessLogTitle: "Adgangslog",
  accessLogLead:
    "Hvem har set et forløb, hvornår, hvordan og hvorfra. Når en borger beder om indsigt, kan du hente loggen for sagsnummeret som en CSV-fil, der åbner i Excel.",
  accessLogRetention: (days: number) => `Loggen gemmes i ${days} dage og slettes derefter automatisk.`,
  accessLogCaseRef: "Sagsnummer",
  accessLogCaseRefHint: "Skriv sagsnummeret præcis, som det står på forløbet, fx UND-2026-00123.",
  accessLogDownload: "Hent loggen (CSV)",
  accessLogNote: "At hente loggen bliver selv skrevet i loggen.",
  accessLogCaseRefMissing: "Skriv et sagsnummer.",
  accessLogCaseRefInvalid: "Sagsnummeret kan ikke bruges: højst 100 tegn og ingen styretegn.",
  accessViews: {
    "instance-page": "Forløbets side",
    "instance-report": "Rapport",
    "instance-feed": "Kalender (.ics)",
    "api-instance": "API: forløbet",
    "api-instance-list": "API: listen over forløb",
    "access-log-export": "Udtræk af adgangsloggen",
    "instance-milestones-export": "Forløbets milepæle hentet som fil",
    "instance-audit-export": "Forløbets historik hentet som fil",
    "deadline-list-export": "Fristerne fra overblikkets søgning hentet som fil",
  } as Record<AccessView, string>,
  accessWho: (who: AccessLogEntry["who"]): string =>
    who.kind === "user"
      ? `${who.name} (${who.id})`
      : who.kind === "admin-token"
        ? "Administratortoken"
        : "Kalenderabonnement (link med nøgle)",
};

const en: typeof da = {
  accessLogTitle: "Access log",
  accessLogLead:
    "Who saw an instance, when, how and from where. When a citizen asks for access, you can download the log for the case reference as a CSV file that opens in Excel.",
  accessLogRetention: (days: number) => `The log is kept for ${days} days and then deleted automatically.`,
  accessLogCaseRef: "Case reference",
  accessLogCaseRefHint: "Type the case reference exactly as the instance has it, e.g. UND-2026-00123.",
  accessLogDownload: "Download the log (CSV)",
  accessLogNote: "Downloading the log is itself written to the log.",
  accessLogCaseRefMissing: "Type a case reference.",
  accessLogCaseRefInvalid:
    "This case reference cannot be used: at most 100 characters and no control characters.",
  accessViews: {
    "instance-page": "Instance page",
    "instance-report": "Report",
    "instance-feed": "Calendar (.ics)",
    "api-instance": "API: the instance",
    "api-instance-list": "API: the list of instances",
    "access-log-export": "Access log export",
    "instance-milestones-export": "The instance's milestones downloaded as a file",
    "instance-audit-export": "The instance's history downloaded as a file",
    "deadline-list-export": "The deadlines of the overview's search downloaded as a file",
  },
  accessWho: (who) =>
    who.kind === "user"
      ? `${who.name} (${who.id})`
      : who.kind === "admin-token"
        ? "Admin token"
        : "Calendar subscription (link with a key)",
};

export const accessLogStrings = { da, en };
