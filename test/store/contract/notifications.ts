import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../../shared/store/index.ts";
import { ManualClock } from "../../../shared/time/clock.ts";
import { failure, runningInstance } from "../fixtures.ts";
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

    it("is the send's entry in the audit trail: once when repeated, none when refused", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      (await table.stores.notifications.claim(id, "n", "w1", 300)).claimed;
      const sent = {
        at: "2024-05-01T06:00:05Z",
        messageId: "<a@x>",
        occurrenceKey: "a/-/0",
        kind: "escalation" as const,
        level: 2,
        details: { recipient: "unitManager:a", attempts: 1 },
      };
      // Act
      await table.stores.notifications.markSent(id, "n", sent);
      await table.stores.notifications.markSent(id, "n", { ...sent, at: "2024-05-01T06:09:00Z" });
      const refused = await failure(table.stores.notifications.markSent(id, "unclaimed", sent));
      // Assess
      expect(refused).toBeInstanceOf(ConflictError);
      const trail = await table.stores.audit.list(id);
      expect(trail.filter((e) => e.action === "notification.sent")).toEqual([
        {
          instanceId: id,
          id: expect.any(String),
          at: "2024-05-01T06:00:05Z",
          action: "notification.sent",
          by: "system",
          details: {
            notificationKey: "n",
            kind: "escalation",
            occurrenceKey: "a/-/0",
            level: 2,
            recipient: "unitManager:a",
            attempts: 1,
          },
        },
      ]);
    });

    it("places sends among the written entries by time", async () => {
      // Prepare: created at 06:00, a note at 07:00, a mail sent at 06:30 but marked after the note.
      const before = clock.now();
      clock.set("2030-05-01T06:00:00Z");
      const id = await runningInstance(table.stores);
      (await table.stores.notifications.claim(id, "n", "w1", 300)).claimed;
      clock.set("2030-05-01T07:00:00Z");
      await table.stores.audit.append(id, { action: "instance.held", by: "anna" });
      // Act
      await table.stores.notifications.markSent(id, "n", { at: "2030-05-01T06:30:00Z", kind: "reminder" });
      // Assess
      const actions = (await table.stores.audit.list(id)).map((e) => e.action);
      expect(actions).toEqual(["instance.created", "notification.sent", "instance.held"]);
      clock.set(before);
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
  });
}
