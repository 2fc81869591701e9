/**
 * What only the DynamoDB adapter can show: how records lie in the table (attributes DynamoDB
 * itself acts on). Behaviour both adapters share is in the contract suite (./contract/).
 */
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../shared/time/clock.ts";
import { createTestTable, type TestTable } from "../support/dynamodb.ts";
import { uniqueId } from "./fixtures.ts";

const clock = new ManualClock("2024-05-01T06:00:00Z");
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable({ clock });
});
afterAll(async () => {
  await table.drop();
});

describe("confirm links in the table", () => {
  it("stores the expiry as epoch seconds in the TTL attribute", async () => {
    // Prepare
    const link = {
      id: uniqueId("link"),
      purpose: "confirm",
      instanceId: "inst-1",
      occurrenceKey: "a/-/0",
      recipient: "unitLeader:skole-a",
      expiresAt: 1_719_792_000,
    };
    // Act
    await table.stores.links.put(link);
    // Assess
    const raw = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: `LINK#${link.id}`, sk: "LINK" } }),
    );
    expect(raw.Item?.expiresAt).toBe(1_719_792_000);
    expect(await table.stores.links.get(link.id)).toEqual({ ...link, createdAt: clock.now().toString() });
  });
});
