/**
 * What the loop's steps cost in DynamoDB requests: counted on the DynamoDB adapter against
 * DynamoDB Local (the in-memory adapters have no requests to count). The figures per reminder and
 * per confirmation are in test/app/cost.test.ts and the benchmarks.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { DefinitionCache } from "../../shared/app/definitions.ts";
import { runNotify } from "../../shared/app/notify.ts";
import type { DecideOutput } from "../../shared/loop/contract.ts";
import { countDynamoOps } from "../../shared/store/index.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createTestTable, type TestTable } from "../support/dynamodb.ts";
import {
  createOutbox,
  execution,
  fixedLinkKey,
  notifyDeps,
  type Outbox,
  P3D_AT,
  type Seeded,
  seedInstance,
} from "./fixtures.ts";

const clock = new ManualClock(P3D_AT);
const linkKey = fixedLinkKey();
let table: TestTable;
let outbox: Outbox;

beforeAll(async () => {
  table = await createTestTable({ clock });
});
afterAll(async () => {
  await table.drop();
});
beforeEach(async () => {
  clock.set(P3D_AT);
  outbox = await createOutbox(clock);
});
afterEach(async () => {
  await outbox.remove();
});

/** A seeded instance and what Decide says to send for it at the P3D reminder. */
async function decided(): Promise<{ seeded: Seeded; decision: DecideOutput }> {
  const seeded = await seedInstance(table.stores);
  const decision = await runDecide(
    { ...table.stores, clock },
    { instanceId: seeded.instanceId, execution: execution() },
  );
  expect(decision.notifications).toHaveLength(1);
  return { seeded, decision };
}

describe("runDecide in DynamoDB requests", () => {
  it("rewrites no unchanged milestone: a repeated decide is one Query and one UpdateItem", async () => {
    // Prepare
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    const deps = { ...table.stores, clock, definitions: new DefinitionCache() };
    const input = { instanceId: seeded.instanceId, execution: execution() };
    await runDecide(deps, input);
    const counter = countDynamoOps(table.doc);
    // Act
    await runDecide(deps, input);
    // Assess
    const ops = counter.byCommand();
    counter.detach();
    expect(Object.keys(ops).sort()).toEqual(["Query", "UpdateItem"]);
    expect(ops.Query?.requests).toBe(1);
    expect(ops.UpdateItem?.requests).toBe(1);
  });

  it("answers done without writing for a cancelled instance", async () => {
    // Prepare
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    await table.stores.instances.cancel(seeded.instanceId, "admin");
    const counter = countDynamoOps(table.doc);
    // Act
    const out = await runDecide(
      { ...table.stores, clock },
      { instanceId: seeded.instanceId, execution: execution() },
    );
    // Assess
    const total = counter.total();
    counter.detach();
    expect(out).toMatchObject({ done: true, notify: false, notifications: [] });
    expect(total.writeUnits).toBe(0);
    expect((await table.stores.instances.get(seeded.instanceId))?.status).toBe("cancelled");
  });
});

describe("runNotify in DynamoDB requests", () => {
  it("reads no milestones when nothing changed since Decide (the rev is the same)", async () => {
    // Prepare
    const { seeded, decision } = await decided();
    const counter = countDynamoOps(table.doc);
    // Act
    const report = await runNotify(notifyDeps(table.stores, clock, outbox.transport, linkKey), {
      instanceId: seeded.instanceId,
      notifications: decision.notifications,
      rev: decision.rev,
    });
    // Assess
    const ops = counter.byCommand();
    counter.detach();
    expect(report).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(ops.Query).toBeUndefined();
  });
});
