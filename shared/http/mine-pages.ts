/**
 * The Mine frister page: the confirm pages' layout and stylesheet (pages.ts), so the same
 * policy holds (no scripts, forms post back here only when a person presses a button).
 */
import type { MineItem } from "../app/mine.ts";
import { html } from "../html/html.ts";
import type { DeputyRecord } from "../store/records.ts";
import { formatWeekdayDateTime } from "../time/format.ts";
import { mineStrings } from "./mine-strings.ts";
import { layout } from "./pages.ts";
import { type Language, pageStrings } from "./strings.ts";

export interface MinePageInput {
  /** The link's id and signature: every form repeats them. */
  id: string;
  sig: string;
  items: MineItem[];
  deputies: DeputyRecord[];
  /** A sentence on what the last POST did, or that its input was refused. */
  notice?: { text: string; refused?: boolean };
  language: Language;
}

export function minePage(input: MinePageInput): string {
  const { id, sig, language } = input;
  const s = mineStrings(language);
  const p = pageStrings(language);
  const q = (path: string) => `${path}?${new URLSearchParams({ lang: language }).toString()}`;
  const base = encodeURIComponent(id);
  const hidden = html`<input type="hidden" name="sig" value="${sig}">`;
  const items = input.items.map(
    (item) => html`<dl data-occurrence="${item.occurrenceKey}">
<dt>${p.milestone}</dt><dd>${item.milestoneTitle}</dd>
<dt>${p.workflow}</dt><dd>${item.instanceLabel === item.workflowTitle ? item.workflowTitle : `${item.instanceLabel} (${item.workflowTitle})`}</dd>
${item.unitName !== null && html`<dt>${p.unit}</dt><dd>${item.unitName}</dd>`}
<dt>${p.due}</dt><dd>${formatWeekdayDateTime(item.dueAt, item.timezone, language)}</dd>
<dt>${s.status}</dt><dd>${item.onHold ? s.onHold : item.overdue ? s.overdue : s.open}</dd>
<dd><form method="post" action="${q(`${base}/confirm`)}">
${hidden}<input type="hidden" name="link" value="${item.confirm.id}"><input type="hidden" name="linkSig" value="${item.confirm.sig}">
<button type="submit">${s.confirmButton}</button>
</form></dd>
</dl>`,
  );
  const deputies = input.deputies.map(
    (d) => html`<dl data-deputy="${d.deputyId}">
<dt>${s.deputyName}</dt><dd>${d.name} (${d.email})</dd>
<dd>${s.deputyPeriod(d.from, d.to)}</dd>
<dd><form method="post" action="${q(`${base}/deputies/${encodeURIComponent(d.deputyId)}/end`)}">${hidden}<button type="submit">${s.endDeputy}</button></form></dd>
</dl>`,
  );
  const feed = `${base}/deadlines.ics?${new URLSearchParams({ sig }).toString()}`;
  const body = html`<h1>${s.title}</h1>
${input.notice !== undefined && html`<p class="status${input.notice.refused ? " refused" : ""}" role="status">${input.notice.text}</p>`}
<p>${s.lead}</p>
${items.length === 0 ? html`<p>${s.none}</p>` : items}
<p class="note">${s.confirmNote}</p>
<p><a href="${feed}">${s.calendar}</a></p>
<p class="note">${s.calendarNote}</p>
<h2>${s.deputiesTitle}</h2>
<p>${s.deputiesLead}</p>
${deputies.length === 0 ? html`<p>${s.noDeputies}</p>` : deputies}
<h2>${s.newDeputy}</h2>
<form method="post" action="${q(`${base}/deputies`)}">
${hidden}
<p><label>${s.deputyName}<br><input name="name" required maxlength="200" autocomplete="off"></label></p>
<p><label>${s.deputyEmail}<br><input name="email" type="email" required maxlength="254" autocomplete="off"></label></p>
<p><label>${s.from}<br><input name="from" type="date" required></label></p>
<p><label>${s.to}<br><input name="to" type="date" required></label></p>
<button type="submit">${s.setDeputy}</button>
</form>`;
  return layout(p, s.title, body, {
    switchHref: `${base}?${new URLSearchParams({ sig, lang: p.switchTo.language }).toString()}`,
  });
}
