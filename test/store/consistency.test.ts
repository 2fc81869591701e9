/**
 * Reads a mail makes for its greeting and its deputy routing are eventually consistent (issue 13:
 * half the read units of every reminder), and find the same as the strong reads the pages and
 * logins make. Counted on DynamoDB Local, which reports the read units it would charge.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countDynamoOps } from "../../shared/store/index.ts";
import type { DeputyScope } from "../../shared/store/records.ts";
import { createTestTable, type TestTable } from "../support/dynamodb.ts";

let table: TestTable;
const scope: DeputyScope = { kind: "person", personId: "consistency-person" };

beforeAll(async () => {
  table = await createTestTable();
  await table.stores.users.create({
    userId: "hanne",
    name: "Hanne Hansen",
    email: "hanne@kommune.example",
    roles: ["caseworker"],
    active: true,
    updatedBy: "test",
  });
  await table.stores.deputies.put({
    scope,
    deputyId: "d-1",
    name: "Bo Berg",
    email: "bo@kommune.example",
    from: "2024-05-01",
    to: "2024-05-31",
    createdAt: "2024-04-30T10:00:00Z",
    createdBy: "test",
  });
});
afterAll(async () => {
  await table.drop();
});

async function readUnits(read: () => Promise<unknown>): Promise<{ value: unknown; readUnits: number }> {
  const counter = countDynamoOps(table.doc);
  try {
    const value = await read();
    const readUnits = Object.values(counter.byCommand()).reduce((n, c) => n + c.readUnits, 0);
    return { value, readUnits };
  } finally {
    counter.detach();
  }
}

describe("eventually consistent reads for mails", () => {
  it("finds a user by e-mail for half the read units of the strong read", async () => {
    const strong = await readUnits(() => table.stores.users.findByEmail("Hanne@kommune.example"));
    const eventual = await readUnits(() =>
      table.stores.users.findByEmail("hanne@kommune.example", "eventual"),
    );

    expect(eventual.value).toEqual(strong.value);
    expect(strong.value).toMatchObject({ name: "Hanne Hansen" });
    expect(strong.readUnits).toBe(2); // the e-mail's lookup item, then the user
    expect(eventual.readUnits).toBe(1);
  });

  it("lists a leader's deputies for half the read units of the strong read", async () => {
    const strong = await readUnits(() => table.stores.deputies.list(scope));
    const eventual = await readUnits(() => table.stores.deputies.list(scope, "eventual"));

    expect(eventual.value).toEqual(strong.value);
    expect(strong.value).toHaveLength(1);
    expect(strong.readUnits).toBe(1);
    expect(eventual.readUnits).toBe(0.5);
  });
});
