import { ConflictError, NotFoundError } from "../errors.ts";
import type { ClaimResult, NotificationStore } from "../ports.ts";
import type { NotificationRecord, SentInfo } from "../records.ts";
import { copy, type MemoryTable, turn } from "./table.ts";

export class MemoryNotificationStore implements NotificationStore {
  constructor(private readonly table: MemoryTable) {}

  async claim(
    instanceId: string,
    notificationKey: string,
    workerId: string,
    leaseSeconds: number,
  ): Promise<ClaimResult> {
    await turn();
    const now = this.table.clock.now();
    const notifications = this.table.notificationsOf(instanceId);
    const current = notifications.get(notificationKey);
    const free =
      current === undefined ||
      current.status === "released" ||
      (current.status === "claimed" && (current.leaseUntil ?? 0) < now.epochMilliseconds);
    if (!free) {
      if (current.status === "claimed" && current.claimedBy === workerId) return { claimed: true };
      return { claimed: false, current: copy(current) };
    }
    notifications.set(notificationKey, {
      ...current,
      instanceId,
      notificationKey,
      status: "claimed",
      claimedBy: workerId,
      claimedAt: now.toString(),
      leaseUntil: now.epochMilliseconds + leaseSeconds * 1000,
      attempts: (current?.attempts ?? 0) + 1,
    });
    return { claimed: true };
  }

  async markSent(instanceId: string, notificationKey: string, info: SentInfo = {}): Promise<void> {
    await turn();
    const { table } = this;
    const current = table.notificationsOf(instanceId).get(notificationKey);
    if (current?.status === "sent") return;
    if (current?.status !== "claimed") {
      throw new ConflictError(
        `notification ${notificationKey} of ${instanceId} is ${current?.status ?? "unclaimed"}; claim it before marking it sent`,
      );
    }
    const at = info.at ?? table.now();
    current.status = "sent";
    current.sentAt = at;
    delete current.leaseUntil;
    const fields = {
      messageId: info.messageId,
      occurrenceKey: info.occurrenceKey,
      kind: info.kind,
      level: info.level,
    };
    for (const [name, value] of Object.entries(fields))
      if (value !== undefined) Object.assign(current, { [name]: value });
    if (info.details !== undefined) current.details = copy(info.details);
  }

  async release(instanceId: string, notificationKey: string, reason: string): Promise<void> {
    await turn();
    const current = this.table.notificationsOf(instanceId).get(notificationKey);
    if (current === undefined) throw new NotFoundError("notification", `${instanceId} ${notificationKey}`);
    if (current.status === "released") return;
    if (current.status === "sent") {
      throw new ConflictError(`notification ${notificationKey} of ${instanceId} was already sent`);
    }
    current.status = "released";
    current.lastError = reason;
    current.releasedAt = this.table.now();
    delete current.leaseUntil;
    delete current.claimedBy;
  }

  async get(instanceId: string, notificationKey: string): Promise<NotificationRecord | null> {
    await turn();
    const current = this.table.notificationsOf(instanceId).get(notificationKey);
    return current === undefined ? null : copy(current);
  }
}
