/**
 * Composes a notification as real MIME (nodemailer's MailComposer): text and HTML alternatives
 * plus an .ics attachment. The result's `raw` is exactly what a transport sends, so the SES,
 * SMTP and file outbox paths all carry the same bytes.
 */
import { createHash, randomBytes as cryptoRandomBytes } from "node:crypto";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { html, type SafeHtml } from "../html/html.ts";
import type { Language, Text } from "../model/schema.ts";
import { formatShortDate, formatWeekdayDateTime } from "../time/format.ts";
import { Temporal } from "../time/temporal.ts";
import { type InstanceIdentity, identityLine } from "../timeline/instance-name.ts";
import type { NotificationKind } from "../timeline/types.ts";
import { pickText, relativeDays } from "./format.ts";
import { deadlineCalendar } from "./ics.ts";
import { type MailStrings, mailStrings, type StaffKind } from "./strings.ts";

export interface MailPerson {
  name?: string;
  email: string;
}

export interface NotificationEmailInput {
  language: Language;
  kind: NotificationKind;
  workflowTitle: Text;
  milestoneTitle: Text;
  milestoneDescription?: Text;
  unitName?: string;
  dueAt: Temporal.Instant | string;
  timezone: string;
  now: Temporal.Instant | string;
  /** 1-based; used for escalations. */
  escalationLevel?: number;
  recipient: MailPerson;
  /** Who to ask; also the Reply-To, so a reply reaches a person rather than a no-reply box. */
  contact: { name: string; email: string };
  /** Absolute http(s) URL of the signed confirm link. Never put in a notice. */
  confirmUrl?: string;
  /** Sender address (verified in SES); shown with the organisation name. */
  from: string;
  organisationName: string;
  /** Identify the occurrence, for the stable calendar UID. */
  instanceId: string;
  occurrenceKey: string;
  /** Notice only: when the citizen can expect a decision (defaults to the deadline). */
  expectedDecisionAt?: Temporal.Instant | string;
  /** Notice only: the case reference the citizen knows (never a CPR number). */
  caseReference?: string;
  /** Calendar SEQUENCE; raise when the deadline has been moved. Default 0. */
  calendarSequence?: number;
  /**
   * The notification's idempotency key: when given, the Message-ID is derived from it, so a
   * send retried after a crash carries the same Message-ID and receivers can drop the duplicate.
   */
  notificationKey?: string;
  /** Used for the Message-ID when there is no notification key. */
  randomBytes?: (n: number) => Buffer;
  /** Absolute http(s) URL of the recipient's personal "Mine frister" page. Never in a notice. */
  mineUrl?: string;
  /** Copies (the leader, when a deputy receives the mail): a Cc header, and in the envelope. */
  cc?: MailPerson[];
  /** The leader's name when the recipient gets the mail as their deputy: the mail says so. */
  deputyFor?: string;
  /** A "reopened" mail: who undid the confirmation (their name; null: an administrator) and why. */
  reopened?: { byName: string | null; reason: string };
  /** Staff mails: which instance it is about (name, identifying parameters), in subject and body. */
  instance?: InstanceIdentity;
  /**
   * The Reply-To header. Absent: the contact (as before there was a setting); null: none, so a
   * reply goes to From. notify.ts passes the municipality's configured reply address.
   */
  replyTo?: MailPerson | null;
  /** Escalations: who has not confirmed the milestone (the owner), as far as it is known. */
  notConfirmedBy?: { name?: string; email?: string; unit?: string };
}

export interface ComposedEmail {
  raw: Buffer;
  subject: string;
  text: string;
  html: string;
  /** With angle brackets, as in the header: `<…@domain>`. */
  messageId: string;
}

const EMAIL_PATTERN = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

export function requireEmail(what: string, value: string): void {
  if (!EMAIL_PATTERN.test(value))
    throw new TypeError(`composeNotificationEmail: ${what} is not an e-mail address`);
}

/** The link goes into an href: only absolute http(s) URLs, never `javascript:` or a relative path. */
export function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError("composeNotificationEmail: confirmUrl must be an absolute URL");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new TypeError("composeNotificationEmail: confirmUrl must be http(s)");
  }
  return url;
}

function messageIdFor(input: NotificationEmailInput): string {
  const domain = input.from.slice(input.from.lastIndexOf("@") + 1);
  const local =
    input.notificationKey !== undefined
      ? createHash("sha256")
          .update(JSON.stringify([input.instanceId, input.notificationKey]), "utf8")
          .digest("hex")
          .slice(0, 40)
      : (input.randomBytes ?? cryptoRandomBytes)(20).toString("hex");
  return `<${local}@${domain}>`;
}

/** One block of the body, rendered to both formats from the same values. */
export type Block =
  | { type: "heading"; text: string }
  | { type: "paragraph"; text: string; muted?: boolean; alert?: boolean }
  | { type: "box"; label?: string; text: string; alert?: boolean }
  | { type: "description"; label: string; text: string }
  | { type: "button"; label: string; url: string; fallback: string }
  | { type: "contact"; sentence: string; email: string }
  | { type: "link"; label: string; url: string };

interface Rendered {
  subject: string;
  blocks: Block[];
  calendar: { summary: string; description: string; start: Temporal.Instant; audience: "staff" | "citizen" };
}

/** Who undid the confirmation, and why, as the person gave it. */
function reopenedBlocks(reopened: { byName: string | null; reason: string }, s: MailStrings): Block[] {
  return [
    { type: "paragraph", text: s.reopened.by(reopened.byName) },
    { type: "box", label: s.reopened.reasonLabel, text: reopened.reason },
  ];
}

function staffContent(input: NotificationEmailInput, s: MailStrings, kind: StaffKind): Rendered {
  const due = Temporal.Instant.from(input.dueAt);
  const now = Temporal.Instant.from(input.now);
  const milestone = pickText(input.milestoneTitle, input.language);
  const workflow = pickText(input.workflowTitle, input.language);
  const description = input.milestoneDescription ? pickText(input.milestoneDescription, input.language) : "";
  const level = Math.max(1, input.escalationLevel ?? 1);
  const relative = relativeDays(due, now, input.timezone, s);
  const overdue = Temporal.Instant.compare(now, due) >= 0;
  const context = { milestone, workflow, ...(input.unitName ? { unit: input.unitName } : {}) };
  const url = input.confirmUrl === undefined ? undefined : checkedUrl(input.confirmUrl);
  const instance = input.instance === undefined ? undefined : identityLine(input.instance);

  const blocks: Block[] = [
    { type: "heading", text: milestone },
    { type: "paragraph", text: s.staffGreeting(nameOf(input.recipient)) },
    ...(input.deputyFor === undefined
      ? []
      : [{ type: "paragraph" as const, text: s.deputy(input.deputyFor) }]),
    { type: "paragraph", text: s.intro[kind](context) },
    ...(kind === "reopened" && input.reopened !== undefined ? reopenedBlocks(input.reopened, s) : []),
    ...instanceBlocks(input.instance, workflow, s),
    {
      type: "box",
      label: s.dueLabel,
      text: `${formatWeekdayDateTime(due, input.timezone, input.language)} (${relative})`,
      alert: overdue,
    },
  ];
  if (kind === "escalation") {
    const who = input.notConfirmedBy === undefined ? "" : s.notConfirmedBy(input.notConfirmedBy);
    if (who) blocks.push({ type: "paragraph", text: who });
    blocks.push({ type: "paragraph", text: s.escalationLevel(level) });
  }
  if (description) blocks.push({ type: "description", label: s.descriptionLabel, text: description });
  if (url) {
    blocks.push({ type: "paragraph", text: s.confirmLead[kind] });
    blocks.push({ type: "button", label: s.confirmButton, url, fallback: s.linkFallback });
  } else {
    blocks.push({ type: "paragraph", text: s.noLink });
  }
  blocks.push({
    type: "contact",
    sentence: s.contact(input.contact.name, input.contact.email),
    email: input.contact.email,
  });
  if (input.mineUrl !== undefined)
    blocks.push({ type: "link", label: s.mine, url: checkedUrl(input.mineUrl) });
  // Without a Reply-To a reply goes to the system sender: then the mail does not invite one.
  if (input.replyTo !== null) blocks.push({ type: "paragraph", text: s.replyHint, muted: true });
  blocks.push({ type: "paragraph", text: s.footer(input.organisationName), muted: true });

  return {
    subject: s.subject[kind](
      milestone,
      formatShortDate(due, input.timezone, input.language),
      level,
      instance,
    ),
    blocks,
    calendar: {
      summary: instance === undefined ? milestone : `${milestone} – ${instance}`,
      description: [
        workflow,
        instance,
        input.unitName,
        description,
        url ? s.calendar.confirmAt(url) : undefined,
      ]
        .filter((x): x is string => Boolean(x))
        .join("\n\n"),
      start: due,
      audience: "staff",
    },
  };
}

/** A name to greet by: never an address standing in for one. */
function nameOf(person: MailPerson): string | undefined {
  const name = person.name?.trim();
  if (!name || name.includes("@") || name.toLowerCase() === person.email.toLowerCase()) return undefined;
  return name;
}

/** The instance's name (unless the intro's workflow title says it already) and its identifiers. */
function instanceBlocks(identity: InstanceIdentity | undefined, workflow: string, s: MailStrings): Block[] {
  if (identity === undefined) return [];
  const lines = [
    ...(identity.name === workflow ? [] : [s.instanceLine(identity.name)]),
    ...identity.identifiers.map((p) => `${p.label}: ${p.value}`),
  ];
  return lines.length === 0 ? [] : [{ type: "paragraph", text: lines.join("\n") }];
}

/**
 * To a citizen (retssikkerhedsloven § 3, stk. 2): only the organisation, the case reference they
 * know, the dates and a person to contact. No milestone, workflow or unit names (internal
 * wording) and never a confirm link, even if one is passed.
 */
function noticeContent(input: NotificationEmailInput, s: MailStrings): Rendered {
  const due = Temporal.Instant.from(input.dueAt);
  const expected = Temporal.Instant.from(input.expectedDecisionAt ?? input.dueAt);
  const longExpected = formatWeekdayDateTime(expected, input.timezone, input.language);
  const blocks: Block[] = [
    { type: "heading", text: input.organisationName },
    { type: "paragraph", text: `${s.greeting(input.recipient.name)},` },
  ];
  if (input.caseReference)
    blocks.push({ type: "paragraph", text: s.notice.caseReference(input.caseReference) });
  blocks.push(
    { type: "paragraph", text: s.notice.intro(formatWeekdayDateTime(due, input.timezone, input.language)) },
    { type: "box", text: s.notice.expected(longExpected) },
    { type: "paragraph", text: s.notice.apology },
    {
      type: "contact",
      sentence: s.notice.contact(input.contact.name, input.contact.email),
      email: input.contact.email,
    },
    { type: "paragraph", text: `${s.notice.signoff}\n${input.organisationName}` },
  );
  return {
    subject: s.notice.subject(
      input.organisationName,
      formatShortDate(expected, input.timezone, input.language),
      input.caseReference,
    ),
    blocks,
    calendar: {
      summary: s.notice.calendarSummary(input.organisationName),
      description: [
        input.caseReference ? s.notice.caseReference(input.caseReference) : undefined,
        s.notice.contact(input.contact.name, input.contact.email),
      ]
        .filter((x): x is string => Boolean(x))
        .join("\n\n"),
      start: expected,
      audience: "citizen",
    },
  };
}

export function renderText(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case "heading":
        out.push(b.text, "=".repeat(Math.min(b.text.length, 60)));
        break;
      case "paragraph":
        out.push(b.text);
        break;
      case "box":
        out.push(b.label ? `${b.label}: ${b.text}` : b.text);
        break;
      case "description":
        out.push(`${b.label}:\n${b.text}`);
        break;
      case "button":
        // On its own line and unwrapped, so text-only clients make it clickable whole.
        out.push(`${b.label}:\n${b.url}`);
        break;
      case "contact":
        out.push(b.sentence);
        break;
      case "link":
        out.push(`${b.label}:\n${b.url}`);
        break;
    }
  }
  return `${out.join("\n\n")}\n`;
}

const FONT = "font-family:Arial,Helvetica,sans-serif;";
const P = `margin:0 0 16px;${FONT}font-size:16px;line-height:1.5;color:#1f2937;`;

/** The text's line breaks as <br>; every line escaped by the template. */
function multiline(text: string): SafeHtml {
  return html`${text.split(/\r?\n/).map((line, i) => (i === 0 ? line : html`<br>${line}`))}`;
}

/** The sentence with its first mention of the address as a mailto link. */
function withMailto(sentence: string, email: string): SafeHtml {
  const at = sentence.indexOf(email);
  if (at < 0) return html`${sentence}`;
  const link = html`<a href="mailto:${email}" style="color:#1d4ed8;">${email}</a>`;
  return html`${sentence.slice(0, at)}${link}${sentence.slice(at + email.length)}`;
}

function renderBlock(b: Block): SafeHtml {
  switch (b.type) {
    case "heading":
      return html`<h1 style="margin:0 0 16px;${FONT}font-size:22px;line-height:1.3;color:#111827;">${b.text}</h1>`;
    case "paragraph":
      return html`<p style="${P}${b.muted && "font-size:13px;color:#6b7280;"}">${multiline(b.text)}</p>`;
    case "box": {
      const value = html`<span style="${b.alert && "color:#b91c1c;"}font-weight:bold;">${b.text}</span>`;
      return html`<p style="${P}padding:12px 16px;background:#f3f4f6;border-radius:6px;">${b.label && html`${b.label}: `}${value}</p>`;
    }
    case "description":
      return html`<p style="${P}"><strong>${b.label}:</strong><br>${multiline(b.text)}</p>`;
    case "button":
      return html`<p style="margin:0 0 16px;"><a href="${b.url}" style="display:inline-block;padding:14px 22px;background:#1d4ed8;color:#ffffff;${FONT}font-size:16px;font-weight:bold;text-decoration:none;border-radius:6px;">${b.label}</a></p>
<p style="${P}font-size:13px;color:#6b7280;word-break:break-all;">${b.fallback}<br><a href="${b.url}" style="color:#1d4ed8;">${b.url}</a></p>`;
    case "contact":
      return html`<p style="${P}">${withMailto(b.sentence, b.email)}</p>`;
    case "link":
      return html`<p style="${P}"><a href="${b.url}" style="color:#1d4ed8;">${b.label}</a></p>`;
  }
}

/**
 * Plain HTML with inline styles only (mail clients drop <style> and scripts),
 * one column that shrinks to a phone's width, no images (often blocked, and they leak opens).
 * Built with the pages' auto-escaping template: every value arrives as text.
 */
export function renderHtml(blocks: Block[], subject: string, language: Language): string {
  return html`<!DOCTYPE html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${subject}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<div style="max-width:600px;margin:0 auto;padding:16px;">
<div style="background:#ffffff;border-radius:8px;padding:24px;">
${blocks.map((b) => html`${renderBlock(b)}\n`)}</div></div></body></html>
`.toString();
}

function mailbox(person: MailPerson): { name: string; address: string } | string {
  return person.name ? { name: person.name, address: person.email } : person.email;
}

function replyToHeader(input: NotificationEmailInput): {
  replyTo?: { name: string; address: string } | string;
} {
  if (input.replyTo === null) return {};
  if (input.replyTo === undefined)
    return { replyTo: { name: input.contact.name, address: input.contact.email } };
  return { replyTo: mailbox(input.replyTo) };
}

export async function composeNotificationEmail(input: NotificationEmailInput): Promise<ComposedEmail> {
  requireEmail("from", input.from);
  requireEmail("recipient.email", input.recipient.email);
  requireEmail("contact.email", input.contact.email);
  for (const person of input.cc ?? []) requireEmail("cc", person.email);
  if (input.replyTo) requireEmail("replyTo", input.replyTo.email);
  const s = mailStrings(input.language);
  const content = input.kind === "notice" ? noticeContent(input, s) : staffContent(input, s, input.kind);
  const text = renderText(content.blocks);
  const html = renderHtml(content.blocks, content.subject, input.language);
  const now = Temporal.Instant.from(input.now);
  const ics = deadlineCalendar({
    instanceId: input.instanceId,
    occurrenceKey: input.occurrenceKey,
    audience: content.calendar.audience,
    start: content.calendar.start,
    summary: content.calendar.summary,
    description: content.calendar.description,
    ...(input.kind !== "notice" && input.confirmUrl ? { url: input.confirmUrl } : {}),
    stamp: now,
    sequence: input.calendarSequence ?? 0,
    organisationName: input.organisationName,
  });
  const messageId = messageIdFor(input);

  const composer = new MailComposer({
    from: { name: input.organisationName, address: input.from },
    to: mailbox(input.recipient),
    ...(input.cc === undefined || input.cc.length === 0 ? {} : { cc: input.cc.map(mailbox) }),
    ...replyToHeader(input),
    subject: content.subject,
    text,
    html,
    messageId,
    date: new Date(now.epochMilliseconds),
    headers: {
      // RFC 3834: out-of-office and other auto-replies must not answer machine mail.
      "Auto-Submitted": "auto-generated",
      // Exchange/Outlook's own spelling of the same request.
      "X-Auto-Response-Suppress": "All",
      "Content-Language": input.language,
    },
    attachments: [
      {
        filename: s.calendar.filename,
        content: ics,
        contentType: "text/calendar; charset=utf-8; method=PUBLISH",
      },
    ],
  });
  const raw = await composer.compile().build();
  return { raw, subject: content.subject, text, html, messageId };
}
