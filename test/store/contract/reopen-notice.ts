/**
 * An undone confirmation's notice (InstanceChange.reopen[].notice): kept on the milestone state and
 * handed to decide() as InstanceState.reopenings while the occurrence is open, so the owner's
 * "reopened" mail is decided from stored state like every other mail.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../../shared/time/clock.ts";
import { occurrence, runningInstance } from "../fixtures.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

export function reopenNoticeContract(setup: StoreSetup): void {
  const clock = new ManualClock("2024-05-01T06:00:00Z");
  let table: StoreHarness;

  beforeAll(async () => {
    table = await setup.create(clock);
  });
  afterAll(async () => {
    await table.drop();
  });

  describe("reopen with a notice", () => {
    it("keeps who reopened it on the state and in decide()'s view until it is confirmed again", async () => {
      // Prepare: confirmed by the leader
      const instanceId = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T10:00:00Z")]);
      await table.stores.instances.recordConfirmation({
        instanceId,
        occurrenceKey: "a/-/0",
        at: "2024-05-01T06:00:00Z",
        by: "leader",
      });
      const notice = { at: "2024-05-02T06:00:00Z", by: "user:anna (Anna)", reason: "Bekræftet ved en fejl" };
      // Act
      await table.stores.instances.applyChange({
        instanceId,
        expectedRev: 1,
        audit: { action: "confirmation.undone", by: "user:anna (Anna)", details: { reason: notice.reason } },
        reopen: [{ occurrenceKey: "a/-/0", dueAt: "2024-06-01T10:00:00Z", notice }],
      });
      // Assess
      const reopened = await table.stores.instances.getMilestone(instanceId, "a/-/0");
      expect(reopened).toMatchObject({ status: "open", reopened: notice });
      const { state } = await table.stores.instances.loadState(instanceId);
      expect(state.reopenings).toEqual([{ occurrenceKey: "a/-/0", ...notice }]);
      expect(state.confirmations).toEqual([]);
      // Confirmed again: nothing left to tell
      await table.stores.instances.recordConfirmation({
        instanceId,
        occurrenceKey: "a/-/0",
        at: "2024-05-03T06:00:00Z",
        by: "leader",
      });
      expect((await table.stores.instances.loadState(instanceId)).state.reopenings).toBeUndefined();
    });
  });
}
