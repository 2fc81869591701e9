/**
 * The landing page: what needs attention across all instances (overdue milestones, and those due
 * within DUE_SOON_DAYS), a search over every open deadline (by workflow, unit, responsible person,
 * status, due period, case reference and name, in the URL query), and the running instances.
 *
 * The folder: this route; filter.ts (the query read and applied, pure); find.ts (findMilestones,
 * the reads through the due index, shared with the export); page.ts (the page). A query that
 * cannot be used is answered 400 with the form saying which field and why, and the lists unfiltered.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { visibleAmong } from "../../app/visibility.ts";
import type { HttpDeps } from "../../http/context.ts";
import type { Unit } from "../../model/schema.ts";
import { pickText } from "../../timeline/format.ts";
import { instanceIdentity } from "../../timeline/instance-name.ts";
import { type DashEnv, pageContext, sendPage } from "../common/context.ts";
import { pageOf } from "../common/paging.ts";
import { type InstanceReader, instanceReader } from "../instances/names.ts";
import {
  DEFAULT_FILTER,
  FILTER_FIELDS,
  type FilterErrors,
  type FilterField,
  isFiltered,
  type MilestoneFilter,
  parse,
  toQuery,
} from "./filter.ts";
import { findMilestones } from "./find.ts";
import { type FilterForm, formValues, type OverviewView, overviewPage, type RunningRow } from "./page.ts";

export function overviewRoutes(deps: HttpDeps): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();
  routes.get("/", (c) => overviewResponse(c, deps));
  return routes;
}

/**
 * The overview for the request's query: the search's results, or the two lists and the form
 * saying what is wrong (400). The list's export answers a refused query with it too.
 */
export async function overviewResponse(c: Context<DashEnv>, deps: HttpDeps): Promise<Response> {
  const now = deps.clock.now();
  const query = new URL(c.req.url).searchParams;
  const parsed = parse(query);
  const principal = c.get("principal");
  const [ctx, workflows, units] = await Promise.all([
    pageContext(c, deps),
    deps.workflows.list(),
    deps.units.list(),
  ]);
  // One read of each instance for the whole page, however many lists show it.
  const read = instanceReader(deps);
  const find = (filter: MilestoneFilter) => findMilestones(deps, principal, filter, now, ctx.language, read);
  const searching = parsed.ok && (isFiltered(parsed.filter) || toQuery(parsed.filter) !== "");
  const [list, running] = await Promise.all([
    searching && parsed.ok
      ? find(parsed.filter).then((rows): OverviewView["list"] => ({
          kind: "search",
          search: { filter: parsed.filter, page: pageOf(rows, parsed.filter.page) },
        }))
      : Promise.all([
          find({ ...DEFAULT_FILTER, status: "overdue" }),
          find({ ...DEFAULT_FILTER, status: "due-soon" }),
        ]).then(([overdue, due]): OverviewView["list"] => ({
          kind: "attention",
          attention: { overdue: pageOf(overdue, 1), due: pageOf(due, 1) },
        })),
    runningRows(deps, read, principal, ctx.language, workflows),
  ]);
  const form: FilterForm = {
    values: parsed.ok ? formValues(parsed.filter) : typed(query, parsed.errors),
    errors: parsed.ok ? new Map() : parsed.errors,
    workflows,
    units: [...units].sort(byName),
  };
  // The language switch links back here: without a CPR number that was typed.
  const page = { ...ctx, here: withoutCpr(ctx.here, parsed.ok ? new Map() : parsed.errors) };
  return sendPage(c, overviewPage(page, { form, list, running }), parsed.ok ? 200 : 400);
}

/** What was typed, to show again beside the message (the page escapes it). */
function typed(query: URLSearchParams, errors: FilterErrors): Partial<Record<FilterField, string>> {
  const values: Partial<Record<FilterField, string>> = {};
  for (const field of FILTER_FIELDS) {
    const value = query.get(field);
    // A CPR number is never shown again, not even to the person who typed it.
    if (value !== null && errors.get(field) !== "cpr") values[field] = value.slice(0, 200);
  }
  return values;
}

/** The path with every field refused as a CPR number left out. */
export function withoutCpr(path: string, errors: ReadonlyMap<string, string>): string {
  const url = new URL(path, "http://x");
  for (const [field, problem] of errors) if (problem === "cpr") url.searchParams.delete(field);
  const query = url.searchParams.toString();
  return query === "" ? url.pathname : `${url.pathname}?${query}`;
}

function byName(a: Pick<Unit, "name">, b: Pick<Unit, "name">): number {
  return a.name.localeCompare(b.name, "da");
}

/** The running instances the person may see, each with its name (one read per instance). */
async function runningRows(
  deps: HttpDeps,
  read: InstanceReader,
  principal: Parameters<typeof visibleAmong>[1],
  language: Parameters<typeof instanceIdentity>[2],
  workflows: Awaited<ReturnType<HttpDeps["workflows"]["list"]>>,
): Promise<RunningRow[]> {
  const all = await deps.instances.list({ status: "running" });
  const sees = await visibleAmong(
    deps,
    principal,
    all.map((i) => i.instanceId),
  );
  const running = all.filter((i) => sees(i.instanceId));
  const named = await read(running.map((r) => r.instanceId));
  const titles = new Map(workflows.map((w) => [w.workflowId, pickText(w.title, language)]));
  return running.map((r) => {
    const entry = named.get(r.instanceId);
    return {
      instanceId: r.instanceId,
      title: titles.get(r.workflowId) ?? r.workflowId,
      startAt: r.startAt,
      identity: entry && instanceIdentity(entry.instance, entry.definition, language),
    };
  });
}
