/**
 * The page shell every dashboard page shares: skip link, header with the menu, the language
 * switch and logout, one inline stylesheet (pinned by hash in the Content-Security-Policy, no
 * script allowed at all), and print rules for the committee report.
 *
 * Colours: text #1a1a1a on #f6f6f3 (16:1), links #0a4f8c (8:1), muted #4a4a46 (8:1), error
 * #a4161a (7:1), white on the header #0b3d66 (11:1) and on every status badge (≥ 6:1).
 */
import { createHash } from "node:crypto";
import { html, SafeHtml } from "../../html/html.ts";
import type { Method } from "../../http/access.ts";
import { CSRF_FIELD } from "../auth/session.ts";
import { GANTT_STYLE } from "../instances/gantt-style.ts";
import { PRINT_STYLE } from "../instances/print-style.ts";
import type { DashboardStrings, Language } from "../strings.ts";

const STYLE = [
  "*{box-sizing:border-box}",
  "html{-webkit-text-size-adjust:100%}",
  "body{margin:0;background:#f6f6f3;color:#1a1a1a;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif}",
  // Reflow at 320 px (WCAG 1.4.10): a long word (an e-mail, a CSV header, an id) breaks rather
  // than widening the page, and a fieldset may shrink below its content's widest line.
  "body{overflow-wrap:break-word}",
  "fieldset{min-width:0}",
  "a{color:#0a4f8c;text-underline-offset:2px}",
  "a:hover{color:#06365f}",
  ":focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;box-shadow:0 0 0 6px #ffd24d}",
  ".skip{position:absolute;left:-10000px;top:0}",
  ".skip:focus{left:1rem;top:.5rem;z-index:10;background:#fff;color:#1a1a1a;padding:.5rem 1rem}",
  ".top{background:#0b3d66;color:#fff}",
  ".top a,.top button.link{color:#fff}",
  ".bar{max-width:76rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem}",
  ".brand{font-weight:700;font-size:1.15rem;text-decoration:none;margin-right:auto}",
  ".brand small{font-weight:400;font-size:.85rem;margin-left:.5rem}",
  ".menu{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}",
  ".menu a{display:inline-block;padding:.35rem 0;text-decoration:none;border-bottom:3px solid transparent}",
  ".menu a:hover{border-bottom-color:#9cc3e6}",
  ".menu a[aria-current=page]{border-bottom-color:#fff;font-weight:700}",
  ".tools{display:flex;align-items:center;gap:1rem}",
  ".tools form{margin:0}",
  ".tools{flex-wrap:wrap}.who{font-size:.875rem;overflow-wrap:anywhere}",
  "button.link{background:none;border:0;padding:0;min-height:0;font:inherit;text-decoration:underline;cursor:pointer;color:#0a4f8c}",
  "main{display:block;max-width:76rem;margin:0 auto;padding:1.5rem 1rem 4rem}",
  "h1{font-size:1.8rem;line-height:1.2;margin:0 0 .75rem}",
  "h2{font-size:1.35rem;line-height:1.25;margin:2.25rem 0 .75rem}",
  "h3{font-size:1.1rem;margin:1.5rem 0 .5rem}",
  "p{margin:0 0 1rem;max-width:48rem}",
  ".lead{font-size:1.08rem}",
  ".muted{color:#4a4a46}",
  ".small{font-size:.9rem}",
  ".actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin:1rem 0 1.5rem}",
  "button,.button{display:inline-block;min-height:2.75rem;padding:.55rem 1.1rem;border:2px solid #0a4f8c;border-radius:6px;background:#0a4f8c;color:#fff;font:inherit;font-weight:600;line-height:1.4;text-decoration:none;cursor:pointer}",
  "button:hover,.button:hover{background:#06365f;border-color:#06365f;color:#fff}",
  ".secondary{background:#fff;color:#0a4f8c}",
  ".secondary:hover{background:#e6eef6;color:#06365f}",
  ".danger{background:#a4161a;border-color:#a4161a}",
  ".danger:hover{background:#7d1013;border-color:#7d1013}",
  "table{border-collapse:collapse;width:100%;background:#fff;font-size:.95rem}",
  "caption{text-align:left;font-weight:600;padding:.5rem 0}",
  "th,td{text-align:left;padding:.5rem .65rem;border-bottom:1px solid #d4d4ce;vertical-align:top}",
  "thead th{background:#e9e9e4;font-weight:600;white-space:nowrap}",
  "tbody th{font-weight:600}",
  ".num{text-align:right;font-variant-numeric:tabular-nums}",
  ".nowrap{white-space:nowrap}",
  // Positioned, so a visually hidden label inside a scrolled table stays inside the frame.
  ".table-wrap{position:relative;overflow-x:auto;margin:0 0 1.5rem;border:1px solid #d4d4ce;border-radius:6px;background:#fff}",
  ".table-wrap table{border:0}",
  "table.milestones{table-layout:fixed;min-width:44rem}",
  ".w-title{width:32%}.w-status{width:12%}.w-date{width:15%}.w-by{width:26%}",
  // With the change links (steering) the columns make room for them.
  "table.milestones:has(.w-actions) .w-title{width:24%}table.milestones:has(.w-actions) .w-by{width:16%}.w-actions{width:18%}",
  "tr.group th{background:#f0f0eb;font-size:1rem;padding-top:.9rem;border-bottom:2px solid #b9b9b2}",
  ".badge{display:inline-block;padding:.05rem .55rem;border-radius:999px;color:#fff;font-size:.85rem;font-weight:600;white-space:nowrap}",
  ".s-confirmed,.s-done{background:#1b6e3a}",
  ".s-open,.s-running{background:#1d4f91}",
  ".s-overdue,.s-failed{background:#a4161a}",
  ".s-waiting,.s-cancelled{background:#5f6368}",
  ".s-period{background:#7a5c00}",
  ".s-on-hold{background:#5b3f8c}",
  ".notice{padding:.75rem 1rem;margin:0 0 1.5rem;border-radius:6px;background:#fff;border-left:8px solid #1b6e3a;max-width:48rem}",
  ".notice.warn{border-left-color:#a4161a}",
  ".errors{padding:1rem 1.25rem;margin:0 0 1.5rem;border:3px solid #a4161a;border-radius:6px;background:#fff;max-width:56rem}",
  ".errors h2{margin-top:0;font-size:1.2rem;color:#a4161a}",
  ".errors ul{margin:0;padding-left:1.25rem}",
  ".errors li{margin:.25rem 0}",
  ".ok{padding:1rem 1.25rem;margin:0 0 1.5rem;border:3px solid #1b6e3a;border-radius:6px;background:#fff;max-width:56rem}",
  ".ok h2{margin-top:0;font-size:1.2rem;color:#1b6e3a}",
  "form.stack{max-width:48rem}",
  ".field{margin:0 0 1.25rem}",
  "label,legend{display:block;font-weight:600;margin:0 0 .25rem}",
  ".check label,.radio label{display:inline;font-weight:400;margin-left:.4rem}",
  ".check,.radio{margin:.35rem 0}",
  ".hint{display:block;color:#4a4a46;font-size:.9rem;margin:0 0 .35rem}",
  ".field-error{display:block;color:#a4161a;font-weight:600;margin:0 0 .35rem}",
  "fieldset{border:1px solid #b9b9b2;border-radius:6px;padding:.75rem 1rem 1rem;margin:0 0 1.25rem;background:#fff}",
  "fieldset fieldset{background:#fafaf8}",
  "legend{padding:0 .35rem}",
  "input[type=text],input[type=email],input[type=date],input[type=time],input[type=number],input[type=password],input[type=url],select,textarea{font:inherit;color:#1a1a1a;background:#fff;border:2px solid #5f5f5a;border-radius:4px;padding:.45rem .55rem;max-width:100%}",
  "input[type=text],input[type=email],input[type=password],input[type=url],select{width:28rem}",
  "input[type=checkbox],input[type=radio]{width:1.2rem;height:1.2rem;vertical-align:-.2rem;accent-color:#0a4f8c}",
  "input[type=file]{font:inherit;max-width:100%}",
  "textarea{width:100%;min-height:22rem;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem;line-height:1.45;tab-size:2}",
  "textarea.short{min-height:8rem}",
  "textarea[wrap=off]{white-space:pre;overflow-wrap:normal;overflow-x:auto}",
  "input.wide{width:100%}",
  ".editor fieldset{max-width:48rem}",
  "[aria-invalid=true]{border-color:#a4161a;border-width:3px}",
  ".cols{display:flex;flex-wrap:wrap;gap:0 1.5rem}",
  // The overview's search form: fields side by side while they fit, one per line on a phone.
  "form.filters{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(13rem,100%),1fr));gap:0 1rem;align-items:start;padding:1rem 1rem 0;margin:0 0 1.5rem;background:#fff;border:1px solid #d4d4ce;border-radius:6px}",
  "form.filters .field{min-width:0}form.filters select,form.filters input[type=text],form.filters input[type=date]{width:100%}form.filters .actions,form.filters .field-error{grid-column:1/-1;margin-top:0}",
  ".pager ul{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;list-style:none;padding:0;margin:0 0 1.5rem}",
  "dl.facts{display:grid;grid-template-columns:fit-content(40%) minmax(0,1fr);gap:.35rem 1.25rem;margin:0 0 1.5rem;padding:1rem;background:#fff;border:1px solid #d4d4ce;border-radius:6px}",
  "dl.facts dt{font-weight:600;overflow-wrap:anywhere}",
  "dl.facts dd{margin:0;overflow-wrap:anywhere}",
  "details{margin:.5rem 0 1rem}",
  "summary{cursor:pointer;color:#0a4f8c;font-weight:600}",
  "pre{overflow-x:auto;background:#fff;border:1px solid #d4d4ce;border-radius:6px;padding:.75rem;font-size:.85rem;white-space:pre-wrap;overflow-wrap:anywhere}",
  "code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}",
  // The listing scrolls sideways inside its frame (a focusable region, so a keyboard can scroll it).
  ".listing-frame{overflow-x:auto;margin:0 0 1.5rem;background:#fff;border:1px solid #d4d4ce;border-radius:6px}",
  "ol.listing{list-style:none;margin:0;padding:0;font:.85rem/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}",
  "ol.listing li{display:block;padding:0 .75rem 0 0;white-space:pre}",
  "ol.listing .ln{display:inline-block;width:3.5rem;padding-right:.75rem;margin-right:.75rem;text-align:right;color:#4a4a46;background:#eeeeea;user-select:none}",
  "ol.listing li.bad{background:#fde8e8}",
  "ol.listing li.bad .ln{background:#a4161a;color:#fff;font-weight:700}",
  "ol.listing li:target{outline:3px solid #1a1a1a;outline-offset:-3px}",
  "ol.listing .msg{display:block;white-space:normal;padding:.2rem .75rem .35rem 5rem;color:#7d1013;font-family:system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif;font-weight:600;background:#fde8e8;border-bottom:1px solid #f2b8b8}",
  ".gantt{position:relative;overflow-x:auto;margin:0 0 1.5rem;border:1px solid #d4d4ce;border-radius:6px;background:#fff}",
  ".gantt svg{display:block;min-width:60rem}",
  ".legend{display:flex;flex-wrap:wrap;gap:.5rem 1rem;list-style:none;padding:0;margin:0 0 .75rem;font-size:.9rem}",
  "iframe.mail{display:block;width:100%;height:40rem;border:1px solid #d4d4ce;border-radius:6px;background:#fff}",
  ".print-only{display:none}",
  ".phone-only{display:none}",
  ".visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
  "@media (max-width:40rem){h1{font-size:1.5rem}.brand{margin-right:0;width:100%}input[type=text],input[type=email],input[type=password],input[type=url],select{width:100%}th,td{padding:.45rem .5rem}.phone-only{display:block}}",
  // On a phone a table of records becomes a list of small cards, each value with its column's name.
  '@media (max-width:40rem){table.cards,table.cards tbody,table.cards tr,table.cards td,table.cards tbody th{display:block;width:auto}table.cards{min-width:0}table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}table.cards tr{padding:.55rem .75rem;border-bottom:1px solid #d4d4ce}table.cards td,table.cards tbody th{border:0;padding:.1rem 0}table.cards .num{text-align:left}table.cards td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:#4a4a46}table.cards tr.group{padding:0}table.cards tr.group th{padding:.6rem .75rem}}',
  "@page{size:A4;margin:16mm 14mm}",
  "@media print{body{background:#fff;font-size:10.5pt}.top,.skip,.no-print{display:none}.print-only{display:block}main{max-width:none;padding:0}a{color:#1a1a1a;text-decoration:none}.table-wrap,.gantt{overflow:visible;border:0}.gantt svg{min-width:0;width:100%}table{font-size:9.5pt}thead{display:table-header-group}tr{break-inside:avoid}h2{break-after:avoid}.badge{color:#1a1a1a;background:none;border:1px solid #1a1a1a;padding:0 .4rem;font-size:inherit}}",
  ...GANTT_STYLE,
  ...PRINT_STYLE,
].join("");

// Put into the page as it is (a constant of this module, not escaped), so it must not end its element.
if (STYLE.includes("</")) throw new Error("the dashboard stylesheet must not contain '</'");

/** For the Content-Security-Policy: this stylesheet and nothing else may style a dashboard page. */
export const STYLE_HASH = `'sha256-${createHash("sha256").update(STYLE, "utf8").digest("base64")}'`;

/** No script at all, forms only to this server, never framed. */
export const DASHBOARD_POLICY = `default-src 'none'; style-src ${STYLE_HASH}; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/** The outbox shows mails whose HTML uses style attributes; the mail itself sits in a sandbox. */
export const OUTBOX_POLICY = `default-src 'none'; style-src ${STYLE_HASH}; style-src-attr 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

export type NavKey =
  | "overview"
  | "workflows"
  | "instances"
  | "units"
  | "outbox"
  | "users"
  | "accessLog"
  | "none";

/** What every page of a logged-in administrator needs from the request. */
export interface PageContext {
  s: DashboardStrings;
  language: Language;
  /** The CSRF token for this session's forms. */
  csrf: string;
  /** Path and query of this page, for the language switch to come back to. */
  here: string;
  organisation: string;
  /** The outbox only exists locally: the menu shows it when there is mail in it. */
  showOutbox: boolean;
  /** The logged-in person's name, shown by the logout button. */
  who: string;
  /** Whether this person may make a request (the access table): pages show only what they may do. */
  may: (method: Method, path: string) => boolean;
}

export interface PageOptions {
  title: string;
  nav: NavKey;
  body: SafeHtml;
  /** A short confirmation shown above the page (after a redirect). */
  notice?: { text: string; warn?: boolean } | undefined;
}

export function csrfField(ctx: Pick<PageContext, "csrf">): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}">`;
}

function switchLink(s: DashboardStrings, here: string): SafeHtml {
  const href = `/language/${s.switchTo.language}?${new URLSearchParams({ next: here }).toString()}`;
  return html`<a href="${href}" hreflang="${s.switchTo.language}" lang="${s.switchTo.language}">${s.switchTo.label}</a>`;
}

function document(
  s: DashboardStrings,
  title: string,
  header: SafeHtml,
  main: SafeHtml,
  refreshTo?: string,
): string {
  return html`<!doctype html>
<html lang="${s.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
${refreshTo !== undefined && html`<meta http-equiv="refresh" content="0;url=${refreshTo}">`}
<title>${title} · ${s.appName}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<a class="skip" href="#main">${s.skipToContent}</a>
${header}
<main id="main" tabindex="-1">
${main}
</main>
<footer class="bar no-print"><a href="/tilgaengelighed?lang=${s.htmlLang}">${s.accessibilityLink}</a></footer>
</body>
</html>
`.toString();
}

export function renderPage(ctx: PageContext, page: PageOptions): string {
  const { s } = ctx;
  const all: [Exclude<NavKey, "none">, string][] = [
    ["overview", "/"],
    ["workflows", "/workflows"],
    ["instances", "/instances"],
    ["units", "/units"],
    ...(ctx.showOutbox ? ([["outbox", "/outbox"]] as [Exclude<NavKey, "none">, string][]) : []),
    ["users", "/users"],
    ["accessLog", "/access-log"],
  ];
  const items = all.filter(([, href]) => ctx.may("GET", href));
  const header = html`<header class="top">
<div class="bar">
<a class="brand" href="/">${s.appName}<small>${ctx.organisation}</small></a>
<nav aria-label="${s.navLabel}"><ul class="menu">${items.map(
    ([key, href]) =>
      html`<li><a href="${href}"${page.nav === key ? html` aria-current="page"` : ""}>${s.nav[key]}</a></li>`,
  )}</ul></nav>
<div class="tools"><span class="who">${s.signedInAs(ctx.who)}</span>${ctx.may("GET", "/tokens") && html`<a href="/tokens">${s.tokensLink}</a>`}${switchLink(s, ctx.here)}<form method="post" action="/logout">${csrfField(ctx)}<button type="submit" class="link">${s.logout}</button></form></div>
</div>
</header>`;
  const notice =
    page.notice === undefined
      ? ""
      : html`<p class="notice${page.notice.warn ? " warn" : ""}" role="status">${page.notice.text}</p>`;
  return document(s, page.title, header, html`${notice}${page.body}`);
}

/** Pages without a session (login) or about a failed request: no menu, only the language switch. */
export function renderBarePage(
  s: DashboardStrings,
  here: string,
  title: string,
  body: SafeHtml,
  organisation: string,
  /** Go on to this path of the site at once (after a login: see auth/oidc.ts). */
  refreshTo?: string,
): string {
  const header = html`<header class="top">
<div class="bar">
<span class="brand">${s.appName}<small>${organisation}</small></span>
<div class="tools">${switchLink(s, here)}</div>
</div>
</header>`;
  return document(s, title, header, body, refreshTo);
}

/** An error or refusal: what happened and what to do next, never technical detail. */
export function messageBody(title: string, text: string, reference?: string): SafeHtml {
  return html`<h1>${title}</h1>
<p class="notice warn">${text}</p>
${reference !== undefined && html`<p class="muted small">${reference}</p>`}
<p><a href="/">${"← "}fristflow</a></p>`;
}

/** A table in a scrollable, focusable region, so a wide table stays usable by keyboard on a phone. */
export function tableWrap(label: string, table: SafeHtml): SafeHtml {
  return html`<div class="table-wrap" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}

/** `<span class="badge s-open">åben</span>`: colour and word together, never colour alone. */
export function badge(kind: string, text: string): SafeHtml {
  return html`<span class="badge s-${kind}">${text}</span>`;
}
