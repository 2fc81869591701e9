/**
 * What the exports hold, as export tables (shared/export/table.ts) the CSV and XLSX writers turn
 * into files: an instance's milestones (as its page's milestone table, plus each one's owner),
 * its audit trail in words (audit.ts, as its page's history), and a list of milestones across
 * instances (`milestoneListTable`, for the overview's filtered list). Column names and words in
 * the user's language; dates stay dates, in the timeline's timezone. Pure.
 */
import type { InstanceDetail } from "../../app/admin.ts";
import { ownerOf } from "../../app/mail-people.ts";
import { type Cell, dateCell, type ExportTable } from "../../export/table.ts";
import type { Workflow } from "../../model/schema.ts";
import type { OccurrenceStatusName } from "../../timeline/status.ts";
import { describeActor, describeOwner } from "../common/format.ts";
import { type DashboardStrings, dashboardStrings, type Language } from "../strings.ts";
import type { AuditLine } from "./audit.ts";
import { statusLabel } from "./gantt.ts";

/** "leder af Skole A" as the first word of a cell: "Leder af Skole A". */
function sentence(text: string): string {
  return text.charAt(0).toLocaleUpperCase("da") + text.slice(1);
}

/** One row per milestone occurrence, in the page's order (the instance-wide ones, then per unit). */
export function instanceMilestonesTable(
  detail: InstanceDetail,
  definition: Workflow,
  unitNames: ReadonlyMap<string, string>,
  language: Language,
): ExportTable {
  const s = dashboardStrings(language);
  const e = s.export;
  const milestones = new Map(definition.milestones.map((m) => [m.id, m]));
  const recurring = new Set(definition.milestones.filter((m) => m.recurrence).map((m) => m.id));
  const tz = detail.timezone;
  const rows = detail.units.flatMap((group) =>
    group.milestones.map((m): Cell[] => {
      const milestone = milestones.get(m.milestoneId);
      const owner = milestone === undefined ? null : ownerOf(milestone, m.unitId);
      return [
        recurring.has(m.milestoneId) ? `${m.title} #${m.index + 1}` : m.title,
        group.unit === null ? s.wholeInstance : group.unit.name,
        owner === null ? null : sentence(describeOwner(owner, unitNames, s)),
        dateCell(m.dueAt, tz),
        statusLabel(m.status, language),
        dateCell(m.confirmedAt, tz),
        m.confirmedBy === null ? null : describeActor(m.confirmedBy, unitNames, s),
      ];
    }),
  );
  return {
    columns: [
      { header: e.colMilestone, kind: "text" },
      { header: e.colUnit, kind: "text" },
      { header: e.colOwner, kind: "text" },
      { header: e.colDue, kind: "datetime" },
      { header: e.colStatus, kind: "text" },
      { header: e.colConfirmedAt, kind: "datetime" },
      { header: e.colConfirmedBy, kind: "text" },
    ],
    rows,
  };
}

/**
 * The history as the instance page shows it, one row per line; a reason in its own column, any
 * other second line (how a start before today treated its past) after the words of the line.
 */
export function auditTable(lines: readonly AuditLine[], timezone: string, s: DashboardStrings): ExportTable {
  const e = s.export;
  return {
    columns: [
      { header: e.colWhen, kind: "datetime" },
      { header: e.colWho, kind: "text" },
      { header: e.colWhat, kind: "text" },
      { header: e.colReason, kind: "text" },
    ],
    rows: lines.map((line) => [
      dateCell(line.at, timezone),
      line.who,
      line.reason === undefined && line.detail !== undefined ? `${line.what} – ${line.detail}` : line.what,
      line.reason ?? null,
    ]),
  };
}

/** A milestone in a list across instances (the overview's, filtered): what a row of it says. */
export interface MilestoneListRow {
  instanceName: string;
  workflowTitle: string;
  caseRef?: string | undefined;
  /** The milestone's title, with "#2" for a repetition as the pages write it. */
  milestone: string;
  unit?: string | undefined;
  /** Who must confirm it, in words (format.ts describeOwner). */
  owner?: string | undefined;
  /** ISO 8601 instant. */
  dueAt: string;
  /** The timeline's timezone: where the deadline is read. */
  timezone: string;
  /** As timeline/status.ts statusAt says it stands. */
  status: OccurrenceStatusName;
  /** Whole days past the deadline, for an overdue one. */
  daysOverdue?: number | undefined;
}

export function milestoneListTable(rows: readonly MilestoneListRow[], language: Language): ExportTable {
  const e = dashboardStrings(language).export;
  return {
    columns: [
      { header: e.colInstance, kind: "text" },
      { header: e.colWorkflow, kind: "text" },
      { header: e.colCaseRef, kind: "text" },
      { header: e.colMilestone, kind: "text" },
      { header: e.colUnit, kind: "text" },
      { header: e.colOwner, kind: "text" },
      { header: e.colDue, kind: "datetime" },
      { header: e.colStatus, kind: "text" },
      { header: e.colDaysOverdue, kind: "number" },
    ],
    rows: rows.map((r) => [
      r.instanceName,
      r.workflowTitle,
      r.caseRef ?? null,
      r.milestone,
      r.unit ?? null,
      r.owner === undefined ? null : sentence(r.owner),
      dateCell(r.dueAt, r.timezone),
      statusLabel(r.status, language),
      r.daysOverdue ?? null,
    ]),
  };
}
