/**
 * Instance pages: the list, choosing a workflow to start, one instance (timeline, milestones per
 * unit, history, calendar), and the cancel confirmation.
 */
import type { InstanceDetail, MilestoneView, UnitMilestones } from "../../app/admin.ts";
import { html, type SafeHtml } from "../../html/html.ts";
import type { Workflow } from "../../model/schema.ts";
import type { InstanceSummary, WorkflowSummary } from "../../store/records.ts";
import type { OccurrenceStatus } from "../../timeline/decide.ts";
import { pickText } from "../../timeline/format.ts";
import { type InstanceIdentity, identityLine } from "../../timeline/instance-name.ts";
import { OCCURRENCE_STATUSES } from "../../timeline/status.ts";
import { DEFAULT_TIMEZONE, dateTime, describeActor } from "../common/format.ts";
import { errorSummary, fieldId, input, select } from "../common/forms.ts";
import { badge, csrfField, type PageContext, renderPage, tableWrap } from "../common/layout.ts";
import { count, type Page, pager } from "../common/paging.ts";
import type { DashboardStrings, Language } from "../strings.ts";
import type { AuditLine } from "./audit.ts";
import { downloadLinks } from "./export-links.ts";
import { type GanttRow, renderGantt, statusCountsText, statusLabel } from "./gantt.ts";
import {
  INSTANCE_STATUSES,
  type InstanceFilter,
  type InstanceFilterField,
  type InstanceFilterProblem,
  instanceQuery,
} from "./list-filter.ts";
import { type MilestoneTableField, type MilestoneTableProblem, WHOLE_INSTANCE } from "./milestone-filter.ts";
import { pastFact } from "./past-start.ts";
import { holdNotice } from "./steer/hold-notice.ts";
import { instanceActions, milestoneActions, noticeLinks } from "./steer/links.ts";

/** The instance list's search (list-filter.ts): the form, and the page of instances it found. */
export interface InstanceListFind {
  values: Partial<Record<InstanceFilterField, string>>;
  errors: ReadonlyMap<InstanceFilterField, InstanceFilterProblem>;
  units: readonly { id: string; name: string }[];
  /** The search as accepted (for the paging links); null when it was refused. */
  filter: InstanceFilter | null;
  page: Page<InstanceSummary>;
}

export function instanceListPage(
  ctx: PageContext,
  instances: readonly InstanceSummary[],
  workflows: readonly WorkflowSummary[],
  overdue: ReadonlyMap<string, number>,
  /** Each instance's name and case reference (names.ts); the workflow title where missing. */
  names: ReadonlyMap<string, InstanceIdentity> = new Map(),
  /** The search form and paging; without it, every instance given is listed. */
  find?: InstanceListFind,
): string {
  const { s, language } = ctx;
  const titles = new Map(workflows.map((w) => [w.workflowId, pickText(w.title, language)]));
  const listed = find?.page.rows ?? instances;
  const rows = listed.map(
    (i) =>
      html`<tr><td data-label="${s.colStatus}">${badge(i.status, s.instanceStatus[i.status])}</td><th scope="row">${instanceCell(i.instanceId, titles.get(i.workflowId) ?? i.workflowId, names.get(i.instanceId))}</th><td class="num" data-label="${s.colVersion}">${i.workflowVersion}</td><td class="nowrap" data-label="${s.colStart}">${dateTime(i.startAt, DEFAULT_TIMEZONE, s)}</td><td class="num" data-label="${s.colOverdue}">${overdue.get(i.instanceId) ?? 0}</td></tr>`,
  );
  const searched = find?.filter != null && instanceQuery(find.filter, 1) !== "";
  const none = searched ? s.instancesNoneFound : s.instancesNone;
  const body = html`<h1>${s.instancesTitle}</h1>
<p class="lead">${s.instancesLead}</p>
${ctx.may("GET", "/instances/_new") && html`<p class="actions"><a class="button" href="/instances/_new">${s.newInstance}</a></p>`}
${find !== undefined && instanceFilterForm(ctx, workflows, find)}
${searched && find !== undefined && html`<h2>${s.instancesFound(count(ctx, find.page.total))}</h2>`}
${
  listed.length === 0
    ? html`<p>${none}</p>`
    : tableWrap(
        s.instancesTitle,
        html`<table class="cards"><thead><tr><th scope="col">${s.colStatus}</th><th scope="col">${s.colWorkflow}</th><th scope="col" class="num">${s.colVersion}</th><th scope="col">${s.colStart}</th><th scope="col" class="num">${s.colOverdue}</th></tr></thead><tbody>${rows}</tbody></table>`,
      )
}
${find !== undefined && listed.length > 0 && pager(ctx, find.page, (n) => listLink(find.filter ?? { page: 1 }, n))}`;
  return renderPage(ctx, { title: s.instancesTitle, nav: "instances", body });
}

function listLink(filter: InstanceFilter, page: number): string {
  const query = instanceQuery(filter, page);
  return query === "" ? "/instances" : `/instances?${query}`;
}

/** The search form: a GET form, so a search is a URL. */
function instanceFilterForm(
  ctx: PageContext,
  workflows: readonly WorkflowSummary[],
  find: InstanceListFind,
): SafeHtml {
  const { s, language } = ctx;
  const value = (f: InstanceFilterField) => find.values[f] ?? "";
  const problem = (f: InstanceFilterField) => {
    const p = find.errors.get(f);
    return p === undefined ? undefined : s.filterProblems[p];
  };
  const any = { value: "", label: s.filterAny };
  const labels = new Map<string, string>([
    ["workflow", s.filterWorkflow],
    ["status", s.colStatus],
    ["unit", s.filterUnit],
    ["ref", s.filterRef],
    ["name", s.filterName],
    ["page", s.pagerLabel],
  ]);
  const messages = new Map([...find.errors].map(([f, p]) => [f, s.filterProblems[p]]));
  return html`<h2 id="find-instances">${s.instancesFindHeading}</h2>
${errorSummary(s, messages, labels)}
${find.errors.size > 0 && html`<p class="notice warn">${s.filterInvalid}</p>`}
<form method="get" action="/instances" class="filters" role="search" aria-labelledby="find-instances">
${select({ name: "workflow", label: s.filterWorkflow, value: value("workflow"), error: problem("workflow"), options: [any, ...workflows.map((w) => ({ value: w.workflowId, label: pickText(w.title, language) }))] })}
${select({ name: "status", label: s.colStatus, value: value("status"), error: problem("status"), options: [any, ...INSTANCE_STATUSES.map((st) => ({ value: st, label: s.instanceStatus[st] }))] })}
${select({ name: "unit", label: s.filterUnit, value: value("unit"), error: problem("unit"), options: [any, ...find.units.map((u) => ({ value: u.id, label: u.name }))] })}
${input({ name: "ref", label: s.filterRef, value: value("ref"), hint: s.filterTextHint, error: problem("ref"), autocomplete: "off" })}
${input({ name: "name", label: s.filterName, value: value("name"), hint: s.filterTextHint, error: problem("name"), autocomplete: "off" })}
${find.errors.has("page") && html`<p class="field-error" id="${fieldId("page")}">${s.pagerLabel}: ${s.filterProblems.badPage}</p>`}
<div class="actions"><button type="submit">${s.filterSubmit}</button><a href="/instances">${s.filterReset}</a></div>
</form>`;
}

/**
 * An instance in a list: its name as the link, then the case reference and the workflow's title
 * where they add something, and the id.
 */
export function instanceCell(
  instanceId: string,
  workflowTitle: string,
  identity?: InstanceIdentity,
): SafeHtml {
  const name = identity?.name ?? workflowTitle;
  const more = [
    ...(identity?.identifiers ?? []).map((p) => `${p.label}: ${p.value}`),
    ...(name === workflowTitle ? [] : [workflowTitle]),
  ];
  return html`<a href="/instances/${instanceId}">${name}</a>${more.length > 0 && html`<br><span class="small">${more.join(" · ")}</span>`}<br><span class="muted small"><code>${instanceId}</code></span>`;
}

/** Step one of starting: which workflow. A plain GET form, so it works without script. */
export function chooseWorkflowPage(ctx: PageContext, workflows: readonly WorkflowSummary[]): string {
  const { s, language } = ctx;
  const body = html`<p><a href="/instances">← ${s.instancesTitle}</a></p>
<h1>${s.startTitle}</h1>
${
  workflows.length === 0
    ? ctx.may("GET", "/workflows/_new")
      ? html`<p>${s.noWorkflows} <a href="/workflows/_new">${s.newWorkflow}</a></p>`
      : html`<p>${s.noGrantedWorkflows}</p>`
    : html`<form method="get" action="/instances/_new" class="stack">
<div class="field"><label for="f-workflow">${s.chooseWorkflowLabel}</label><select id="f-workflow" name="workflow">${workflows.map(
        (w) =>
          html`<option value="${w.workflowId}">${pickText(w.title, language)} (${w.workflowId})</option>`,
      )}</select></div>
<button type="submit">${s.chooseButton}</button>
</form>`
}`;
  return renderPage(ctx, { title: s.startTitle, nav: "instances", body });
}

export interface InstancePageView {
  detail: InstanceDetail;
  definition: Workflow;
  audit: readonly AuditLine[];
  /** The instance's units and the directory's, for names in the tables and the history. */
  unitNames: ReadonlyMap<string, string>;
  /** Absolute URL of the signed calendar feed. */
  feedUrl: string;
  now: string;
  notice?: { text: string; warn?: boolean } | undefined;
  /** Whether this person may steer (cancel) instances of the workflow (shared/app/grants.ts). */
  steer?: boolean;
  /** The workflow's latest version: a newer one than the instance runs is offered as a migration. */
  latestVersion?: number;
  /** The milestone table narrowed by the URL query (milestone-filter.ts); absent: every milestone. */
  table?: MilestoneTableView;
}

/** What the milestone table's choice says and shows. */
export interface MilestoneTableView {
  values: { status?: string; unit?: string };
  errors: ReadonlyMap<MilestoneTableField, MilestoneTableProblem>;
  groups: readonly UnitMilestones[];
}

/** Status and unit of the milestone table: a GET form, so the choice is a URL. */
function milestoneTableForm(
  ctx: PageContext,
  detail: InstanceDetail,
  table: MilestoneTableView | undefined,
): SafeHtml {
  const { s, language } = ctx;
  const id = detail.instance.instanceId;
  const problem = (f: MilestoneTableField) => {
    const p = table?.errors.get(f);
    return p === undefined ? undefined : s.filterProblems[p];
  };
  const units = [
    { value: "", label: s.filterAny },
    ...(detail.units.some((g) => g.unit === null) ? [{ value: WHOLE_INSTANCE, label: s.wholeInstance }] : []),
    ...detail.units.flatMap((g) => (g.unit === null ? [] : [{ value: g.unit.id, label: g.unit.name }])),
  ];
  const chosen = table !== undefined && (table.values.status || table.values.unit);
  return html`<form method="get" action="/instances/${id}" class="filters" role="search" aria-label="${s.milestoneFilterLabel}">
${select({ name: "status", label: s.filterStatus, value: table?.values.status ?? "", error: problem("status"), options: [{ value: "", label: s.filterAny }, ...OCCURRENCE_STATUSES.map((st) => ({ value: st, label: statusLabel(st, language) }))] })}
${select({ name: "unit", label: s.filterUnit, value: table?.values.unit ?? "", error: problem("unit"), options: units })}
<div class="actions"><button type="submit">${s.milestoneFilterSubmit}</button>${chosen && html`<a href="/instances/${id}">${s.milestoneFilterReset}</a>`}</div>
</form>`;
}

export function ganttRows(detail: InstanceDetail): GanttRow[] {
  return detail.units.flatMap((group) =>
    group.milestones.map((m) => ({
      occurrence: m as OccurrenceStatus,
      title: m.title,
      unitName: m.unitName,
    })),
  );
}

/** The five statuses as badges: what the colours of the timeline and the tables mean. */
export function statusLegend(language: Language): SafeHtml {
  const statuses: OccurrenceStatus["status"][] = [
    "confirmed",
    "open",
    "due-soon",
    "overdue",
    "waiting",
    "period",
  ];
  return html`<ul class="legend">${statuses.map((st) => html`<li>${badge(st, statusLabel(st, language))}</li>`)}</ul>`;
}

function milestoneTitle(m: MilestoneView, recurring: ReadonlySet<string>): string {
  return recurring.has(m.milestoneId) ? `${m.title} #${m.index + 1}` : m.title;
}

/**
 * Every milestone in one table, a row group per unit (the instance-wide ones first), so the
 * columns line up across units; on a phone each row becomes a small card.
 */
export function milestoneTable(
  s: DashboardStrings,
  language: Language,
  groups: readonly UnitMilestones[],
  timezone: string,
  recurring: ReadonlySet<string>,
  unitNames: ReadonlyMap<string, string>,
  /** The changes each row offers (steer/links.ts), for people who may steer a running instance. */
  actions?: (m: MilestoneView) => SafeHtml,
): SafeHtml {
  const columns = actions === undefined ? 5 : 6;
  const body = groups.map(
    (group) =>
      html`<tbody><tr class="group"><th colspan="${String(columns)}" scope="rowgroup">${group.unit === null ? s.wholeInstance : group.unit.name}</th></tr>${group.milestones.map(
        (m) =>
          html`<tr><th scope="row">${milestoneTitle(m, recurring)}</th><td data-label="${s.colStatus}">${badge(m.status, statusLabel(m.status, language))}</td><td class="nowrap" data-label="${s.colDue}">${dateTime(m.dueAt, timezone, s)}</td><td class="nowrap" data-label="${s.colConfirmedAt}">${dateTime(m.confirmedAt, timezone, s)}</td><td data-label="${s.colConfirmedBy}">${m.confirmedBy === null ? s.none : describeActor(m.confirmedBy, unitNames, s)}</td>${actions !== undefined && html`<td data-label="${s.colChange}">${actions(m)}</td>`}</tr>`,
      )}</tbody>`,
  );
  return tableWrap(
    s.milestonesHeading,
    html`<table class="cards milestones"><colgroup><col class="w-title"><col class="w-status"><col class="w-date"><col class="w-date"><col class="w-by">${actions !== undefined && html`<col class="w-actions">`}</colgroup><thead><tr><th scope="col">${s.colMilestone}</th><th scope="col">${s.colStatus}</th><th scope="col">${s.colDue}</th><th scope="col">${s.colConfirmedAt}</th><th scope="col">${s.colConfirmedBy}</th>${actions !== undefined && html`<th scope="col">${s.colChange}</th>`}</tr></thead>${body}</table>`,
  );
}

export function recurringMilestones(definition: Workflow): Set<string> {
  return new Set(definition.milestones.filter((m) => m.recurrence).map((m) => m.id));
}

export function instancePage(ctx: PageContext, view: InstancePageView): string {
  const { s, language } = ctx;
  const { detail, definition } = view;
  const { instance } = detail;
  const tz = detail.timezone;
  const recurring = recurringMilestones(definition);
  const unitNames = view.unitNames;
  const id = instance.instanceId;
  const steering =
    instance.status === "running" &&
    view.steer !== false &&
    ctx.may("GET", `/instances/${id}/change/move-deadline`);

  const params = Object.entries(instance.params).map(([name, value]) => {
    const parameter = definition.parameters[name];
    const label = parameter?.title === undefined ? name : pickText(parameter.title, language);
    // An address is personal data an administrator rarely needs here; the mail log has it.
    const shown = parameter?.type === "email" ? s.paramEmailHidden : String(value);
    return html`<dt>${label}</dt><dd>${shown}</dd>`;
  });

  const audit =
    view.audit.length === 0
      ? html`<p>${s.auditNone}</p>`
      : tableWrap(
          s.auditHeading,
          html`<table class="cards"><thead><tr><th scope="col">${s.colWhen}</th><th scope="col">${s.colWho}</th><th scope="col">${s.colWhat}</th></tr></thead><tbody>${view.audit.map(
            (line) =>
              html`<tr><td class="nowrap" data-label="${s.colWhen}">${dateTime(line.at, tz, s)}</td><td data-label="${s.colWho}">${line.who}</td><td data-label="${s.colWhat}">${line.what}${line.detail === undefined ? "" : html`<br><span class="muted small">${line.detail}</span>`}</td></tr>`,
          )}</tbody></table>`,
        );

  const body = html`<p><a href="/instances">← ${s.instancesTitle}</a></p>
<h1>${s.instanceTitle(detail.identity.name)}</h1>
${detail.identity.identifiers.length > 0 && html`<p class="lead">${detail.identity.identifiers.map((p) => `${p.label}: ${p.value}`).join(" · ")}</p>`}
<p class="muted"><code>${id}</code></p>
${holdNotice(ctx, detail, unitNames)}
<p class="actions">
<a class="button" href="/instances/${id}/report">${s.reportAction}</a>
<a class="button secondary" href="/instances/${id}/deadlines.ics">${s.calendarDownload}</a>
${instance.status === "running" && ctx.may("POST", `/instances/${id}/cancel`) && view.steer !== false && html`<a class="button danger" href="/instances/${id}/cancel">${s.cancelAction}</a>`}
</p>
<h2>${s.summaryHeading}</h2>
<dl class="facts">
<dt>${s.colWorkflow}</dt><dd><a href="/workflows/${instance.workflowId}">${detail.workflowTitle}</a></dd>
<dt>${s.colVersion}</dt><dd>${instance.workflowVersion}</dd>
<dt>${s.colStatus}</dt><dd>${badge(instance.status, s.instanceStatus[instance.status])}</dd>
<dt>${s.colStart}</dt><dd>${dateTime(instance.startAt, tz, s)}</dd>
${pastFact(instance, tz, ctx)}
<dt>${s.milestonesHeading}</dt><dd>${statusCountsText(detail.counts, language)}</dd>
<dt>${s.createdBy}</dt><dd>${describeActor(instance.createdBy, unitNames, s)}, ${dateTime(instance.createdAt, tz, s)}</dd>
${params}
</dl>
<h2 id="gantt-heading">${s.ganttHeading}</h2>
${statusLegend(language)}
<p class="phone-only muted small">${s.ganttScrollHint}</p>
<div class="gantt" role="region" aria-labelledby="gantt-heading" tabindex="0">${renderGantt({
    rows: ganttRows(detail),
    startAt: instance.startAt,
    now: view.now,
    timezone: tz,
    language,
  })}</div>
<h2>${s.milestonesHeading}</h2>
${steering && instanceActions(ctx, detail, view.latestVersion)}
${noticeLinks(ctx, detail, definition)}
${milestoneTableForm(ctx, detail, view.table)}
${
  (view.table?.groups ?? detail.units).length === 0
    ? html`<p>${s.milestoneFilterNone}</p>`
    : milestoneTable(
        s,
        language,
        view.table?.groups ?? detail.units,
        tz,
        recurring,
        unitNames,
        steering ? (m) => milestoneActions(ctx, detail, m) : undefined,
      )
}
${downloadLinks(ctx, id, "milestones")}
<h2>${s.auditHeading}</h2>
<p class="muted">${s.auditLead}</p>
${audit}
${view.audit.length > 0 && downloadLinks(ctx, id, "audit")}
<h2>${s.calendarHeading}</h2>
<p>${s.calendarLead}</p>
<div class="field"><label for="f-feed">${s.calendarUrlLabel}</label><input type="url" id="f-feed" class="wide" value="${view.feedUrl}" readonly></div>`;
  return renderPage(ctx, { title: detail.identity.name, nav: "instances", body, notice: view.notice });
}

export function cancelPage(ctx: PageContext, detail: InstanceDetail, error?: string): string {
  const { s } = ctx;
  const id = detail.instance.instanceId;
  const body = html`<p><a href="/instances/${id}">← ${detail.identity.name}</a></p>
<h1>${s.cancelTitle}</h1>
<p class="lead"><strong>${identityLine(detail.identity)}</strong> (<code>${id}</code>)</p>
<p class="notice warn">${s.cancelLead}</p>
<form method="post" action="/instances/${id}/cancel" class="stack">
${csrfField(ctx)}
<div class="field"><label for="f-reason">${s.reasonLabel} ${s.optional}</label>${error !== undefined && html`<span class="field-error" id="f-reason-error">${error}</span>`}<textarea id="f-reason" name="reason" class="short" maxlength="500"${error === undefined ? "" : html` aria-invalid="true" aria-describedby="f-reason-error"`}></textarea></div>
<div class="actions"><button type="submit" class="danger">${s.cancelButton}</button><a class="button secondary" href="/instances/${id}">${s.keepButton}</a></div>
</form>`;
  return renderPage(ctx, { title: s.cancelTitle, nav: "instances", body });
}
