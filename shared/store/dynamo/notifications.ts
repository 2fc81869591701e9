/** Notification items, in the instance's partition: a claim per mail, then "sent" for good. */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ConflictError, NotFoundError } from "../errors.ts";
import { keys } from "../keys.ts";
import type { ClaimResult, NotificationStore } from "../ports.ts";
import type { NotificationRecord, SentInfo } from "../records.ts";
import { isConditionFailed, retryOnContention, transactionOutcomes } from "./sdk-errors.ts";
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

  /**
   * One write: "sent", the milestone's last reminder/escalation and the audit entry, so a crash
   * leaves all of them or none (the crash test compares the milestone items too).
   */
  async markSent(instanceId: string, notificationKey: string, info: SentInfo = {}): Promise<void> {
    const { table } = this;
    const at = info.at ?? table.now();
    const markSent = {
      TableName: table.name,
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
      info.audit === undefined ? undefined : { Put: table.auditItem(instanceId, info.audit, at).put };
    const write = async (decorated: boolean) => {
      const rest = [
        ...(decorated && decorate ? [{ Update: decorate }] : []),
        ...(auditPut ? [auditPut] : []),
      ];
      if (rest.length === 0) await table.doc.send(new UpdateCommand(markSent));
      else await table.transact([{ Update: markSent }, ...rest]);
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
      const current = await this.get(instanceId, notificationKey);
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
      TableName: this.table.name,
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
