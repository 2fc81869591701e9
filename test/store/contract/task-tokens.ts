import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFoundError } from "../../../shared/store/index.ts";
import { ManualClock } from "../../../shared/time/clock.ts";
import { occurrence, runningInstance, uniqueId } from "../fixtures.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

const EXECUTION = { id: "exec-1", startedAt: "2024-05-01T06:00:00Z", loops: 3 };

export function taskTokenContract(setup: StoreSetup): void {
  const clock = new ManualClock("2024-05-01T06:00:00Z");
  let table: StoreHarness;

  beforeAll(async () => {
    table = await setup.create(clock);
  });
  afterAll(async () => {
    await table.drop();
  });

  describe("parkTaskToken and takeTaskToken", () => {
    it("parks when nothing changed, and a signaller takes the token exactly once", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      const { instance } = await table.stores.instances.loadState(id);
      // Act
      const parked = await table.stores.tokens.park(id, "token-1", instance.rev, EXECUTION);
      const taken = await Promise.all([table.stores.tokens.take(id), table.stores.tokens.take(id)]);
      // Assess
      expect(parked).toBe("parked");
      expect(taken.filter((t) => t !== null)).toEqual(["token-1"]);
      const after = await table.stores.instances.get(id);
      expect(after?.taskToken).toBeUndefined();
      expect(after?.parkedRev).toBeUndefined();
    });

    it("records what it parked at and the execution's loop count, in the same write, without touching rev", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      // Act
      await table.stores.tokens.park(id, "token-1", 0, EXECUTION);
      // Assess
      expect(await table.stores.instances.get(id)).toMatchObject({
        taskToken: "token-1",
        parkedRev: 0,
        parkedAt: clock.now().toString(),
        execution: EXECUTION,
        rev: 0,
      });
    });

    it("leaves the loop count alone when it refuses the token", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      const before = (await table.stores.instances.get(id))?.execution;
      // Act
      const parked = await table.stores.tokens.park(id, "token-1", 5, EXECUTION);
      // Assess
      expect(parked).toBe("changed");
      expect((await table.stores.instances.get(id))?.execution).toEqual(before);
    });

    it("answers `changed` when a confirmation landed after decide read the state (no lost wake-up)", async () => {
      // Prepare: decide has read rev 0; a confirmation arrives and finds no token to signal.
      const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      const { instance } = await table.stores.instances.loadState(id);
      await table.stores.instances.recordConfirmation({
        instanceId: id,
        occurrenceKey: "a/-/0",
        at: "2024-05-02T08:00:00Z",
        by: "x",
      });
      const tokenAtSignal = await table.stores.tokens.take(id);
      // Act
      const parked = await table.stores.tokens.park(id, "token-1", instance.rev, EXECUTION);
      // Assess
      expect(tokenAtSignal).toBeNull();
      expect(parked).toBe("changed");
      expect((await table.stores.instances.get(id))?.taskToken).toBeUndefined();
    });

    it("never loses a wake-up when park and a confirmation race", async () => {
      // Prepare: 10 rounds of decide-read, then park and confirm-and-signal at the same time.
      const rounds = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
          return { id, seenRev: (await table.stores.instances.loadState(id)).instance.rev };
        }),
      );
      // Act
      const outcomes = await Promise.all(
        rounds.map(async ({ id, seenRev }) => {
          const [parked, signalled] = await Promise.all([
            table.stores.tokens.park(id, `token-${id}`, seenRev, EXECUTION),
            (async () => {
              await table.stores.instances.recordConfirmation({
                instanceId: id,
                occurrenceKey: "a/-/0",
                at: "2024-05-02T08:00:00Z",
                by: "x",
              });
              return table.stores.tokens.take(id);
            })(),
          ]);
          return { parked, signalled };
        }),
      );
      // Assess: either park saw the change, or the signaller got the token; never neither.
      for (const { parked, signalled } of outcomes) {
        expect(parked === "changed" || signalled !== null).toBe(true);
      }
    });

    it("returns null when nothing is parked and NotFoundError when parking an unknown instance", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      // Act
      const token = await table.stores.tokens.take(id);
      // Assess
      expect(token).toBeNull();
      await expect(table.stores.tokens.park(uniqueId("nope"), "t", 0, EXECUTION)).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it("answers `changed` after a deadline move and after a cancel", async () => {
      // Prepare
      const moved = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      const cancelled = await runningInstance(table.stores);
      await table.stores.instances.moveDeadline(moved, "a/-/0", "2024-06-10T21:59:00Z", "admin");
      await table.stores.instances.cancel(cancelled, "admin");
      // Act
      const afterMove = await table.stores.tokens.park(moved, "t", 0, EXECUTION);
      const afterCancel = await table.stores.tokens.park(cancelled, "t", 0, EXECUTION);
      // Assess
      expect([afterMove, afterCancel]).toEqual(["changed", "changed"]);
    });

    it("takes a token only when it is stale: parked at an older rev than the instance has now", async () => {
      // Prepare: parked at rev 0, then a confirmation bumps rev to 1 and its signaller dies
      const fresh = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      const stale = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      await table.stores.tokens.park(fresh, "fresh-token", 0, EXECUTION);
      await table.stores.tokens.park(stale, "stale-token", 0, EXECUTION);
      await table.stores.instances.recordConfirmation({
        instanceId: stale,
        occurrenceKey: "a/-/0",
        at: "2024-05-02T08:00:00Z",
        by: "x",
      });
      // Act
      const fromFresh = await table.stores.tokens.takeIfStale(fresh);
      const fromStale = await Promise.all([
        table.stores.tokens.takeIfStale(stale),
        table.stores.tokens.takeIfStale(stale),
      ]);
      // Assess
      expect(fromFresh).toBeNull();
      expect((await table.stores.instances.get(fresh))?.taskToken).toBe("fresh-token");
      expect(fromStale.filter((t) => t !== null)).toEqual(["stale-token"]);
    });
  });
}
