import pLimit from "p-limit";
import type { Occurrence } from "../../timeline/types.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import {
  keys,
  LIST,
  SK_META,
  SK_NOTIFICATION_PREFIX,
  SK_OCCURRENCE_PREFIX,
  sortableInstant,
} from "../keys.ts";
import type { InstanceStore } from "../ports.ts";
import type {
  AuditEntry,
  CancelResult,
  ConfirmationInput,
  ConfirmationResult,
  InstanceChange,
  InstanceRecord,
  InstanceStatus,
  InstanceSummary,
  LoadedInstance,
  MilestoneContext,
  MilestoneRecord,
  NewInstance,
} from "../records.ts";
import { finishedAudit, instanceState, newInstanceRecord } from "../state.ts";
import { LIST_INDEX } from "../table.ts";
import { applyChange } from "./instance-change.ts";
import {
  markStopped,
  moveDeadline,
  readForConfirmation,
  recordConfirmation,
  syncOccurrences,
} from "./milestones.ts";
import { retryOnContention, transactionOutcomes } from "./sdk-errors.ts";
import { type DynamoTable, type Item, strip, WRITE_CONCURRENCY } from "./table.ts";

export class DynamoInstanceStore implements InstanceStore {
  constructor(private readonly table: DynamoTable) {}

  async create(input: NewInstance): Promise<InstanceRecord> {
    const { table } = this;
    const now = table.now();
    const record = newInstanceRecord(input, now);
    const audit = table.auditItem(
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
    await retryOnContention("createInstance", async () => {
      try {
        await table.transact([
          {
            ConditionCheck: {
              TableName: table.name,
              Key: keys.workflowVersion(input.workflowId, input.workflowVersion),
              ConditionExpression: "attribute_exists(pk)",
            },
          },
          {
            Put: {
              TableName: table.name,
              Item: {
                ...keys.instance(input.instanceId),
                entity: "instance",
                gsi2pk: LIST.instances,
                gsi2sk: `${sortableInstant(now)}#${input.instanceId}`,
                ...record,
              },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          { Put: audit.put },
        ]);
      } catch (err) {
        const outcomes = transactionOutcomes(err);
        if (outcomes?.[0] === "condition") {
          throw new NotFoundError("workflow version", `${input.workflowId}@${input.workflowVersion}`, {
            cause: err,
          });
        }
        if (outcomes?.[1] === "condition") {
          throw new ConflictError(`instance ${input.instanceId} already exists`, { cause: err });
        }
        throw err;
      }
    });
    return record;
  }

  async get(instanceId: string): Promise<InstanceRecord | null> {
    const item = await this.table.getItem(keys.instance(instanceId));
    return item === undefined ? null : strip<InstanceRecord>(item);
  }

  async list(filter: { workflowId?: string; status?: InstanceStatus } = {}): Promise<InstanceSummary[]> {
    const conditions: string[] = [];
    const values: Item = { ":kind": LIST.instances };
    if (filter.workflowId !== undefined) {
      conditions.push("workflowId = :workflowId");
      values[":workflowId"] = filter.workflowId;
    }
    if (filter.status !== undefined) {
      conditions.push("#status = :status");
      values[":status"] = filter.status;
    }
    const items = await this.table.queryAll({
      IndexName: LIST_INDEX,
      KeyConditionExpression: "gsi2pk = :kind",
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      ...(conditions.length === 0
        ? {}
        : {
            FilterExpression: conditions.join(" AND "),
            ...(filter.status === undefined ? {} : { ExpressionAttributeNames: { "#status": "status" } }),
          }),
    });
    return items.map((item) => strip<InstanceSummary>(item));
  }

  /** One strongly consistent Query over the instance's partition. */
  async loadState(instanceId: string): Promise<LoadedInstance> {
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.instancePartition(instanceId) },
      ConsistentRead: true,
    });
    let instance: InstanceRecord | undefined;
    const milestones: MilestoneRecord[] = [];
    const sent: string[] = [];
    for (const item of items) {
      const sk = String(item.sk);
      if (sk === SK_META) instance = strip<InstanceRecord>(item);
      else if (sk.startsWith(SK_OCCURRENCE_PREFIX)) milestones.push(strip<MilestoneRecord>(item));
      else if (sk.startsWith(SK_NOTIFICATION_PREFIX) && item.status === "sent")
        sent.push(String(item.notificationKey));
    }
    if (instance === undefined) throw new NotFoundError("instance", instanceId);
    return { instance, state: instanceState(instance, milestones, sent), milestones };
  }

  async listMilestones(instanceId: string): Promise<MilestoneRecord[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: {
        ":pk": keys.instancePartition(instanceId),
        ":prefix": SK_OCCURRENCE_PREFIX,
      },
      ConsistentRead: true,
    });
    return items.map((item) => strip<MilestoneRecord>(item));
  }

  /**
   * Only for running instances: the caller has just loaded the state, so it knows, and a
   * cancelled instance's milestones would otherwise reappear in the due index.
   */
  async syncOccurrences(
    instanceId: string,
    occurrences: readonly Occurrence[],
    known?: readonly MilestoneRecord[],
    context?: MilestoneContext,
  ): Promise<{ written: number }> {
    return syncOccurrences(
      this.table,
      instanceId,
      occurrences,
      known ?? (await this.listMilestones(instanceId)),
      context,
    );
  }

  async getMilestone(instanceId: string, occurrenceKey: string): Promise<MilestoneRecord | null> {
    const item = await this.table.getItem(keys.occurrence(instanceId, occurrenceKey));
    return item === undefined ? null : strip<MilestoneRecord>(item);
  }

  getForConfirmation(
    instanceId: string,
    occurrenceKey: string,
  ): Promise<{ milestone: MilestoneRecord | null; parkedToken: string | null }> {
    return readForConfirmation(this.table, instanceId, occurrenceKey);
  }

  recordConfirmation(input: ConfirmationInput): Promise<ConfirmationResult> {
    return recordConfirmation(this.table, input);
  }

  moveDeadline(instanceId: string, occurrenceKey: string, newDueAt: string, by: string): Promise<void> {
    return moveDeadline(this.table, instanceId, occurrenceKey, newDueAt, by);
  }

  applyChange(change: InstanceChange): Promise<AuditEntry> {
    return applyChange(this.table, change);
  }

  /** Status, rev and audit in one transaction, then the open milestones leave the due index. */
  async cancel(instanceId: string, by: string, reason?: string): Promise<CancelResult> {
    const { table } = this;
    const result = await retryOnContention("cancelInstance", async (): Promise<CancelResult> => {
      const now = table.now();
      const audit = table.auditItem(
        instanceId,
        { action: "instance.cancelled", by, details: { reason: reason ?? null } },
        now,
      );
      try {
        await table.transact([
          {
            Update: {
              TableName: table.name,
              Key: keys.instance(instanceId),
              UpdateExpression:
                "SET #status = :cancelled, cancelledAt = :now, updatedAt = :now, rev = rev + :one",
              ConditionExpression: "#status = :running",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: {
                ":cancelled": "cancelled",
                ":running": "running",
                ":now": now,
                ":one": 1,
              },
            },
          },
          { Put: audit.put },
        ]);
        return { status: "cancelled" };
      } catch (err) {
        if (transactionOutcomes(err)?.[0] !== "condition") throw err;
        const item = await table.getItem(keys.instance(instanceId));
        if (item === undefined) throw new NotFoundError("instance", instanceId, { cause: err });
        if (item.status === "cancelled") return { status: "already", at: String(item.cancelledAt) };
        throw new ConflictError(`instance ${instanceId} is ${String(item.status)} and cannot be cancelled`, {
          cause: err,
        });
      }
    });
    // Also after `already`: a first cancel may have died before this cleanup.
    await this.markOpenStopped(instanceId, "cancelled");
    return result;
  }

  private async markOpenStopped(instanceId: string, status: InstanceStatus): Promise<void> {
    const open = (await this.listMilestones(instanceId)).filter(
      (m) => m.status === "open" && m.instanceStatus !== status,
    );
    const limit = pLimit(WRITE_CONCURRENCY);
    await Promise.all(
      open.map((m) => limit(() => markStopped(this.table, instanceId, m.occurrenceKey, status))),
    );
  }

  async finish(instanceId: string, status: "done" | "failed", reason?: string): Promise<void> {
    const { table } = this;
    await retryOnContention("finishInstance", async () => {
      const now = table.now();
      const audit = table.auditItem(instanceId, finishedAudit(status, reason), now);
      try {
        await table.transact([
          {
            Update: {
              TableName: table.name,
              Key: keys.instance(instanceId),
              UpdateExpression: "SET #status = :status, finishedAt = :now, updatedAt = :now",
              ConditionExpression: "#status = :running",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: { ":status": status, ":running": "running", ":now": now },
            },
          },
          { Put: audit.put },
        ]);
      } catch (err) {
        if (transactionOutcomes(err)?.[0] !== "condition") throw err;
        const item = await table.getItem(keys.instance(instanceId));
        if (item === undefined) throw new NotFoundError("instance", instanceId, { cause: err });
        if (item.status === status) return;
        throw new ConflictError(`instance ${instanceId} is ${String(item.status)}, not running`, {
          cause: err,
        });
      }
    });
    // A done instance has nothing open that anybody could confirm; a failed one may.
    if (status === "failed") await this.markOpenStopped(instanceId, "failed");
  }
}
