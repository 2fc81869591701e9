/**
 * The instance page's milestone table, narrowed by the URL query (`?status=overdue&unit=skole-a`,
 * `unit=-` for the milestones of the instance as a whole): pure. The timeline, the counts and
 * the report stay whole; only the table shows the choice. Statuses are the one status function's
 * (timeline/status.ts), as the table already shows them.
 */
import { z } from "zod";
import type { UnitMilestones } from "../../app/admin.ts";
import { IdSchema } from "../../model/schema.ts";
import { OCCURRENCE_STATUSES, type OccurrenceStatusName } from "../../timeline/status.ts";

/** The unit choice that means "the instance as a whole" (no unit). */
export const WHOLE_INSTANCE = "-";

export interface MilestoneTableFilter {
  status?: OccurrenceStatusName;
  unit?: string;
}

export type MilestoneTableField = "status" | "unit";
export type MilestoneTableProblem = "badStatus" | "badId";

export type MilestoneTableResult =
  | { ok: true; filter: MilestoneTableFilter }
  | { ok: false; errors: Map<MilestoneTableField, MilestoneTableProblem> };

const Unit = z.union([z.literal(WHOLE_INSTANCE), IdSchema]);

export function parseMilestoneTableFilter(query: URLSearchParams): MilestoneTableResult {
  const errors = new Map<MilestoneTableField, MilestoneTableProblem>();
  const filter: MilestoneTableFilter = {};
  const status = query.get("status")?.trim() ?? "";
  if (status !== "") {
    const parsed = z.enum(OCCURRENCE_STATUSES).safeParse(status);
    if (parsed.success) filter.status = parsed.data;
    else errors.set("status", "badStatus");
  }
  const unit = query.get("unit")?.trim() ?? "";
  if (unit !== "") {
    const parsed = Unit.safeParse(unit);
    if (parsed.success) filter.unit = parsed.data;
    else errors.set("unit", "badId");
  }
  return errors.size > 0 ? { ok: false, errors } : { ok: true, filter };
}

/** The groups with only the chosen milestones; a group left empty is left out. */
export function filterGroups(
  groups: readonly UnitMilestones[],
  filter: MilestoneTableFilter,
): UnitMilestones[] {
  return groups
    .filter(
      (g) =>
        filter.unit === undefined ||
        (filter.unit === WHOLE_INSTANCE ? g.unit === null : g.unit?.id === filter.unit),
    )
    .map((g) => ({
      ...g,
      milestones: g.milestones.filter((m) => filter.status === undefined || m.status === filter.status),
    }))
    .filter((g) => g.milestones.length > 0);
}
