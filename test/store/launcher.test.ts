import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { createLocalDynamoDbClient, startDynamoDbLocal } from "../../infra/local/dynamodb.ts";
import { failure } from "./fixtures.ts";

function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, "0.0.0.0", () => {
      const address = server.address();
      done({ server, port: typeof address === "object" && address !== null ? address.port : 0 });
    });
  });
}

async function tableNames(endpoint: string): Promise<string[]> {
  const client = createLocalDynamoDbClient(endpoint);
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  } finally {
    client.destroy();
  }
}

describe("startDynamoDbLocal", () => {
  it("keeps tables in dataDir across a restart and frees the port on stop", async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), "fristflow-ddb-"));
    try {
      const first = await startDynamoDbLocal({ dataDir });
      const client = createLocalDynamoDbClient(first.endpoint);
      await client.send(
        new CreateTableCommand({
          TableName: "kept",
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        }),
      );
      client.destroy();
      // Act
      await first.stop();
      const second = await startDynamoDbLocal({ dataDir, port: first.port });
      // Assess
      try {
        expect(second.endpoint).toBe(`http://127.0.0.1:${first.port}`);
        expect(await tableNames(second.endpoint)).toEqual(["kept"]);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("starts empty in memory on a free port", async () => {
    // Act
    const local = await startDynamoDbLocal();
    // Assess
    try {
      expect(local.port).toBeGreaterThan(0);
      expect(await tableNames(local.endpoint)).toEqual([]);
    } finally {
      await local.stop();
    }
  });

  it("says so when the port is taken", async () => {
    // Prepare
    const { server, port } = await occupyPort();
    try {
      // Act
      const error = await failure(startDynamoDbLocal({ port }));
      // Assess
      expect(String(error)).toContain(`port ${port}`);
      expect(String(error)).toContain("already in use");
    } finally {
      server.close();
    }
  });

  it("says how to install Java when it is missing", async () => {
    // Prepare: a PATH without java (the launcher spawns `java` from PATH).
    const emptyDir = await mkdtemp(join(tmpdir(), "fristflow-nojava-"));
    const path = process.env.PATH;
    process.env.PATH = emptyDir;
    try {
      // Act
      const error = await failure(startDynamoDbLocal());
      // Assess
      expect(String(error)).toContain(
        "Java 17 is needed for DynamoDB Local: install openjdk-17-jre-headless",
      );
    } finally {
      process.env.PATH = path;
      await rm(emptyDir, { recursive: true, force: true });
    }
  });
});
