/**
 * What the Mine frister page says, in Danish and English: plain text, escaped by the page
 * templates. Kept apart from the confirm pages' strings (strings.ts) as the page is its own.
 */
import type { Language } from "../model/schema.ts";

export interface MineStrings {
  title: string;
  lead: string;
  none: string;
  overdue: string;
  open: string;
  status: string;
  confirmButton: string;
  confirmNote: string;
  confirmed: (milestone: string) => string;
  calendar: string;
  calendarNote: string;
  deputiesTitle: string;
  deputiesLead: string;
  noDeputies: string;
  deputyPeriod: (from: string, to: string) => string;
  endDeputy: string;
  newDeputy: string;
  deputyName: string;
  deputyEmail: string;
  from: string;
  to: string;
  setDeputy: string;
  deputySet: string;
  deputyEnded: string;
  invalid: string;
  onHold: string;
}

const da: MineStrings = {
  title: "Mine frister",
  lead: "Her er de milepæle, du står for, og som endnu ikke er bekræftet.",
  none: "Du har ingen åbne milepæle lige nu.",
  overdue: "Overskredet",
  open: "Åben",
  status: "Status",
  confirmButton: "Bekræft at milepælen er nået",
  confirmNote: "Der bliver først registreret noget, når du trykker på en knap.",
  confirmed: (m) => `Tak – »${m}« er registreret som bekræftet.`,
  calendar: "Abonnér på dine frister i din kalender",
  calendarNote: "Kalenderen viser dine åbne frister og opdaterer sig selv.",
  deputiesTitle: "Stedfortræder",
  deputiesLead:
    "Er du væk, kan du udpege en stedfortræder. I perioden får stedfortræderen dine påmindelser, og du får en kopi.",
  noDeputies: "Du har ingen stedfortræder.",
  deputyPeriod: (from, to) => `fra ${from} til og med ${to}`,
  endDeputy: "Stop nu",
  newDeputy: "Udpeg en stedfortræder",
  deputyName: "Navn",
  deputyEmail: "E-mail",
  from: "Fra og med",
  to: "Til og med",
  setDeputy: "Gem stedfortræder",
  deputySet: "Stedfortræderen er gemt. I perioden går dine påmindelser til stedfortræderen.",
  deputyEnded: "Stedfortræderen er stoppet. Dine påmindelser går igen til dig.",
  invalid:
    "Tjek felterne: navn, en gyldig e-mail og en periode på højst et år, hvor slutdatoen ikke er før startdatoen.",
  onHold: "Sat i bero (forløbet er på pause)",
};

const en: MineStrings = {
  title: "My deadlines",
  lead: "These are the milestones you are responsible for that have not been confirmed yet.",
  none: "You have no open milestones right now.",
  overdue: "Overdue",
  open: "Open",
  status: "Status",
  confirmButton: "Confirm the milestone is reached",
  confirmNote: "Nothing is recorded until you press a button.",
  confirmed: (m) => `Thank you – “${m}” is recorded as confirmed.`,
  calendar: "Subscribe to your deadlines in your calendar",
  calendarNote: "The calendar shows your open deadlines and keeps itself up to date.",
  deputiesTitle: "Deputy",
  deputiesLead:
    "If you are away, you can name a deputy. During that period your deputy gets your reminders, and you get a copy.",
  noDeputies: "You have no deputy.",
  deputyPeriod: (from, to) => `from ${from} to ${to} inclusive`,
  endDeputy: "End now",
  newDeputy: "Name a deputy",
  deputyName: "Name",
  deputyEmail: "Email",
  from: "From",
  to: "To (inclusive)",
  setDeputy: "Save deputy",
  deputySet: "The deputy is saved. During the period your reminders go to your deputy.",
  deputyEnded: "The deputy has been ended. Your reminders come to you again.",
  invalid:
    "Please check the fields: a name, a valid email and a period of at most a year that does not end before it starts.",
  onHold: "On hold (the instance is paused)",
};

export function mineStrings(language: Language): MineStrings {
  return language === "en" ? en : da;
}
