import type { Occurrence } from "../../timeline/types.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { dueIndexSortKey, sortableInstant } from "../keys.ts";
import {
  DUE_ENTRY_FIELDS,
  type DueEntry,
  type DueIndex,
  type InstanceStore,
  type TaskTokenStore,
} from "../ports.ts";
import type {
  AuditEntry,
  CancelResult,
  ConfirmationInput,
  ConfirmationResult,
  ExecutionInfo,
  InstanceChange,
  InstanceRecord,
  InstanceStatus,
  InstanceSummary,
  LoadedInstance,
  MilestoneContext,
  MilestoneRecord,
  NewInstance,
} from "../records.ts";
import { DONE_REASON } from "../records.ts";
import {
  confirmationDetails,
  finishedAudit,
  instanceState,
  newInstanceRecord,
  occurrenceChanged,
  occurrenceFields,
} from "../state.ts";
import { applyChangeInMemory } from "./instance-change.ts";
import { byKey, copy, type MemoryMilestone, type MemoryTable, turn } from "./table.ts";

/** What the list index projects of an instance (see LIST_INDEX_ATTRIBUTES). */
const SUMMARY_FIELDS = [
  "instanceId",
  "workflowId",
  "workflowVersion",
  "status",
  "startAt",
  "createdAt",
  "cancelledAt",
  "finishedAt",
] as const satisfies readonly (keyof InstanceSummary)[];

export class MemoryInstanceStore implements InstanceStore {
  constructor(private readonly table: MemoryTable) {}

  async create(input: NewInstance): Promise<InstanceRecord> {
    await turn();
    const { table } = this;
    const versions = table.workflows.get(input.workflowId)?.versions ?? [];
    if (!versions.some((v) => v.version === input.workflowVersion)) {
      throw new NotFoundError("workflow version", `${input.workflowId}@${input.workflowVersion}`);
    }
    if (table.instances.has(input.instanceId))
      throw new ConflictError(`instance ${input.instanceId} already exists`);
    const now = table.now();
    const record = copy(newInstanceRecord(input, now));
    table.instances.set(input.instanceId, record);
    table.appendAudit(
      input.instanceId,
      {
        action: "instance.created",
        by: input.createdBy,
        details: {
          workflowId: input.workflowId,
          workflowVersion: input.workflowVersion,
          startAt: input.startAt,
          ...(input.past === undefined ? {} : { past: input.past }),
          ...(input.name === undefined ? {} : { name: input.name }),
        },
      },
      now,
    );
    return copy(record);
  }

  async get(instanceId: string): Promise<InstanceRecord | null> {
    await turn();
    const instance = this.table.instances.get(instanceId);
    return instance === undefined ? null : copy(instance);
  }

  async list(filter: { workflowId?: string; status?: InstanceStatus } = {}): Promise<InstanceSummary[]> {
    await turn();
    return [...this.table.instances.values()]
      .filter((i) => filter.workflowId === undefined || i.workflowId === filter.workflowId)
      .filter((i) => filter.status === undefined || i.status === filter.status)
      .sort(byKey((i) => `${sortableInstant(i.createdAt)}#${i.instanceId}`, true))
      .map((i) => summaryOf(i));
  }

  async loadState(instanceId: string): Promise<LoadedInstance> {
    await turn();
    const stored = this.table.instances.get(instanceId);
    if (stored === undefined) throw new NotFoundError("instance", instanceId);
    const instance = copy(stored);
    const milestones = this.milestoneRecords(instanceId);
    const sent = [...this.table.notificationsOf(instanceId).values()]
      .filter((n) => n.status === "sent")
      .map((n) => n.notificationKey)
      .sort();
    return { instance, state: instanceState(instance, milestones, sent), milestones };
  }

  async listMilestones(instanceId: string): Promise<MilestoneRecord[]> {
    await turn();
    return this.milestoneRecords(instanceId);
  }

  private milestoneRecords(instanceId: string): MilestoneRecord[] {
    return [...this.table.milestonesOf(instanceId).values()]
      .map((m) => copy(m.record))
      .sort(byKey((m) => m.occurrenceKey));
  }

  async syncOccurrences(
    instanceId: string,
    occurrences: readonly Occurrence[],
    known?: readonly MilestoneRecord[],
    context?: MilestoneContext,
  ): Promise<{ written: number }> {
    await turn();
    const stored = this.table.milestonesOf(instanceId);
    const current = new Map((known ?? this.milestoneRecords(instanceId)).map((m) => [m.occurrenceKey, m]));
    const changed = occurrences.filter((o) => occurrenceChanged(current.get(o.key), o, context));
    for (const o of changed) {
      const fields = occurrenceFields(o, context);
      const existing = stored.get(o.key);
      if (existing === undefined || existing.record.status === "open") {
        const indexed = o.confirmable && o.dueAt !== null;
        const { closesAtRev: _previousMark, ...before } = existing?.record ?? {};
        stored.set(o.key, {
          record: {
            ...before,
            instanceId,
            occurrenceKey: o.key,
            milestoneId: o.milestoneId,
            unitId: o.unitId,
            index: o.index,
            dueAt: o.dueAt,
            confirmable: o.confirmable,
            status: existing?.record.status ?? "open",
            ...fields,
            ...(o.closesAtRev === undefined ? {} : { closesAtRev: o.closesAtRev }),
          },
          ...(indexed && o.dueAt !== null ? { dueSort: dueIndexSortKey(o.dueAt, instanceId, o.key) } : {}),
        });
      } else {
        // Confirmed: only the new due date is recorded; it stays out of the due index.
        Object.assign(existing.record, { dueAt: o.dueAt, confirmable: o.confirmable, ...fields });
      }
    }
    return { written: changed.length };
  }

  async getMilestone(instanceId: string, occurrenceKey: string): Promise<MilestoneRecord | null> {
    await turn();
    const milestone = this.table.milestonesOf(instanceId).get(occurrenceKey);
    return milestone === undefined ? null : copy(milestone.record);
  }

  async getForConfirmation(
    instanceId: string,
    occurrenceKey: string,
  ): Promise<{ milestone: MilestoneRecord | null; parkedToken: string | null }> {
    await turn();
    const milestone = this.table.milestonesOf(instanceId).get(occurrenceKey);
    return {
      milestone: milestone === undefined ? null : copy(milestone.record),
      parkedToken: this.table.instances.get(instanceId)?.taskToken ?? null,
    };
  }

  async recordConfirmation(input: ConfirmationInput): Promise<ConfirmationResult> {
    await turn();
    const { table } = this;
    const { instanceId, occurrenceKey } = input;
    const milestone = table.milestonesOf(instanceId).get(occurrenceKey);
    const instance = table.instances.get(instanceId);
    if (milestone?.record.status === "confirmed") {
      return {
        status: "already",
        at: String(milestone.record.confirmedAt),
        ...(milestone.record.confirmedBy === undefined ? {} : { by: milestone.record.confirmedBy }),
      };
    }
    requireRunning(instance, instanceId, "confirmations");
    if (milestone === undefined) throw new NotFoundError("occurrence", `${instanceId} ${occurrenceKey}`);
    if (!milestone.record.confirmable) {
      throw new ConflictError(`occurrence ${occurrenceKey} of ${instanceId} is not confirmable`);
    }
    const now = table.now();
    // As in DynamoDB: the closing mark finishes the instance only at the rev it was made at.
    const finishing = input.closesAtRev !== undefined && input.closesAtRev === instance.rev;
    milestone.record.status = "confirmed";
    milestone.record.confirmedAt = input.at;
    milestone.record.confirmedBy = input.by;
    if (input.linkId !== undefined) milestone.record.linkId = input.linkId;
    delete milestone.record.closesAtRev;
    delete milestone.dueSort;
    instance.rev += 1;
    instance.updatedAt = now;
    table.appendAudit(
      instanceId,
      {
        action: "confirmation.recorded",
        by: input.by,
        details: confirmationDetails(input),
      },
      now,
    );
    if (finishing) {
      instance.status = "done";
      instance.finishedAt = now;
      table.appendAudit(instanceId, finishedAudit("done", DONE_REASON), now);
    }
    // As in DynamoDB, where a token parked meanwhile is read again: whatever is parked is taken.
    if (input.parkedToken === undefined) return { status: "confirmed", finished: finishing };
    const takenToken = instance.taskToken ?? null;
    delete instance.taskToken;
    delete instance.parkedRev;
    delete instance.parkedAt;
    return { status: "confirmed", finished: finishing, takenToken };
  }

  async moveDeadline(instanceId: string, occurrenceKey: string, newDueAt: string, by: string): Promise<void> {
    await turn();
    const { table } = this;
    const milestone = table.milestonesOf(instanceId).get(occurrenceKey);
    if (milestone?.record.status === "confirmed") {
      throw new ConflictError(`occurrence ${occurrenceKey} of ${instanceId} is already confirmed`);
    }
    const instance = table.instances.get(instanceId);
    requireRunning(instance, instanceId, "deadline moves");
    const dueSort = dueIndexSortKey(newDueAt, instanceId, occurrenceKey);
    const from = milestone?.record.dueAt ?? null;
    const now = table.now();
    instance.rev += 1;
    instance.updatedAt = now;
    instance.dueOverrides = { ...instance.dueOverrides, [occurrenceKey]: newDueAt };
    if (milestone !== undefined) {
      milestone.record.dueAt = newDueAt;
      if (milestone.record.confirmable) milestone.dueSort = dueSort;
    }
    table.appendAudit(
      instanceId,
      { action: "deadline.moved", by, details: { occurrenceKey, from, to: newDueAt } },
      now,
    );
  }

  async cancel(instanceId: string, by: string, reason?: string): Promise<CancelResult> {
    await turn();
    const { table } = this;
    const instance = table.instances.get(instanceId);
    if (instance === undefined) throw new NotFoundError("instance", instanceId);
    let result: CancelResult;
    if (instance.status === "running") {
      const now = table.now();
      instance.status = "cancelled";
      instance.cancelledAt = now;
      instance.updatedAt = now;
      instance.rev += 1;
      table.appendAudit(
        instanceId,
        { action: "instance.cancelled", by, details: { reason: reason ?? null } },
        now,
      );
      result = { status: "cancelled" };
    } else if (instance.status === "cancelled") {
      result = { status: "already", at: String(instance.cancelledAt) };
    } else {
      throw new ConflictError(`instance ${instanceId} is ${instance.status} and cannot be cancelled`);
    }
    markOpenStopped(table, instanceId, "cancelled");
    return result;
  }

  async applyChange(change: InstanceChange): Promise<AuditEntry> {
    await turn();
    return applyChangeInMemory(this.table, change);
  }

  async finish(instanceId: string, status: "done" | "failed", reason?: string): Promise<void> {
    await turn();
    const { table } = this;
    const instance = table.instances.get(instanceId);
    if (instance === undefined) throw new NotFoundError("instance", instanceId);
    if (instance.status === status) return;
    if (instance.status !== "running")
      throw new ConflictError(`instance ${instanceId} is ${instance.status}, not running`);
    const now = table.now();
    instance.status = status;
    instance.finishedAt = now;
    instance.updatedAt = now;
    table.appendAudit(instanceId, finishedAudit(status, reason), now);
    // A done instance has nothing open that anybody could confirm; a failed one may.
    if (status === "failed") markOpenStopped(table, instanceId, "failed");
  }
}

export class MemoryTaskTokenStore implements TaskTokenStore {
  constructor(private readonly table: MemoryTable) {}

  async park(
    instanceId: string,
    token: string,
    seenRev: number,
    execution: ExecutionInfo,
  ): Promise<"parked" | "changed"> {
    await turn();
    const instance = this.table.instances.get(instanceId);
    if (instance === undefined) throw new NotFoundError("instance", instanceId);
    if (instance.rev !== seenRev) return "changed";
    instance.taskToken = token;
    instance.parkedRev = seenRev;
    instance.parkedAt = this.table.now();
    instance.execution = copy(execution);
    return "parked";
  }

  take(instanceId: string): Promise<string | null> {
    return this.takeWhen(instanceId, () => true);
  }

  takeIfStale(instanceId: string): Promise<string | null> {
    return this.takeWhen(instanceId, (i) => i.parkedRev !== undefined && i.parkedRev < i.rev);
  }

  private async takeWhen(
    instanceId: string,
    when: (instance: InstanceRecord) => boolean,
  ): Promise<string | null> {
    await turn();
    const instance = this.table.instances.get(instanceId);
    const token = instance?.taskToken;
    if (instance === undefined || token === undefined || !when(instance)) return null;
    delete instance.taskToken;
    delete instance.parkedRev;
    delete instance.parkedAt;
    return token;
  }
}

export class MemoryDueIndex implements DueIndex {
  constructor(private readonly table: MemoryTable) {}

  async overdue(now: string = this.table.now()): Promise<MilestoneRecord[]> {
    await turn();
    const before = sortableInstant(now);
    return this.indexed()
      .filter((m) => m.dueSort < before)
      .map((m) => copy(m.record));
  }

  async dueBetween(from: string, to: string): Promise<MilestoneRecord[]> {
    await turn();
    // The same comparison as the table's BETWEEN on `<instant>#…` keys: `from` itself in, `to` out.
    const [low, high] = [sortableInstant(from), sortableInstant(to)];
    return this.indexed()
      .filter((m) => m.dueSort >= low && m.dueSort <= high)
      .map((m) => copy(m.record));
  }

  async entries(from: string | null, to: string): Promise<DueEntry[]> {
    await turn();
    const [low, high] = [from === null ? null : sortableInstant(from), sortableInstant(to)];
    return this.indexed()
      .filter((m) => (low === null ? m.dueSort < high : m.dueSort >= low && m.dueSort <= high))
      .map((m) => {
        const entry: Record<string, unknown> = {};
        for (const field of DUE_ENTRY_FIELDS)
          if (m.record[field] !== undefined) entry[field] = m.record[field];
        return copy(entry as DueEntry);
      });
  }

  private indexed(): (MemoryMilestone & { dueSort: string })[] {
    const indexed: (MemoryMilestone & { dueSort: string })[] = [];
    for (const milestones of this.table.milestones.values()) {
      for (const m of milestones.values())
        if (m.dueSort !== undefined) indexed.push({ ...m, dueSort: m.dueSort });
    }
    return indexed.sort(byKey((m) => m.dueSort));
  }
}

/** Open milestones of a stopped instance: out of the due index, and marked with why. */
function markOpenStopped(table: MemoryTable, instanceId: string, status: InstanceStatus): void {
  for (const m of table.milestonesOf(instanceId).values()) {
    if (m.record.status !== "open") continue;
    delete m.dueSort;
    m.record.instanceStatus = status;
  }
}

function requireRunning(
  instance: InstanceRecord | undefined,
  instanceId: string,
  what: string,
): asserts instance is InstanceRecord {
  if (instance === undefined) throw new NotFoundError("instance", instanceId);
  if (instance.status !== "running") {
    throw new ConflictError(`instance ${instanceId} is ${instance.status}; ${what} need a running instance`);
  }
}

function summaryOf(instance: InstanceRecord): InstanceSummary {
  const summary: Partial<Record<keyof InstanceSummary, unknown>> = {};
  for (const field of SUMMARY_FIELDS) if (instance[field] !== undefined) summary[field] = instance[field];
  return copy(summary as InstanceSummary);
}
