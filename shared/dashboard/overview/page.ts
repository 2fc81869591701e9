/**
 * The overview page: the search form (a GET form, so a search is a URL to bookmark or share), and
 * either the deadlines that match a search (sorted, a page at a time, with links that keep the
 * search), or, with no search, the overdue deadlines and those due soon; then the running
 * instances. Rows are FoundMilestone (find.ts); the page only draws them.
 */
import { html, type SafeHtml } from "../../html/html.ts";
import type { Unit } from "../../model/schema.ts";
import type { WorkflowSummary } from "../../store/records.ts";
import { pickText } from "../../timeline/format.ts";
import type { InstanceIdentity } from "../../timeline/instance-name.ts";
import { DUE_SOON_DAYS } from "../../timeline/status.ts";
import { DEFAULT_TIMEZONE, dateTime } from "../common/format.ts";
import { errorSummary, fieldId, input, select } from "../common/forms.ts";
import { type PageContext, renderPage, tableWrap } from "../common/layout.ts";
import { count, type Page, pager } from "../common/paging.ts";
import { fileLinks } from "../instances/export-links.ts";
import { statusBadge, statusLabel } from "../instances/gantt.ts";
import { instanceCell } from "../instances/pages.ts";
import {
  FILTER_FIELDS,
  type FilterErrors,
  type FilterField,
  LISTED_STATUSES,
  type MilestoneFilter,
  ORDERS,
  PERIODS,
  SORTS,
  toQuery,
} from "./filter.ts";
import type { FoundMilestone } from "./find.ts";

export interface RunningRow {
  instanceId: string;
  title: string;
  startAt: string;
  identity: InstanceIdentity | undefined;
}

/** What the form offers and shows. */
export interface FilterForm {
  /** The values to show: the filter's, or what was typed when it was refused. */
  values: Partial<Record<FilterField, string>>;
  errors: FilterErrors;
  workflows: readonly WorkflowSummary[];
  units: readonly Pick<Unit, "id" | "name">[];
}

/** A search's result: one page of the matching rows. */
export interface SearchView {
  filter: MilestoneFilter;
  page: Page<FoundMilestone>;
}

/** No search: the overdue and due-soon deadlines, each up to a page, with their totals. */
export interface AttentionView {
  overdue: Page<FoundMilestone>;
  due: Page<FoundMilestone>;
}

export interface OverviewView {
  form: FilterForm;
  list: { kind: "search"; search: SearchView } | { kind: "attention"; attention: AttentionView };
  running: RunningRow[];
}

/** A filter's fields as the form shows them. */
export function formValues(filter: MilestoneFilter): Partial<Record<FilterField, string>> {
  const values: Partial<Record<FilterField, string>> = {};
  for (const field of FILTER_FIELDS) {
    const value = filter[field];
    if (value !== undefined) values[field] = String(value);
  }
  return values;
}

function filterForm(ctx: PageContext, form: FilterForm): SafeHtml {
  const { s, language } = ctx;
  const value = (f: FilterField) => form.values[f] ?? "";
  const problem = (f: FilterField) => {
    const p = form.errors.get(f);
    return p === undefined ? undefined : s.filterProblems[p];
  };
  const any = { value: "", label: s.filterAny };
  const labels = new Map<string, string>([
    ["workflow", s.filterWorkflow],
    ["unit", s.filterUnit],
    ["owner", s.filterOwner],
    ["status", s.filterStatus],
    ["period", s.filterPeriod],
    ["from", s.filterFrom],
    ["to", s.filterTo],
    ["ref", s.filterRef],
    ["name", s.filterName],
    ["sort", s.filterSort],
    ["order", s.filterOrder],
    ["page", s.pagerLabel],
  ]);
  const messages = new Map([...form.errors].map(([f, p]) => [f, s.filterProblems[p]]));
  return html`<h2 id="find-heading">${s.filterHeading}</h2>
${errorSummary(s, messages, labels)}
${form.errors.size > 0 && html`<p class="notice warn">${s.filterInvalid}</p>`}
<p class="muted small">${s.filterLead}</p>
<form method="get" action="/" class="filters" role="search" aria-labelledby="find-heading">
${select({ name: "workflow", label: s.filterWorkflow, value: value("workflow"), error: problem("workflow"), options: [any, ...form.workflows.map((w) => ({ value: w.workflowId, label: pickText(w.title, language) }))] })}
${select({ name: "unit", label: s.filterUnit, value: value("unit"), error: problem("unit"), options: [any, ...form.units.map((u) => ({ value: u.id, label: u.name }))] })}
${input({ name: "owner", label: s.filterOwner, value: value("owner"), hint: s.filterOwnerHint, error: problem("owner"), autocomplete: "off" })}
${select({ name: "status", label: s.filterStatus, value: value("status"), error: problem("status"), options: [any, ...LISTED_STATUSES.map((st) => ({ value: st, label: statusLabel(st, language) }))] })}
${select({ name: "period", label: s.filterPeriod, value: value("period"), error: problem("period"), options: [{ value: "", label: s.filterAnyPeriod }, ...PERIODS.map((p) => ({ value: p, label: s.periodLabels[p] }))] })}
${input({ name: "from", type: "date", label: s.filterFrom, value: value("from"), hint: s.filterDateHint, error: problem("from") })}
${input({ name: "to", type: "date", label: s.filterTo, value: value("to"), hint: s.filterDateHint, error: problem("to") })}
${input({ name: "ref", label: s.filterRef, value: value("ref"), hint: s.filterTextHint, error: problem("ref"), autocomplete: "off" })}
${input({ name: "name", label: s.filterName, value: value("name"), hint: s.filterTextHint, error: problem("name"), autocomplete: "off" })}
${select({ name: "sort", label: s.filterSort, value: value("sort") || "due", error: problem("sort"), options: SORTS.map((o) => ({ value: o, label: s.sortLabels[o] })) })}
${select({ name: "order", label: s.filterOrder, value: value("order") || "asc", error: problem("order"), options: ORDERS.map((o) => ({ value: o, label: s.orderLabels[o] })) })}
${form.errors.has("page") && html`<p class="field-error" id="${fieldId("page")}">${s.pagerLabel}: ${s.filterProblems.badPage}</p>`}
<div class="actions"><button type="submit">${s.filterSubmit}</button><a href="/">${s.filterReset}</a></div>
</form>`;
}

function milestoneRows(ctx: PageContext, rows: readonly FoundMilestone[]): SafeHtml[] {
  const { s, language } = ctx;
  return rows.map(
    (m) =>
      html`<tr><th scope="row"><a href="/instances/${m.instanceId}">${m.milestoneLabel}</a></th><td data-label="${s.colInstance}">${m.instanceLabel}</td><td class="nowrap" data-label="${s.colDue}">${dateTime(m.dueAt, m.timezone, s)}</td><td data-label="${s.colStatus}">${statusBadge(m.status, language)}</td><td data-label="${s.colOwner}">${m.owner ?? s.none}</td><td data-label="${s.colDaysOverdue}">${m.daysOverdue === null ? html`<span aria-hidden="true">${s.notOverdue}</span>` : s.daysOverdue(m.daysOverdue)}</td></tr>`,
  );
}

function milestoneTable(ctx: PageContext, caption: string, rows: readonly FoundMilestone[]): SafeHtml {
  const { s } = ctx;
  return tableWrap(
    caption,
    html`<table class="cards"><thead><tr><th scope="col">${s.colMilestone}</th><th scope="col">${s.colInstance}</th><th scope="col">${s.colDue}</th><th scope="col">${s.colStatus}</th><th scope="col">${s.colOwner}</th><th scope="col">${s.colDaysOverdue}</th></tr></thead><tbody>${milestoneRows(ctx, rows)}</tbody></table>`,
  );
}

/** The whole search (every page of it) as CSV and Excel: the same query, on overview/export-routes.ts. */
function listDownloadLinks(ctx: PageContext, filter: MilestoneFilter): SafeHtml {
  return fileLinks(ctx, {
    base: "/deadlines",
    query: toQuery(filter, { page: 1 }),
    which: ctx.s.export.deadlinesWhich,
    id: "deadlines-downloads",
  });
}

function pageLink(filter: MilestoneFilter): (page: number) => string {
  return (n) => {
    const query = toQuery(filter, { page: n });
    return query === "" ? "/" : `/?${query}`;
  };
}

function searchSection(ctx: PageContext, { filter, page }: SearchView): SafeHtml {
  const { s } = ctx;
  return html`<h2>${s.resultsHeading} (${count(ctx, page.total)})</h2>
${page.total === 0 ? html`<p>${s.resultsNone}</p>` : html`${milestoneTable(ctx, s.resultsHeading, page.rows)}${pager(ctx, page, pageLink(filter))}${listDownloadLinks(ctx, filter)}`}`;
}

/** Up to a page of a list; a link to all of it, as a search, when there is more. */
function attentionList(
  ctx: PageContext,
  caption: string,
  none: string,
  page: Page<FoundMilestone>,
  all: string,
): SafeHtml {
  if (page.total === 0) return html`<p>${none}</p>`;
  return html`${milestoneTable(ctx, caption, page.rows)}${page.pages > 1 && html`<p><a href="${all}">${ctx.s.showAll(page.total)}</a></p>`}`;
}

function attentionSections(ctx: PageContext, { overdue, due }: AttentionView): SafeHtml {
  const { s } = ctx;
  return html`<h2>${s.overdueHeading} (${overdue.total})</h2>
${attentionList(ctx, s.overdueHeading, s.overdueNone, overdue, "/?status=overdue")}
<h2>${s.soonHeading(DUE_SOON_DAYS)} (${due.total})</h2>
${attentionList(ctx, s.soonHeading(DUE_SOON_DAYS), s.soonNone(DUE_SOON_DAYS), due, "/?status=due-soon")}`;
}

function runningSection(ctx: PageContext, running: readonly RunningRow[]): SafeHtml {
  const { s } = ctx;
  return html`<h2>${s.runningHeading} (${running.length})</h2>
${
  running.length === 0
    ? html`<p>${s.runningNone}</p>`
    : tableWrap(
        s.runningHeading,
        html`<table class="cards"><thead><tr><th scope="col">${s.colInstance}</th><th scope="col">${s.colStart}</th><th scope="col">${s.reportLink}</th></tr></thead><tbody>${running.map(
          (r) =>
            html`<tr><th scope="row">${instanceCell(r.instanceId, r.title, r.identity)}</th><td class="nowrap" data-label="${s.colStart}">${dateTime(r.startAt, DEFAULT_TIMEZONE, s)}</td><td><a href="/instances/${r.instanceId}/report">${s.reportLink}<span class="visually-hidden">: ${r.identity?.name ?? r.title}</span></a></td></tr>`,
        )}</tbody></table>`,
      )
}`;
}

export function overviewPage(ctx: PageContext, view: OverviewView): string {
  const { s } = ctx;
  const body = html`<h1>${s.overviewTitle}</h1>
${filterForm(ctx, view.form)}
${view.list.kind === "search" ? searchSection(ctx, view.list.search) : attentionSections(ctx, view.list.attention)}
${runningSection(ctx, view.running)}`;
  return renderPage(ctx, { title: s.overviewTitle, nav: "overview", body });
}
