/** InstanceStore.applyChange: a person's change to a running instance, all of it or nothing. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditAction } from "../../../shared/store/audit-actions.ts";
import { ConflictError, NotFoundError } from "../../../shared/store/index.ts";
import { MAX_CHANGE_ITEMS, type MilestoneRecord } from "../../../shared/store/records.ts";
import { ManualClock } from "../../../shared/time/clock.ts";
import { occurrence, runningInstance } from "../fixtures.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

export function instanceChangeContract(setup: StoreSetup): void {
  const clock = new ManualClock("2024-05-01T06:00:00Z");
  let table: StoreHarness;

  beforeAll(async () => {
    table = await setup.create(clock);
  });
  afterAll(async () => {
    await table.drop();
  });

  const audit = (action: AuditAction) => ({ action, by: "anna", details: { reason: "test" } });

  async function twoMilestones(): Promise<string> {
    return runningInstance(table.stores, [
      occurrence("a/-/0", "2024-06-01T10:00:00Z"),
      occurrence("b/-/0", "2024-07-01T10:00:00Z"),
    ]);
  }

  describe("applyChange", () => {
    it("sets the instance's fields, bumps rev and writes the audit entry together", async () => {
      // Prepare
      const instanceId = await twoMilestones();
      // Act
      const entry = await table.stores.instances.applyChange({
        instanceId,
        expectedRev: 0,
        audit: audit("instance.held"),
        set: {
          dueOverrides: { "a/-/0": "2024-06-10T10:00:00Z" },
          hold: { since: "2024-05-01T06:00:00Z", by: "anna", reason: "test" },
          units: [{ id: "skole-b", type: "skole", name: "Skole B" }],
        },
      });
      // Assess
      const { instance, state } = await table.stores.instances.loadState(instanceId);
      expect(instance.rev).toBe(1);
      expect(instance.dueOverrides).toEqual({ "a/-/0": "2024-06-10T10:00:00Z" });
      expect(instance.units.map((u) => u.id)).toEqual(["skole-b"]);
      expect(state.hold).toEqual({ since: "2024-05-01T06:00:00Z" });
      expect(entry.action).toBe("instance.held");
      const trail = await table.stores.audit.list(instanceId);
      expect(trail.map((e) => e.action)).toContain("instance.held");
      // Ending the hold removes it.
      await table.stores.instances.applyChange({
        instanceId,
        expectedRev: 1,
        audit: audit("instance.resumed"),
        set: { hold: null },
      });
      expect((await table.stores.instances.get(instanceId))?.hold).toBeUndefined();
    });

    it("refuses a change prepared at an older rev and writes nothing", async () => {
      // Prepare
      const instanceId = await twoMilestones();
      await table.stores.instances.recordConfirmation({
        instanceId,
        occurrenceKey: "a/-/0",
        at: "2024-05-01T06:00:00Z",
        by: "leader",
      });
      // Act
      const change = table.stores.instances.applyChange({
        instanceId,
        expectedRev: 0,
        audit: audit("deadline.moved"),
        set: { dueOverrides: { "b/-/0": "2024-08-01T10:00:00Z" } },
      });
      // Assess
      await expect(change).rejects.toThrow(/changed since/);
      await expect(change).rejects.toBeInstanceOf(ConflictError);
      expect((await table.stores.instances.get(instanceId))?.dueOverrides).toEqual({});
      const trail = await table.stores.audit.list(instanceId);
      expect(trail.map((e) => e.action)).not.toContain("deadline.moved");
    });

    it("confirms, reopens into the due index, and refuses the wrong state with nothing written", async () => {
      // Prepare
      const instanceId = await twoMilestones();
      // Act
      await table.stores.instances.applyChange({
        instanceId,
        expectedRev: 0,
        audit: audit("confirmation.on-behalf"),
        confirm: [{ occurrenceKey: "a/-/0", at: "2024-05-01T06:00:00Z", by: "anna" }],
      });
      const confirmed = await table.stores.instances.getMilestone(instanceId, "a/-/0");
      const overdueConfirmed = await table.stores.dueIndex.overdue("2025-01-01T00:00:00Z");
      const refused = table.stores.instances.applyChange({
        instanceId,
        expectedRev: 1,
        audit: audit("deadline.moved"),
        confirm: [{ occurrenceKey: "b/-/0", at: "2024-05-01T06:00:00Z", by: "anna" }],
        reopen: [{ occurrenceKey: "b/-/0", dueAt: "2024-07-01T10:00:00Z" }],
      });
      await expect(refused).rejects.toBeInstanceOf(ConflictError);
      const notConfirmed = table.stores.instances.applyChange({
        instanceId,
        expectedRev: 1,
        audit: audit("deadline.moved"),
        reopen: [{ occurrenceKey: "b/-/0", dueAt: "2024-07-01T10:00:00Z" }],
      });
      await expect(notConfirmed).rejects.toThrow(/not confirmed/);
      await table.stores.instances.applyChange({
        instanceId,
        expectedRev: 1,
        audit: audit("confirmation.undone"),
        reopen: [{ occurrenceKey: "a/-/0", dueAt: "2024-06-01T10:00:00Z" }],
      });
      // Assess
      expect(confirmed).toMatchObject({ status: "confirmed", confirmedBy: "anna" });
      expect(overdueConfirmed.filter((m) => m.instanceId === instanceId).map((m) => m.occurrenceKey)).toEqual(
        ["b/-/0"],
      );
      const reopened = await table.stores.instances.getMilestone(instanceId, "a/-/0");
      expect(reopened?.status).toBe("open");
      expect(reopened?.confirmedAt).toBeUndefined();
      expect((await table.stores.instances.get(instanceId))?.rev).toBe(2);
      const overdue = await table.stores.dueIndex.overdue("2025-01-01T00:00:00Z");
      expect(overdue.filter((m) => m.instanceId === instanceId).map((m) => m.occurrenceKey)).toEqual([
        "a/-/0",
        "b/-/0",
      ]);
      const actions = (await table.stores.audit.list(instanceId)).map((e) => e.action);
      expect(actions).not.toContain("x");
    });

    it("puts and removes milestone states and marks notifications sent", async () => {
      // Prepare
      const instanceId = await twoMilestones();
      const added: MilestoneRecord = {
        instanceId,
        occurrenceKey: "c/skole-b/0",
        milestoneId: "c",
        unitId: "skole-b",
        index: 0,
        dueAt: "2024-06-15T10:00:00Z",
        confirmable: true,
        status: "open",
      };
      // Act
      await table.stores.instances.applyChange({
        instanceId,
        expectedRev: 0,
        audit: audit("unit.added"),
        put: [added],
        remove: ["b/-/0"],
        markSent: ["k1"],
      });
      // Assess
      const { milestones, state } = await table.stores.instances.loadState(instanceId);
      expect(milestones.map((m) => m.occurrenceKey).sort()).toEqual(["a/-/0", "c/skole-b/0"]);
      expect(state.sent).toEqual(["k1"]);
      const due = await table.stores.dueIndex.dueBetween("2024-06-15T00:00:00Z", "2024-06-16T00:00:00Z");
      expect(due.filter((m) => m.instanceId === instanceId).map((m) => m.occurrenceKey)).toEqual([
        "c/skole-b/0",
      ]);
    });

    it("refuses a stopped instance, an unknown one, and a change over the size limit", async () => {
      // Prepare
      const instanceId = await twoMilestones();
      await table.stores.instances.cancel(instanceId, "anna");
      // Act
      // Each refusal is awaited before the next call, so no rejection waits unhandled.
      const stopped = await refusal(
        table.stores.instances.applyChange({
          instanceId,
          expectedRev: 1,
          audit: audit("deadline.moved"),
          set: { hold: null },
        }),
      );
      const unknown = await refusal(
        table.stores.instances.applyChange({
          instanceId: "no-such-instance",
          expectedRev: 0,
          audit: audit("deadline.moved"),
        }),
      );
      const tooBig = await refusal(
        table.stores.instances.applyChange({
          instanceId,
          expectedRev: 1,
          audit: audit("deadline.moved"),
          markSent: Array.from({ length: MAX_CHANGE_ITEMS + 1 }, (_, i) => `k${i}`),
        }),
      );
      // Assess
      expect(stopped).toBeInstanceOf(ConflictError);
      expect(String(stopped)).toMatch(/cancelled/);
      expect(unknown).toBeInstanceOf(NotFoundError);
      expect(String(tooBig)).toMatch(/at most 98/);
    });
  });
}

/** The error a call is refused with; fails the test when the call succeeds. */
async function refusal(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error("expected the change to be refused");
}
