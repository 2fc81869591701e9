/**
 * Every sentence fristflow mails, in Danish and English, in one place so a translator or a
 * municipality's communications officer can review them without reading code.
 *
 * Functions take and return plain text; compose.ts renders it into the HTML part through the
 * auto-escaping `html` template (shared/html), so nothing here needs to know about escaping.
 */
import type { Language } from "../model/schema.ts";

/** The kinds that go to staff; a notice goes to a citizen and has its own wording. */
export type StaffKind = "reminder" | "escalation" | "activated" | "reopened";

export interface MilestoneContext {
  milestone: string;
  workflow: string;
  unit?: string;
}

export interface MailStrings {
  /** `instance`: the instance's name and identifying parameters in one line, when known. */
  subject: Record<
    StaffKind,
    (milestone: string, shortDate: string, level: number, instance?: string) => string
  >;
  greeting: (name: string | undefined) => string;
  intro: Record<StaffKind, (c: MilestoneContext) => string>;
  escalationLevel: (level: number) => string;
  dueLabel: string;
  relative: {
    daysLeft: (n: number) => string;
    today: string;
    todayPassed: string;
    daysOverdue: (n: number) => string;
  };
  descriptionLabel: string;
  confirmLead: Record<StaffKind, string>;
  confirmButton: string;
  linkFallback: string;
  noLink: string;
  contact: (name: string, email: string) => string;
  replyHint: string;
  footer: (organisation: string) => string;
  notice: {
    subject: (organisation: string, shortExpected: string, caseReference: string | undefined) => string;
    caseReference: (ref: string) => string;
    intro: (longDue: string) => string;
    expected: (longExpected: string) => string;
    apology: string;
    contact: (name: string, email: string) => string;
    signoff: string;
    calendarSummary: (organisation: string) => string;
  };
  calendar: {
    confirmAt: (url: string) => string;
    filename: string;
  };
  /** The personal link to "Mine frister" in every mail to staff. */
  mine: string;
  /** A mail sent to a deputy in the leader's place. */
  deputy: (leader: string) => string;
  /** A "reopened" mail: who undid the confirmation (null: an administrator), and the reason's label. */
  reopened: { by: (name: string | null) => string; reasonLabel: string };
  /** Opens a mail to staff: by name where the directory has one, else neutral (never the address). */
  staffGreeting: (name: string | undefined) => string;
  /** Which instance the mail is about: its name, and a line per identifying parameter. */
  instanceLine: (name: string) => string;
  /** An escalation says who has not confirmed: a person (name, address), the leader of a unit. */
  notConfirmedBy: (who: { name?: string; email?: string; unit?: string }) => string;
}

/** The instance in a subject line, between the milestone and the deadline. */
const about = (instance: string | undefined): string => (instance ? ` – ${instance}` : "");

const da: MailStrings = {
  subject: {
    reminder: (m, d, _level, i) => `Påmindelse: ${m}${about(i)} – frist ${d}`,
    escalation: (m, d, level, i) =>
      level > 1
        ? `Frist overskredet (rykker ${level}): ${m}${about(i)} – frist ${d}`
        : `Frist overskredet: ${m}${about(i)} – frist ${d}`,
    activated: (m, d, _level, i) => `Din milepæl er den næste: ${m}${about(i)} – frist ${d}`,
    reopened: (m, d, _level, i) => `Din bekræftelse er fortrudt: ${m}${about(i)} – frist ${d}`,
  },
  greeting: (name) => (name ? `Hej ${name}` : "Hej"),
  intro: {
    reminder: (c) =>
      `Dette er en påmindelse om milepælen »${c.milestone}« i »${c.workflow}«${c.unit ? ` for ${c.unit}` : ""}.`,
    escalation: (c) =>
      `Fristen for milepælen »${c.milestone}« i »${c.workflow}«${c.unit ? ` for ${c.unit}` : ""} er overskredet, og milepælen er endnu ikke bekræftet.`,
    activated: (c) =>
      `Trinnene før er på plads, så nu er det tid til milepælen »${c.milestone}« i »${c.workflow}«${c.unit ? ` for ${c.unit}` : ""}.`,
    reopened: (c) =>
      `Din bekræftelse af milepælen »${c.milestone}« i »${c.workflow}«${c.unit ? ` for ${c.unit}` : ""} er fortrudt, så milepælen er åben igen.`,
  },
  escalationLevel: (level) => `Dette er rykker nr. ${level}. Følg venligst op med den ansvarlige.`,
  dueLabel: "Frist",
  relative: {
    daysLeft: (n) => (n === 1 ? "1 dag tilbage" : `${n} dage tilbage`),
    today: "i dag",
    todayPassed: "i dag – fristen er passeret",
    daysOverdue: (n) => (n === 1 ? "1 dag over fristen" : `${n} dage over fristen`),
  },
  descriptionLabel: "Om milepælen",
  confirmLead: {
    reminder: "Når milepælen er nået, så bekræft det med ét klik:",
    escalation: "Er milepælen allerede nået, kan den bekræftes her:",
    activated: "Når milepælen er nået, så bekræft det med ét klik:",
    reopened: "Når milepælen er nået, så bekræft den igen med ét klik:",
  },
  confirmButton: "Bekræft at milepælen er nået",
  linkFallback: "Virker knappen ikke, så åbn dette link:",
  noLink: "Kontakt den ansvarlige i forvaltningen, når milepælen er nået.",
  contact: (name, email) => `Spørgsmål? Kontakt ${name} (${email}).`,
  replyHint: "Du kan også svare direkte på denne mail.",
  footer: (org) => `Sendt automatisk af fristflow for ${org}.`,
  notice: {
    subject: (org, d, ref) =>
      ref
        ? `Din sag ${ref}: forventet afgørelse senest ${d}`
        : `Din sag hos ${org}: forventet afgørelse senest ${d}`,
    caseReference: (ref) => `Sagsnummer: ${ref}`,
    intro: (due) =>
      `Vi skriver for at fortælle dig, at vi ikke kan nå at træffe afgørelse i din sag inden fristen ${due}.`,
    expected: (expected) => `Du kan forvente en afgørelse senest ${expected}.`,
    apology: "Vi beklager, at det tager længere tid end planlagt.",
    contact: (name, email) => `Har du spørgsmål, er du velkommen til at kontakte ${name} på ${email}.`,
    signoff: "Med venlig hilsen",
    calendarSummary: (org) => `Forventet afgørelse fra ${org}`,
  },
  calendar: {
    confirmAt: (url) => `Bekræft at milepælen er nået: ${url}`,
    filename: "frist.ics",
  },
  mine: "Se alle dine frister",
  deputy: (leader) => `Du får denne mail som stedfortræder for ${leader}. ${leader} får en kopi af mailen.`,
  reopened: {
    by: (name) => (name === null ? "Det er gjort af en administrator." : `Det er gjort af ${name}.`),
    reasonLabel: "Begrundelse",
  },
  staffGreeting: (name) => (name ? `Kære ${name},` : "Hej,"),
  instanceLine: (name) => `Forløb: ${name}`,
  notConfirmedBy: ({ name, email, unit }) => {
    const person = name && email ? `${name} (${email})` : (name ?? email);
    if (person && unit) return `Milepælen mangler at blive bekræftet af ${person}, leder af ${unit}.`;
    if (person) return `Milepælen mangler at blive bekræftet af ${person}.`;
    return unit ? `Milepælen mangler at blive bekræftet af lederen af ${unit}.` : "";
  },
};

const en: MailStrings = {
  subject: {
    reminder: (m, d, _level, i) => `Reminder: ${m}${about(i)} – due ${d}`,
    escalation: (m, d, level, i) =>
      level > 1
        ? `Overdue (reminder ${level}): ${m}${about(i)} – due ${d}`
        : `Overdue: ${m}${about(i)} – due ${d}`,
    activated: (m, d, _level, i) => `Your milestone is next: ${m}${about(i)} – due ${d}`,
    reopened: (m, d, _level, i) => `Your confirmation was undone: ${m}${about(i)} – due ${d}`,
  },
  greeting: (name) => (name ? `Dear ${name}` : "Hello"),
  intro: {
    reminder: (c) =>
      `This is a reminder about the milestone “${c.milestone}” in “${c.workflow}”${c.unit ? ` for ${c.unit}` : ""}.`,
    escalation: (c) =>
      `The deadline for the milestone “${c.milestone}” in “${c.workflow}”${c.unit ? ` for ${c.unit}` : ""} has passed, and the milestone has not been confirmed.`,
    activated: (c) =>
      `The steps before it are done, so it is now time for the milestone “${c.milestone}” in “${c.workflow}”${c.unit ? ` for ${c.unit}` : ""}.`,
    reopened: (c) =>
      `Your confirmation of the milestone “${c.milestone}” in “${c.workflow}”${c.unit ? ` for ${c.unit}` : ""} was undone, so the milestone is open again.`,
  },
  escalationLevel: (level) => `This is reminder no. ${level}. Please follow up with the person responsible.`,
  dueLabel: "Deadline",
  relative: {
    daysLeft: (n) => (n === 1 ? "1 day left" : `${n} days left`),
    today: "today",
    todayPassed: "today – the deadline has passed",
    daysOverdue: (n) => (n === 1 ? "1 day overdue" : `${n} days overdue`),
  },
  descriptionLabel: "About the milestone",
  confirmLead: {
    reminder: "When the milestone is reached, confirm it with one click:",
    escalation: "If the milestone has been reached, it can be confirmed here:",
    activated: "When the milestone is reached, confirm it with one click:",
    reopened: "When the milestone is reached, confirm it again with one click:",
  },
  confirmButton: "Confirm the milestone is reached",
  linkFallback: "If the button does not work, open this link:",
  noLink: "Tell the person responsible in the administration when the milestone is reached.",
  contact: (name, email) => `Questions? Contact ${name} (${email}).`,
  replyHint: "You can also reply to this email.",
  footer: (org) => `Sent automatically by fristflow for ${org}.`,
  notice: {
    subject: (org, d, ref) =>
      ref
        ? `Your case ${ref}: expect a decision by ${d}`
        : `Your case with ${org}: expect a decision by ${d}`,
    caseReference: (ref) => `Case reference: ${ref}`,
    intro: (due) =>
      `We are writing to let you know that we cannot make a decision on your case by the deadline, ${due}.`,
    expected: (expected) => `You can expect a decision by ${expected}.`,
    apology: "We are sorry that it is taking longer than planned.",
    contact: (name, email) => `If you have any questions, please contact ${name} at ${email}.`,
    signoff: "Kind regards",
    calendarSummary: (org) => `Expected decision from ${org}`,
  },
  calendar: {
    confirmAt: (url) => `Confirm the milestone is reached: ${url}`,
    filename: "deadline.ics",
  },
  mine: "See all your deadlines",
  deputy: (leader) => `You receive this email as deputy for ${leader}. ${leader} gets a copy of it.`,
  reopened: {
    by: (name) => (name === null ? "It was done by an administrator." : `It was done by ${name}.`),
    reasonLabel: "Reason",
  },
  staffGreeting: (name) => (name ? `Dear ${name},` : "Dear colleague,"),
  instanceLine: (name) => `Instance: ${name}`,
  notConfirmedBy: ({ name, email, unit }) => {
    const person = name && email ? `${name} (${email})` : (name ?? email);
    if (person && unit) return `The milestone has not been confirmed by ${person}, leader of ${unit}.`;
    if (person) return `The milestone has not been confirmed by ${person}.`;
    return unit ? `The milestone has not been confirmed by the leader of ${unit}.` : "";
  },
};

const byLanguage: Record<Language, MailStrings> = { da, en };

export function mailStrings(language: Language): MailStrings {
  return byLanguage[language];
}
