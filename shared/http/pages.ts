/**
 * The confirm pages: small, readable on a phone, self-contained. No scripts, no external assets,
 * one inline stylesheet whose hash the Content-Security-Policy names, so not even an injected
 * style could run; the only form posts back here and only when a person presses the button.
 */
import { createHash } from "node:crypto";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ConfirmView } from "../app/confirm.ts";
import { escapeHtml, html, type SafeHtml } from "../html/html.ts";
import { formatLongDateTime, formatWeekdayDateTime } from "../time/format.ts";
import { type Language, type PageStrings, pageStrings, type Refusal } from "./strings.ts";

/** Contrast: body text 16:1, secondary text 8.6:1, white on the button 7.9:1 (WCAG AAA). */
const STYLE = [
  "*{box-sizing:border-box}",
  "body{margin:0;background:#f3f3f0;color:#1a1a1a;font:18px/1.5 system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif}",
  "main{max-width:34rem;margin:0 auto;padding:1.5rem 1rem 3rem}",
  "h1{font-size:1.6rem;line-height:1.25;margin:0 0 1rem}",
  "p{margin:0 0 1rem}",
  "dl{margin:0 0 1.5rem;padding:1rem;background:#fff;border:1px solid #c9c9c4;border-radius:10px}",
  "dt{font-size:.85rem;font-weight:600;color:#474744}",
  "dd{margin:0 0 .75rem;overflow-wrap:anywhere}",
  "dd:last-child{margin-bottom:0}",
  "button{display:block;width:100%;min-height:3.5rem;padding:.75rem 1rem;border:0;border-radius:10px;background:#0a4f8c;color:#fff;font:inherit;font-size:1.3rem;font-weight:700;cursor:pointer}",
  "button:focus-visible,a:focus-visible{outline:3px solid #1a1a1a;outline-offset:3px}",
  ".note{color:#474744;font-size:.9rem;margin-top:1rem}",
  ".status{padding:1rem;border-radius:10px;background:#fff;border-left:8px solid #1d6b30}",
  ".refused{border-left-color:#9c4a00}",
  "nav{margin-top:2rem;font-size:.9rem}",
  "a{color:#0a4f8c}",
].join("");

// The stylesheet goes through the template's escaping like every value, so it must come out
// unchanged: otherwise the page would carry a mangled style whose hash the policy does not name.
if (escapeHtml(STYLE) !== STYLE)
  throw new Error("the confirm page stylesheet must not contain & < > \" or '");

/** For the Content-Security-Policy: exactly this stylesheet may apply, nothing else. */
export const STYLE_HASH = `'sha256-${createHash("sha256").update(STYLE, "utf8").digest("base64")}'`;

/**
 * A confirm page may use its one hashed stylesheet and post its form back here, nothing else, and
 * may not be framed (clickjacking a "confirm" button). The app's secureHeaders keeps a policy a
 * route sets and gives every other response (JSON) a stricter one.
 */
export const PAGE_POLICY = `default-src 'none'; style-src ${STYLE_HASH}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/** A page as the response, with the page policy. */
export function sendPage(c: Context, markup: string, status: ContentfulStatusCode = 200): Response {
  c.header("Content-Security-Policy", PAGE_POLICY);
  return c.html(markup, status);
}

interface PageLinks {
  /** Path and query of this page in the other language; omitted where switching means nothing. */
  switchHref?: string;
}

export function layout(s: PageStrings, title: string, body: SafeHtml, links: PageLinks = {}): string {
  return html`<!doctype html>
<html lang="${s.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
${links.switchHref !== undefined && html`<nav><a href="${links.switchHref}" hreflang="${s.switchTo.language}" lang="${s.switchTo.language}">${s.switchTo.label}</a></nav>`}
<footer><p class="note"><a href="/tilgaengelighed?lang=${s.htmlLang}">${s.accessibilityLink}</a></p></footer>
</main>
</body>
</html>
`.toString();
}

function due(view: ConfirmView, language: Language): string | null {
  if (view.dueAt === null) return null;
  return formatWeekdayDateTime(view.dueAt, view.timezone, language);
}

/** The instance by its name (and the workflow's title when that differs), then its case reference. */
function instanceRows(s: PageStrings, view: ConfirmView): SafeHtml {
  const { name, identifiers } = view.identity;
  const title = name === view.workflowTitle ? name : `${name} (${view.workflowTitle})`;
  return html`<dt>${s.workflow}</dt><dd>${title}</dd>
${identifiers.map(
  (p) => html`<dt>${p.label}</dt><dd>${p.value}</dd>
`,
)}`;
}

function summary(s: PageStrings, view: ConfirmView, language: Language): SafeHtml {
  const deadline = due(view, language);
  return html`<dl>
<dt>${s.milestone}</dt><dd>${view.milestoneTitle}</dd>
${instanceRows(s, view)}
${view.unitName !== null && html`<dt>${s.unit}</dt><dd>${view.unitName}</dd>`}
${deadline !== null && html`<dt>${s.due}</dt><dd>${deadline}</dd>`}
${view.description !== null && html`<dt>${s.description}</dt><dd>${view.description}</dd>`}
</dl>`;
}

/** `?sig=…&lang=xx` for links back to this page: the page is only reachable with its signature. */
function query(sig: string, language: Language): string {
  return `?${new URLSearchParams({ sig, lang: language }).toString()}`;
}

/**
 * The page a GET shows: what will be confirmed and the button. The form posts to the same
 * relative address, so it works behind any path prefix, and repeats the signature as a field.
 */
export function confirmPage(view: ConfirmView, sig: string, language: Language): string {
  const s = pageStrings(language);
  const action = `${encodeURIComponent(view.linkId)}?${new URLSearchParams({ lang: language }).toString()}`;
  const body = html`<h1>${s.confirmTitle}</h1>
<p>${s.confirmLead}</p>
${summary(s, view, language)}
<form method="post" action="${action}">
<input type="hidden" name="sig" value="${sig}">
<button type="submit">${s.confirmButton}</button>
</form>
<p class="note">${s.confirmNote}</p>`;
  return layout(s, s.confirmTitle, body, {
    switchHref: `${encodeURIComponent(view.linkId)}${query(sig, s.switchTo.language)}`,
  });
}

/** After a POST that recorded the confirmation. */
export function receiptPage(view: ConfirmView, at: string, language: Language): string {
  const s = pageStrings(language);
  const body = html`<h1>${s.receiptTitle}</h1>
<p class="status">${s.receipt(view.milestoneTitle, formatLongDateTime(at, view.timezone, language))}</p>
${summary(s, view, language)}`;
  return layout(s, s.receiptTitle, body);
}

/** A GET or POST on a milestone that is confirmed already: the original time, nothing changed. */
export function alreadyPage(view: ConfirmView, at: string, language: Language): string {
  const s = pageStrings(language);
  const body = html`<h1>${s.alreadyTitle}</h1>
<p class="status">${s.already(view.milestoneTitle, formatLongDateTime(at, view.timezone, language))}</p>
${summary(s, view, language)}
<p class="note">${s.alreadyNote}</p>`;
  return layout(s, s.alreadyTitle, body);
}

/** Refusals and failures: what happened and what to do, never technical detail. */
export function messagePage(message: Refusal, language: Language, requestId?: string): string {
  const s = pageStrings(language);
  const body = html`<h1>${message.title}</h1>
<p class="status refused">${message.text}</p>
${requestId !== undefined && html`<p class="note">${s.errorReference(requestId)}</p>`}`;
  return layout(s, message.title, body);
}
