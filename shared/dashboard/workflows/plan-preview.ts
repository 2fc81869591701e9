/**
 * The preview before saving a definition: plan() with a chosen start date and the directory's
 * units of the chosen types, as a table of every occurrence with its deadline, owner and
 * reminders. Nothing is stored; it shows what starting an instance would schedule.
 */
import { html, type SafeHtml } from "../../html/html.ts";
import type { Unit, Workflow } from "../../model/schema.ts";
import { formatLongDate } from "../../time/format.ts";
import { pickText } from "../../timeline/format.ts";
import { plan } from "../../timeline/plan.ts";
import type { InstanceUnit } from "../../timeline/types.ts";
import { dateOnly, dateTime, describeOwner } from "../common/format.ts";
import { tableWrap } from "../common/layout.ts";
import type { DashboardStrings, Language } from "../strings.ts";

export interface PreviewInput {
  definition: Workflow;
  /** YYYY-MM-DD. */
  start: string;
  types: readonly string[];
  directory: readonly Unit[];
}

/** The unit types a definition fans out over: the preview's and the start form's default choice. */
export function fanOutTypes(definition: Workflow): string[] {
  return [...new Set(definition.milestones.flatMap((m) => m.forEach ?? []))];
}

export function renderPlanPreview(s: DashboardStrings, language: Language, input: PreviewInput): SafeHtml {
  const { definition } = input;
  const units: InstanceUnit[] = input.directory
    .filter((u) => input.types.includes(u.type))
    .map((u) => ({ id: u.id, type: u.type, name: u.name }));
  const planned = plan(definition, input.start, {}, units);
  const names = new Map(input.directory.map((u) => [u.id, u.name]));
  const titles = new Map(definition.milestones.map((m) => [m.id, pickText(m.title, language)]));
  const recurring = new Set(definition.milestones.filter((m) => m.recurrence).map((m) => m.id));
  const missing = definition.milestones.filter(
    (m) => m.forEach !== undefined && !units.some((u) => m.forEach?.includes(u.type)),
  );
  const reminders = planned.occurrences.reduce(
    (sum, o) => sum + o.notifications.filter((n) => n.kind === "reminder").length,
    0,
  );
  const tz = planned.timezone;

  const rows = planned.occurrences.map((o) => {
    const title = titles.get(o.milestoneId) ?? o.milestoneId;
    const reminderDates = o.notifications
      .filter((n) => n.kind === "reminder")
      .map((n) => dateOnly(n.at, tz, s))
      .join(", ");
    return html`<tr><th scope="row">${recurring.has(o.milestoneId) ? `${title} #${o.index + 1}` : title}</th><td data-label="${s.colUnit}">${o.unitId === null ? s.none : (names.get(o.unitId) ?? o.unitId)}</td><td class="nowrap" data-label="${s.colDue}">${dateTime(o.plannedDueAt, tz, s)}</td><td data-label="${s.colOwner}">${o.confirmable ? describeOwner(o.owner, names, s) : s.period}</td><td class="small" data-label="${s.colReminders}">${reminderDates || s.none}</td></tr>`;
  });

  return html`<section aria-labelledby="plan-heading">
<h2 id="plan-heading">${s.planHeading}</h2>
<p>${s.planLead(formatLongDate(planned.startAt, tz, language), tz)}</p>
${missing.map(
  (m) =>
    html`<p class="notice warn">${s.planMissingUnits(pickText(m.title, language), (m.forEach ?? []).join(", "))}</p>`,
)}
<p class="muted">${s.planSummary(planned.occurrences.length, reminders)}</p>
${tableWrap(
  s.planHeading,
  html`<table class="cards"><thead><tr><th scope="col">${s.colMilestone}</th><th scope="col">${s.colUnit}</th><th scope="col">${s.colDue}</th><th scope="col">${s.colOwner}</th><th scope="col">${s.colReminders}</th></tr></thead><tbody>${rows}</tbody></table>`,
)}
</section>`;
}
