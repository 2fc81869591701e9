/**
 * An instance's milestones and its audit trail as files: CSV (as Danish Excel opens it) and
 * Excel (XLSX), in the user's language, named after the instance. Whoever may see the instance's
 * page may download them, and a download counts as looking at it: it is written in the access
 * log first (as the page is), so a child-welfare case's log names who took its data away.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { toCsv } from "../../export/csv.ts";
import { CONTENT_TYPES, contentDisposition, type ExportFormat } from "../../export/download.ts";
import type { ExportTable } from "../../export/table.ts";
import { toXlsx } from "../../export/xlsx.ts";
import { recordView } from "../../http/access-record.ts";
import type { HttpDeps } from "../../http/context.ts";
import { pickText } from "../../timeline/format.ts";
import { type DashEnv, languageOf } from "../common/context.ts";
import { dashboardStrings } from "../strings.ts";
import { auditLines } from "./audit.ts";
import { auditTable, instanceMilestonesTable } from "./export-tables.ts";
import { recurringMilestones } from "./pages.ts";
import { loadInstance } from "./routes.ts";

/**
 * An export table as the file of `format` with its headers, named `name` (without extension):
 * never cached, since it holds a case's data. The overview's filtered list can answer with it too
 * (milestoneListTable in export-tables.ts).
 */
export async function sendExport(
  c: Context<DashEnv>,
  table: ExportTable,
  format: ExportFormat,
  name: string,
  sheet: string,
): Promise<Response> {
  const body = format === "csv" ? toCsv(table) : new Uint8Array(await toXlsx(table, sheet));
  c.header("Content-Type", CONTENT_TYPES[format]);
  c.header("Content-Disposition", contentDisposition(name, format));
  c.header("Cache-Control", "no-store");
  return c.body(body);
}

export function exportRoutes(deps: HttpDeps): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  for (const format of ["csv", "xlsx"] as const) {
    routes.get(`/instances/:id/milestones.${format}`, async (c) => {
      const language = languageOf(c);
      const s = dashboardStrings(language);
      const { detail, definition, unitNames } = await loadInstance(c, deps);
      await recordView(c, deps, "instance-milestones-export", detail.instance, { detail: format });
      const table = instanceMilestonesTable(detail, definition, unitNames, language);
      return sendExport(
        c,
        table,
        format,
        s.export.milestonesFile(detail.identity.name),
        s.export.milestonesSheet,
      );
    });

    routes.get(`/instances/:id/audit.${format}`, async (c) => {
      const language = languageOf(c);
      const s = dashboardStrings(language);
      const { detail, definition, unitNames } = await loadInstance(c, deps);
      await recordView(c, deps, "instance-audit-export", detail.instance, { detail: format });
      const titles = new Map(definition.milestones.map((m) => [m.id, pickText(m.title, language)]));
      const lines = auditLines(
        await deps.audit.list(detail.instance.instanceId),
        { titles, units: unitNames, recurring: recurringMilestones(definition) },
        s,
      );
      const table = auditTable(lines, detail.timezone, s);
      return sendExport(c, table, format, s.export.auditFile(detail.identity.name), s.export.auditSheet);
    });
  }

  return routes;
}
