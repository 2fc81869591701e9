/**
 * The local stack's DynamoDB client: DynamoDB Local accepts its requests with the placeholder
 * Authorization header (SigV4's form, no computed signature) for every kind the store sends, and
 * the SDK's logger middleware (filtering copies for a no-op logger) is not in its stack.
 */
import { randomUUID } from "node:crypto";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { createDocumentClient, createLocalDynamoDbClient } from "../../infra/local/dynamodb.ts";
import { ensureTable } from "../../shared/store/table.ts";
import { dynamoDbEndpoint } from "../support/dynamodb.ts";

describe("a local DynamoDB client", () => {
  it("is answered by DynamoDB Local with a placeholder signature, large and non-ASCII bodies included", async () => {
    // Arrange
    const client = createLocalDynamoDbClient(dynamoDbEndpoint());
    const doc = createDocumentClient(dynamoDbEndpoint());
    const table = `test-${randomUUID()}`;
    const sent: Record<string, string>[] = [];
    doc.middlewareStack.add(
      (next) => async (args) => {
        sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: "finalizeRequest", name: "testHeaders" },
    );
    try {
      await ensureTable(client, table);
      const body = "Påmindelse æøå ".repeat(2_000);
      // Act
      await doc.send(new PutCommand({ TableName: table, Item: { pk: "INST#å", sk: "META", body } }));
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [{ Put: { TableName: table, Item: { pk: "INST#å", sk: "AUDIT#1" } } }],
        }),
      );
      const got = await doc.send(new GetCommand({ TableName: table, Key: { pk: "INST#å", sk: "META" } }));
      const queried = await doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": "INST#å" },
        }),
      );
      // Assess
      expect(got.Item?.body).toBe(body);
      expect(queried.Items?.map((i) => i.sk)).toEqual(["AUDIT#1", "META"]);
      expect(sent).toHaveLength(4);
      for (const headers of sent) {
        expect(headers.authorization).toMatch(
          /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/eu-north-1\/dynamodb\/aws4_request, SignedHeaders=host;x-amz-date, Signature=0{64}$/,
        );
        expect(headers["x-amz-date"]).toMatch(/^\d{8}T\d{6}Z$/);
      }
      expect(client.middlewareStack.identify().some((m) => m.startsWith("loggerMiddleware"))).toBe(false);
      expect(doc.middlewareStack.identify().some((m) => m.startsWith("loggerMiddleware"))).toBe(false);
    } finally {
      await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
      client.destroy();
      doc.destroy();
    }
  });
});
