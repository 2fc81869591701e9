import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { CHANGED_WHILE_DECIDING, runPark } from "../../shared/app/park.ts";
import { CONTINUE_AS_NEW_ERROR_NAME } from "../../shared/loop/asl.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import { execution, P3D_AT, recordingSignaller, seedInstance, sleepInput } from "./fixtures.ts";

const clock = new ManualClock(P3D_AT);
let table: MemoryTestTable;

beforeAll(async () => {
  table = await createMemoryTable({ clock });
});
afterAll(async () => {
  await table.drop();
});

describe("runPark", () => {
  it("stores the task token and the step's loop count when nothing changed since the step, and wakes nobody", async () => {
    // Prepare
    const seeded = await seedInstance(table.stores);
    const decided = await runDecide(
      { ...table.stores, clock },
      { instanceId: seeded.instanceId, execution: execution() },
    );
    const signaller = recordingSignaller();
    // Act
    const result = await runPark({ ...table.stores, signaller }, sleepInput(decided, "token-1"));
    // Assess
    expect(result).toEqual({ status: "parked" });
    expect(signaller.wakes).toEqual([]);
    expect(await table.stores.instances.get(seeded.instanceId)).toMatchObject({
      taskToken: "token-1",
      parkedRev: 0,
      execution: { ...execution(), loops: 1 },
    });
  });

  it("wakes its own execution at once when a confirmation landed while the step ran", async () => {
    // Prepare: the step reads rev 0, then a leader confirms (rev 1) and finds no token to wake
    const seeded = await seedInstance(table.stores);
    const decided = await runDecide(
      { ...table.stores, clock },
      { instanceId: seeded.instanceId, execution: execution() },
    );
    await table.stores.instances.recordConfirmation({
      instanceId: seeded.instanceId,
      occurrenceKey: seeded.occurrenceKey,
      at: P3D_AT,
      by: "unitLeader:x",
    });
    expect(await table.stores.tokens.take(seeded.instanceId)).toBeNull();
    const signaller = recordingSignaller();
    // Act
    const result = await runPark({ ...table.stores, signaller }, sleepInput(decided, "token-2"));
    // Assess: woken once with its own token; nothing left parked for a later signal to find
    expect(result).toEqual({ status: "woken", reason: CHANGED_WHILE_DECIDING });
    expect(signaller.wakes).toEqual([{ taskToken: "token-2", reason: CHANGED_WHILE_DECIDING }]);
    expect((await table.stores.instances.get(seeded.instanceId))?.taskToken).toBeUndefined();
  });

  it("wakes at once after a cancel too, and the next step ends the loop", async () => {
    // Prepare
    const seeded = await seedInstance(table.stores);
    const deps = { ...table.stores, clock };
    const decided = await runDecide(deps, { instanceId: seeded.instanceId, execution: execution() });
    await table.stores.instances.cancel(seeded.instanceId, "admin");
    const signaller = recordingSignaller();
    // Act
    const result = await runPark({ ...table.stores, signaller }, sleepInput(decided, "token-3"));
    const next = await runDecide(deps, { instanceId: seeded.instanceId, execution: execution() });
    // Assess
    expect(result.status).toBe("woken");
    expect(signaller.wakes).toHaveLength(1);
    expect(next.decision.done).toBe(true);
  });

  it.each([
    {
      said: "done",
      flags: { done: true },
      how: "done",
      signals: {
        wakes: [],
        finishes: [{ taskToken: "token-4", reason: "every milestone is complete" }],
        failures: [],
      },
    },
    {
      said: "continue as new",
      flags: { continueAsNew: true },
      how: "continue-as-new",
      signals: {
        wakes: [],
        finishes: [],
        failures: [{ taskToken: "token-4", error: CONTINUE_AS_NEW_ERROR_NAME }],
      },
    },
  ])(
    "leaves the loop when the step said $said: completes its token (done: Sleep's success ends the execution) or fails it with the error Sleep catches, parks nothing",
    async ({ flags, how, signals }) => {
      // Prepare
      const seeded = await seedInstance(table.stores);
      const decided = await runDecide(
        { ...table.stores, clock },
        { instanceId: seeded.instanceId, execution: execution() },
      );
      const signaller = recordingSignaller();
      // Act
      const result = await runPark({ ...table.stores, signaller }, sleepInput(decided, "token-4", flags));
      // Assess
      expect(result).toEqual({ status: "left", how });
      expect({
        wakes: signaller.wakes,
        finishes: signaller.finishes,
        failures: signaller.failures,
      }).toEqual(signals);
      expect((await table.stores.instances.get(seeded.instanceId))?.taskToken).toBeUndefined();
    },
  );
});
