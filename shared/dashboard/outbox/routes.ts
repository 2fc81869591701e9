/**
 * The local outbox: the mails fristflow "sent" on a laptop, newest first, each shown as the
 * reader would see it. The stored MIME is parsed with mailparser; the HTML part is shown in an
 * iframe that is sandboxed (no script, no same-origin, no forms) and carries its own
 * Content-Security-Policy, and its links open in a new tab (a confirm page refuses to be framed).
 * An attachment (the .ics a reminder carries) opens on its own address, by its number in the mail.
 * Only the local stack has an outbox; its routes, the mail parsing and both pages are this file.
 */
import { readFile } from "node:fs/promises";
import { Hono } from "hono";
import type { AddressObject } from "mailparser";
import { html, type SafeHtml } from "../../html/html.ts";
import type { HttpDeps, HttpLogger } from "../../http/context.ts";
import { NotFoundError } from "../../store/errors.ts";
import type { OutboxRecord, OutboxSummary } from "../../store/records.ts";
import { type DashEnv, pageContext, sendPage } from "../common/context.ts";
import { DEFAULT_TIMEZONE, dateTime } from "../common/format.ts";
import { OUTBOX_POLICY, type PageContext, renderPage, tableWrap } from "../common/layout.ts";

const PAGE_SIZE = 100;

/** Printable ASCII, at most 250 characters (RFC 5322 message ids are far shorter in practice). */
const MESSAGE_ID = /^[\x21-\x7e]{1,250}$/;

/** An attachment's number in its mail, from 1: digits only, no leading zero, at most 999. */
const ATTACHMENT_NUMBER = /^[1-9][0-9]{0,2}$/;

/** Inside the frame: inline styles (mail HTML has nothing else), nothing that loads or runs. */
const MAIL_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

export function outboxRoutes(deps: HttpDeps, logger: HttpLogger): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  routes.get("/outbox", async (c) => {
    const ctx = await pageContext(c, deps);
    return sendPage(c, outboxPage(ctx, await deps.outbox.list(PAGE_SIZE)));
  });

  /** The stored mail, or a 404 (answered as a page by the dashboard's error handler). */
  async function stored(id: string): Promise<OutboxRecord> {
    // A Message-ID is printable ASCII and short; anything else cannot be one (and would be refused
    // by DynamoDB as a key: a 500), so it is answered like an id that does not exist.
    if (!MESSAGE_ID.test(id)) throw new NotFoundError("outbox message", "-");
    const record = await deps.outbox.get(id);
    if (record === null) throw new NotFoundError("outbox message", "-");
    return record;
  }

  routes.get("/outbox/:id", async (c) => {
    const ctx = await pageContext(c, deps);
    const record = await stored(c.req.param("id"));
    let mail: ShownMail | null = null;
    try {
      mail = await parseMail(record);
    } catch (err) {
      logger.warn("outbox mail could not be read", {
        requestId: c.get("requestId"),
        error: err instanceof Error ? err.name : typeof err,
      });
    }
    return sendPage(c, mailPage(ctx, record, mail), 200, OUTBOX_POLICY);
  });

  // One attachment as a file: a calendar opens in the reader's calendar program.
  routes.get("/outbox/:id/attachments/:n", async (c) => {
    const n = c.req.param("n");
    if (!ATTACHMENT_NUMBER.test(n)) throw new NotFoundError("outbox attachment", "-");
    const mail = await parseMail(await stored(c.req.param("id")));
    const attachment = mail.attachments[Number(n) - 1];
    if (attachment === undefined) throw new NotFoundError("outbox attachment", "-");
    const file = attachmentFile(attachment, Number(n));
    return c.body(new Uint8Array(attachment.content), 200, {
      "Content-Type": file.contentType,
      "Content-Disposition": file.disposition,
    });
  });

  return routes;
}

interface ShownMail {
  subject: string;
  from: string;
  to: string;
  date: string | null;
  html: string | null;
  text: string | null;
  attachments: ShownAttachment[];
}

interface ShownAttachment {
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
}

/** `Bo Leder <bo@…>` as a person writes it, without the header's quoting. */
function addresses(value: AddressObject | AddressObject[] | undefined): string {
  if (value === undefined) return "";
  return (Array.isArray(value) ? value : [value])
    .flatMap((a) => a.value)
    .map((v) => (v.name ? `${v.name} <${v.address ?? ""}>` : (v.address ?? "")))
    .join(", ");
}

async function parseMail(record: OutboxRecord): Promise<ShownMail> {
  // Loaded on first use: only the local stack has an outbox, so Lambda never pays for it.
  const { simpleParser } = await import("mailparser");
  const source = record.raw ?? (record.path === undefined ? "" : await readFile(record.path));
  const parsed = await simpleParser(source);
  return {
    subject: parsed.subject ?? record.subject,
    from: addresses(parsed.from),
    to: addresses(parsed.to) || record.to.join(", "),
    date: parsed.date?.toISOString() ?? null,
    html: typeof parsed.html === "string" ? parsed.html : null,
    text: parsed.text ?? null,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? "",
      contentType: a.contentType,
      size: a.size,
      content: a.content,
    })),
  };
}

/**
 * The headers an attachment is served with. A calendar says so (text/calendar in UTF-8, the
 * encoding ical-generator writes); anything else is only ever a download (octet-stream), so a
 * mail can never make this site serve a page of its own. The file name keeps only safe ASCII in
 * the plain parameter and the whole name in `filename*` (RFC 6266).
 */
export function attachmentFile(
  attachment: Pick<ShownAttachment, "filename" | "contentType">,
  n: number,
): { contentType: string; disposition: string } {
  const calendar = (attachment.contentType.split(";")[0] ?? "").trim().toLowerCase() === "text/calendar";
  const fallback = calendar ? `attachment-${n}.ics` : `attachment-${n}`;
  const name = attachment.filename === "" ? fallback : attachment.filename;
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, "_");
  return {
    contentType: calendar ? "text/calendar; charset=utf-8" : "application/octet-stream",
    disposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  };
}

/**
 * The mail's HTML as the frame's document: links open outside the frame (a base target), and a
 * policy of its own on top of the page's, which the frame inherits anyway.
 */
export function frameDocument(mailHtml: string): string {
  const head = `<meta http-equiv="Content-Security-Policy" content="${MAIL_POLICY}"><base target="_blank">`;
  const at = mailHtml.search(/<head[^>]*>/i);
  if (at < 0) return `<!doctype html><html><head>${head}</head><body>${mailHtml}</body></html>`;
  const end = mailHtml.indexOf(">", at) + 1;
  return `${mailHtml.slice(0, end)}${head}${mailHtml.slice(end)}`;
}

/** Plain text with its web addresses as links, everything else as text. */
export function linkify(text: string): SafeHtml {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return html`${parts.map((part, i) =>
    i % 2 === 1 ? html`<a href="${part}" target="_blank" rel="noopener noreferrer">${part}</a>` : part,
  )}`;
}

export function outboxPage(ctx: PageContext, mails: readonly OutboxSummary[]): string {
  const { s } = ctx;
  const rows = mails.map(
    (m) =>
      html`<tr><td class="nowrap" data-label="${s.colSent}">${dateTime(m.at, DEFAULT_TIMEZONE, s)}</td><td data-label="${s.colTo}">${m.to.join(", ")}</td><th scope="row"><a href="/outbox/${encodeURIComponent(m.messageId)}">${m.subject}</a></th></tr>`,
  );
  const body = html`<h1>${s.outboxTitle}</h1>
<p class="lead">${s.outboxLead}</p>
${
  mails.length === 0
    ? html`<p>${s.outboxNone}</p>`
    : tableWrap(
        s.outboxTitle,
        html`<table class="cards"><thead><tr><th scope="col">${s.colSent}</th><th scope="col">${s.colTo}</th><th scope="col">${s.colSubject}</th></tr></thead><tbody>${rows}</tbody></table>`,
      )
}`;
  return renderPage(ctx, { title: s.outboxTitle, nav: "outbox", body });
}

export function mailPage(ctx: PageContext, record: OutboxRecord, mail: ShownMail | null): string {
  const { s } = ctx;
  const subject = mail?.subject ?? record.subject;
  const body = html`<p><a href="/outbox">← ${s.backToOutbox}</a></p>
<h1>${subject}</h1>
<dl class="facts">
${mail !== null && mail.from !== "" && html`<dt>${s.mailFrom}</dt><dd>${mail.from}</dd>`}
<dt>${s.colTo}</dt><dd>${mail?.to ?? record.to.join(", ")}</dd>
<dt>${s.colSent}</dt><dd>${dateTime(mail?.date ?? record.at, DEFAULT_TIMEZONE, s)}</dd>
</dl>
${
  mail === null
    ? html`<p class="notice warn">${s.mailUnreadable}</p>`
    : html`${
        mail.html !== null &&
        html`<h2>${s.htmlPart}</h2>
<p class="muted small">${s.linkNote}</p>
<iframe class="mail" title="${s.frameTitle}" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" srcdoc="${frameDocument(mail.html)}"></iframe>`
      }
${
  mail.text !== null &&
  html`<details${mail.html === null ? html` open` : ""}><summary>${s.textPart}</summary><pre>${linkify(mail.text)}</pre></details>`
}
${
  mail.attachments.length > 0 &&
  html`<h2>${s.attachments}</h2><ul>${mail.attachments.map(
    (a, i) =>
      html`<li><a href="/outbox/${encodeURIComponent(record.messageId)}/attachments/${i + 1}" download>${s.openAttachment(a.filename || a.contentType)}</a> <span class="muted small">(${a.contentType}, ${Math.ceil(a.size / 1024)} KiB)</span></li>`,
  )}</ul>`
}`
}`;
  return renderPage(ctx, { title: subject, nav: "outbox", body });
}
