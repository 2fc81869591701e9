/**
 * The landing page: what needs attention across all instances (overdue milestones, and those due
 * within DUE_SOON_DAYS), and the running instances with their printable status reports.
 * Two queries on the due index answer the lists, and the one status function (timeline/status.ts)
 * sorts them, as it does on every other page: a milestone still waiting for an earlier one is
 * nobody's overdue task, whatever its planned deadline. Names come from each instance's version.
 * The folder's one file: the route, its queries and the page; it says occurrences and statuses
 * with the instances folder's words (instances/audit.ts, gantt.ts, pages.ts).
 */
import { Hono } from "hono";
import { visibleAmong } from "../../app/visibility.ts";
import { html, type SafeHtml } from "../../html/html.ts";
import type { HttpDeps } from "../../http/context.ts";
import type { MilestoneRecord } from "../../store/records.ts";
import { pickText } from "../../timeline/format.ts";
import { type InstanceIdentity, instanceIdentity, instanceLabel } from "../../timeline/instance-name.ts";
import { DUE_SOON_DAYS, statusAt } from "../../timeline/status.ts";
import { type DashEnv, pageContext, sendPage } from "../common/context.ts";
import { DEFAULT_TIMEZONE, dateTime } from "../common/format.ts";
import { type PageContext, renderPage, tableWrap } from "../common/layout.ts";
import { occurrenceLabel } from "../instances/audit.ts";
import { statusBadge } from "../instances/gantt.ts";
import { type InstanceWithVersion, instancesWithVersions } from "../instances/names.ts";
import { instanceCell, recurringMilestones } from "../instances/pages.ts";

type Named = InstanceWithVersion;

export function overviewRoutes(deps: HttpDeps): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  routes.get("/", async (c) => {
    const now = deps.clock.now();
    const soonEnd = now.add({ hours: 24 * DUE_SOON_DAYS });
    const [ctx, pastDue, comingDue, allRunning, workflows] = await Promise.all([
      pageContext(c, deps),
      deps.dueIndex.overdue(now.toString()),
      deps.dueIndex.dueBetween(now.toString(), soonEnd.toString()),
      deps.instances.list({ status: "running" }),
      deps.workflows.list(),
    ]);
    // A caseworker's overview holds only the instances they may see (shared/app/visibility.ts).
    const sees = await visibleAmong(
      deps,
      c.get("principal"),
      [...pastDue, ...comingDue, ...allRunning].map((i) => i.instanceId),
    );
    const shown = <T extends { instanceId: string }>(list: T[]) => list.filter((i) => sees(i.instanceId));
    const overdue = shown(pastDue).filter((m) => statusAt(m, now) === "overdue");
    const due = shown(comingDue).filter((m) => statusAt(m, now) === "due-soon");
    const running = shown(allRunning);
    // One read per instance, whether its milestones are listed, it runs, or both.
    const named = await instancesWithVersions(deps, [
      ...[...overdue, ...due].map((m) => m.instanceId),
      ...running.map((r) => r.instanceId),
    ]);
    const identityOf = (id: string) => {
      const entry = named.get(id);
      return entry && instanceIdentity(entry.instance, entry.version.definition, ctx.language);
    };
    const titles = new Map(workflows.map((w) => [w.workflowId, pickText(w.title, ctx.language)]));
    return sendPage(
      c,
      overviewPage(ctx, {
        now: now.toString(),
        // An instance on hold has nothing overdue or due: its milestones are "sat i bero".
        overdue: overdue.filter((m) => named.has(m.instanceId) && !held(named, m.instanceId)),
        due: due.filter((m) => named.has(m.instanceId) && !held(named, m.instanceId)),
        named,
        running: running.map((r) => ({
          instanceId: r.instanceId,
          title: titles.get(r.workflowId) ?? r.workflowId,
          startAt: r.startAt,
          identity: identityOf(r.instanceId),
        })),
      }),
    );
  });

  return routes;
}

function held(named: ReadonlyMap<string, Named>, instanceId: string): boolean {
  return named.get(instanceId)?.instance.hold !== undefined;
}

interface OverviewView {
  now: string;
  overdue: MilestoneRecord[];
  due: MilestoneRecord[];
  named: ReadonlyMap<string, Named>;
  running: { instanceId: string; title: string; startAt: string; identity: InstanceIdentity | undefined }[];
}

function milestoneRows(
  ctx: PageContext,
  list: readonly MilestoneRecord[],
  named: ReadonlyMap<string, Named>,
  now: string,
) {
  const { s, language } = ctx;
  return list.map((m) => {
    const entry = named.get(m.instanceId);
    if (entry === undefined) return "";
    const definition = entry.version.definition;
    const label = occurrenceLabel(m.occurrenceKey, {
      titles: new Map(definition.milestones.map((d) => [d.id, pickText(d.title, language)])),
      units: new Map(entry.instance.units.map((u) => [u.id, u.name])),
      recurring: recurringMilestones(definition),
    });
    return html`<tr><th scope="row"><a href="/instances/${m.instanceId}">${label}</a></th><td data-label="${s.colInstance}">${instanceLabel(entry.instance, definition, language)}</td><td class="nowrap" data-label="${s.colDue}">${dateTime(m.dueAt, definition.timezone, s)}</td><td data-label="${s.colStatus}">${statusBadge(statusAt(m, now), language)}</td></tr>`;
  });
}

function milestoneTable(ctx: PageContext, caption: string, rows: (SafeHtml | string)[]): SafeHtml {
  const { s } = ctx;
  return tableWrap(
    caption,
    html`<table class="cards"><thead><tr><th scope="col">${s.colMilestone}</th><th scope="col">${s.colInstance}</th><th scope="col">${s.colDue}</th><th scope="col">${s.colStatus}</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

export function overviewPage(ctx: PageContext, view: OverviewView): string {
  const { s } = ctx;
  const body = html`<h1>${s.overviewTitle}</h1>
<h2>${s.overdueHeading} (${view.overdue.length})</h2>
${
  view.overdue.length === 0
    ? html`<p>${s.overdueNone}</p>`
    : milestoneTable(ctx, s.overdueHeading, milestoneRows(ctx, view.overdue, view.named, view.now))
}
<h2>${s.soonHeading(DUE_SOON_DAYS)} (${view.due.length})</h2>
${view.due.length === 0 ? html`<p>${s.soonNone(DUE_SOON_DAYS)}</p>` : milestoneTable(ctx, s.soonHeading(DUE_SOON_DAYS), milestoneRows(ctx, view.due, view.named, view.now))}
<h2>${s.runningHeading} (${view.running.length})</h2>
${
  view.running.length === 0
    ? html`<p>${s.runningNone}</p>`
    : tableWrap(
        s.runningHeading,
        html`<table class="cards"><thead><tr><th scope="col">${s.colInstance}</th><th scope="col">${s.colStart}</th><th scope="col">${s.reportLink}</th></tr></thead><tbody>${view.running.map(
          (r) =>
            html`<tr><th scope="row">${instanceCell(r.instanceId, r.title, r.identity)}</th><td class="nowrap" data-label="${s.colStart}">${dateTime(r.startAt, DEFAULT_TIMEZONE, s)}</td><td><a href="/instances/${r.instanceId}/report">${s.reportLink}<span class="visually-hidden">: ${r.identity?.name ?? r.title}</span></a></td></tr>`,
        )}</tbody></table>`,
      )
}`;
  return renderPage(ctx, { title: s.overviewTitle, nav: "overview", body });
}
