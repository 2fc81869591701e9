import type { DynamoDBClient, DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { WRITE_CONCURRENCY } from "./dynamo/table.ts";

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

/**
 * The connection settings of the store's DynamoDB client: keep-alive sockets, at most
 * `maxSockets` of them. The SDK's default Node handler opens at most 50; a process with more
 * requests in flight queues the rest inside the SDK, behind the ones that hold a socket, and says
 * so ("socket usage at capacity"). Given as the handler's options (not a handler instance), so
 * the SDK builds its own NodeHttpHandler with these agents and destroys them with the client,
 * and the store needs no HTTP package of its own.
 */
export function dynamoDbConnections(maxSockets: number): Pick<DynamoDBClientConfig, "requestHandler"> {
  if (!Number.isInteger(maxSockets) || maxSockets < 1) {
    throw new RangeError(`maxSockets must be a whole number ≥ 1, not ${maxSockets}`);
  }
  const agent = { keepAlive: true, maxSockets };
  return { requestHandler: { httpAgent: agent, httpsAgent: agent } };
}

/**
 * Sockets of a Lambda's DynamoDB client. A Lambda instance serves one invocation at a time, and
 * inside one the store has at most WRITE_CONCURRENCY requests in flight (a milestone sync; a
 * step's mails go out 4 at a time, after it), so with a few to spare no request ever waits for a
 * socket, while a burst cannot open more TLS connections (a handshake each) than an invocation
 * can use. Kept alive, they serve the container's next invocations.
 */
export const LAMBDA_DYNAMODB_MAX_SOCKETS = WRITE_CONCURRENCY + 6;
