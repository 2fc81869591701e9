import { randomUUID } from "node:crypto";
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { createLocalDynamoDbClient } from "../../infra/local/dynamodb.ts";
import { ensureTable, tableDefinition, ttlAttribute } from "../../shared/store/index.ts";
import { dynamoDbEndpoint } from "../support/dynamodb.ts";

describe("tableDefinition", () => {
  it("is on-demand with string pk/sk and the two indexes the store queries", () => {
    // Act
    const definition = tableDefinition("fristflow");
    // Assess
    expect(definition.TableName).toBe("fristflow");
    expect(definition.BillingMode).toBe("PAY_PER_REQUEST");
    expect(definition.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    expect(definition.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(["dueIndex", "listIndex"]);
    expect(ttlAttribute).toBe("expiresAt");
  });
});

describe("ensureTable", () => {
  it("creates the table with TTL on, and leaves an existing one alone", async () => {
    // Prepare
    const client = createLocalDynamoDbClient(dynamoDbEndpoint());
    const name = `ensure-${randomUUID()}`;
    try {
      // Act
      await ensureTable(client, name);
      await ensureTable(client, name);
      // Assess
      const table = await client.send(new DescribeTableCommand({ TableName: name }));
      expect(table.Table?.TableStatus).toBe("ACTIVE");
      expect(table.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual([
        "dueIndex",
        "listIndex",
      ]);
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
      expect(ttl.TimeToLiveDescription).toMatchObject({
        TimeToLiveStatus: "ENABLED",
        AttributeName: "expiresAt",
      });
    } finally {
      await client.send(new DeleteTableCommand({ TableName: name }));
      client.destroy();
    }
  });
});
