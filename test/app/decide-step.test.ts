import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ignoredConfirmationMarker, runDecide } from "../../shared/app/decide-step.ts";
import { MAX_WAIT_SECONDS } from "../../shared/loop/contract.ts";
import { waitSeconds } from "../../shared/loop/wait.ts";
import type { InstanceStore } from "../../shared/store/index.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import { DUE_AT, execution, P0D_AT, P3D_AT, seedInstance } from "./fixtures.ts";

const clock = new ManualClock(P3D_AT);
let table: MemoryTestTable;

beforeAll(async () => {
  table = await createMemoryTable({ clock });
});
afterAll(async () => {
  await table.drop();
});

describe("runDecide", () => {
  it("returns the due reminder and sleeps until the next one, recording the milestone for the overview", async () => {
    // Prepare
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    // Act
    const out = await runDecide(
      { ...table.stores, clock },
      { instanceId: seeded.instanceId, execution: execution() },
    );
    // Assess
    expect(out).toMatchObject({
      instanceId: seeded.instanceId,
      rev: 0,
      done: false,
      continueAsNew: false,
      notify: true,
      nextWakeAt: P0D_AT,
      waitSeconds: 3 * 24 * 3600,
    });
    expect(out.notifications).toEqual([
      expect.objectContaining({
        kind: "reminder",
        offset: "P3D",
        occurrenceKey: seeded.occurrenceKey,
        milestoneId: "handleplan",
        unitId: seeded.unitId,
        dueAt: DUE_AT,
        at: P3D_AT,
        recipient: { kind: "unitLeader", unitId: seeded.unitId },
      }),
    ]);
    const milestones = await table.stores.instances.listMilestones(seeded.instanceId);
    expect(milestones).toEqual([
      expect.objectContaining({ occurrenceKey: seeded.occurrenceKey, dueAt: DUE_AT, status: "open" }),
    ]);
    const instance = await table.stores.instances.get(seeded.instanceId);
    expect(instance?.execution).toEqual({ ...execution(), loops: 1 });
  });

  it("counts loops within an execution and starts again at one in a new execution", async () => {
    // Prepare
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    const deps = { ...table.stores, clock };
    const input = { instanceId: seeded.instanceId, execution: execution("exec-1") };
    // Act
    await runDecide(deps, input);
    await runDecide(deps, input);
    const afterTwo = (await table.stores.instances.get(seeded.instanceId))?.execution;
    await runDecide(deps, { ...input, execution: execution("exec-2") });
    const afterNew = (await table.stores.instances.get(seeded.instanceId))?.execution;
    // Assess
    expect(afterTwo).toMatchObject({ id: "exec-1", loops: 2 });
    expect(afterNew).toMatchObject({ id: "exec-2", loops: 1 });
  });

  it("audits an execution's start once, also when a decide dies before recording its loop and runs again", async () => {
    // Prepare: the first decide of exec-1 dies after its audit, before recordLoop
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    const input = { instanceId: seeded.instanceId, execution: execution("exec-dies") };
    const dying: InstanceStore = Object.create(table.stores.instances);
    dying.recordLoop = async () => {
      throw new Error("killed");
    };
    await expect(runDecide({ ...table.stores, instances: dying, clock }, input)).rejects.toThrow("killed");
    // Act
    await runDecide({ ...table.stores, clock }, input);
    await runDecide({ ...table.stores, clock }, { ...input, execution: execution("exec-next") });
    // Assess
    const started = (await table.stores.audit.list(seeded.instanceId)).filter(
      (e) => e.action === "loop.execution-started",
    );
    expect(started.map((e) => e.details?.executionId)).toEqual(["exec-dies", "exec-next"]);
    expect(started[1]?.details?.previousExecutionId).toBe("exec-dies");
  });

  it("marks the instance done once every milestone is confirmed", async () => {
    // Prepare
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    const deps = { ...table.stores, clock };
    await runDecide(deps, { instanceId: seeded.instanceId, execution: execution() });
    await table.stores.instances.recordConfirmation({
      instanceId: seeded.instanceId,
      occurrenceKey: seeded.occurrenceKey,
      at: P3D_AT,
      by: "unitLeader:x",
    });
    // Act
    const out = await runDecide(deps, { instanceId: seeded.instanceId, execution: execution() });
    // Assess
    expect(out).toMatchObject({ done: true, notify: false, notifications: [], nextWakeAt: null, rev: 1 });
    expect((await table.stores.instances.get(seeded.instanceId))?.status).toBe("done");
    const trail = await table.stores.audit.list(seeded.instanceId);
    expect(trail.map((e) => e.action)).toContain("instance.done");
  });

  it("audits a confirmation the definition does not know, once", async () => {
    // Prepare: a milestone state from an older definition, confirmed.
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    const stale = "gammel/-/0";
    await table.stores.instances.syncOccurrences(seeded.instanceId, [
      {
        key: stale,
        milestoneId: "gammel",
        unitId: null,
        index: 0,
        dueAt: DUE_AT,
        after: [],
        confirmable: true,
      },
    ]);
    await table.stores.instances.recordConfirmation({
      instanceId: seeded.instanceId,
      occurrenceKey: stale,
      at: P3D_AT,
      by: "admin",
    });
    const deps = { ...table.stores, clock };
    const input = { instanceId: seeded.instanceId, execution: execution() };
    // Act
    await runDecide(deps, input);
    await runDecide(deps, input);
    // Assess
    const ignored = (await table.stores.audit.list(seeded.instanceId)).filter(
      (e) => e.action === "confirmation.ignored",
    );
    expect(ignored).toHaveLength(1);
    expect(ignored[0]?.details).toMatchObject({ occurrenceKey: stale });
    const marker = await table.stores.notifications.get(seeded.instanceId, ignoredConfirmationMarker(stale));
    expect(marker?.status).toBe("sent");
  });
});

describe("waitSeconds", () => {
  const now = Temporal.Instant.from("2024-10-28T07:00:00Z");

  it("rounds up, so the loop never wakes a moment early", () => {
    expect(waitSeconds("2024-10-28T07:00:01.200Z", now)).toBe(2);
  });

  it("is at least one second, also for a wake-up in the past", () => {
    expect(waitSeconds("2024-10-28T07:00:00Z", now)).toBe(1);
    expect(waitSeconds("2024-10-27T07:00:00Z", now)).toBe(1);
    expect(waitSeconds(null, now)).toBe(1);
  });

  it("is capped at Step Functions' one-year task timeout", () => {
    expect(waitSeconds("2026-10-28T07:00:00Z", now)).toBe(MAX_WAIT_SECONDS);
  });
});
