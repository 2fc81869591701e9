/** How records become what decide() takes, the same for every adapter. */
import type { InstanceState } from "../timeline/types.ts";
import type { InstanceRecord, MilestoneRecord, NewInstance } from "./records.ts";

/** A new, running instance at rev 0, as every adapter stores it. */
export function newInstanceRecord(input: NewInstance, now: string): InstanceRecord {
  return {
    instanceId: input.instanceId,
    workflowId: input.workflowId,
    workflowVersion: input.workflowVersion,
    status: "running",
    startAt: input.startAt,
    params: input.params,
    units: input.units,
    rev: 0,
    dueOverrides: {},
    createdAt: now,
    createdBy: input.createdBy,
    execution: { startedAt: now, loops: 0 },
  };
}

/** decide()'s view of an instance: its record, the confirmations among its milestones, the keys sent. */
export function instanceState(
  instance: InstanceRecord,
  milestones: readonly MilestoneRecord[],
  sent: string[],
): InstanceState {
  return {
    instanceId: instance.instanceId,
    startAt: instance.startAt,
    params: instance.params,
    units: instance.units,
    confirmations: milestones
      .filter((m) => m.status === "confirmed" && m.confirmedAt !== undefined)
      .map((m) => ({
        occurrenceKey: m.occurrenceKey,
        at: m.confirmedAt as string,
        ...(m.confirmedBy === undefined ? {} : { by: m.confirmedBy }),
      })),
    sent,
    dueOverrides: instance.dueOverrides,
    ...(instance.cancelledAt === undefined ? {} : { cancelledAt: instance.cancelledAt }),
    execution: instance.execution,
  };
}
