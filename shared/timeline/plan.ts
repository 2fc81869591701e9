/**
 * plan(): the whole timeline of an instance as it would run if every milestone were confirmed
 * exactly on its deadline. Used for previews (CLI, dashboard) and as the schedule the overview
 * shows before anything has happened.
 */
import type { Params, Workflow } from "../model/schema.ts";
import { Temporal } from "../time/temporal.ts";
import { compileWorkflow } from "./compile.ts";
import { notificationKey } from "./decide.ts";
import { buildSchedule, effectiveNotifications } from "./schedule.ts";
import type { InstanceUnit, Plan, PlannedOccurrence, ScheduledNotification } from "./types.ts";

const PLAN_INSTANCE_ID = "plan";

/**
 * The instance start: a date (`2023-11-01`, midnight local), a local date-time
 * (`2024-03-30T12:00`) or an instant with offset (`2024-03-30T11:00:00Z`).
 */
export function resolveStart(start: string | Temporal.Instant, timezone: string): Temporal.Instant {
  if (typeof start !== "string") return start;
  if (/^\d{4}-\d{2}-\d{2}$/.test(start)) {
    return Temporal.PlainDate.from(start, { overflow: "reject" })
      .toZonedDateTime({ timeZone: timezone })
      .toInstant();
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(start)) {
    return Temporal.PlainDateTime.from(start, { overflow: "reject" }).toZonedDateTime(timezone).toInstant();
  }
  return Temporal.Instant.from(start);
}

/**
 * Checks an instance against the plan's ceilings (ceilings.ts) without computing its
 * notifications: cheap enough to run before every start. Throws PlanLimitError.
 */
export function checkPlanCeilings(
  definition: Workflow,
  start: string | Temporal.Instant,
  units: InstanceUnit[],
): { occurrences: number } {
  const compiled = compileWorkflow(definition);
  const schedule = buildSchedule({
    compiled,
    start: resolveStart(start, compiled.timezone),
    units,
    dueOverrides: {},
    completion: (o) => o.due,
    enforceCeilings: true,
    withoutNotifications: true,
  });
  return { occurrences: schedule.length };
}

/** The plan; one over the ceilings (ceilings.ts) throws PlanLimitError naming the milestone. */
export function plan(
  definition: Workflow,
  start: string | Temporal.Instant,
  _params: Params,
  units: InstanceUnit[],
): Plan {
  const compiled = compileWorkflow(definition);
  const startAt = resolveStart(start, compiled.timezone);
  const schedule = buildSchedule({
    compiled,
    start: startAt,
    units,
    dueOverrides: {},
    completion: (o) => o.due,
    enforceCeilings: true,
  });
  const occurrences: PlannedOccurrence[] = schedule.map((occ) => {
    // buildSchedule always knows the due when every completion is a due.
    const due = occ.due ?? startAt;
    const notifications: ScheduledNotification[] = [];
    const base = {
      occurrenceKey: occ.key,
      milestoneId: occ.milestone.id,
      unitId: occ.unitId,
      index: occ.index,
      dueAt: due.toString(),
    };
    for (const n of effectiveNotifications(occ, occ.activation ?? startAt)) {
      const entry: ScheduledNotification = {
        ...base,
        key: notificationKey(PLAN_INSTANCE_ID, occ, n.kind, n.detail),
        kind: n.kind,
        at: n.atIso,
        recipient: n.recipient,
      };
      if (n.offset !== undefined) entry.offset = n.offset;
      if (n.level !== undefined) entry.level = n.level;
      notifications.push(entry);
    }
    notifications.sort((a, b) =>
      Temporal.Instant.compare(Temporal.Instant.from(a.at), Temporal.Instant.from(b.at)),
    );
    return {
      key: occ.key,
      milestoneId: occ.milestone.id,
      unitId: occ.unitId,
      index: occ.index,
      dueAt: due.toString(),
      plannedDueAt: due.toString(),
      after: occ.milestone.after,
      confirmable: occ.milestone.confirmable,
      owner: occ.owner,
      notifications,
    };
  });
  occurrences.sort(
    (a, b) =>
      Temporal.Instant.compare(
        Temporal.Instant.from(a.plannedDueAt),
        Temporal.Instant.from(b.plannedDueAt),
      ) || a.key.localeCompare(b.key),
  );
  return {
    workflowId: definition.id,
    timezone: compiled.timezone,
    language: definition.language,
    startAt: startAt.toString(),
    occurrences,
  };
}
