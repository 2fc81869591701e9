/**
 * The timeline picture of an instance: an SVG Gantt chart, one row per milestone occurrence
 * (per unit, per repetition), a bar from when it became active to its deadline, a diamond where
 * it was confirmed, and a line for today. Pure: data in, markup out.
 *
 * Status is never told by colour alone: every bar carries a text label and a <title> tooltip,
 * and the colours keep at least 4.5:1 contrast against the white background.
 *
 * Names are never cut: a long label wraps onto more lines in the picture, and under the picture a
 * list gives every row in words (the picture's stand-in on a phone, see gantt-style.ts).
 */

import { html, type SafeHtml } from "../../html/html.ts";
import type { Language } from "../../model/schema.ts";
import { formatMediumDate } from "../../time/format.ts";
import type { OccurrenceStatus } from "../../timeline/decide.ts";
import { OCCURRENCE_STATUSES, type OccurrenceStatusName } from "../../timeline/status.ts";
import { badge } from "../common/layout.ts";

export interface GanttRow {
  occurrence: OccurrenceStatus;
  title: string;
  unitName: string | null;
}

export interface GanttInput {
  rows: GanttRow[];
  /** The instance start: bars of milestones with no dependency start here. */
  startAt: string;
  now: string;
  timezone: string;
  language: Language;
}

const STATUS_STYLE: Record<OccurrenceStatus["status"], { fill: string; label: { da: string; en: string } }> =
  {
    confirmed: { fill: "#1b6e3a", label: { da: "bekræftet", en: "confirmed" } },
    open: { fill: "#1d4f91", label: { da: "åben", en: "open" } },
    "due-soon": { fill: "#9c4400", label: { da: "frist snart", en: "due soon" } },
    "on-hold": { fill: "#5b3f8c", label: { da: "sat i bero", en: "on hold" } },
    overdue: { fill: "#a4161a", label: { da: "overskredet", en: "overdue" } },
    waiting: { fill: "#5f6368", label: { da: "venter", en: "waiting" } },
    period: { fill: "#7a5c00", label: { da: "periode", en: "period" } },
  };

const LAYOUT = {
  labelWidth: 330,
  chartWidth: 760,
  rowHeight: 26,
  /** Extra height per wrapped label line. */
  lineHeight: 14,
  /** Characters per label line at 12px in the label column. */
  lineChars: 48,
  top: 40,
  bottom: 16,
  barHeight: 14,
} as const;

export function statusLabel(status: OccurrenceStatus["status"], language: Language): string {
  return STATUS_STYLE[status].label[language];
}

/** A status as the tables show it: the badge with its words (never colour alone). */
export function statusBadge(status: OccurrenceStatus["status"], language: Language): SafeHtml {
  return badge(status, statusLabel(status, language));
}

/**
 * The counts of an instance's occurrences, in the order of OCCURRENCE_STATUSES, those with none
 * left out: "overskredet: 1 · venter: 23 · bekræftet: 10". The instance page, its report and the
 * API all count with countStatuses, so they cannot disagree.
 */
export function statusCountsText(
  counts: Readonly<Record<OccurrenceStatusName, number>>,
  language: Language,
): string {
  return OCCURRENCE_STATUSES.filter((status) => counts[status] > 0)
    .map((status) => `${statusLabel(status, language)}: ${counts[status]}`)
    .join(" · ");
}

function ms(iso: string): number {
  return Date.parse(iso);
}

function yearTicks(fromMs: number, toMs: number, timezone: string): { at: number; label: string }[] {
  const year = (t: number) =>
    Number(new Intl.DateTimeFormat("en", { timeZone: timezone, year: "numeric" }).format(t));
  const ticks: { at: number; label: string }[] = [];
  for (let y = year(fromMs); y <= year(toMs) + 1; y++) {
    const at = Date.UTC(y, 0, 1);
    if (at >= fromMs && at <= toMs) ticks.push({ at, label: String(y) });
  }
  return ticks;
}

/**
 * Where an occurrence's bar starts: where it becomes active. A repetition becomes the current one
 * at its predecessor's deadline (the series is activated at once, so its activatedAt is the same
 * for all); one still waiting for a dependency cannot start before now; the rest start at their
 * activation (the dependency's confirmation), or at the instance start for old stored states.
 */
export function barStart(rows: readonly GanttRow[], i: number, startAt: string, now: string): number {
  const o = rows[i]?.occurrence;
  if (o === undefined) return ms(startAt);
  const activated = o.activatedAt === null ? Math.max(ms(now), ms(startAt)) : ms(o.activatedAt ?? startAt);
  if (o.index === 0) return activated;
  const previous = rows.find(
    (r) =>
      r.occurrence.milestoneId === o.milestoneId &&
      r.occurrence.unitId === o.unitId &&
      r.occurrence.index === o.index - 1,
  )?.occurrence.dueAt;
  return previous === undefined || previous === null ? activated : Math.max(activated, ms(previous));
}

/**
 * A label as lines of at most `width` characters, broken at spaces; a word longer than a line
 * (a compound name such as "Børne-og-Ungeforvaltningens…") is broken into line-long pieces, so it
 * neither runs over the bars nor loses a letter.
 */
export function wrapLabel(label: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  const words = label.split(/\s+/).filter((w) => w !== "");
  const pieces = words.flatMap((word) =>
    word.length <= width ? [word] : (word.match(new RegExp(`.{1,${width}}`, "gu")) ?? [word]),
  );
  for (const word of pieces) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}

export function renderGantt(input: GanttInput): SafeHtml {
  const { rows, timezone, language } = input;
  const instants = rows.flatMap((r) => [
    r.occurrence.activatedAt,
    r.occurrence.dueAt,
    r.occurrence.confirmedAt,
  ]);
  const known = [input.startAt, input.now, ...instants].filter((x): x is string => x !== null).map(ms);
  // A little air on both sides so the first and last bars do not touch the frame.
  const span = Math.max(...known) - Math.min(...known) || 86_400_000;
  const from = Math.min(...known) - span * 0.02;
  const to = Math.max(...known) + span * 0.02;
  const x = (t: number) => LAYOUT.labelWidth + ((t - from) / (to - from)) * LAYOUT.chartWidth;
  // Room on the right for the status word after the last bar and the last year label.
  const width = LAYOUT.labelWidth + LAYOUT.chartWidth + 100;
  const repeats = new Set(rows.filter((r) => r.occurrence.index > 0).map((r) => r.occurrence.milestoneId));
  const labels = rows.map((row) => {
    const o = row.occurrence;
    const title = repeats.has(o.milestoneId) ? `${row.title} #${o.index + 1}` : row.title;
    return row.unitName ? `${title} – ${row.unitName}` : title;
  });
  const lines = labels.map((label) => wrapLabel(label, LAYOUT.lineChars));
  // Each row is as tall as its label: a name is wrapped, never cut.
  const tops: number[] = [];
  let next = LAYOUT.top;
  for (const l of lines) {
    tops.push(next);
    next += LAYOUT.rowHeight + (l.length - 1) * LAYOUT.lineHeight;
  }
  const height = next + LAYOUT.bottom;
  const today = x(ms(input.now));
  const t =
    language === "da"
      ? { today: "i dag", due: "frist", confirmed: "bekræftet", from: "fra" }
      : { today: "today", due: "due", confirmed: "confirmed", from: "from" };
  const caption = language === "da" ? "Tidslinje for milepæle" : "Milestone timeline";

  const ticks = yearTicks(from, to, timezone).map(
    (tick) =>
      html`<g class="tick"><line x1="${x(tick.at).toFixed(1)}" y1="${LAYOUT.top - 8}" x2="${x(tick.at).toFixed(1)}" y2="${height - LAYOUT.bottom}" stroke="#d0d4d9"/><text x="${(x(tick.at) + 3).toFixed(1)}" y="${LAYOUT.top - 12}" font-size="12" fill="#3c4043">${tick.label}</text></g>`,
  );

  const starts = rows.map((_, i) => barStart(rows, i, input.startAt, input.now));
  const bars = rows.map((row, i) => {
    const o = row.occurrence;
    const y = tops[i] ?? LAYOUT.top;
    const style = STATUS_STYLE[o.status];
    const label = labels[i] ?? row.title;
    const labelLines = lines[i] ?? [label];
    const barFrom = x(starts[i] ?? ms(input.startAt));
    const barTo = o.dueAt ? Math.max(x(ms(o.dueAt)), barFrom) : barFrom;
    const tooltip = [
      label,
      statusLabel(o.status, language),
      o.dueAt ? `${t.due} ${formatMediumDate(o.dueAt, timezone, language)}` : null,
      o.confirmedAt ? `${t.confirmed} ${formatMediumDate(o.confirmedAt, timezone, language)}` : null,
    ]
      .filter(Boolean)
      .join(", ");
    const confirmedX = o.confirmedAt ? x(ms(o.confirmedAt)) : null;
    // Not active yet, or only a period: outlined, so the eye goes to what needs doing.
    const faint = o.status === "period" || o.status === "waiting";
    const lateUntil = o.status === "overdue" ? today : null;
    const mid = y + LAYOUT.rowHeight / 2;
    const text = html`<text x="4" y="${mid + 4}" font-size="12" fill="#202124">${labelLines.map(
      (line, n) => html`<tspan x="4" dy="${n === 0 ? 0 : LAYOUT.lineHeight}">${line}</tspan>`,
    )}</text>`;
    return html`<g class="row status-${o.status}" data-occurrence="${o.key}"><title>${tooltip}</title>${text}<rect x="${barFrom.toFixed(1)}" y="${(mid - LAYOUT.barHeight / 2).toFixed(1)}" width="${Math.max(barTo - barFrom, 3).toFixed(1)}" height="${LAYOUT.barHeight}" rx="3" fill="${style.fill}"${faint ? html` fill-opacity="0.3" stroke="${style.fill}"` : ""}/>${
      lateUntil !== null && lateUntil > barTo
        ? html`<line x1="${barTo.toFixed(1)}" y1="${mid}" x2="${lateUntil.toFixed(1)}" y2="${mid}" stroke="${style.fill}" stroke-width="3" stroke-dasharray="2 2"/>`
        : ""
    }${
      confirmedX !== null
        ? html`<path d="M ${confirmedX.toFixed(1)} ${mid - 7} l 7 7 l -7 7 l -7 -7 z" fill="#ffffff" stroke="#1b6e3a" stroke-width="2"/>`
        : ""
    }<text x="${(Math.max(barTo, barFrom + 3, lateUntil ?? 0) + 10).toFixed(1)}" y="${mid + 4}" font-size="11" fill="${style.fill}">${statusLabel(o.status, language)}</text></g>`;
  });

  // The same rows in words: what a phone shows instead of the picture (gantt-style.ts).
  const list = html`<ol class="gantt-list" aria-label="${caption}">${rows.map((row, i) => {
    const o = row.occurrence;
    const when = [
      `${t.from} ${formatMediumDate(new Date(starts[i] ?? ms(input.startAt)).toISOString(), timezone, language)}`,
      o.dueAt ? `${t.due} ${formatMediumDate(o.dueAt, timezone, language)}` : null,
      o.confirmedAt ? `${t.confirmed} ${formatMediumDate(o.confirmedAt, timezone, language)}` : null,
    ]
      .filter(Boolean)
      .join(" · ");
    return html`<li data-occurrence="${o.key}"><span class="name">${labels[i] ?? row.title}</span> ${statusBadge(o.status, language)}<br><span class="when">${when}</span></li>`;
  })}</ol>`;

  return html`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${caption}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" font-family="system-ui, sans-serif"><title>${caption}</title><rect width="${width}" height="${height}" fill="#ffffff"/>${ticks}${bars}<g class="today"><line x1="${today.toFixed(1)}" y1="${LAYOUT.top - 8}" x2="${today.toFixed(1)}" y2="${height - LAYOUT.bottom}" stroke="#e37400" stroke-width="2" stroke-dasharray="4 3"/><text x="${(today + 3).toFixed(1)}" y="${height - 3}" font-size="11" fill="#8a4600">${t.today}</text></g></svg>${list}`;
}
