/**
 * ensureTable against a DynamoDB that creates tables slowly (a real endpoint does; DynamoDB Local
 * does not): a fake client that answers DescribeTable with a scripted status, and a virtual sleep.
 */
import { CreateTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { ExecutionStore } from "../../infra/local/engine/store.ts";

function slowTable(statuses: (string | Error)[]) {
  const describes: string[] = [];
  const waits: number[] = [];
  const doc = {
    send: async (command: unknown) => {
      if (command instanceof CreateTableCommand) return {};
      if (command instanceof DescribeTableCommand) {
        const next = statuses.shift() ?? "CREATING";
        describes.push(next instanceof Error ? next.name : next);
        if (next instanceof Error) throw next;
        return { Table: { TableStatus: next } };
      }
      throw new Error("unexpected command");
    },
  } as unknown as DynamoDBDocumentClient;
  const store = new ExecutionStore(doc, "engine", {
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { store, describes, waits };
}

describe("ExecutionStore.ensureTable", () => {
  it("polls every 500 ms until the table is ACTIVE", async () => {
    // Prepare
    const { store, describes, waits } = slowTable(["CREATING", "CREATING", "ACTIVE"]);

    // Act
    await store.ensureTable();

    // Assess
    expect(describes).toEqual(["CREATING", "CREATING", "ACTIVE"]);
    expect(waits).toEqual([500, 500]);
  });

  it("gives up after a minute of polls with a message naming the table", async () => {
    // Prepare
    const { store, describes, waits } = slowTable([]);

    // Act
    const error = await store.ensureTable().catch((err: unknown) => err);

    // Assess
    expect((error as Error).message).toBe("The engine table engine did not become ACTIVE within a minute");
    expect(describes).toHaveLength(120);
    expect(waits.reduce((a, b) => a + b, 0)).toBe(119 * 500);
  });

  it("passes a failing DescribeTable on at once", async () => {
    // Prepare
    const denied = Object.assign(new Error("no"), { name: "AccessDeniedException" });
    const { store, describes } = slowTable(["CREATING", denied, "ACTIVE"]);

    // Act
    const error = await store.ensureTable().catch((err: unknown) => err);

    // Assess
    expect(error).toBe(denied);
    expect(describes).toEqual(["CREATING", "AccessDeniedException"]);
  });
});
