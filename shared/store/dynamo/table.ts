/**
 * The table's primitives, in one place for every DynamoDB adapter: the client and table name,
 * consistent reads (one item or a handful) and paged queries, transactions, the rev bump that marks an outside change,
 * audit items, and the attributes that never leave the store. Layout in ../keys.ts.
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { Clock } from "../../time/clock.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { AuditKeys, type ItemKey, keys } from "../keys.ts";
import type { Consistency } from "../ports.ts";
import type { AuditEntry, AuditInput } from "../records.ts";

export type Item = Record<string, unknown>;

/** What a caller writes to the instance item with a rev bump (DynamoTable.bumpRev). */
export interface RevBumpExtras {
  set?: readonly string[];
  remove?: readonly string[];
  conditions?: readonly string[];
  values?: Record<string, unknown>;
}
export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export interface AuditPut {
  TableName: string;
  Item: Item;
  ConditionExpression: string;
}

/** Attributes that only exist for DynamoDB's sake and never leave the store. */
const KEY_ATTRIBUTES = new Set(["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "entity"]);

/** Concurrent single-item writes per call (a sync, a cleanup): enough to hide latency, few enough not to throttle. */
export const WRITE_CONCURRENCY = 10;

export class DynamoTable {
  private readonly auditKeys = new AuditKeys();

  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly name: string,
    readonly clock: Clock,
  ) {}

  now(): string {
    return this.clock.now().toString();
  }

  /**
   * A handful of items (far below BatchGetItem's 100) in one consistent request, in no particular
   * order; what DynamoDB leaves unprocessed is read item by item.
   */
  async getItems(
    wanted: readonly ItemKey[],
    projection?: { expression: string; names: Record<string, string> },
  ): Promise<Item[]> {
    const result = await this.doc.send(
      new BatchGetCommand({
        RequestItems: {
          [this.name]: {
            Keys: [...wanted],
            ConsistentRead: true,
            ...(projection === undefined
              ? {}
              : { ProjectionExpression: projection.expression, ExpressionAttributeNames: projection.names }),
          },
        },
      }),
    );
    const items = [...(result.Responses?.[this.name] ?? [])];
    for (const key of result.UnprocessedKeys?.[this.name]?.Keys ?? []) {
      const item = await this.getItem({ pk: String(key.pk), sk: String(key.sk) });
      if (item !== undefined) items.push(item);
    }
    return items;
  }

  /** A strongly consistent read of one item. */
  async getItem(key: ItemKey, consistency: Consistency = "strong"): Promise<Item | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.name, Key: key, ConsistentRead: consistency === "strong" }),
    );
    return result.Item;
  }

  /** Every page of a Query. */
  async queryAll(input: Omit<QueryCommandInput, "TableName">): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({ ...input, TableName: this.name, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  /** One page of a Query (with a Limit, the first items). */
  async queryPage(input: Omit<QueryCommandInput, "TableName">): Promise<Item[]> {
    const page = await this.doc.send(new QueryCommand({ ...input, TableName: this.name }));
    return page.Items ?? [];
  }

  async transact(actions: TransactItem[]): Promise<void> {
    await this.doc.send(new TransactWriteCommand({ TransactItems: actions }));
  }

  /**
   * rev + 1 on a running instance: the mark of an outside change (see InstanceRecord.rev). `also`
   * adds what the caller writes to the instance item in the same update, under its own conditions
   * (`#status` is the status attribute).
   */
  bumpRev(instanceId: string, now: string, also: RevBumpExtras = {}): TransactItem {
    const set = ["rev = rev + :one", "updatedAt = :now", ...(also.set ?? [])].join(", ");
    const remove =
      also.remove === undefined || also.remove.length === 0 ? "" : ` REMOVE ${also.remove.join(", ")}`;
    return {
      Update: {
        TableName: this.name,
        Key: keys.instance(instanceId),
        UpdateExpression: `SET ${set}${remove}`,
        ConditionExpression: ["#status = :running", ...(also.conditions ?? [])].join(" AND "),
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":one": 1, ":now": now, ":running": "running", ...also.values },
      },
    };
  }

  /** An audit entry as a conditional Put, for a transaction or on its own. */
  auditItem(instanceId: string, input: AuditInput, at: string): { put: AuditPut; entry: AuditEntry } {
    const id = this.auditKeys.next(at);
    return {
      entry: { instanceId, id, at, ...input },
      put: {
        TableName: this.name,
        // The id is the sort key; the audit log gives it back from there.
        Item: { pk: keys.auditPartition(instanceId), sk: id, entity: "audit", instanceId, at, ...input },
        // The random tail makes a clash practically impossible; the condition makes it certain.
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
  }

  /** After a refused write: NotFoundError or ConflictError unless the instance runs. */
  async requireRunning(instanceId: string, what: string, cause: unknown): Promise<void> {
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
}

/** The item without its key attributes, as the record type the caller expects. */
export function strip<T>(item: Item): T {
  const out: Item = {};
  for (const [name, value] of Object.entries(item)) {
    if (!KEY_ATTRIBUTES.has(name)) out[name] = value;
  }
  return out as T;
}
