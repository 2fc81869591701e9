/** The words of the change pages (every change to a running instance shares them). */

const da = {
  changesHeading: "Ret forløbet",
  changesLead: "Ændringer gælder fra nu. Du ser, hvad en ændring gør, før den gemmes.",
  reasonLabel: "Begrundelse",
  reasonHint: "Skrives i forløbets historik sammen med dit navn.",
  previewButton: "Se, hvad ændringen gør",
  saveButton: "Gem ændringen",
  backButton: "Ret i ændringen",
  cancelLink: "Fortryd",
  previewHeading: "Det gør ændringen",
  previewLead: "Intet er gemt endnu. Læs det igennem, og gem, hvis det er det, du vil.",
  movesDeadlines: (n: number) => (n === 1 ? "flytter 1 frist" : `flytter ${n} frister`),
  movesNone: "flytter ingen frister",
  addsOccurrences: (n: number) => (n === 1 ? "tilføjer 1 milepæl" : `tilføjer ${n} milepæle`),
  removesOccurrences: (n: number) => (n === 1 ? "fjerner 1 milepæl" : `fjerner ${n} milepæle`),
  cancelsReminders: (n: number) => (n === 1 ? "aflyser 1 planlagt mail" : `aflyser ${n} planlagte mails`),
  movesReminders: (n: number) => (n === 1 ? "flytter 1 planlagt mail" : `flytter ${n} planlagte mails`),
  addsReminders: (n: number) => (n === 1 ? "planlægger 1 ny mail" : `planlægger ${n} nye mails`),
  sendsNow: (n: number) => (n === 1 ? "sender 1 mail nu" : `sender ${n} mails nu`),
  sendsNothing: "sender intet nu",
  summarySentence: (parts: string[]) => `Ændringen ${joinDa(parts)}.`,
  colMilestone: "Milepæl",
  colUnit: "Enhed",
  colFrom: "Fra",
  colTo: "Til",
  colKind: "Mail",
  colWhen: "Hvornår",
  colRecipient: "Til",
  deadlinesHeading: "Frister, der flyttes",
  sendsNowHeading: "Mails, der sendes, når du gemmer",
  cancelledHeading: "Planlagte mails, der ikke sendes",
  addedHeading: "Nye planlagte mails",
  kind: {
    activated: "Besked om, at det er deres tur",
    reminder: "Påmindelse",
    escalation: "Rykker",
    notice: "Orientering",
    reopened: "Besked om, at bekræftelsen er fortrudt",
  },
  changedSince:
    "Forløbet er ændret, siden du så ændringen (fx en bekræftelse). Se den opdaterede beskrivelse herunder, og gem igen, hvis den stadig er rigtig.",
  saved: "Ændringen er gemt og skrevet i historikken.",
  unknownChange: "Den ændring findes ikke.",
  notRunning: "Forløbet kører ikke længere, så det kan ikke ændres.",
  none: "–",
  wholeInstance: "Hele forløbet",
  addedOccurrencesHeading: "Milepæle, der kommer til",
  removedOccurrencesHeading: "Milepæle, der fjernes",
  colState: "Status",
  stateConfirmed: "Bekræftet",
  stateOpen: "Ikke bekræftet",
  removedConfirmedNote:
    "Også bekræftede milepæle fjernes. Bekræftelserne og de mails, der er sendt, står fortsat i forløbets historik.",
};

function joinDa(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} og ${parts.at(-1)}`;
}
function joinEn(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

export type SteerStrings = typeof da;

const en: SteerStrings = {
  changesHeading: "Change this instance",
  changesLead: "Changes apply from now. You see what a change does before it is saved.",
  reasonLabel: "Reason",
  reasonHint: "Written in the instance's history with your name.",
  previewButton: "See what the change does",
  saveButton: "Save the change",
  backButton: "Edit the change",
  cancelLink: "Cancel",
  previewHeading: "What the change does",
  previewLead: "Nothing is saved yet. Read it through, and save if it is what you want.",
  movesDeadlines: (n: number) => (n === 1 ? "moves 1 deadline" : `moves ${n} deadlines`),
  movesNone: "moves no deadline",
  addsOccurrences: (n: number) => (n === 1 ? "adds 1 milestone" : `adds ${n} milestones`),
  removesOccurrences: (n: number) => (n === 1 ? "removes 1 milestone" : `removes ${n} milestones`),
  cancelsReminders: (n: number) => (n === 1 ? "cancels 1 planned mail" : `cancels ${n} planned mails`),
  movesReminders: (n: number) => (n === 1 ? "moves 1 planned mail" : `moves ${n} planned mails`),
  addsReminders: (n: number) => (n === 1 ? "plans 1 new mail" : `plans ${n} new mails`),
  sendsNow: (n: number) => (n === 1 ? "sends 1 mail now" : `sends ${n} mails now`),
  sendsNothing: "sends nothing now",
  summarySentence: (parts: string[]) => `The change ${joinEn(parts)}.`,
  colMilestone: "Milestone",
  colUnit: "Unit",
  colFrom: "From",
  colTo: "To",
  colKind: "Mail",
  colWhen: "When",
  colRecipient: "To",
  deadlinesHeading: "Deadlines that move",
  sendsNowHeading: "Mails sent when you save",
  cancelledHeading: "Planned mails that will not be sent",
  addedHeading: "New planned mails",
  kind: {
    activated: "Notice that it is their turn",
    reminder: "Reminder",
    escalation: "Escalation",
    notice: "Notice",
    reopened: "Notice that the confirmation was undone",
  },
  changedSince:
    "The instance changed since you saw the change (a confirmation, say). Read the updated description below, and save again if it is still right.",
  saved: "The change is saved and written in the history.",
  unknownChange: "There is no such change.",
  notRunning: "The instance is no longer running, so it cannot be changed.",
  none: "–",
  wholeInstance: "Whole instance",
  addedOccurrencesHeading: "Milestones added",
  removedOccurrencesHeading: "Milestones removed",
  colState: "Status",
  stateConfirmed: "Confirmed",
  stateOpen: "Not confirmed",
  removedConfirmedNote:
    "Confirmed milestones are removed too. The confirmations and the mails sent stay in the instance's history.",
};

export function steerStrings(language: "da" | "en"): SteerStrings {
  return language === "en" ? en : da;
}
