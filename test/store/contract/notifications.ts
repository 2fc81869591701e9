import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../../shared/store/index.ts";
import { ManualClock } from "../../../shared/time/clock.ts";
import { failure, occurrence, runningInstance } from "../fixtures.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

export function notificationContract(setup: StoreSetup): void {
  const clock = new ManualClock("2024-05-01T06:00:00Z");
  let table: StoreHarness;

  beforeAll(async () => {
    table = await setup.create(clock);
  });
  afterAll(async () => {
    await table.drop();
  });

  describe("claimNotification", () => {
    it("gives exactly one of 20 concurrent claims", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      const workers = Array.from({ length: 20 }, (_, i) => `worker-${i}`);
      // Act
      const claims = await Promise.all(
        workers.map(
          async (w) => (await table.stores.notifications.claim(id, "reminder:a:P3D", w, 60)).claimed,
        ),
      );
      // Assess
      expect(claims.filter(Boolean)).toHaveLength(1);
      const winner = workers[claims.indexOf(true)];
      expect(await table.stores.notifications.get(id, "reminder:a:P3D")).toMatchObject({
        status: "claimed",
        claimedBy: winner,
        attempts: 1,
        leaseUntil: clock.now().epochMilliseconds + 60_000,
      });
    });

    it("refuses a live claim and lets another worker take over an expired one", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      (await table.stores.notifications.claim(id, "n", "crashed-worker", 60)).claimed;
      // Act
      const whileLive = (await table.stores.notifications.claim(id, "n", "other", 60)).claimed;
      clock.advance("PT61S");
      const afterLease = (await table.stores.notifications.claim(id, "n", "other", 60)).claimed;
      // Assess
      expect(whileLive).toBe(false);
      expect(afterLease).toBe(true);
      expect(await table.stores.notifications.get(id, "n")).toMatchObject({
        claimedBy: "other",
        attempts: 2,
      });
    });

    it("never hands out a sent notification again, not even after the lease", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      (await table.stores.notifications.claim(id, "n", "w1", 60)).claimed;
      await table.stores.notifications.markSent(id, "n", { messageId: "<m1@fristflow>" });
      clock.advance("P1D");
      // Act
      const again = (await table.stores.notifications.claim(id, "n", "w2", 60)).claimed;
      // Assess
      expect(again).toBe(false);
      expect(await table.stores.notifications.get(id, "n")).toMatchObject({
        status: "sent",
        messageId: "<m1@fristflow>",
      });
    });
  });

  describe("releaseNotification", () => {
    it("lets a failed send be claimed again, and it is never marked sent", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      (await table.stores.notifications.claim(id, "n", "w1", 300)).claimed;
      // Act
      await table.stores.notifications.release(id, "n", "SES throttled");
      const stateAfterRelease = await table.stores.instances.loadState(id);
      const reclaimed = (await table.stores.notifications.claim(id, "n", "w2", 300)).claimed;
      // Assess
      expect(stateAfterRelease.state.sent).toEqual([]);
      expect(reclaimed).toBe(true);
      expect(await table.stores.notifications.get(id, "n")).toMatchObject({
        status: "claimed",
        claimedBy: "w2",
        attempts: 2,
        lastError: "SES throttled",
      });
    });

    it("refuses to release a sent notification and reports an unknown one", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      (await table.stores.notifications.claim(id, "n", "w1", 300)).claimed;
      await table.stores.notifications.markSent(id, "n");
      // Act
      const releasingSent = await failure(table.stores.notifications.release(id, "n", "late failure"));
      const releasingUnknown = await failure(table.stores.notifications.release(id, "never-claimed", "x"));
      // Assess
      expect(releasingSent).toBeInstanceOf(ConflictError);
      expect(releasingUnknown).toBeInstanceOf(NotFoundError);
      expect((await table.stores.notifications.get(id, "n"))?.status).toBe("sent");
    });
  });

  describe("markNotificationSent", () => {
    it("records the send, shows up in state.sent and is harmless to repeat", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      (await table.stores.notifications.claim(id, "n", "w1", 300)).claimed;
      // Act
      await table.stores.notifications.markSent(id, "n", { at: "2024-05-01T06:00:05Z", messageId: "<a@x>" });
      await table.stores.notifications.markSent(id, "n", { at: "2024-05-01T06:09:00Z", messageId: "<b@x>" });
      // Assess
      expect(await table.stores.notifications.get(id, "n")).toMatchObject({
        status: "sent",
        sentAt: "2024-05-01T06:00:05Z",
        messageId: "<a@x>",
      });
      expect((await table.stores.notifications.get(id, "n"))?.leaseUntil).toBeUndefined();
      expect((await table.stores.instances.loadState(id)).state.sent).toEqual(["n"]);
    });

    it("writes its audit entry in the same transaction: once when repeated, not at all when refused", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      (await table.stores.notifications.claim(id, "n", "w1", 300)).claimed;
      const audit = { action: "notification.sent", by: "system", details: { notificationKey: "n" } };
      // Act
      await table.stores.notifications.markSent(id, "n", { messageId: "<a@x>", audit });
      await table.stores.notifications.markSent(id, "n", { messageId: "<a@x>", audit });
      const refused = await failure(table.stores.notifications.markSent(id, "unclaimed", { audit }));
      // Assess
      expect(refused).toBeInstanceOf(ConflictError);
      expect((await table.stores.notifications.get(id, "n"))?.status).toBe("sent");
      const trail = await table.stores.audit.list(id);
      expect(trail.filter((e) => e.action === "notification.sent").map((e) => e.details)).toEqual([
        { notificationKey: "n" },
      ]);
    });

    it("refuses a notification nobody claimed", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      // Act
      const marking = await failure(table.stores.notifications.markSent(id, "unclaimed"));
      // Assess
      expect(marking).toBeInstanceOf(ConflictError);
      expect(await table.stores.notifications.get(id, "unclaimed")).toBeNull();
    });

    for (const withAudit of [false, true]) {
      const how = withAudit ? "in one transaction with the audit entry" : "alone";
      const audit = (key: string) =>
        withAudit ? { audit: { action: "notification.sent", by: "system", details: { key } } } : {};

      it(`notes the last reminder and escalation on the milestone state (${how})`, async () => {
        // Prepare
        const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
        (await table.stores.notifications.claim(id, "reminder-key", "w", 60)).claimed;
        (await table.stores.notifications.claim(id, "escalation-key", "w", 60)).claimed;
        // Act
        await table.stores.notifications.markSent(id, "reminder-key", {
          at: "2024-05-29T06:00:00Z",
          occurrenceKey: "a/-/0",
          kind: "reminder",
          ...audit("reminder-key"),
        });
        await table.stores.notifications.markSent(id, "escalation-key", {
          at: "2024-06-03T06:00:00Z",
          occurrenceKey: "a/-/0",
          kind: "escalation",
          level: 2,
          ...audit("escalation-key"),
        });
        // Assess
        expect((await table.stores.instances.listMilestones(id))[0]).toMatchObject({
          lastReminderAt: "2024-05-29T06:00:00Z",
          lastReminderKey: "reminder-key",
          lastEscalationAt: "2024-06-03T06:00:00Z",
          escalationLevel: 2,
        });
        const trail = (await table.stores.audit.list(id)).filter((e) => e.action === "notification.sent");
        expect(trail).toHaveLength(withAudit ? 2 : 0);
      });

      it(`still marks the send when the occurrence was never synced (${how})`, async () => {
        // Prepare
        const id = await runningInstance(table.stores);
        (await table.stores.notifications.claim(id, "n", "w", 60)).claimed;
        // Act
        await table.stores.notifications.markSent(id, "n", {
          occurrenceKey: "unknown/-/0",
          kind: "reminder",
          ...audit("n"),
        });
        // Assess
        expect((await table.stores.notifications.get(id, "n"))?.status).toBe("sent");
        expect(await table.stores.instances.listMilestones(id)).toEqual([]);
        const trail = (await table.stores.audit.list(id)).filter((e) => e.action === "notification.sent");
        expect(trail).toHaveLength(withAudit ? 1 : 0);
      });
    }
  });
}
