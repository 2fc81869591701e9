/**
 * The overview's search as a file: GET /deadlines.csv and /deadlines.xlsx take the overview's own
 * query (filter.ts) and hold every matching deadline, not only the page shown, in the search's
 * order, with the export's Danish (or English) columns (instances/export-tables.ts).
 *
 * A download counts as looking at each case in it: one access-log entry per instance the file
 * holds (a few dozen for a municipality's whole list, never one per row), written before the file
 * is sent, so a child-welfare case's log names who took its deadlines away. A query the overview
 * would refuse is answered as the overview answers it: 400, the form saying which field and why.
 */
import { Hono } from "hono";
import type { ExportFormat } from "../../export/download.ts";
import { recordView } from "../../http/access-record.ts";
import type { HttpDeps } from "../../http/context.ts";
import { type DashEnv, languageOf } from "../common/context.ts";
import { DEFAULT_TIMEZONE } from "../common/format.ts";
import { sendExport } from "../instances/export-routes.ts";
import { type MilestoneListRow, milestoneListTable } from "../instances/export-tables.ts";
import { instanceReader } from "../instances/names.ts";
import { dashboardStrings } from "../strings.ts";
import { parse, toQuery } from "./filter.ts";
import { type FoundMilestone, findMilestones } from "./find.ts";
import { overviewResponse } from "./routes.ts";

export const LIST_EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "xlsx"];

export function listExportRoutes(deps: HttpDeps): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  for (const format of LIST_EXPORT_FORMATS) {
    routes.get(`/deadlines.${format}`, async (c) => {
      const query = new URL(c.req.url).searchParams;
      const parsed = parse(query);
      if (!parsed.ok) return overviewResponse(c, deps);
      const language = languageOf(c);
      const s = dashboardStrings(language);
      const read = instanceReader(deps);
      const now = deps.clock.now();
      const rows = await findMilestones(deps, c.get("principal"), parsed.filter, now, language, read);
      const instances = await read(rows.map((r) => r.instanceId));
      const search = toQuery(parsed.filter, { page: 1 });
      const asked = `${format}: ${rows.length} deadlines${search === "" ? "" : ` (${search})`}`;
      for (const { instance } of instances.values())
        await recordView(c, deps, "deadline-list-export", instance, { detail: asked });
      return sendExport(
        c,
        milestoneListTable(rows.map(listRow), language),
        format,
        s.export.deadlinesFile(now.toZonedDateTimeISO(DEFAULT_TIMEZONE).toPlainDate().toString()),
        s.export.deadlinesSheet,
      );
    });
  }

  return routes;
}

function listRow(m: FoundMilestone): MilestoneListRow {
  return {
    instanceName: m.instanceName,
    workflowTitle: m.workflowTitle,
    caseRef: m.caseRef ?? undefined,
    milestone: m.milestoneLabel,
    unit: m.unitName ?? undefined,
    owner: m.owner ?? undefined,
    dueAt: m.dueAt,
    timezone: m.timezone,
    status: m.status,
    daysOverdue: m.daysOverdue ?? undefined,
  };
}
