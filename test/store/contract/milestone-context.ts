import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../../shared/time/clock.ts";
import { occurrence, runningInstance } from "../fixtures.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

const CONTEXT = {
  workflowId: "wf-ctx",
  workflowVersion: 3,
  units: [{ id: "skole-a", type: "skole", name: "Skole A" }],
};

/** What a milestone state carries so a confirm link needs nothing else (shared/app/confirm.ts). */
export function milestoneContextContract(setup: StoreSetup): void {
  const clock = new ManualClock("2024-05-01T06:00:00Z");
  let table: StoreHarness;

  beforeAll(async () => {
    table = await setup.create(clock);
  });
  afterAll(async () => {
    await table.drop();
  });

  describe("milestone context", () => {
    it("copies the workflow version and the unit's name onto the state, and reads one state by key", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      // Act
      await table.stores.instances.syncOccurrences(
        id,
        [
          occurrence("plan/skole-a/0", "2024-06-01T21:59:00Z"),
          occurrence("status/-/0", "2024-06-02T21:59:00Z"),
        ],
        [],
        CONTEXT,
      );
      // Assess
      expect(await table.stores.instances.getMilestone(id, "plan/skole-a/0")).toMatchObject({
        workflowId: "wf-ctx",
        workflowVersion: 3,
        unitName: "Skole A",
        status: "open",
      });
      expect((await table.stores.instances.getMilestone(id, "status/-/0"))?.unitName).toBeNull();
      expect(await table.stores.instances.getMilestone(id, "nope/-/0")).toBeNull();
    });

    it("writes a state again when only its context changed (a migration to another version)", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      const occurrences = [occurrence("plan/skole-a/0", "2024-06-01T21:59:00Z")];
      await table.stores.instances.syncOccurrences(id, occurrences, [], CONTEXT);
      const known = await table.stores.instances.listMilestones(id);
      // Act
      const same = await table.stores.instances.syncOccurrences(id, occurrences, known, CONTEXT);
      const migrated = await table.stores.instances.syncOccurrences(id, occurrences, known, {
        ...CONTEXT,
        workflowVersion: 4,
      });
      // Assess
      expect([same.written, migrated.written]).toEqual([0, 1]);
      expect((await table.stores.instances.getMilestone(id, "plan/skole-a/0"))?.workflowVersion).toBe(4);
    });

    it("copies the instance's name and case reference, and writes again only when they change", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      const occurrences = [occurrence("plan/skole-a/0", "2024-06-01T21:59:00Z")];
      const named = { ...CONTEXT, instanceName: "Trappelift", instanceRefs: { caseRef: "SAG-1" } };
      await table.stores.instances.syncOccurrences(id, occurrences, [], named);
      const known = await table.stores.instances.listMilestones(id);
      // Act
      const same = await table.stores.instances.syncOccurrences(id, occurrences, known, named);
      const renamed = await table.stores.instances.syncOccurrences(id, occurrences, known, {
        ...named,
        instanceRefs: { caseRef: "SAG-2" },
      });
      // A writer without names (an older caller) keeps what is stored
      const without = await table.stores.instances.syncOccurrences(
        id,
        occurrences,
        await table.stores.instances.listMilestones(id),
        CONTEXT,
      );
      // Assess
      expect([same.written, renamed.written, without.written]).toEqual([0, 1, 0]);
      expect(await table.stores.instances.getMilestone(id, "plan/skole-a/0")).toMatchObject({
        instanceName: "Trappelift",
        instanceRefs: { caseRef: "SAG-2" },
      });
    });

    it("marks the open states of a cancelled instance, and leaves a confirmed one as it was", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [
        occurrence("a/-/0", "2024-06-01T21:59:00Z"),
        occurrence("b/-/0", "2024-06-02T21:59:00Z"),
      ]);
      await table.stores.instances.recordConfirmation({
        instanceId: id,
        occurrenceKey: "b/-/0",
        at: "2024-05-02T08:00:00Z",
        by: "x",
      });
      // Act
      await table.stores.instances.cancel(id, "admin");
      // Assess
      expect((await table.stores.instances.getMilestone(id, "a/-/0"))?.instanceStatus).toBe("cancelled");
      expect((await table.stores.instances.getMilestone(id, "b/-/0"))?.instanceStatus).toBeUndefined();
      expect(await table.stores.dueIndex.overdue("2030-01-01T00:00:00Z")).not.toContainEqual(
        expect.objectContaining({ instanceId: id }),
      );
    });

    it("marks the open states of a failed instance, not those of a done one", async () => {
      // Prepare
      const failed = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      const done = await runningInstance(table.stores, [
        occurrence("p/-/0", "2024-06-01T21:59:00Z", { confirmable: false }),
      ]);
      // Act
      await table.stores.instances.finish(failed, "failed", "gave up");
      await table.stores.instances.finish(done, "done");
      // Assess
      expect((await table.stores.instances.getMilestone(failed, "a/-/0"))?.instanceStatus).toBe("failed");
      expect((await table.stores.instances.getMilestone(done, "p/-/0"))?.instanceStatus).toBeUndefined();
    });

    it("records the link and the request a confirmation came through", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      // Act
      await table.stores.instances.recordConfirmation({
        instanceId: id,
        occurrenceKey: "a/-/0",
        at: "2024-05-02T08:00:00Z",
        by: "unitLeader:a via link L1",
        linkId: "L1",
        requestId: "req-1",
      });
      // Assess
      expect((await table.stores.instances.getMilestone(id, "a/-/0"))?.linkId).toBe("L1");
      const entry = (await table.stores.audit.list(id)).find((e) => e.action === "confirmation.recorded");
      expect(entry?.details).toEqual({
        occurrenceKey: "a/-/0",
        at: "2024-05-02T08:00:00Z",
        linkId: "L1",
        requestId: "req-1",
      });
    });

    it("keeps when a state became active, writes it again when that changes, and not for a confirmed one", async () => {
      // Prepare: one waits for an earlier milestone, one is active
      const id = await runningInstance(table.stores);
      const waiting = occurrence("b/-/0", "2024-06-01T21:59:00Z", { activatedAt: null, after: ["a"] });
      const active = occurrence("a/-/0", "2024-05-20T21:59:00Z", { activatedAt: "2024-05-01T06:00:00Z" });
      await table.stores.instances.syncOccurrences(id, [active, waiting], []);
      const first = await table.stores.instances.listMilestones(id);
      // Act: a is confirmed, so b becomes active; a's activation "changes" too
      await table.stores.instances.recordConfirmation({
        instanceId: id,
        occurrenceKey: "a/-/0",
        at: "2024-05-10T08:00:00Z",
        by: "test",
      });
      const known = await table.stores.instances.listMilestones(id);
      const again = await table.stores.instances.syncOccurrences(
        id,
        [
          { ...active, activatedAt: "2024-05-02T06:00:00Z" },
          { ...waiting, activatedAt: "2024-05-10T08:00:00Z" },
        ],
        known,
      );
      // Assess
      expect(first.map((m) => [m.occurrenceKey, m.activatedAt])).toEqual([
        ["a/-/0", "2024-05-01T06:00:00Z"],
        ["b/-/0", null],
      ]);
      expect(again.written).toBe(1);
      expect((await table.stores.instances.getMilestone(id, "b/-/0"))?.activatedAt).toBe(
        "2024-05-10T08:00:00Z",
      );
      expect((await table.stores.instances.getMilestone(id, "a/-/0"))?.activatedAt).toBe(
        "2024-05-01T06:00:00Z",
      );
    });
  });
}
