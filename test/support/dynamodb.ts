/**
 * Integration-test access to the run's DynamoDB Local (started by global-setup.ts): a fresh,
 * randomly named table per test file, so files run in parallel without seeing each other's data.
 */
import { randomUUID } from "node:crypto";
import { DeleteTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { inject } from "vitest";
import { createLocalDynamoDbClient } from "../../infra/local/dynamodb.ts";
import {
  createStoreDocumentClient,
  dynamoStores,
  ensureTable,
  type Stores,
} from "../../shared/store/index.ts";
import { type Clock, systemClock } from "../../shared/time/clock.ts";

export interface TestTable {
  stores: Stores;
  doc: DynamoDBDocumentClient;
  client: DynamoDBClient;
  tableName: string;
  /** The stores on the same table with another clock (e.g. a second worker). */
  storesWith(clock: Clock): Stores;
  drop(): Promise<void>;
}

export function dynamoDbEndpoint(): string {
  return inject("dynamoDbEndpoint");
}

export async function createTestTable(options: { clock?: Clock } = {}): Promise<TestTable> {
  const client = createLocalDynamoDbClient(dynamoDbEndpoint());
  const doc = createStoreDocumentClient(client);
  const tableName = `test-${randomUUID()}`;
  await ensureTable(client, tableName);
  return {
    stores: dynamoStores(doc, tableName, options.clock ?? systemClock),
    doc,
    client,
    tableName,
    storesWith: (clock) => dynamoStores(doc, tableName, clock),
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
}
