/**
 * An instance's history: what each audit entry says and who did it. `action` has a plain sentence
 * for every action of the trail (shared/store/audit-actions.ts), by type: the line for an entry
 * whose details give nothing more; the others add the milestone, unit, version or reason.
 */
import type { AuditAction } from "../../store/audit-actions.ts";

const da = {
  audit: {
    created: "Forløbet blev startet",
    confirmed: (m: string) => `»${m}« blev registreret som bekræftet`,
    viaLink: (m: string) => `»${m}« blev bekræftet via link fra en mail`,
    sent: (kind: string, m: string, to: string) => `${kind} om »${m}« sendt til ${to}`,
    failed: (kind: string, m: string, to: string) => `${kind} om »${m}« til ${to} kunne ikke sendes`,
    cancelled: "Forløbet blev annulleret",
    reason: (r: string) => `Begrundelse: ${r}`,
    mail: "Mail",
    done: "Forløbet blev afsluttet",
    failedInstance: "Forløbet stoppede med en fejl",
    executionStarted: "Tidslinjen kører videre i en ny kørsel (et langt forløb deles i kørsler under et år)",
    moved: (m: string) => `Fristen for »${m}« blev flyttet`,
    ignored: (m: string) => `En bekræftelse af »${m}« blev ignoreret (findes ikke i denne version)`,
    unknown: "En hændelse, som denne version af fristflow ikke har en beskrivelse af",
    unknownDetail: (words: string) => `Registreret som: ${words}`,
    onBehalf: (m: string) => `»${m}« blev bekræftet på vegne af den ansvarlige`,
    undone: (m: string) => `Bekræftelsen af »${m}« blev fortrudt`,
    held: "Forløbet blev sat på pause",
    resumedKept: "Forløbet blev genoptaget med fristerne, som de var",
    resumedShifted: (n: number) =>
      n === 1
        ? "Forløbet blev genoptaget, og 1 frist blev udskudt med pausens længde"
        : `Forløbet blev genoptaget, og ${n} frister blev udskudt med pausens længde`,
    pastHistory:
      "Startdato før i dag: fortiden behandles som historik (ingen mails om det, der er overstået)",
    pastCatchUp: "Startdato før i dag: der sendes indhentningsmails om det, der er overstået",
    loopFailed: (n: number) =>
      n === 1
        ? "Tidslinjen stødte på en fejl og prøver igen om lidt"
        : `Tidslinjen stødte på en fejl for ${n}. gang i træk og prøver igen senere`,
    loopGaveUp: (n: number) => `Tidslinjen stoppede efter ${n} fejl i træk`,
    noticeApproved: (m: string) => `Besked til borger om »${m}« blev godkendt og sendt`,
    unitAdded: (unit: string) => `Enheden »${unit}« blev føjet til forløbet`,
    unitRemoved: (unit: string) => `Enheden »${unit}« blev fjernet fra forløbet`,
    migrated: (from: number, to: number) =>
      `Forløbet blev flyttet fra version ${from} til version ${to} af skabelonen`,
    action: {
      "instance.created": "Forløbet blev startet",
      "instance.cancelled": "Forløbet blev annulleret",
      "instance.done": "Forløbet blev afsluttet",
      "instance.failed": "Forløbet stoppede med en fejl",
      "instance.held": "Forløbet blev sat på pause",
      "instance.resumed": "Forløbet blev genoptaget",
      "instance.migrated": "Forløbet blev flyttet til en anden version af skabelonen",
      "confirmation.recorded": "En milepæl blev registreret som bekræftet",
      "confirmation.via-link": "En milepæl blev bekræftet via link fra en mail",
      "confirmation.ignored": "En bekræftelse blev ignoreret (milepælen findes ikke i denne version)",
      "confirmation.on-behalf": "En milepæl blev bekræftet på vegne af den ansvarlige",
      "confirmation.undone": "En bekræftelse blev fortrudt",
      "deadline.moved": "En frist blev flyttet",
      "notification.sent": "En mail blev sendt",
      "notification.failed": "En mail kunne ikke sendes",
      "notice.approved": "En besked til borger blev godkendt og sendt",
      "loop.execution-started": "Tidslinjen kører videre i en ny kørsel",
      "loop.failed": "Tidslinjen stødte på en fejl",
      "unit.added": "En enhed blev føjet til forløbet",
      "unit.removed": "En enhed blev fjernet fra forløbet",
      "deputy.set": "En stedfortræder blev sat",
      "deputy.ended": "En stedfortræders periode blev afsluttet",
      "user.grants.changed": "Brugerens adgang til skabeloner blev ændret",
      "user.roles.changed": "Brugerens roller blev ændret",
      "apiToken.created": "En API-nøgle blev oprettet",
      "apiToken.revoked": "En API-nøgle blev tilbagekaldt",
      "attempts.limited": "Efter for mange mislykkede forsøg blev der midlertidigt lukket for flere",
      "workflow.version.deleted": "En version af skabelonen blev slettet",
    } satisfies Record<AuditAction, string>,
  },
  actor: {
    system: "fristflow",
    adminApi: "administrator (API)",
    adminDashboard: "administrator",
    leader: (unit: string) => `leder af ${unit}`,
    manager: (unit: string) => `chef for ${unit}`,
    param: (name: string) => `modtager i parameteren ${name}`,
    recipient: "modtageren af mailen",
    viaLink: (who: string) => `${who} (via link)`,
  },
};

const en: typeof da = {
  audit: {
    created: "The instance was started",
    confirmed: (m) => `“${m}” was recorded as confirmed`,
    viaLink: (m) => `“${m}” was confirmed via a link from an e-mail`,
    sent: (kind, m, to) => `${kind} about “${m}” sent to ${to}`,
    failed: (kind, m, to) => `${kind} about “${m}” to ${to} could not be sent`,
    cancelled: "The instance was cancelled",
    reason: (r) => `Reason: ${r}`,
    mail: "E-mail",
    done: "The instance finished",
    failedInstance: "The instance stopped with an error",
    executionStarted:
      "The timeline continues in a new execution (a long timeline is split into runs under a year)",
    moved: (m) => `The deadline of “${m}” was moved`,
    ignored: (m) => `A confirmation of “${m}” was ignored (not in this version)`,
    unknown: "An event this version of fristflow has no description of",
    unknownDetail: (words) => `Recorded as: ${words}`,
    onBehalf: (m) => `“${m}” was confirmed on behalf of the person responsible`,
    undone: (m) => `The confirmation of “${m}” was undone`,
    held: "The instance was put on hold",
    resumedKept: "The instance was resumed with its deadlines as they were",
    resumedShifted: (n) =>
      n === 1
        ? "The instance was resumed, and 1 deadline was put off by the length of the pause"
        : `The instance was resumed, and ${n} deadlines were put off by the length of the pause`,
    pastHistory: "Start date before today: the past is treated as history (no mail about what has passed)",
    pastCatchUp: "Start date before today: catch-up mails are sent about what has passed",
    loopFailed: (n) =>
      n === 1
        ? "The timeline met an error and tries again shortly"
        : `The timeline met an error for the ${ordinal(n)} time in a row and tries again later`,
    loopGaveUp: (n) => `The timeline stopped after ${n} errors in a row`,
    noticeApproved: (m) => `The notice to the citizen about “${m}” was approved and sent`,
    unitAdded: (unit) => `The unit “${unit}” was added to the instance`,
    unitRemoved: (unit) => `The unit “${unit}” was removed from the instance`,
    migrated: (from, to) => `The instance was moved from version ${from} to version ${to} of the workflow`,
    action: {
      "instance.created": "The instance was started",
      "instance.cancelled": "The instance was cancelled",
      "instance.done": "The instance finished",
      "instance.failed": "The instance stopped with an error",
      "instance.held": "The instance was put on hold",
      "instance.resumed": "The instance was resumed",
      "instance.migrated": "The instance was moved to another version of the workflow",
      "confirmation.recorded": "A milestone was recorded as confirmed",
      "confirmation.via-link": "A milestone was confirmed via a link from an e-mail",
      "confirmation.ignored": "A confirmation was ignored (the milestone is not in this version)",
      "confirmation.on-behalf": "A milestone was confirmed on behalf of the person responsible",
      "confirmation.undone": "A confirmation was undone",
      "deadline.moved": "A deadline was moved",
      "notification.sent": "An e-mail was sent",
      "notification.failed": "An e-mail could not be sent",
      "notice.approved": "A notice to the citizen was approved and sent",
      "loop.execution-started": "The timeline continues in a new execution",
      "loop.failed": "The timeline met an error",
      "unit.added": "A unit was added to the instance",
      "unit.removed": "A unit was removed from the instance",
      "deputy.set": "A deputy was set",
      "deputy.ended": "A deputy's period was ended",
      "user.grants.changed": "The user's access to workflows was changed",
      "user.roles.changed": "The user's roles were changed",
      "apiToken.created": "An API token was created",
      "apiToken.revoked": "An API token was revoked",
      "attempts.limited": "After too many failed attempts, further attempts were blocked for a while",
      "workflow.version.deleted": "A version of the workflow was deleted",
    },
  },
  actor: {
    system: "fristflow",
    adminApi: "administrator (API)",
    adminDashboard: "administrator",
    leader: (unit) => `leader of ${unit}`,
    manager: (unit) => `manager of ${unit}`,
    param: (name) => `recipient in the parameter ${name}`,
    recipient: "the recipient of the e-mail",
    viaLink: (who) => `${who} (via link)`,
  },
};

/** 2nd, 3rd, 4th, …, 11th, 12th, 13th, 21st. */
function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th";
  return `${n}${suffix}`;
}

export const auditStrings = { da, en };
