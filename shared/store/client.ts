import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * The document client the store is written against. Optional fields of records are simply left
 * out, and `undefined` values are dropped instead of failing the marshalling; class instances
 * are never stored, so refusing them catches a Temporal object passed where a string belongs.
 */
export function createStoreDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
