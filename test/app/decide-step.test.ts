import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { MAX_WAIT_SECONDS } from "../../shared/loop/contract.ts";
import { waitSeconds } from "../../shared/loop/wait.ts";
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
  it("returns the due reminder and the next wake-up, recording the milestone for the overview and the link", async () => {
    // Prepare
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    // Act
    const out = await runDecide(
      { ...table.stores, clock },
      { instanceId: seeded.instanceId, execution: execution() },
    );
    // Assess
    expect(out.instance).toMatchObject({ instanceId: seeded.instanceId, rev: 0 });
    expect(out.decision).toMatchObject({ done: false, continueAsNew: false, nextWakeAt: P0D_AT });
    expect(out.execution).toEqual({ ...execution(), loops: 1 });
    expect(out.decision.notifications).toEqual([
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
    // With its instance's workflow and unit name: what a confirm page needs, in one item.
    expect(milestones).toEqual([
      expect.objectContaining({
        occurrenceKey: seeded.occurrenceKey,
        dueAt: DUE_AT,
        status: "open",
        workflowId: seeded.workflowId,
        workflowVersion: 1,
        unitName: "Vejleåskolen",
      }),
    ]);
    // The loop count is park's to write, with the token: deciding writes none.
    expect((await table.stores.instances.get(seeded.instanceId))?.execution.loops).toBe(0);
  });

  it("counts loops within an execution from what park recorded, and starts again at one in a new execution", async () => {
    // Prepare
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    const deps = { ...table.stores, clock };
    const input = { instanceId: seeded.instanceId, execution: execution("exec-1") };
    const first = await runDecide(deps, input);
    await table.stores.tokens.park(seeded.instanceId, "t-1", first.instance.rev, first.execution);
    // Act
    const second = await runDecide(deps, input);
    const inNew = await runDecide(deps, { ...input, execution: execution("exec-2") });
    // Assess
    expect(first.execution).toMatchObject({ id: "exec-1", loops: 1 });
    expect(second.execution).toMatchObject({ id: "exec-1", loops: 2 });
    expect(inNew.execution).toMatchObject({ id: "exec-2", loops: 1 });
  });

  it("audits an execution's start once, also when a step dies before park and runs again", async () => {
    // Prepare: the first step of exec-dies runs twice (it died after its audit), then parks
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    const deps = { ...table.stores, clock };
    const input = { instanceId: seeded.instanceId, execution: execution("exec-dies") };
    await runDecide(deps, input);
    const rerun = await runDecide(deps, input);
    await table.stores.tokens.park(seeded.instanceId, "t-1", rerun.instance.rev, rerun.execution);
    // Act
    await runDecide(deps, { ...input, execution: execution("exec-next") });
    // Assess
    const started = (await table.stores.audit.list(seeded.instanceId)).filter(
      (e) => e.action === "loop.execution-started",
    );
    expect(started.map((e) => e.details?.executionId)).toEqual(["exec-dies", "exec-next"]);
    expect(started[1]?.details?.previousExecutionId).toBe("exec-dies");
  });

  it("says done once every milestone is confirmed (the step records it)", async () => {
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
    expect(out.decision).toMatchObject({ done: true, notifications: [], nextWakeAt: null });
    expect(out.instance.rev).toBe(1);
  });

  it("answers done for a cancelled instance, deciding nothing", async () => {
    // Prepare
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    await table.stores.instances.cancel(seeded.instanceId, "admin");
    // Act
    const out = await runDecide(
      { ...table.stores, clock },
      { instanceId: seeded.instanceId, execution: execution() },
    );
    // Assess
    expect(out.definition).toBeNull();
    expect(out.decision).toMatchObject({ done: true, notifications: [] });
    expect((await table.stores.instances.get(seeded.instanceId))?.status).toBe("cancelled");
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
    // Act: the first step of two executions (later steps do not look)
    await runDecide(deps, { instanceId: seeded.instanceId, execution: execution("exec-a") });
    await runDecide(deps, { instanceId: seeded.instanceId, execution: execution("exec-b") });
    // Assess
    const ignored = (await table.stores.audit.list(seeded.instanceId)).filter(
      (e) => e.action === "confirmation.ignored",
    );
    expect(ignored).toHaveLength(1);
    expect(ignored[0]).toMatchObject({ at: P3D_AT, details: { occurrenceKey: stale } });
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
