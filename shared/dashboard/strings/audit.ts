/** An instance's history: what each audit entry says and who did it. */

const da = {
  audit: {
    created: "Forløbet blev startet",
    confirmed: (m: string) => `»${m}« blev registreret som bekræftet`,
    viaLink: (m: string) => `»${m}« blev bekræftet via link fra en mail`,
    sent: (kind: string, m: string, to: string) => `${kind} om »${m}« sendt til ${to}`,
    failed: (kind: string, m: string, to: string) => `${kind} om »${m}« til ${to} kunne ikke sendes`,
    cancelled: "Forløbet blev annulleret",
    reason: (r: string) => `Begrundelse: ${r}`,
    done: "Forløbet blev afsluttet",
    failedInstance: "Forløbet stoppede med en fejl",
    executionStarted: "Tidslinjen kører videre i en ny kørsel (et langt forløb deles i kørsler under et år)",
    moved: (m: string) => `Fristen for »${m}« blev flyttet`,
    ignored: (m: string) => `En bekræftelse af »${m}« blev ignoreret (findes ikke i denne version)`,
    other: (action: string) => action,
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
    done: "The instance finished",
    failedInstance: "The instance stopped with an error",
    executionStarted:
      "The timeline continues in a new execution (a long timeline is split into runs under a year)",
    moved: (m) => `The deadline of “${m}” was moved`,
    ignored: (m) => `A confirmation of “${m}” was ignored (not in this version)`,
    other: (action) => action,
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

export const auditStrings = { da, en };
