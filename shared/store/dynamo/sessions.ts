/**
 * Login sessions in their user's partition (`SESSIONS#<userId>`): ending all of a user's sessions
 * is one strongly consistent Query and a delete each, so no session survives a deactivation
 * because an index lagged. The TTL attribute is the absolute end; DynamoDB removes the item some
 * time after, and until then the caller's check of the stored instants refuses it.
 */
import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import pLimit from "p-limit";
import { Temporal } from "../../time/temporal.ts";
import { ConflictError } from "../errors.ts";
import { keys } from "../keys.ts";
import type { SessionStore } from "../ports.ts";
import type { SessionRecord } from "../records.ts";
import { ttlAttribute } from "../table.ts";
import { isConditionFailed } from "./sdk-errors.ts";
import { type DynamoTable, strip, WRITE_CONCURRENCY } from "./table.ts";

export class DynamoSessionStore implements SessionStore {
  constructor(private readonly table: DynamoTable) {}

  async create(record: SessionRecord): Promise<void> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...keys.session(record.userId, record.secretHash),
            entity: "session",
            ...record,
            [ttlAttribute]: Math.ceil(Temporal.Instant.from(record.absoluteUntil).epochMilliseconds / 1000),
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) throw new ConflictError("the session exists", { cause: err });
      throw err;
    }
  }

  async get(userId: string, secretHash: string): Promise<SessionRecord | null> {
    const item = await this.table.getItem(keys.session(userId, secretHash));
    if (item === undefined) return null;
    const { [ttlAttribute]: _ttl, ...rest } = item;
    return strip<SessionRecord>(rest);
  }

  async touch(userId: string, secretHash: string, lastSeenAt: string, idleUntil: string): Promise<boolean> {
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.session(userId, secretHash),
          UpdateExpression: "SET lastSeenAt = :seen, idleUntil = :idle",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":seen": lastSeenAt, ":idle": idleUntil },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async end(userId: string, secretHash: string): Promise<void> {
    await this.table.doc.send(
      new DeleteCommand({ TableName: this.table.name, Key: keys.session(userId, secretHash) }),
    );
  }

  async endAll(userId: string): Promise<number> {
    const sessions = await this.list(userId);
    const limit = pLimit(WRITE_CONCURRENCY);
    await Promise.all(sessions.map((s) => limit(() => this.end(userId, s.secretHash))));
    return sessions.length;
  }

  async list(userId: string): Promise<SessionRecord[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.sessionsPartition(userId) },
      ConsistentRead: true,
    });
    return items
      .map(({ [ttlAttribute]: _ttl, ...rest }) => strip<SessionRecord>(rest))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  }
}
