/**
 * What only the DynamoDB adapter can show: how records lie in the table (the keys of the sparse
 * due index, which DynamoDB itself acts on). Behaviour both adapters share is in the contract suite (./contract/).
 */
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../shared/time/clock.ts";
import { createTestTable, type TestTable } from "../support/dynamodb.ts";
import { occurrence, runningInstance } from "./fixtures.ts";

const clock = new ManualClock("2024-05-01T06:00:00Z");
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable({ clock });
});
afterAll(async () => {
  await table.drop();
});

describe("milestone states in the due index", () => {
  it("are in it while open, confirmable and due, and leave it when confirmed or cancelled", async () => {
    // Prepare
    const confirmed = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
    const cancelled = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-02T21:59:00Z")]);
    const raw = async (instanceId: string) =>
      (
        await table.doc.send(
          new GetCommand({ TableName: table.tableName, Key: { pk: `INST#${instanceId}`, sk: "OCC#a/-/0" } }),
        )
      ).Item;
    const indexedBefore = [(await raw(confirmed))?.gsi1pk, (await raw(cancelled))?.gsi1pk];
    // Act
    await table.stores.instances.recordConfirmation({
      instanceId: confirmed,
      occurrenceKey: "a/-/0",
      at: clock.now().toString(),
      by: "leder",
    });
    await table.stores.instances.cancel(cancelled, "admin");
    // Assess
    expect(indexedBefore).toEqual(["DUE", "DUE"]);
    expect((await raw(confirmed))?.gsi1pk).toBeUndefined();
    expect(await raw(cancelled)).toMatchObject({ instanceStatus: "cancelled" });
    expect((await raw(cancelled))?.gsi1pk).toBeUndefined();
  });
});
