/** Notification items, in the instance's partition: a claim per mail, then "sent" for good. */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ConflictError, NotFoundError } from "../errors.ts";
import { keys } from "../keys.ts";
import type { ClaimResult, NotificationStore } from "../ports.ts";
import type { NotificationRecord, SentInfo } from "../records.ts";
import { isConditionFailed, retryOnContention } from "./sdk-errors.ts";
import { type DynamoTable, strip } from "./table.ts";

export class DynamoNotificationStore implements NotificationStore {
  constructor(private readonly table: DynamoTable) {}

  async claim(
    instanceId: string,
    notificationKey: string,
    workerId: string,
    leaseSeconds: number,
  ): Promise<ClaimResult> {
    const { table } = this;
    const now = table.clock.now();
    try {
      await table.doc.send(
        new UpdateCommand({
          TableName: table.name,
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
      const current = await this.get(instanceId, notificationKey);
      if (current?.status === "claimed" && current.claimedBy === workerId) return { claimed: true };
      return { claimed: false, current };
    }
  }

  /** One conditional write, which is also the send's audit entry (see AuditLog.list). */
  async markSent(instanceId: string, notificationKey: string, info: SentInfo = {}): Promise<void> {
    const { table } = this;
    const at = info.at ?? table.now();
    const fields: Record<string, unknown> = {
      sentAt: at,
      messageId: info.messageId,
      occurrenceKey: info.occurrenceKey,
      kind: info.kind,
      level: info.level,
      details: info.details,
    };
    const set = Object.entries(fields).filter(([, value]) => value !== undefined);
    try {
      await retryOnContention("markNotificationSent", () =>
        table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.notification(instanceId, notificationKey),
            UpdateExpression: `SET #status = :sent, ${set.map(([name]) => `#${name} = :${name}`).join(", ")} REMOVE leaseUntil`,
            ConditionExpression: "#status = :claimed",
            ExpressionAttributeNames: {
              "#status": "status",
              ...Object.fromEntries(set.map(([name]) => [`#${name}`, name])),
            },
            ExpressionAttributeValues: {
              ":sent": "sent",
              ":claimed": "claimed",
              ...Object.fromEntries(set.map(([name, value]) => [`:${name}`, value])),
            },
          }),
        ),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      // Marked before (the SDK retried a write whose answer was lost): nothing more to record.
      const current = await this.get(instanceId, notificationKey);
      if (current?.status === "sent") return;
      throw new ConflictError(
        `notification ${notificationKey} of ${instanceId} is ${current?.status ?? "unclaimed"}; claim it before marking it sent`,
        { cause: err },
      );
    }
  }

  async release(instanceId: string, notificationKey: string, reason: string): Promise<void> {
    const { table } = this;
    try {
      await table.doc.send(
        new UpdateCommand({
          TableName: table.name,
          Key: keys.notification(instanceId, notificationKey),
          UpdateExpression:
            "SET #status = :released, lastError = :reason, releasedAt = :now REMOVE leaseUntil, claimedBy",
          ConditionExpression: "#status = :claimed",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":released": "released",
            ":claimed": "claimed",
            ":reason": reason,
            ":now": table.now(),
          },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const current = await this.get(instanceId, notificationKey);
      if (current === null)
        throw new NotFoundError("notification", `${instanceId} ${notificationKey}`, { cause: err });
      if (current.status === "released") return;
      throw new ConflictError(`notification ${notificationKey} of ${instanceId} was already sent`, {
        cause: err,
      });
    }
  }

  async get(instanceId: string, notificationKey: string): Promise<NotificationRecord | null> {
    const item = await this.table.getItem(keys.notification(instanceId, notificationKey));
    return item === undefined ? null : strip<NotificationRecord>(item);
  }
}
