/**
 * What the loop's steps cost in DynamoDB requests: counted on the DynamoDB adapter against
 * DynamoDB Local (the in-memory adapters have no requests to count). The figures per reminder and
 * per confirmation are in test/app/cost.test.ts and the benchmarks.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { DefinitionCache } from "../../shared/app/definitions.ts";
import { runNotify } from "../../shared/app/notify.ts";
import { countDynamoOps } from "../../shared/store/index.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import type { Decision } from "../../shared/timeline/types.ts";
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
async function decided(): Promise<{ seeded: Seeded; decision: Decision }> {
  const seeded = await seedInstance(table.stores);
  const { decision } = await runDecide(
    { ...table.stores, clock },
    { instanceId: seeded.instanceId, execution: execution() },
  );
  expect(decision.notifications).toHaveLength(1);
  return { seeded, decision };
}

describe("runDecide in DynamoDB requests", () => {
  it("rewrites no unchanged milestone and writes no loop count: a repeated decide is one Query", async () => {
    // Prepare
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    const deps = { ...table.stores, clock, definitions: new DefinitionCache() };
    const input = { instanceId: seeded.instanceId, execution: execution() };
    const first = await runDecide(deps, input);
    await table.stores.tokens.park(seeded.instanceId, "t-1", first.instance.rev, first.execution);
    const counter = countDynamoOps(table.doc);
    // Act
    await runDecide(deps, input);
    // Assess
    const ops = counter.byCommand();
    counter.detach();
    expect(Object.keys(ops)).toEqual(["Query"]);
    expect(ops.Query?.requests).toBe(1);
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
    expect(out.decision).toMatchObject({ done: true, notifications: [] });
    expect(total.writeUnits).toBe(0);
    expect((await table.stores.instances.get(seeded.instanceId))?.status).toBe("cancelled");
  });
});

describe("sending in DynamoDB requests", () => {
  it("is a claim and one conditional write per mail, and stores no link", async () => {
    // Prepare
    const { seeded, decision } = await decided();
    const counter = countDynamoOps(table.doc);
    // Act
    const report = await runNotify(notifyDeps(table.stores, clock, outbox.transport, linkKey), {
      instanceId: seeded.instanceId,
      notifications: decision.notifications,
    });
    // Assess: the instance, the leader's and the manager's unit are read; two single-item writes
    const ops = counter.byCommand();
    counter.detach();
    expect(report).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(ops.UpdateItem?.requests).toBe(2);
    expect(ops.PutItem).toBeUndefined();
    expect(ops.TransactWriteItems).toBeUndefined();
    // A reminder may go to a deputy: the leader's and the unit's deputies, one Query each by key.
    expect(ops.Query?.requests).toBe(2);
  });
});
