/** The words of the start form's step for a start date before today, and the instance page's line about it. */

const da = {
  title: "Startdatoen ligger før i dag",
  leadMails: (n: number) =>
    n === 1
      ? "Startdatoen ligger før i dag. Hvis forløbet startes nu, sendes 1 mail med det samme:"
      : `Startdatoen ligger før i dag. Hvis forløbet startes nu, sendes ${n} mails med det samme:`,
  leadNone: "Startdatoen ligger før i dag. Hvis forløbet startes nu, sendes ingen mails med det samme.",
  notStarted: "Forløbet er ikke startet endnu. Vælg, hvordan fortiden skal behandles, og start det.",
  mailsHeading: "Mails, der sendes med det samme",
  passedHeading: (n: number) =>
    n === 1 ? "1 frist er allerede overskredet" : `${n} frister er allerede overskredet`,
  passedNone: "Ingen frister er overskredet endnu.",
  colRecipient: "Til",
  colMilestone: "Milepæl",
  colUnit: "Enhed",
  colKind: "Mail",
  colDue: "Frist",
  wholeInstance: "Hele forløbet",
  leaderOf: (unit: string) => `leder af ${unit}`,
  managerOf: (unit: string) => `chef for ${unit}`,
  kind: {
    activated: "Besked om, at det er deres tur",
    reminder: "Påmindelse",
    escalation: "Rykker",
    notice: "Orientering til borgeren",
    reopened: "Besked om, at en bekræftelse er fortrudt",
  },
  rykker: (n: number) => `rykker nr. ${n}`,
  choiceLegend: "Hvad skal der ske med det, der allerede er sket?",
  catchUp: (n: number) =>
    n === 1
      ? "Send indhentningsmails: den 1 mail herover sendes nu"
      : `Send indhentningsmails: de ${n} mails herover sendes nu`,
  catchUpNone: "Send indhentningsmails: senere rykkere om overskredne frister sendes, som planen siger",
  history:
    "Behandl fortiden som historik: ingen får mails om det, der er overstået. Overskredne frister vises som overskredet.",
  choiceMissing: "Vælg, om der skal sendes indhentningsmails, eller om fortiden skal behandles som historik.",
  startButton: "Start forløbet",
  editButton: "Ret i oplysningerne",
  factLabel: "Fortiden",
  factHistory: (at: string) =>
    `Startet med fortiden som historik: ingen får mails om frister og påmindelser til og med ${at}.`,
};

export type PastStartStrings = typeof da;

const en: PastStartStrings = {
  title: "The start date is before today",
  leadMails: (n: number) =>
    n === 1
      ? "The start date is before today. If the instance is started now, 1 mail is sent at once:"
      : `The start date is before today. If the instance is started now, ${n} mails are sent at once:`,
  leadNone: "The start date is before today. If the instance is started now, no mail is sent at once.",
  notStarted: "The instance has not been started yet. Choose how to treat the past, and start it.",
  mailsHeading: "Mails sent at once",
  passedHeading: (n: number) =>
    n === 1 ? "1 deadline has already passed" : `${n} deadlines have already passed`,
  passedNone: "No deadline has passed yet.",
  colRecipient: "To",
  colMilestone: "Milestone",
  colUnit: "Unit",
  colKind: "Mail",
  colDue: "Deadline",
  wholeInstance: "Whole instance",
  leaderOf: (unit: string) => `leader of ${unit}`,
  managerOf: (unit: string) => `manager of ${unit}`,
  kind: {
    activated: "Notice that it is their turn",
    reminder: "Reminder",
    escalation: "Escalation",
    notice: "Notice to the citizen",
    reopened: "Notice that a confirmation was undone",
  },
  rykker: (n: number) => `escalation no. ${n}`,
  choiceLegend: "What should happen with what has already passed?",
  catchUp: (n: number) =>
    n === 1
      ? "Send catch-up mails: the 1 mail above is sent now"
      : `Send catch-up mails: the ${n} mails above are sent now`,
  catchUpNone: "Send catch-up mails: later escalations about passed deadlines go out as the plan says",
  history:
    "Treat the past as history: nobody is mailed about what has passed. Passed deadlines show as overdue.",
  choiceMissing: "Choose whether to send catch-up mails or to treat the past as history.",
  startButton: "Start the instance",
  editButton: "Edit the details",
  factLabel: "The past",
  factHistory: (at: string) =>
    `Started with its past as history: nobody is mailed about deadlines and reminders up to ${at}.`,
};

export function pastStartStrings(language: "da" | "en"): PastStartStrings {
  return language === "en" ? en : da;
}
