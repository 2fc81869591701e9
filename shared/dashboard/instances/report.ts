/**
 * The status report of one instance, made to be printed on A4 for a committee meeting (the
 * annual status to BUU): the municipality, the workflow, the date, counts, the timeline and a
 * table of every milestone. On screen it is an ordinary page; the print rules in the stylesheet
 * drop the menu and links and keep table headers on every page.
 */
import type { InstanceDetail } from "../../app/admin.ts";
import { html } from "../../html/html.ts";
import type { Workflow } from "../../model/schema.ts";
import { formatLongDate } from "../../time/format.ts";
import { identityLine } from "../../timeline/instance-name.ts";
import { dateTime, describeActor } from "../common/format.ts";
import { badge, type PageContext, renderPage, tableWrap } from "../common/layout.ts";
import { renderGantt, statusCountsText, statusLabel } from "./gantt.ts";
import { ganttRows, recurringMilestones, statusLegend } from "./pages.ts";
import { holdNotice } from "./steer/hold-notice.ts";

export function reportPage(
  ctx: PageContext,
  detail: InstanceDetail,
  definition: Workflow,
  unitNames: ReadonlyMap<string, string>,
  now: string,
): string {
  const { s, language } = ctx;
  const { instance } = detail;
  const tz = detail.timezone;
  const recurring = recurringMilestones(definition);

  const rows = detail.units.flatMap((group) =>
    group.milestones.map(
      (m) =>
        html`<tr><th scope="row">${recurring.has(m.milestoneId) ? `${m.title} #${m.index + 1}` : m.title}</th><td data-label="${s.colUnit}">${group.unit === null ? s.wholeInstance : group.unit.name}</td><td data-label="${s.colStatus}">${badge(m.status, statusLabel(m.status, language))}</td><td class="nowrap" data-label="${s.colDue}">${dateTime(m.dueAt, tz, s)}</td><td class="nowrap" data-label="${s.colConfirmedAt}">${dateTime(m.confirmedAt, tz, s)}</td><td data-label="${s.colConfirmedBy}">${m.confirmedBy === null ? s.none : describeActor(m.confirmedBy, unitNames, s)}</td></tr>`,
    ),
  );

  const title = `${s.reportTitle}: ${identityLine(detail.identity)}`;
  const body = html`<p class="no-print"><a href="/instances/${instance.instanceId}">← ${s.backToInstance}</a></p>
<p class="no-print muted small">${s.reportPrintHint}</p>
<h1>${title}</h1>
<p class="lead">${s.reportMeta(ctx.organisation, formatLongDate(now, tz, language))}</p>
${holdNotice(ctx, detail, unitNames)}
<dl class="facts">
${detail.identity.name !== detail.workflowTitle && html`<dt>${s.colWorkflow}</dt><dd>${detail.workflowTitle}</dd>`}
<dt>${s.colStart}</dt><dd>${formatLongDate(instance.startAt, tz, language)}</dd>
<dt>${s.colVersion}</dt><dd>${instance.workflowVersion}</dd>
<dt>${s.colStatus}</dt><dd>${s.instanceStatus[instance.status]}</dd>
<dt>${s.milestonesHeading}</dt><dd>${statusCountsText(detail.counts, language)}</dd>
</dl>
<h2 id="report-gantt">${s.ganttHeading}</h2>
${statusLegend(language)}
<div class="gantt" role="region" aria-labelledby="report-gantt" tabindex="0">${renderGantt({
    rows: ganttRows(detail),
    startAt: instance.startAt,
    now,
    timezone: tz,
    language,
  })}</div>
<h2>${s.milestonesHeading}</h2>
${tableWrap(
  s.milestonesHeading,
  html`<table class="report cards"><thead><tr><th scope="col">${s.colMilestone}</th><th scope="col">${s.colUnit}</th><th scope="col">${s.colStatus}</th><th scope="col">${s.colDue}</th><th scope="col">${s.colConfirmedAt}</th><th scope="col">${s.colConfirmedBy}</th></tr></thead><tbody>${rows}</tbody></table>`,
)}`;
  return renderPage(ctx, { title, nav: "instances", body });
}
