/**
 * Simulation, the baseline: the raw PutItem rate of the same DynamoDB Local, items of about the size
 * the loop writes, at the concurrency the simulation kept in flight on average, through a client
 * counted the same way.
 */
import { randomBytes } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import pLimit from "p-limit";
import { type createDocumentClient, createLocalDynamoDbClient } from "../infra/local/dynamodb.ts";
import { countDynamoOps } from "../shared/store/metrics.ts";
import { countByTable, procCpuSeconds, queueThreadSeconds } from "./support.ts";

/** Writes `writes` items of about 700 B in a table of their own, then drops it; returns the item size and the seconds taken. */
export async function rawPutBaseline(o: {
  endpoint: string;
  maxSockets: number;
  benchDoc: ReturnType<typeof createDocumentClient>;
  concurrency: number;
  writes: number;
  /** DynamoDB Local's JVM, whose CPU (and its SQLite queue thread's) per write is measured too. */
  javaPid: number | undefined;
}): Promise<{
  itemBytes: number;
  seconds: number;
  cpu: { node: number; java: number | null; queue: number | null };
}> {
  const itemBytes = 700;
  const raw = createLocalDynamoDbClient(o.endpoint, o.maxSockets);
  const rawTable = `bench-raw-${randomBytes(4).toString("hex")}`;
  await raw.send(
    new CreateTableCommand({
      TableName: rawTable,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
    }),
  );
  const payload = "x".repeat(itemBytes - 100);
  const indices = Array.from({ length: o.writes }, (_, i) => i);
  // Counted the way the loop's requests were (both counters, consumed capacity asked for), so
  // the ratio compares the work and not the bench's own bookkeeping.
  const rawCounter = countByTable(o.benchDoc);
  const rawCrossCheck = countDynamoOps(o.benchDoc);
  const java = o.javaPid === undefined ? null : procCpuSeconds(o.javaPid);
  const queue = o.javaPid === undefined ? null : queueThreadSeconds(o.javaPid);
  const node = process.cpuUsage();
  const rawStart = performance.now();
  await pLimit(o.concurrency).map(indices, async (i) => {
    await o.benchDoc.send(
      new PutCommand({
        TableName: rawTable,
        Item: { pk: `INSTANCE#bench-${i % 5000}`, sk: `N#${i}`, at: new Date().toISOString(), payload },
      }),
    );
  });
  const rawSeconds = (performance.now() - rawStart) / 1000;
  const nodeUsed = process.cpuUsage(node);
  const since = (before: number | null, now: (pid: number) => number | null) => {
    const after = o.javaPid === undefined ? null : now(o.javaPid);
    return before === null || after === null ? null : after - before;
  };
  const cpu = {
    node: (nodeUsed.user + nodeUsed.system) / 1e6,
    java: since(java, procCpuSeconds),
    queue: since(queue, queueThreadSeconds),
  };
  rawCounter.detach();
  rawCrossCheck.detach();
  await raw.send(new DeleteTableCommand({ TableName: rawTable })).catch(() => undefined);
  raw.destroy();
  return { itemBytes, seconds: rawSeconds, cpu };
}
