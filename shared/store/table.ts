/**
 * The table, defined once: the CDK stack and the local bootstrap both build it from
 * tableDefinition(), so the keys and indexes the store relies on exist in both places.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { isTableAlreadyThere } from "./dynamo/sdk-errors.ts";

/** Confirm links carry their expiry here (epoch seconds); DynamoDB deletes them some time after. */
export const ttlAttribute = "expiresAt";

export const DUE_INDEX = "dueIndex";
export const LIST_INDEX = "listIndex";

/**
 * What the list index carries besides keys: exactly what the listings show. Anything left out
 * (an instance's rev, parked token, execution counters) can change on every loop without
 * costing an index write; only a change to a projected attribute is copied to the index.
 */
export const LIST_INDEX_ATTRIBUTES = [
  "entity",
  // workflow heads
  "workflowId",
  "latestVersion",
  "title",
  "latestAt",
  "latestBy",
  // instances
  "instanceId",
  "workflowVersion",
  "status",
  "startAt",
  "createdAt",
  "cancelledAt",
  "finishedAt",
  // units
  "unit",
  // outbox (the raw MIME stays out: it is large and only needed for one message at a time)
  "messageId",
  "at",
  "to",
  "subject",
  "notificationKey",
  "path",
];

export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "S" },
      { AttributeName: "gsi1pk", AttributeType: "S" },
      { AttributeName: "gsi1sk", AttributeType: "S" },
      { AttributeName: "gsi2pk", AttributeType: "S" },
      { AttributeName: "gsi2sk", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        // Open milestones by due instant; sparse (a confirmed milestone loses its keys).
        // Everything is projected because the overview shows the whole milestone state and
        // these items change rarely.
        IndexName: DUE_INDEX,
        KeySchema: [
          { AttributeName: "gsi1pk", KeyType: "HASH" },
          { AttributeName: "gsi1sk", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
      {
        // Workflows, instances, units and outbox mail, one partition value per kind.
        IndexName: LIST_INDEX,
        KeySchema: [
          { AttributeName: "gsi2pk", KeyType: "HASH" },
          { AttributeName: "gsi2sk", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: LIST_INDEX_ATTRIBUTES },
      },
    ],
  };
}

/**
 * Creates the table if it does not exist, waits until it is usable and makes sure TTL is on.
 * Safe to call on every start: an existing table is left as it is.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (err) {
    if (!isTableAlreadyThere(err)) throw err;
  }
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (described.Table?.TableStatus !== "ACTIVE") {
    await waitUntilTableExists({ client, maxWaitTime: 300, minDelay: 1 }, { TableName: tableName });
  }
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  // Enabling it twice is an error in AWS, so only ask when it is off.
  if (status !== "ENABLED" && status !== "ENABLING") {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      }),
    );
  }
}
