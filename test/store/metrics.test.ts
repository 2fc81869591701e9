import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countDynamoOps, type DynamoOpCounter } from "../../shared/store/index.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createTestTable, type TestTable } from "../support/dynamodb.ts";
import { occurrence, runningInstance } from "./fixtures.ts";

const clock = new ManualClock("2024-05-01T06:00:00Z");
let table: TestTable;
let counter: DynamoOpCounter;

beforeAll(async () => {
  table = await createTestTable({ clock });
  counter = countDynamoOps(table.doc);
});
afterAll(async () => {
  counter.detach();
  await table.drop();
});

describe("countDynamoOps", () => {
  it("counts requests and capacity units per command", async () => {
    // Prepare
    const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
    counter.reset();
    // Act
    await table.stores.instances.get(id);
    await table.stores.instances.recordConfirmation({
      instanceId: id,
      occurrenceKey: "a/-/0",
      at: "2024-05-02T08:00:00Z",
      by: "x",
    });
    // Assess
    const counts = counter.byCommand();
    expect(Object.keys(counts).sort()).toEqual(["GetItem", "TransactWriteItems"]);
    expect(counts.GetItem).toEqual({ requests: 1, failed: 0, readUnits: 1, writeUnits: 0 });
    expect(counts.TransactWriteItems?.requests).toBe(1);
    // Three items written transactionally (2 units each) plus the index entry removed.
    expect(counts.TransactWriteItems?.writeUnits).toBeGreaterThanOrEqual(6);
    expect(counter.total().requests).toBe(2);
  });

  it("counts failed requests, e.g. a repeated confirmation's cancelled transaction", async () => {
    // Prepare
    const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
    await table.stores.instances.recordConfirmation({
      instanceId: id,
      occurrenceKey: "a/-/0",
      at: "2024-05-02T08:00:00Z",
      by: "x",
    });
    counter.reset();
    // Act
    await table.stores.instances.recordConfirmation({
      instanceId: id,
      occurrenceKey: "a/-/0",
      at: "2024-05-02T09:00:00Z",
      by: "y",
    });
    // Assess: the failed transaction, then one read to tell "already" apart from "unknown".
    expect(counter.byCommand()).toEqual({
      TransactWriteItems: { requests: 1, failed: 1, readUnits: 0, writeUnits: 0 },
      GetItem: { requests: 1, failed: 0, readUnits: 1, writeUnits: 0 },
    });
  });

  it("stops counting once reset and detached", async () => {
    // Prepare
    const id = await runningInstance(table.stores);
    const other = countDynamoOps(table.doc);
    other.detach();
    counter.reset();
    // Act
    await table.stores.instances.get(id);
    // Assess
    expect(counter.total().requests).toBe(1);
    expect(other.total().requests).toBe(0);
  });
});
