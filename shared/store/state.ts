/** How records become what decide() and people read, the same for every adapter. */
import { Temporal } from "../time/temporal.ts";
import type { InstanceState, Occurrence } from "../timeline/types.ts";
import { sortableInstant } from "./keys.ts";
import type {
  AuditEntry,
  AuditInput,
  ConfirmationInput,
  InstanceRecord,
  JsonValue,
  MilestoneContext,
  MilestoneRecord,
  NewInstance,
  NotificationRecord,
} from "./records.ts";

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
    ...(input.quietUntil === undefined ? {} : { quietUntil: input.quietUntil }),
    ...(input.name === undefined ? {} : { name: input.name }),
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
    ...(instance.hold === undefined ? {} : { hold: { since: instance.hold.since } }),
    ...(instance.quietUntil === undefined ? {} : { quietUntil: instance.quietUntil }),
    execution: { startedAt: instance.execution.startedAt, loops: instance.execution.loops },
    ...reopeningsOf(milestones),
  };
}

/** The undone confirmations still open (a confirmed one has nothing to tell its owner). */
function reopeningsOf(milestones: readonly MilestoneRecord[]): Pick<InstanceState, "reopenings"> {
  const reopenings = milestones.flatMap((m) =>
    m.status === "open" && m.reopened !== undefined
      ? [{ occurrenceKey: m.occurrenceKey, ...m.reopened }]
      : [],
  );
  return reopenings.length === 0 ? {} : { reopenings };
}

/** The audit entry a sent notification stands for: its item is the record of the send. */
export function sentEntry(record: NotificationRecord): AuditEntry | null {
  if (record.status !== "sent" || record.sentAt === undefined) return null;
  return {
    instanceId: record.instanceId,
    id: `${sortableInstant(record.sentAt)}#sent#${record.notificationKey}`,
    at: record.sentAt,
    action: "notification.sent",
    by: "system",
    details: {
      notificationKey: record.notificationKey,
      kind: record.kind ?? null,
      occurrenceKey: record.occurrenceKey ?? null,
      level: record.level ?? null,
      ...record.details,
    },
  };
}

/** The trail as people read it: written entries and sent notifications, in time order. */
export function mergeTrail(
  written: readonly AuditEntry[],
  notifications: readonly NotificationRecord[],
): AuditEntry[] {
  const sent = notifications.map(sentEntry).filter((e): e is AuditEntry => e !== null);
  return [...written, ...sent].sort((a, b) => {
    const byTime = Temporal.Instant.compare(Temporal.Instant.from(a.at), Temporal.Instant.from(b.at));
    return byTime !== 0 ? byTime : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** The sort key of an entry written at most once per key (see AuditLog.appendOnce). */
export function onceAuditId(at: string, onceKey: string): string {
  return `${sortableInstant(at)}${onceAuditSuffix(onceKey)}`;
}

/** An instant as the table's TTL attribute holds it: epoch seconds. */
export function ttlSeconds(instant: Temporal.Instant): number {
  return Math.floor(instant.epochMilliseconds / 1000);
}

/**
 * Whether an entry's `expiresAt` (TTL seconds, or absent: never) has passed at `nowSeconds`
 * (ttlSeconds): lists leave such an entry out before DynamoDB gets round to deleting it.
 */
export function expired(expiresAt: unknown, nowSeconds: number): boolean {
  return typeof expiresAt === "number" && expiresAt <= nowSeconds;
}

/** How every id onceAuditId makes for this key ends, whatever its date. */
export function onceAuditSuffix(onceKey: string): string {
  return `#once#${onceKey}`;
}

/** The milestone fields a MilestoneContext gives, as both adapters write them. */
export function contextFields(
  o: Pick<Occurrence, "unitId">,
  context: MilestoneContext | undefined,
): Pick<MilestoneRecord, ContextField> {
  if (context === undefined) return {};
  const unit = o.unitId === null ? undefined : context.units.find((u) => u.id === o.unitId);
  return {
    workflowId: context.workflowId,
    workflowVersion: context.workflowVersion,
    unitName: o.unitId === null ? null : (unit?.name ?? o.unitId),
    ...(context.instanceName === undefined ? {} : { instanceName: context.instanceName }),
    ...(context.instanceRefs === undefined ? {} : { instanceRefs: context.instanceRefs }),
  };
}

type ContextField = "workflowId" | "workflowVersion" | "unitName" | "instanceName" | "instanceRefs";

/**
 * Everything a milestone state carries beyond its key and deadline: its instance's context and,
 * where decide() says it, when it became active (what tells "waiting" from "overdue", status.ts).
 */
export function occurrenceFields(
  o: Pick<Occurrence, "unitId" | "activatedAt">,
  context: MilestoneContext | undefined,
): Pick<MilestoneRecord, ContextField | "activatedAt"> {
  const fields = contextFields(o, context);
  return o.activatedAt === undefined ? fields : { ...fields, activatedAt: o.activatedAt };
}

/** Whether a stored milestone state must be written again for this occurrence (and context). */
export function occurrenceChanged(
  stored: MilestoneRecord | undefined,
  o: Occurrence,
  context: MilestoneContext | undefined,
): boolean {
  if (stored === undefined || stored.dueAt !== o.dueAt || stored.confirmable !== o.confirmable) return true;
  // A confirmed milestone's activation no longer shows anywhere: no write for it.
  if (o.activatedAt !== undefined && stored.status === "open" && stored.activatedAt !== o.activatedAt) {
    return true;
  }
  // The mark of the occurrence that finishes the instance follows the loop's latest decision.
  if (stored.status === "open" && stored.closesAtRev !== o.closesAtRev) return true;
  const fields = contextFields(o, context);
  return (
    (fields.workflowId !== undefined && stored.workflowId !== fields.workflowId) ||
    (fields.workflowVersion !== undefined && stored.workflowVersion !== fields.workflowVersion) ||
    (fields.unitName !== undefined && stored.unitName !== fields.unitName) ||
    (fields.instanceName !== undefined && stored.instanceName !== fields.instanceName) ||
    (fields.instanceRefs !== undefined &&
      JSON.stringify(stored.instanceRefs ?? null) !== JSON.stringify(fields.instanceRefs))
  );
}

/**
 * The audit entry of an instance that stopped by itself: the loop's finish (done, failed) and a
 * confirmation that finished its instance write the same one.
 */
export function finishedAudit(status: "done" | "failed", reason: string | undefined): AuditInput {
  return { action: `instance.${status}`, by: "system", details: { reason: reason ?? null } };
}

/** The audit entry's details of a confirmation: which occurrence, when, and through which link. */
export function confirmationDetails(input: ConfirmationInput): { [key: string]: JsonValue } {
  return {
    occurrenceKey: input.occurrenceKey,
    at: input.at,
    linkId: input.linkId ?? null,
    ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
    ...(input.onBehalfOf === undefined ? {} : { onBehalfOf: input.onBehalfOf }),
    ...(input.via === undefined ? {} : { via: input.via }),
  };
}
