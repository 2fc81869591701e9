/**
 * Where the local engine keeps its executions: a table of its own in DynamoDB Local.
 *
 * Why its own table and not items in the app's table: on AWS, execution state lives inside Step
 * Functions, apart from the app's data; keeping it apart locally too means the app's table (one
 * definition shared with the CDK stack) never carries engine-only items or indexes, the app's
 * listings can never see them, and "forget every execution" is dropping one table.
 *
 * Layout (pk, sk):
 *   ("RUNNING",  executionArn)  a live execution: everything needed to resume it
 *   ("FINISHED", executionArn)  the same record once it succeeded or failed
 * Resuming after a crash is one strongly consistent Query of the RUNNING partition, so nothing
 * that was running can be missed (a GSI would be eventually consistent). One partition is no
 * throughput concern for a single local engine.
 *
 * Every write is conditional on the version the engine last saw, so a second engine on the same
 * table (or a zombie) cannot silently overwrite progress: it gets ExecutionOwnershipLostError.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { type ErrorCategory, FristflowError } from "../../../shared/errors/errors.ts";
import { type RetryOptions, retry } from "../../../shared/retry/retry.ts";
import { ExecutionOwnershipLostError } from "./errors.ts";
import type { Continuation, Position } from "./interpreter.ts";
import type { Json } from "./jsonpath.ts";

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED";

export type TokenOutcome = { ok: true; output: Json } | { ok: false; error: string; cause: string };

/**
 * What the current state is doing. Only what cannot be recomputed from the position is kept:
 * a task in flight is simply `ready` (it is run again after a crash: at-least-once).
 */
export type Phase =
  /** Run the current state now: its first attempt, or a task that was in flight when the engine died. */
  | { kind: "ready" }
  /** Retry backoff: run the current state again at `until`. */
  | { kind: "retrying"; until: string }
  /** A Wait state: at `until`, continue as `after` says. */
  | { kind: "waiting"; until: string; after: Continuation }
  /**
   * A waitForTaskToken task handed out `token`. `early` is a SendTaskSuccess/Failure that arrived
   * while the park Lambda was still running: kept here so it survives a crash and completes the
   * task as soon as the Lambda returns.
   */
  | { kind: "parked"; token: string; timeoutAt: string | null; early: TokenOutcome | null }
  | { kind: "ended" };

export interface ExecutionRecord {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  status: ExecutionStatus;
  input: Json;
  startTime: string;
  stopTime?: string;
  position: Position;
  phase: Phase;
  output?: Json;
  error?: string;
  cause?: string;
  /** States entered so far (AWS's transitions); also seeds deterministic child names and tokens. */
  transitions: number;
  /** Bumped by every write; writes are conditional on it. */
  version: number;
}

const RUNNING = "RUNNING";
const FINISHED = "FINISHED";

interface Item {
  pk: string;
  sk: string;
  version: number;
  status: ExecutionStatus;
  name: string;
  /** Summary fields, so the table reads sensibly in a DynamoDB console; the body is authoritative. */
  state: string;
  phase: Phase["kind"];
  wakeAt?: string;
  startTime: string;
  stopTime?: string;
  /** The whole record as JSON text: state data round-trips exactly (numbers, key order, empty values). */
  body: string;
}

export type CreateOutcome = { created: true } | { created: false; existing: ExecutionRecord };

/** How long ensureTable waits for a new table to become ACTIVE: 120 polls, 500 ms apart. */
const TABLE_POLLS = 120;
const TABLE_POLL_MS = 500;

class TableNotActive extends FristflowError {
  readonly category: ErrorCategory = "unavailable";
}

export class ExecutionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
    /** The waits between polls of a table not yet ACTIVE; tests pass a virtual sleep. */
    private readonly tablePoll: Pick<RetryOptions, "sleep"> = {},
  ) {}

  /** Creates the engine's table if it is missing; safe to call on every start. */
  async ensureTable(): Promise<void> {
    try {
      await this.doc.send(
        new CreateTableCommand({
          TableName: this.tableName,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [
            { AttributeName: "pk", AttributeType: "S" },
            { AttributeName: "sk", AttributeType: "S" },
          ],
          KeySchema: [
            { AttributeName: "pk", KeyType: "HASH" },
            { AttributeName: "sk", KeyType: "RANGE" },
          ],
        }),
      );
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
    }
    // DynamoDB Local creates tables ACTIVE at once; the poll (every 500 ms, a minute at most) is for
    // a real DynamoDB endpoint. A failing DescribeTable is not retried: it is passed on at once.
    await retry(
      async () => {
        const described = await this.doc.send(new DescribeTableCommand({ TableName: this.tableName }));
        if (described.Table?.TableStatus !== "ACTIVE")
          throw new TableNotActive(
            `table ${this.tableName} is ${described.Table?.TableStatus ?? "not there"}`,
          );
      },
      {
        attempts: TABLE_POLLS,
        retryIf: (err) => err instanceof TableNotActive,
        baseDelayMs: TABLE_POLL_MS,
        maxDelayMs: TABLE_POLL_MS,
        jitter: "none",
        ...this.tablePoll,
        giveUp: () => new Error(`The engine table ${this.tableName} did not become ACTIVE within a minute`),
      },
    );
  }

  /** Every execution that has not finished, read consistently: what a restarted engine resumes. */
  async loadRunning(): Promise<ExecutionRecord[]> {
    return this.queryPartition(RUNNING);
  }

  async loadFinished(): Promise<ExecutionRecord[]> {
    return this.queryPartition(FINISHED);
  }

  private async queryPartition(pk: string): Promise<ExecutionRecord[]> {
    const records: ExecutionRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": pk },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) records.push(fromItem(item as Item));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return records;
  }

  async get(executionArn: string): Promise<ExecutionRecord | undefined> {
    for (const pk of [RUNNING, FINISHED]) {
      const got = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { pk, sk: executionArn }, ConsistentRead: true }),
      );
      if (got.Item) return fromItem(got.Item as Item);
    }
    return undefined;
  }

  /**
   * Writes a new execution unless one with the same ARN exists, running or finished (AWS keeps
   * names unique per state machine). On a clash, returns the existing record so the caller can
   * apply AWS' rule (same input while running: the same execution) or its own.
   */
  async create(record: ExecutionRecord): Promise<CreateOutcome> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: toItem(RUNNING, record),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: { pk: FINISHED, sk: record.executionArn },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
          ],
        }),
      );
      return { created: true };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const existing = await this.get(record.executionArn);
      if (existing === undefined) throw err;
      return { created: false, existing };
    }
  }

  /** Saves the next version of a running execution; `record.version` must be the stored one + 1. */
  async save(record: ExecutionRecord): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(RUNNING, record),
          ConditionExpression: "version = :seen",
          ExpressionAttributeValues: { ":seen": record.version - 1 },
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new ExecutionOwnershipLostError(record.executionArn);
      }
      throw err;
    }
  }

  /** Moves a finished execution out of the RUNNING partition, atomically with its final state. */
  async finish(record: ExecutionRecord): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: { pk: RUNNING, sk: record.executionArn },
                ConditionExpression: "version = :seen",
                ExpressionAttributeValues: { ":seen": record.version - 1 },
              },
            },
            { Put: { TableName: this.tableName, Item: toItem(FINISHED, record) } },
          ],
        }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException) {
        throw new ExecutionOwnershipLostError(record.executionArn);
      }
      throw err;
    }
  }
}

function wakeAt(phase: Phase): string | undefined {
  switch (phase.kind) {
    case "retrying":
    case "waiting":
      return phase.until;
    case "parked":
      return phase.timeoutAt ?? undefined;
    default:
      return undefined;
  }
}

function toItem(pk: string, record: ExecutionRecord): Item {
  const item: Item = {
    pk,
    sk: record.executionArn,
    version: record.version,
    status: record.status,
    name: record.name,
    state: record.position.state,
    phase: record.phase.kind,
    startTime: record.startTime,
    body: JSON.stringify(record),
  };
  const wake = wakeAt(record.phase);
  if (wake !== undefined) item.wakeAt = wake;
  if (record.stopTime !== undefined) item.stopTime = record.stopTime;
  return item;
}

function fromItem(item: Item): ExecutionRecord {
  return JSON.parse(item.body) as ExecutionRecord;
}
