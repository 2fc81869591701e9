/** The audit trail in the table: a partition per instance, apart from the instance's own, so it never slows loading one. */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { keys, SK_NOTIFICATION_PREFIX } from "../keys.ts";
import type { AuditLog } from "../ports.ts";
import type { AuditEntry, AuditInput, NotificationRecord } from "../records.ts";
import { expired, mergeTrail, onceAuditId, onceAuditSuffix, ttlSeconds } from "../state.ts";
import { isConditionFailed } from "./sdk-errors.ts";
import { type DynamoTable, strip } from "./table.ts";

export class DynamoAuditLog implements AuditLog {
  constructor(private readonly table: DynamoTable) {}

  /** Entries are never changed; one with an `expiresAt` is removed by the table's TTL. */
  async append(instanceId: string, input: AuditInput): Promise<AuditEntry> {
    const audit = this.table.auditItem(instanceId, input, this.table.now());
    await this.table.doc.send(new PutCommand(audit.put));
    return audit.entry;
  }

  async appendOnce(instanceId: string, onceKey: string, at: string, input: AuditInput): Promise<void> {
    const id = onceAuditId(at, onceKey);
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { pk: keys.auditPartition(instanceId), sk: id, entity: "audit", instanceId, at, ...input },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /** One Query of the written entries' keys and dates (a filter may not name the sort key). */
  async onceDate(instanceId: string, onceKey: string): Promise<string | null> {
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk",
      ProjectionExpression: "sk, #at",
      ExpressionAttributeNames: { "#at": "at" },
      ExpressionAttributeValues: { ":pk": keys.auditPartition(instanceId) },
    });
    const entry = items.find((i) => String(i.sk).endsWith(onceAuditSuffix(onceKey)));
    return entry === undefined ? null : String(entry.at);
  }

  /** Two Queries: the written entries, and the instance's notification items (the sends). */
  async list(instanceId: string): Promise<AuditEntry[]> {
    const [written, notifications] = await Promise.all([
      this.table.queryAll({
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.auditPartition(instanceId) },
      }),
      this.table.queryAll({
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: {
          ":pk": keys.instancePartition(instanceId),
          ":prefix": SK_NOTIFICATION_PREFIX,
        },
      }),
    ]);
    const now = ttlSeconds(this.table.clock.now());
    return mergeTrail(
      written
        .filter((item) => !expired(item.expiresAt, now))
        .map((item) => ({ ...strip<Omit<AuditEntry, "id">>(item), id: String(item.sk) })),
      notifications.map((item) => strip<NotificationRecord>(item)),
    );
  }
}
