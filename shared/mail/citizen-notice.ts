/**
 * The two mails of the notice to an applicant (retssikkerhedsloven § 3, stk. 2):
 * - to the caseworker when the notice is due: give the expected decision date (a link to the page);
 * - to the applicant, composed from that date, sent only when the caseworker approves it.
 * The applicant's mail names no milestone, workflow, unit or internal id: only the municipality,
 * the case reference they know, the dates and the caseworker, whose address is the Reply-To.
 */
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type { Language } from "../model/schema.ts";
import { formatLongDate } from "../time/format.ts";
import { Temporal } from "../time/temporal.ts";
import { type Block, checkedUrl, type MailPerson, renderHtml, renderText, requireEmail } from "./compose.ts";

const words = {
  da: {
    subject: (ref: string | undefined, org: string, expected: string) =>
      ref
        ? `Din sag ${ref}: forventet afgørelse senest ${expected}`
        : `Din sag hos ${org}: forventet afgørelse senest ${expected}`,
    greeting: "Kære ansøger,",
    caseReference: (ref: string) => `Sagsnummer: ${ref}`,
    intro: (due: string) =>
      `Vi kan desværre ikke nå at træffe afgørelse i din sag inden den frist, vi har oplyst, som er ${due}.`,
    expected: (expected: string) => `Du kan forvente en afgørelse senest ${expected}.`,
    apology: "Vi beklager, at behandlingen tager længere tid end planlagt.",
    contact: (name: string, email: string) =>
      `Har du spørgsmål, kan du svare på denne mail eller skrive til ${name} på ${email}.`,
    signoff: "Med venlig hilsen",
    caseworker: "din sagsbehandler",
    ask: {
      subject: (milestone: string, ref: string | undefined) =>
        ref
          ? `Angiv forventet afgørelsesdato: ${milestone}, sag ${ref}`
          : `Angiv forventet afgørelsesdato: ${milestone}`,
      greeting: (name: string | undefined) => (name ? `Kære ${name},` : "Hej,"),
      intro: (milestone: string, due: string) =>
        `Fristen for "${milestone}" er ${due}. Kan den ikke overholdes, skal ansøgeren have skriftlig besked om, hvornår afgørelsen kan forventes.`,
      caseReference: (ref: string) => `Sagsnummer: ${ref}`,
      lead: "Angiv den forventede dato for afgørelsen. Du ser mailen til ansøgeren, før den sendes, og den sendes først, når du godkender den.",
      button: "Angiv forventet dato",
      fallback: "Virker knappen ikke, så kopier dette link ind i din browser:",
      footer: (org: string) => `Sendt automatisk af fristflow for ${org}.`,
    },
  },
  en: {
    subject: (ref: string | undefined, org: string, expected: string) =>
      ref
        ? `Your case ${ref}: expect a decision by ${expected}`
        : `Your case with ${org}: expect a decision by ${expected}`,
    greeting: "Dear applicant,",
    caseReference: (ref: string) => `Case reference: ${ref}`,
    intro: (due: string) =>
      `Unfortunately we cannot make a decision on your case by the deadline we gave you, which is ${due}.`,
    expected: (expected: string) => `You can expect a decision by ${expected}.`,
    apology: "We are sorry that it is taking longer than planned.",
    contact: (name: string, email: string) =>
      `If you have any questions, you can reply to this email or write to ${name} at ${email}.`,
    signoff: "Kind regards",
    caseworker: "your caseworker",
    ask: {
      subject: (milestone: string, ref: string | undefined) =>
        ref
          ? `Give the expected decision date: ${milestone}, case ${ref}`
          : `Give the expected decision date: ${milestone}`,
      greeting: (name: string | undefined) => (name ? `Dear ${name},` : "Dear colleague,"),
      intro: (milestone: string, due: string) =>
        `The deadline for "${milestone}" is ${due}. If it cannot be met, the applicant must be told in writing when to expect a decision.`,
      caseReference: (ref: string) => `Case reference: ${ref}`,
      lead: "Give the expected date of the decision. You see the mail to the applicant before it is sent, and it is sent only when you approve it.",
      button: "Give the expected date",
      fallback: "If the button does not work, copy this link into your browser:",
      footer: (org: string) => `Sent automatically by fristflow for ${org}.`,
    },
  },
} as const;

export interface CitizenNoticeInput {
  language: Language;
  timezone: string;
  /** The published deadline, and the date the caseworker expects the decision (YYYY-MM-DD). */
  dueAt: string;
  expectedDate: string;
  caseReference?: string | undefined;
  organisationName: string;
  from: string;
  to: string;
  /** The caseworker: named in the text and the signature, and the Reply-To. */
  caseworker: { name?: string | undefined; email: string };
  now: string;
  /** Stable Message-ID (a retried send carries the same one). */
  messageId: string;
}

export interface ComposedNotice {
  raw: Buffer;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

function longDateOf(date: string, timezone: string, language: Language): string {
  const noon = Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: timezone, plainTime: "12:00" });
  return formatLongDate(noon.toInstant(), timezone, language);
}

/** The applicant's text as blocks: the page previews exactly these. */
export function citizenNoticeContent(input: CitizenNoticeInput): { subject: string; blocks: Block[] } {
  const w = words[input.language];
  const expected = longDateOf(input.expectedDate, input.timezone, input.language);
  const due = formatLongDate(input.dueAt, input.timezone, input.language);
  const blocks: Block[] = [
    { type: "heading", text: input.organisationName },
    { type: "paragraph", text: w.greeting },
    ...(input.caseReference
      ? [{ type: "paragraph" as const, text: w.caseReference(input.caseReference) }]
      : []),
    { type: "paragraph", text: w.intro(due) },
    { type: "box", text: w.expected(expected) },
    { type: "paragraph", text: w.apology },
    {
      type: "contact",
      sentence: w.contact(input.caseworker.name ?? w.caseworker, input.caseworker.email),
      email: input.caseworker.email,
    },
    {
      type: "paragraph",
      text: [w.signoff, input.caseworker.name, input.organisationName].filter(Boolean).join("\n"),
    },
  ];
  return { subject: w.subject(input.caseReference, input.organisationName, expected), blocks };
}

/** The plain-text body, as the preview shows it. */
export function citizenNoticeText(input: CitizenNoticeInput): { subject: string; text: string } {
  const { subject, blocks } = citizenNoticeContent(input);
  return { subject, text: renderText(blocks) };
}

async function build(o: {
  language: Language;
  from: MailPerson;
  to: string;
  replyTo?: MailPerson;
  subject: string;
  blocks: Block[];
  messageId: string;
  now: string;
}): Promise<ComposedNotice> {
  const text = renderText(o.blocks);
  const html = renderHtml(o.blocks, o.subject, o.language);
  const composer = new MailComposer({
    from: o.from.name ? { name: o.from.name, address: o.from.email } : o.from.email,
    to: o.to,
    ...(o.replyTo === undefined
      ? {}
      : { replyTo: o.replyTo.name ? { name: o.replyTo.name, address: o.replyTo.email } : o.replyTo.email }),
    subject: o.subject,
    text,
    html,
    messageId: o.messageId,
    date: new Date(Temporal.Instant.from(o.now).epochMilliseconds),
    headers: { "Auto-Submitted": "auto-generated", "Content-Language": o.language },
  });
  const raw = await composer.compile().build();
  return { raw, subject: o.subject, text, html, messageId: o.messageId };
}

export async function composeCitizenNotice(input: CitizenNoticeInput): Promise<ComposedNotice> {
  requireEmail("from", input.from);
  requireEmail("to", input.to);
  requireEmail("caseworker.email", input.caseworker.email);
  const { subject, blocks } = citizenNoticeContent(input);
  return build({
    language: input.language,
    // A named sender: the caseworker of the municipality, from its verified address.
    from: {
      name: input.caseworker.name
        ? `${input.caseworker.name}, ${input.organisationName}`
        : input.organisationName,
      email: input.from,
    },
    to: input.to,
    replyTo: {
      email: input.caseworker.email,
      ...(input.caseworker.name ? { name: input.caseworker.name } : {}),
    },
    subject,
    blocks,
    messageId: input.messageId,
    now: input.now,
  });
}

export interface AskForDateInput {
  language: Language;
  timezone: string;
  milestoneTitle: string;
  dueAt: string;
  caseReference?: string | undefined;
  /** The instance's name and identifying parameters in one line, when known. */
  identity?: string | undefined;
  recipient: MailPerson;
  /** Absolute URL of the page where the date is given. */
  pageUrl: string;
  organisationName: string;
  from: string;
  replyTo: MailPerson | null;
  now: string;
  messageId: string;
}

/** The caseworker's mail when the notice is due: which case, the deadline, the link to the page. */
export async function composeAskForDate(input: AskForDateInput): Promise<ComposedNotice> {
  requireEmail("from", input.from);
  requireEmail("recipient.email", input.recipient.email);
  const w = words[input.language].ask;
  const url = checkedUrl(input.pageUrl);
  const due = formatLongDate(input.dueAt, input.timezone, input.language);
  const named =
    input.recipient.name && !input.recipient.name.includes("@") ? input.recipient.name : undefined;
  const caseLine =
    input.caseReference && !(input.identity ?? "").includes(input.caseReference)
      ? w.caseReference(input.caseReference)
      : undefined;
  const about = [input.identity, caseLine].filter((x): x is string => Boolean(x)).join("\n");
  const blocks: Block[] = [
    { type: "heading", text: input.milestoneTitle },
    { type: "paragraph", text: w.greeting(named) },
    { type: "paragraph", text: w.intro(input.milestoneTitle, due) },
    ...(about ? [{ type: "paragraph" as const, text: about }] : []),
    { type: "paragraph", text: w.lead },
    { type: "button", label: w.button, url, fallback: w.fallback },
    { type: "paragraph", text: w.footer(input.organisationName), muted: true },
  ];
  return build({
    language: input.language,
    from: { name: input.organisationName, email: input.from },
    to: input.recipient.email,
    ...(input.replyTo === null ? {} : { replyTo: input.replyTo }),
    subject: w.subject(input.milestoneTitle, input.caseReference),
    blocks,
    messageId: input.messageId,
    now: input.now,
  });
}
