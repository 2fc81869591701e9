/**
 * The DynamoDB adapter: every read and write fristflow makes, on one table (layout in keys.ts).
 *
 * Rules it keeps:
 * - No Scan: every list is a Query on the base table or a sparse GSI.
 * - Every write that must happen once is conditional (a version number, a confirmation, a
 *   notification claim, a link use), and writes that belong together are one transaction.
 * - Reads that feed a decision are strongly consistent; GSI reads (overviews) are eventually
 *   consistent by nature and are never used to decide anything.
 * - Time comes from the injected clock.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Unit } from "../model/schema.ts";
import type { Clock } from "../time/clock.ts";
import type { InstanceState, Occurrence } from "../timeline/types.ts";
import { isConditionFailed, retryOnContention, transactionOutcomes } from "./dynamo-errors.ts";
import { ConflictError, ContentionError, NotFoundError } from "./errors.ts";
import {
  AuditKeys,
  DUE_PARTITION,
  dueIndexSortKey,
  type ItemKey,
  keys,
  LIST,
  SK_META,
  SK_NOTIFICATION_PREFIX,
  SK_OCCURRENCE_PREFIX,
  SK_VERSION_PREFIX,
  sortableInstant,
} from "./keys.ts";
import type {
  AuditEntry,
  AuditInput,
  CancelResult,
  ConfirmationInput,
  ConfirmationResult,
  ExecutionInfo,
  InstanceRecord,
  InstanceStatus,
  InstanceSummary,
  LinkUseResult,
  LoadedInstance,
  MilestoneRecord,
  NewInstance,
  NewWorkflowVersion,
  NotificationRecord,
  OutboxRecord,
  OutboxSummary,
  SentInfo,
  StoredLink,
  WorkflowSummary,
  WorkflowVersionRecord,
} from "./records.ts";
import { DUE_INDEX, LIST_INDEX } from "./table.ts";

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** Attributes that only exist for DynamoDB's sake and never leave the store. */
const KEY_ATTRIBUTES = ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "entity"];

const VERSION_ATTEMPTS = 8;
/** Concurrent single-item updates per sync: enough to hide latency, few enough not to throttle. */
const SYNC_CONCURRENCY = 10;
const DEFAULT_OUTBOX_PAGE = 50;

export class Store {
  private readonly auditKeys = new AuditKeys();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  // ---------------------------------------------------------------- workflows

  /**
   * Stores a new version of a definition and returns it with its number (1 for a new workflow).
   * Two concurrent saves get consecutive numbers: the version item is written only if absent and
   * the head only if it still names the version this save read, in one transaction; the loser
   * reads again and takes the next number.
   */
  async putWorkflowVersion(input: NewWorkflowVersion): Promise<WorkflowVersionRecord> {
    for (let attempt = 1; ; attempt++) {
      const head = await this.getItem(keys.workflowHead(input.workflowId));
      const previous = typeof head?.latestVersion === "number" ? head.latestVersion : 0;
      const record: WorkflowVersionRecord = {
        workflowId: input.workflowId,
        version: previous + 1,
        source: input.source,
        definition: input.definition,
        createdAt: this.now(),
        createdBy: input.createdBy,
      };
      const summary: WorkflowSummary = {
        workflowId: input.workflowId,
        latestVersion: record.version,
        title: input.definition.title,
        latestAt: record.createdAt,
        latestBy: record.createdBy,
      };
      try {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...keys.workflowVersion(record.workflowId, record.version),
                    entity: "workflowVersion",
                    ...record,
                  },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...keys.workflowHead(record.workflowId),
                    entity: "workflow",
                    gsi2pk: LIST.workflows,
                    gsi2sk: record.workflowId,
                    ...summary,
                  },
                  ...(previous === 0
                    ? { ConditionExpression: "attribute_not_exists(pk)" }
                    : {
                        ConditionExpression: "latestVersion = :previous",
                        ExpressionAttributeValues: { ":previous": previous },
                      }),
                },
              },
            ],
          }),
        );
        return record;
      } catch (err) {
        const outcomes = transactionOutcomes(err);
        // Losing to another save shows up as a false condition or a transaction conflict; both mean "read again".
        if (outcomes === undefined || outcomes.includes("other")) throw err;
        if (attempt >= VERSION_ATTEMPTS) {
          throw new ContentionError(`workflow ${input.workflowId}: ${attempt} concurrent saves in a row`, {
            cause: err,
          });
        }
        await jitter(attempt);
      }
    }
  }

  /** A given version, or the latest when `version` is left out; null if there is none. */
  async getWorkflow(workflowId: string, version?: number): Promise<WorkflowVersionRecord | null> {
    if (version !== undefined) {
      const item = await this.getItem(keys.workflowVersion(workflowId, version));
      return item === undefined ? null : (strip(item) as unknown as WorkflowVersionRecord);
    }
    const { pk } = keys.workflowHead(workflowId);
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": pk, ":prefix": SK_VERSION_PREFIX },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = page.Items?.[0];
    return item === undefined ? null : (strip(item) as unknown as WorkflowVersionRecord);
  }

  /** Every workflow with its latest version, by id. */
  async listWorkflows(): Promise<WorkflowSummary[]> {
    const items = await this.queryAll({
      IndexName: LIST_INDEX,
      KeyConditionExpression: "gsi2pk = :kind",
      ExpressionAttributeValues: { ":kind": LIST.workflows },
    });
    return items.map((item) => strip(item) as unknown as WorkflowSummary);
  }

  /** The versions of one workflow, oldest first, without their (large) source and definition. */
  async listWorkflowVersions(
    workflowId: string,
  ): Promise<Pick<WorkflowVersionRecord, "workflowId" | "version" | "createdAt" | "createdBy">[]> {
    const items = await this.queryAll({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": keys.workflowHead(workflowId).pk, ":prefix": SK_VERSION_PREFIX },
      ProjectionExpression: "workflowId, version, createdAt, createdBy",
    });
    return items as unknown as Pick<
      WorkflowVersionRecord,
      "workflowId" | "version" | "createdAt" | "createdBy"
    >[];
  }

  // ---------------------------------------------------------------- directory

  /** Creates or replaces a unit. */
  async putUnit(unit: Unit): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.unit(unit.id),
          entity: "unit",
          gsi2pk: LIST.units,
          gsi2sk: `${unit.type}#${unit.id}`,
          unit,
        },
      }),
    );
  }

  async getUnit(unitId: string): Promise<Unit | null> {
    const item = await this.getItem(keys.unit(unitId));
    return item === undefined ? null : (item.unit as Unit);
  }

  /** All units, or those of one type, ordered by type and id. */
  async listUnits(type?: string): Promise<Unit[]> {
    const items = await this.queryAll({
      IndexName: LIST_INDEX,
      KeyConditionExpression:
        type === undefined ? "gsi2pk = :kind" : "gsi2pk = :kind AND begins_with(gsi2sk, :type)",
      ExpressionAttributeValues: {
        ":kind": LIST.units,
        ...(type === undefined ? {} : { ":type": `${type}#` }),
      },
    });
    return items.map((item) => item.unit as Unit);
  }

  /** Throws NotFoundError if there is no such unit. */
  async deleteUnit(unitId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.unit(unitId),
          ConditionExpression: "attribute_exists(pk)",
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) throw new NotFoundError("unit", unitId, { cause: err });
      throw err;
    }
  }

  // ---------------------------------------------------------------- instances

  /**
   * Creates a running instance of an existing workflow version, with its first audit entry.
   * Throws NotFoundError for an unknown workflow version and ConflictError if the id is taken.
   */
  async createInstance(input: NewInstance): Promise<InstanceRecord> {
    const now = this.now();
    const record: InstanceRecord = {
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
    const audit = this.auditItem(
      input.instanceId,
      {
        action: "instance.created",
        by: input.createdBy,
        details: {
          workflowId: input.workflowId,
          workflowVersion: input.workflowVersion,
          startAt: input.startAt,
        },
      },
      now,
    );
    await retryOnContention("createInstance", async () => {
      try {
        await this.transact([
          {
            ConditionCheck: {
              TableName: this.tableName,
              Key: keys.workflowVersion(input.workflowId, input.workflowVersion),
              ConditionExpression: "attribute_exists(pk)",
            },
          },
          {
            Put: {
              TableName: this.tableName,
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

  async getInstance(instanceId: string): Promise<InstanceRecord | null> {
    const item = await this.getItem(keys.instance(instanceId));
    return item === undefined ? null : toInstance(item);
  }

  /** Instances, newest first, optionally only those of one workflow or in one status. */
  async listInstances(
    filter: { workflowId?: string; status?: InstanceStatus } = {},
  ): Promise<InstanceSummary[]> {
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
    const items = await this.queryAll({
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
    return items.map((item) => strip(item) as unknown as InstanceSummary);
  }

  /**
   * Everything decide() needs, in one strongly consistent Query over the instance's partition
   * (the instance, its milestone states and its sent notifications). Throws NotFoundError.
   */
  async loadState(instanceId: string): Promise<LoadedInstance> {
    const items = await this.queryAll({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.instancePartition(instanceId) },
      ConsistentRead: true,
    });
    let instance: InstanceRecord | undefined;
    const milestones: MilestoneRecord[] = [];
    const sent: string[] = [];
    for (const item of items) {
      const sk = String(item.sk);
      if (sk === SK_META) instance = toInstance(item);
      else if (sk.startsWith(SK_OCCURRENCE_PREFIX))
        milestones.push(strip(item) as unknown as MilestoneRecord);
      else if (sk.startsWith(SK_NOTIFICATION_PREFIX) && item.status === "sent")
        sent.push(String(item.notificationKey));
    }
    if (instance === undefined) throw new NotFoundError("instance", instanceId);
    const state: InstanceState = {
      instanceId,
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
    return { instance, state, milestones };
  }

  /** Milestone states of one instance, by occurrence key. */
  async listMilestones(instanceId: string): Promise<MilestoneRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: {
        ":pk": keys.instancePartition(instanceId),
        ":prefix": SK_OCCURRENCE_PREFIX,
      },
      ConsistentRead: true,
    });
    return items.map((item) => strip(item) as unknown as MilestoneRecord);
  }

  /**
   * Brings the milestone states in line with the planned occurrences, so the overview and the
   * due index show current deadlines. Writes only what is new or changed (pass `known`, e.g.
   * from loadState, to save the read); never reopens a confirmed milestone. Occurrences no
   * longer planned are left alone: their history is still worth showing. Only for running
   * instances: the caller has just loaded the state, so it knows, and a cancelled instance's
   * milestones would otherwise reappear in the due index.
   */
  async syncOccurrences(
    instanceId: string,
    occurrences: readonly Occurrence[],
    known?: readonly MilestoneRecord[],
  ): Promise<{ written: number }> {
    const current = new Map(
      (known ?? (await this.listMilestones(instanceId))).map((m) => [m.occurrenceKey, m]),
    );
    const changed = occurrences.filter((o) => {
      const stored = current.get(o.key);
      return stored === undefined || stored.dueAt !== o.dueAt || stored.confirmable !== o.confirmable;
    });
    await forEachLimited(changed, SYNC_CONCURRENCY, (o) =>
      this.writeOccurrence(instanceId, o, current.get(o.key)?.status === "confirmed"),
    );
    return { written: changed.length };
  }

  private async writeOccurrence(instanceId: string, o: Occurrence, knownConfirmed: boolean): Promise<void> {
    const key = keys.occurrence(instanceId, o.key);
    if (!knownConfirmed) {
      const indexed = o.confirmable && o.dueAt !== null;
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression:
              "SET entity = :entity, instanceId = :instanceId, occurrenceKey = :key, milestoneId = :milestoneId, " +
              "unitId = :unitId, #index = :index, dueAt = :dueAt, confirmable = :confirmable, " +
              "#status = if_not_exists(#status, :open)" +
              (indexed ? ", gsi1pk = :duePartition, gsi1sk = :dueSort" : " REMOVE gsi1pk, gsi1sk"),
            ConditionExpression: "attribute_not_exists(pk) OR #status = :open",
            ExpressionAttributeNames: { "#index": "index", "#status": "status" },
            ExpressionAttributeValues: {
              ":entity": "milestone",
              ":instanceId": instanceId,
              ":key": o.key,
              ":milestoneId": o.milestoneId,
              ":unitId": o.unitId,
              ":index": o.index,
              ":dueAt": o.dueAt,
              ":confirmable": o.confirmable,
              ":open": "open",
              ...(indexed && o.dueAt !== null
                ? { ":duePartition": DUE_PARTITION, ":dueSort": dueIndexSortKey(o.dueAt, instanceId, o.key) }
                : {}),
            },
          }),
        );
        return;
      } catch (err) {
        // Confirmed since we looked: fall through and only record the new due date.
        if (!isConditionFailed(err)) throw err;
      }
    }
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: "SET dueAt = :dueAt, confirmable = :confirmable",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":dueAt": o.dueAt, ":confirmable": o.confirmable },
      }),
    );
  }

  /**
   * Records a confirmation exactly once. In one transaction: the milestone becomes confirmed
   * (only if it is open and confirmable) and leaves the due index, the instance's rev goes up
   * (so a park in flight notices) and the audit trail gets an entry. A second confirmation gets
   * `already` with the first one's time. Throws NotFoundError for an unknown instance or
   * occurrence, ConflictError for a stopped instance or an occurrence nobody confirms.
   */
  async recordConfirmation(input: ConfirmationInput): Promise<ConfirmationResult> {
    const { instanceId, occurrenceKey } = input;
    return retryOnContention("recordConfirmation", async () => {
      const audit = this.auditItem(
        instanceId,
        {
          action: "confirmation.recorded",
          by: input.by,
          details: { occurrenceKey, at: input.at, linkId: input.linkId ?? null },
        },
        this.now(),
      );
      try {
        await this.transact([
          {
            Update: {
              TableName: this.tableName,
              Key: keys.occurrence(instanceId, occurrenceKey),
              UpdateExpression: `SET #status = :confirmed, confirmedAt = :at, confirmedBy = :by${
                input.linkId === undefined ? "" : ", linkId = :linkId"
              } REMOVE gsi1pk, gsi1sk`,
              ConditionExpression: "#status = :open AND confirmable = :true",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: {
                ":confirmed": "confirmed",
                ":open": "open",
                ":true": true,
                ":at": input.at,
                ":by": input.by,
                ...(input.linkId === undefined ? {} : { ":linkId": input.linkId }),
              },
            },
          },
          this.bumpRev(instanceId, this.now()),
          { Put: audit.put },
        ]);
        return { status: "confirmed" } as const;
      } catch (err) {
        const outcomes = transactionOutcomes(err);
        if (!outcomes?.includes("condition")) throw err;
        return this.explainFailedConfirmation(instanceId, occurrenceKey, err);
      }
    });
  }

  private async explainFailedConfirmation(
    instanceId: string,
    occurrenceKey: string,
    cause: unknown,
  ): Promise<ConfirmationResult> {
    const occurrence = await this.getItem(keys.occurrence(instanceId, occurrenceKey));
    // "Already" wins over "instance stopped": a late click on a finished timeline is not an error.
    if (occurrence?.status === "confirmed") {
      return {
        status: "already",
        at: String(occurrence.confirmedAt),
        ...(typeof occurrence.confirmedBy === "string" ? { by: occurrence.confirmedBy } : {}),
      };
    }
    await this.requireRunning(instanceId, "confirmations", cause);
    if (occurrence === undefined)
      throw new NotFoundError("occurrence", `${instanceId} ${occurrenceKey}`, { cause });
    throw new ConflictError(`occurrence ${occurrenceKey} of ${instanceId} is not confirmable`, { cause });
  }

  /**
   * An administrator moves a deadline. The override lives on the instance (decide() applies it
   * when it re-plans), the milestone state shows the new due date at once, rev goes up and the
   * audit trail says who did it. Throws ConflictError for a confirmed milestone or a stopped instance.
   */
  async moveDeadline(instanceId: string, occurrenceKey: string, newDueAt: string, by: string): Promise<void> {
    const dueSort = dueIndexSortKey(newDueAt, instanceId, occurrenceKey);
    await retryOnContention("moveDeadline", async () => {
      const occurrence = await this.getItem(keys.occurrence(instanceId, occurrenceKey));
      if (occurrence?.status === "confirmed") {
        throw new ConflictError(`occurrence ${occurrenceKey} of ${instanceId} is already confirmed`);
      }
      const now = this.now();
      const audit = this.auditItem(
        instanceId,
        {
          action: "deadline.moved",
          by,
          details: {
            occurrenceKey,
            from: (occurrence?.dueAt as string | null | undefined) ?? null,
            to: newDueAt,
          },
        },
        now,
      );
      const actions: TransactItem[] = [
        {
          Update: {
            TableName: this.tableName,
            Key: keys.instance(instanceId),
            UpdateExpression: "SET rev = rev + :one, updatedAt = :now, dueOverrides.#occurrence = :due",
            ConditionExpression: "#status = :running",
            ExpressionAttributeNames: { "#status": "status", "#occurrence": occurrenceKey },
            ExpressionAttributeValues: { ":one": 1, ":now": now, ":due": newDueAt, ":running": "running" },
          },
        },
        { Put: audit.put },
      ];
      // Not synced yet: decide() writes it with the override when it next plans.
      if (occurrence !== undefined) {
        const indexed = occurrence.confirmable === true;
        actions.push({
          Update: {
            TableName: this.tableName,
            Key: keys.occurrence(instanceId, occurrenceKey),
            UpdateExpression: `SET dueAt = :due${indexed ? ", gsi1pk = :duePartition, gsi1sk = :dueSort" : ""}`,
            ConditionExpression: "#status = :open",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":due": newDueAt,
              ":open": "open",
              ...(indexed ? { ":duePartition": DUE_PARTITION, ":dueSort": dueSort } : {}),
            },
          },
        });
      }
      try {
        await this.transact(actions);
      } catch (err) {
        const outcomes = transactionOutcomes(err);
        if (outcomes?.[0] === "condition") await this.requireRunning(instanceId, "deadline moves", err);
        if (outcomes?.[2] === "condition") {
          throw new ConflictError(`occurrence ${occurrenceKey} of ${instanceId} was confirmed meanwhile`, {
            cause: err,
          });
        }
        throw err;
      }
    });
  }

  /**
   * Stops an instance: status, rev and audit in one transaction, then its open milestones leave
   * the due index so the overview stops calling them overdue. Cancelling twice is `already`.
   */
  async cancelInstance(instanceId: string, by: string, reason?: string): Promise<CancelResult> {
    const result = await retryOnContention("cancelInstance", async (): Promise<CancelResult> => {
      const now = this.now();
      const audit = this.auditItem(
        instanceId,
        { action: "instance.cancelled", by, details: { reason: reason ?? null } },
        now,
      );
      try {
        await this.transact([
          {
            Update: {
              TableName: this.tableName,
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
        const item = await this.getItem(keys.instance(instanceId));
        if (item === undefined) throw new NotFoundError("instance", instanceId, { cause: err });
        if (item.status === "cancelled") return { status: "already", at: String(item.cancelledAt) };
        throw new ConflictError(`instance ${instanceId} is ${String(item.status)} and cannot be cancelled`, {
          cause: err,
        });
      }
    });
    // Also after `already`: a first cancel may have died before this cleanup.
    const open = (await this.listMilestones(instanceId)).filter(
      (m) => m.status === "open" && m.dueAt !== null,
    );
    await forEachLimited(open, SYNC_CONCURRENCY, (m) => this.removeFromDueIndex(instanceId, m.occurrenceKey));
    return result;
  }

  private async removeFromDueIndex(instanceId: string, occurrenceKey: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.occurrence(instanceId, occurrenceKey),
          UpdateExpression: "REMOVE gsi1pk, gsi1sk",
          ConditionExpression: "attribute_exists(gsi1pk)",
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /**
   * The loop reached the end (`done`) or gave up (`failed`). Idempotent for the same status;
   * ConflictError if the instance already stopped another way (e.g. it was cancelled).
   */
  async finishInstance(instanceId: string, status: "done" | "failed", reason?: string): Promise<void> {
    await retryOnContention("finishInstance", async () => {
      const now = this.now();
      const audit = this.auditItem(
        instanceId,
        { action: `instance.${status}`, by: "system", details: { reason: reason ?? null } },
        now,
      );
      try {
        await this.transact([
          {
            Update: {
              TableName: this.tableName,
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
        const item = await this.getItem(keys.instance(instanceId));
        if (item === undefined) throw new NotFoundError("instance", instanceId, { cause: err });
        if (item.status === status) return;
        throw new ConflictError(`instance ${instanceId} is ${String(item.status)}, not running`, {
          cause: err,
        });
      }
    });
  }

  /** The current execution (for continue-as-new): its start and how many loops it has run. */
  async recordLoop(instanceId: string, execution: ExecutionInfo): Promise<void> {
    try {
      await retryOnContention("recordLoop", () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.instance(instanceId),
            UpdateExpression: "SET execution = :execution",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeValues: { ":execution": execution },
          }),
        ),
      );
    } catch (err) {
      if (isConditionFailed(err)) throw new NotFoundError("instance", instanceId, { cause: err });
      throw err;
    }
  }

  // ---------------------------------------------------------------- parking and signals

  /**
   * Stores the sleeping execution's task token, but only if nothing changed since decide() read
   * the instance at `seenRev`. `changed` means a signal landed in between and found no token to
   * wake: the caller must not sleep but decide again at once (the no-lost-wake-up rule).
   */
  async parkTaskToken(instanceId: string, token: string, seenRev: number): Promise<"parked" | "changed"> {
    try {
      await retryOnContention("parkTaskToken", () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.instance(instanceId),
            UpdateExpression: "SET taskToken = :token, parkedRev = :rev, parkedAt = :now",
            ConditionExpression: "rev = :rev",
            ExpressionAttributeValues: { ":token": token, ":rev": seenRev, ":now": this.now() },
          }),
        ),
      );
      return "parked";
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      if ((await this.getItem(keys.instance(instanceId))) === undefined) {
        throw new NotFoundError("instance", instanceId, { cause: err });
      }
      return "changed";
    }
  }

  /**
   * Removes and returns the parked token, or null if the execution is not parked. Atomic: of two
   * signallers at most one gets the token, so an execution is woken once per park.
   */
  async takeTaskToken(instanceId: string): Promise<string | null> {
    try {
      const result = await retryOnContention("takeTaskToken", () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.instance(instanceId),
            UpdateExpression: "REMOVE taskToken, parkedRev, parkedAt",
            ConditionExpression: "attribute_exists(taskToken)",
            ReturnValues: "ALL_OLD",
          }),
        ),
      );
      const token = result.Attributes?.taskToken;
      return typeof token === "string" ? token : null;
    } catch (err) {
      if (isConditionFailed(err)) return null;
      throw err;
    }
  }

  // ---------------------------------------------------------------- notifications

  /**
   * Claims the right to send one notification. True for exactly one of any number of concurrent
   * callers. A claim whose lease ran out (its worker died mid-send) may be taken over, a
   * released one (the send failed) may be claimed again, a sent one never.
   */
  async claimNotification(
    instanceId: string,
    notificationKey: string,
    workerId: string,
    leaseSeconds: number,
  ): Promise<boolean> {
    return (await this.tryClaimNotification(instanceId, notificationKey, workerId, leaseSeconds)).claimed;
  }

  /**
   * claimNotification, telling a refused claim's reason: the item as it stands (sent, or claimed
   * by another worker), from the read the refusal needs anyway.
   */
  async tryClaimNotification(
    instanceId: string,
    notificationKey: string,
    workerId: string,
    leaseSeconds: number,
  ): Promise<{ claimed: true } | { claimed: false; current: NotificationRecord | null }> {
    const now = this.clock.now();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.notification(instanceId, notificationKey),
          UpdateExpression:
            "SET entity = :entity, instanceId = :instanceId, notificationKey = :key, #status = :claimed, " +
            "claimedBy = :worker, claimedAt = :now, leaseUntil = :leaseUntil ADD attempts :one",
          ConditionExpression:
            "attribute_not_exists(pk) OR #status = :released OR (#status = :claimed AND leaseUntil < :nowMs)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":entity": "notification",
            ":instanceId": instanceId,
            ":key": notificationKey,
            ":claimed": "claimed",
            ":released": "released",
            ":worker": workerId,
            ":now": now.toString(),
            ":nowMs": now.epochMilliseconds,
            ":leaseUntil": now.epochMilliseconds + leaseSeconds * 1000,
            ":one": 1,
          },
        }),
      );
      return { claimed: true };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      // The SDK may have sent this very claim before and lost the answer (a timeout, then its own
      // retry): the condition then fails against our own claim, which is still ours to use.
      const current = await this.getNotification(instanceId, notificationKey);
      if (current?.status === "claimed" && current.claimedBy === workerId) return { claimed: true };
      return { claimed: false, current };
    }
  }

  /**
   * Marks a claimed notification as sent, for good. Repeating it is harmless. The milestone
   * state's "last reminder/escalation" is written after, separately: it is for display, and a
   * failure there must not leave a sent mail looking unsent (that would send it again).
   */
  async markNotificationSent(
    instanceId: string,
    notificationKey: string,
    info: SentInfo = {},
  ): Promise<void> {
    const at = info.at ?? this.now();
    const markSent = {
      TableName: this.tableName,
      Key: keys.notification(instanceId, notificationKey),
      UpdateExpression: `SET #status = :sent, sentAt = :at${
        info.messageId === undefined ? "" : ", messageId = :messageId"
      } REMOVE leaseUntil`,
      ConditionExpression: "#status = :claimed",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":sent": "sent",
        ":claimed": "claimed",
        ":at": at,
        ...(info.messageId === undefined ? {} : { ":messageId": info.messageId }),
      },
    };
    const decorate =
      info.occurrenceKey === undefined
        ? undefined
        : this.lastNotificationUpdate(instanceId, info.occurrenceKey, notificationKey, at, info);
    const auditPut =
      info.audit === undefined ? undefined : { Put: this.auditItem(instanceId, info.audit, at).put };
    // One write: "sent", the milestone's last reminder/escalation and the audit entry. A crash
    // leaves all of them or none (the crash test compares the milestone items too).
    const write = async (decorated: boolean) => {
      const rest = [
        ...(decorated && decorate ? [{ Update: decorate }] : []),
        ...(auditPut ? [auditPut] : []),
      ];
      if (rest.length === 0) await this.doc.send(new UpdateCommand(markSent));
      else await this.transact([{ Update: markSent }, ...rest]);
    };
    try {
      await retryOnContention("markNotificationSent", async () => {
        try {
          await write(true);
        } catch (err) {
          // The occurrence was never synced: there is no milestone state to decorate.
          if (decorate === undefined || transactionOutcomes(err)?.[1] !== "condition") throw err;
          await write(false);
        }
      });
    } catch (err) {
      if (!isConditionFailed(err) && transactionOutcomes(err)?.[0] !== "condition") throw err;
      // Marked before (the SDK retried a write whose answer was lost): the rest came with it.
      const current = await this.getNotification(instanceId, notificationKey);
      if (current?.status === "sent") return;
      throw new ConflictError(
        `notification ${notificationKey} of ${instanceId} is ${current?.status ?? "unclaimed"}; claim it before marking it sent`,
        { cause: err },
      );
    }
  }

  /** The milestone state's "last reminder/escalation", for the overview; only on a synced occurrence. */
  private lastNotificationUpdate(
    instanceId: string,
    occurrenceKey: string,
    notificationKey: string,
    at: string,
    info: SentInfo,
  ) {
    const escalation = info.kind === "escalation";
    return {
      TableName: this.tableName,
      Key: keys.occurrence(instanceId, occurrenceKey),
      UpdateExpression: escalation
        ? "SET lastEscalationAt = :at, escalationLevel = :level"
        : "SET lastReminderAt = :at, lastReminderKey = :key",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: escalation
        ? { ":at": at, ":level": info.level ?? 1 }
        : { ":at": at, ":key": notificationKey },
    };
  }

  /**
   * Gives a claim back after a failed send, so a later attempt can claim it again. Only a claim
   * can be released: a sent notification stays sent (ConflictError).
   */
  async releaseNotification(instanceId: string, notificationKey: string, reason: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.notification(instanceId, notificationKey),
          UpdateExpression:
            "SET #status = :released, lastError = :reason, releasedAt = :now REMOVE leaseUntil, claimedBy",
          ConditionExpression: "#status = :claimed",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":released": "released",
            ":claimed": "claimed",
            ":reason": reason,
            ":now": this.now(),
          },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const current = await this.getNotification(instanceId, notificationKey);
      if (current === null)
        throw new NotFoundError("notification", `${instanceId} ${notificationKey}`, { cause: err });
      if (current.status === "released") return;
      throw new ConflictError(`notification ${notificationKey} of ${instanceId} was already sent`, {
        cause: err,
      });
    }
  }

  async getNotification(instanceId: string, notificationKey: string): Promise<NotificationRecord | null> {
    const item = await this.getItem(keys.notification(instanceId, notificationKey));
    return item === undefined ? null : (strip(item) as unknown as NotificationRecord);
  }

  // ---------------------------------------------------------------- audit

  /** Appends to the instance's audit trail; entries are never changed or removed. */
  async appendAudit(instanceId: string, input: AuditInput): Promise<AuditEntry> {
    const audit = this.auditItem(instanceId, input, this.now());
    await this.doc.send(new PutCommand(audit.put));
    return audit.entry;
  }

  /** The trail in the order it was written. */
  async listAudit(instanceId: string): Promise<AuditEntry[]> {
    const items = await this.queryAll({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.auditPartition(instanceId) },
    });
    return items.map((item) => ({
      ...(strip(item) as unknown as Omit<AuditEntry, "id">),
      id: String(item.sk),
    }));
  }

  // ---------------------------------------------------------------- overview

  /** Open, confirmable milestones whose deadline is before `now`, earliest first, across all instances. */
  async listOverdue(now: string = this.now()): Promise<MilestoneRecord[]> {
    const items = await this.queryAll({
      IndexName: DUE_INDEX,
      KeyConditionExpression: "gsi1pk = :due AND gsi1sk < :now",
      ExpressionAttributeValues: { ":due": DUE_PARTITION, ":now": sortableInstant(now) },
    });
    return items.map((item) => strip(item) as unknown as MilestoneRecord);
  }

  /** Open, confirmable milestones due in [from, to), earliest first. */
  async listDueBetween(from: string, to: string): Promise<MilestoneRecord[]> {
    const items = await this.queryAll({
      IndexName: DUE_INDEX,
      // Sort keys are `<instant>#…`, so BETWEEN from AND to takes `from` itself and stops before `to`.
      KeyConditionExpression: "gsi1pk = :due AND gsi1sk BETWEEN :from AND :to",
      ExpressionAttributeValues: {
        ":due": DUE_PARTITION,
        ":from": sortableInstant(from),
        ":to": sortableInstant(to),
      },
    });
    return items.map((item) => strip(item) as unknown as MilestoneRecord);
  }

  // ---------------------------------------------------------------- confirm links

  /** Stores a new link; ConflictError if the id exists (ids are random, so that is a bug). */
  async putLink(link: StoredLink): Promise<StoredLink> {
    const record: StoredLink = { ...link, createdAt: link.createdAt ?? this.now() };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.link(link.id), entity: "link", ...record },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) throw new ConflictError(`link ${link.id} already exists`, { cause: err });
      throw err;
    }
    return record;
  }

  /**
   * The link, or null. TTL deletion lags (up to days), so an expired link can still be returned:
   * callers check `expiresAt` themselves.
   */
  async getLink(linkId: string): Promise<StoredLink | null> {
    const item = await this.getItem(keys.link(linkId));
    return item === undefined ? null : (strip(item) as unknown as StoredLink);
  }

  /** Marks a link used, once; later calls get `already` with the first use's time. */
  async markLinkUsed(linkId: string, at: string = this.now()): Promise<LinkUseResult> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.link(linkId),
          UpdateExpression: "SET usedAt = :at",
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(usedAt)",
          ExpressionAttributeValues: { ":at": at },
        }),
      );
      return { status: "used" };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const link = await this.getLink(linkId);
      if (link === null) throw new NotFoundError("link", linkId, { cause: err });
      return { status: "already", at: String(link.usedAt) };
    }
  }

  // ---------------------------------------------------------------- outbox (local mail)

  async putOutbox(record: OutboxRecord): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.outbox(record.messageId),
            entity: "outbox",
            gsi2pk: LIST.outbox,
            gsi2sk: `${sortableInstant(record.at)}#${record.messageId}`,
            ...record,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (err) {
      if (isConditionFailed(err))
        throw new ConflictError(`outbox message ${record.messageId} exists`, { cause: err });
      throw err;
    }
  }

  /** The newest mail first, without the raw message (getOutbox has it). */
  async listOutbox(limit: number = DEFAULT_OUTBOX_PAGE): Promise<OutboxSummary[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: LIST_INDEX,
        KeyConditionExpression: "gsi2pk = :kind",
        ExpressionAttributeValues: { ":kind": LIST.outbox },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((item) => strip(item) as unknown as OutboxSummary);
  }

  async getOutbox(messageId: string): Promise<OutboxRecord | null> {
    const item = await this.getItem(keys.outbox(messageId));
    return item === undefined ? null : (strip(item) as unknown as OutboxRecord);
  }

  // ---------------------------------------------------------------- helpers

  private now(): string {
    return this.clock.now().toString();
  }

  private async getItem(key: ItemKey): Promise<Item | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return result.Item;
  }

  private async queryAll(input: Omit<QueryCommandInput, "TableName">): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.tableName,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  private async transact(actions: TransactItem[]): Promise<void> {
    await this.doc.send(new TransactWriteCommand({ TransactItems: actions }));
  }

  /** rev + 1 on a running instance: the mark of an external change (see InstanceRecord.rev). */
  private bumpRev(instanceId: string, now: string): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.instance(instanceId),
        UpdateExpression: "SET rev = rev + :one, updatedAt = :now",
        ConditionExpression: "#status = :running",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":one": 1, ":now": now, ":running": "running" },
      },
    };
  }

  private async requireRunning(instanceId: string, what: string, cause: unknown): Promise<void> {
    const item = await this.getItem(keys.instance(instanceId));
    if (item === undefined) throw new NotFoundError("instance", instanceId, { cause });
    if (item.status !== "running") {
      throw new ConflictError(
        `instance ${instanceId} is ${String(item.status)}; ${what} need a running instance`,
        {
          cause,
        },
      );
    }
  }

  private auditItem(
    instanceId: string,
    input: AuditInput,
    at: string,
  ): { put: { TableName: string; Item: Item; ConditionExpression: string }; entry: AuditEntry } {
    const id = this.auditKeys.next(at);
    return {
      entry: { instanceId, id, at, ...input },
      put: {
        TableName: this.tableName,
        // The id is the sort key; listAudit() gives it back from there.
        Item: { pk: keys.auditPartition(instanceId), sk: id, entity: "audit", instanceId, at, ...input },
        // The random tail makes a clash practically impossible; the condition makes it certain.
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
  }
}

function strip(item: Item): Item {
  const out: Item = {};
  for (const [name, value] of Object.entries(item)) {
    if (!KEY_ATTRIBUTES.includes(name)) out[name] = value;
  }
  return out;
}

function toInstance(item: Item): InstanceRecord {
  return strip(item) as unknown as InstanceRecord;
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function jitter(attempt: number): Promise<void> {
  return new Promise((done) => setTimeout(done, Math.random() * 10 * 2 ** Math.min(attempt, 6)));
}
