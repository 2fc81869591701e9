/** InstanceStore.applyChange in memory: every condition checked first, then every write, no await between. */
import { changedSincePreview, checkChangeShape } from "../changes.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { dueIndexSortKey } from "../keys.ts";
import type { AuditEntry, InstanceChange, MilestoneRecord } from "../records.ts";
import { copy, type MemoryMilestone, type MemoryTable } from "./table.ts";

function indexed(record: MilestoneRecord): MemoryMilestone {
  const inIndex = record.status === "open" && record.confirmable && record.dueAt !== null;
  return {
    record,
    ...(inIndex && record.dueAt !== null
      ? { dueSort: dueIndexSortKey(record.dueAt, record.instanceId, record.occurrenceKey) }
      : {}),
  };
}

export function applyChangeInMemory(table: MemoryTable, change: InstanceChange): AuditEntry {
  const { instanceId } = change;
  checkChangeShape(change);
  const instance = table.instances.get(instanceId);
  if (instance === undefined) throw new NotFoundError("instance", instanceId);
  if (instance.status !== "running") {
    throw new ConflictError(`instance ${instanceId} is ${instance.status}; changes need a running instance`);
  }
  if (instance.rev !== change.expectedRev)
    throw changedSincePreview(instanceId, change.expectedRev, instance.rev);
  const milestones = table.milestonesOf(instanceId);
  for (const c of change.confirm ?? []) {
    const m = milestones.get(c.occurrenceKey)?.record;
    if (m === undefined || m.status !== "open" || !m.confirmable) {
      throw new ConflictError(`occurrence ${c.occurrenceKey} of ${instanceId} is not open to confirm`);
    }
  }
  for (const { occurrenceKey } of change.reopen ?? []) {
    if (milestones.get(occurrenceKey)?.record.status !== "confirmed") {
      throw new ConflictError(`occurrence ${occurrenceKey} of ${instanceId} is not confirmed`);
    }
  }

  const now = table.now();
  for (const c of change.confirm ?? []) {
    const m = milestones.get(c.occurrenceKey) as MemoryMilestone;
    Object.assign(m.record, { status: "confirmed", confirmedAt: c.at, confirmedBy: c.by });
    delete m.dueSort;
  }
  for (const { occurrenceKey, dueAt, notice } of change.reopen ?? []) {
    const m = milestones.get(occurrenceKey) as MemoryMilestone;
    const { confirmedAt: _at, confirmedBy: _by, linkId: _link, ...open } = m.record;
    const reopened = notice === undefined ? {} : { reopened: copy(notice) };
    milestones.set(occurrenceKey, indexed({ ...open, dueAt, status: "open", ...reopened }));
  }
  for (const record of change.put ?? []) milestones.set(record.occurrenceKey, indexed(copy(record)));
  for (const key of change.remove ?? []) milestones.delete(key);
  const notifications = table.notificationsOf(instanceId);
  for (const key of change.markSent ?? []) {
    if (notifications.get(key)?.status === "sent") continue;
    notifications.set(key, {
      instanceId,
      notificationKey: key,
      status: "sent",
      attempts: 0,
      sentAt: now,
      details: { carriedOver: true },
    });
  }
  const set = change.set ?? {};
  if (set.dueOverrides !== undefined) instance.dueOverrides = copy(set.dueOverrides);
  if (set.units !== undefined) instance.units = copy(set.units);
  if (set.workflowVersion !== undefined) instance.workflowVersion = set.workflowVersion;
  if (set.hold === null) delete instance.hold;
  else if (set.hold !== undefined) instance.hold = copy(set.hold);
  instance.rev += 1;
  instance.updatedAt = now;
  return table.appendAudit(instanceId, change.audit, now);
}
