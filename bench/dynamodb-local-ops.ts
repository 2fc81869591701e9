/**
 * What one request of each kind costs DynamoDB Local, apart from fristflow: the confirm POST's
 * GetItem, UpdateItem and 3-action TransactWriteItems (Put + 2 Updates, the shape of the confirm
 * transaction), and the simulation loop's other kinds (the baseline's 700 B PutItem, the engine's
 * ~2 KB conditional PutItem, the outbox's ~10.5 KB PutItem with list-index keys, a Query of one
 * instance's items), one at a time and at 3, 50 and 200 in flight, on a fresh in-memory server
 * started the way the local stack starts it (jvm/launcher.ts):
 *
 *   npx tsx bench/dynamodb-local-ops.ts
 *   npx tsx bench/dynamodb-local-ops.ts --kinds=PutItem700,Query --in-flight=1,3
 *
 * Prints the rate, the median latency, the JVM's CPU per request and the part of it spent on
 * DynamoDB Local's one SQLite queue thread (every table read and write goes through it). A
 * rate that does not grow with requests in flight is a server that serialises them.
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import pLimit from "p-limit";
import {
  createDocumentClient,
  createLocalDynamoDbClient,
  startDynamoDbLocal,
} from "../infra/local/dynamodb.ts";
import { ensureTable } from "../shared/store/table.ts";
import { fmt, percentile, procCpuSeconds, queueThreadSeconds } from "./support.ts";

const TABLE = "bench-ops";
const ITEMS = 2_000;
const arg = (name: string) =>
  process.argv
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3)
    .split(",");
const IN_FLIGHT = (arg("in-flight") ?? ["1", "3", "50", "200"]).map(Number);
const KINDS = arg("kinds");

const local = await startDynamoDbLocal();
const admin = createLocalDynamoDbClient(local.endpoint);
const doc = createDocumentClient(local.endpoint);
try {
  await ensureTable(admin, TABLE);
  await pLimit(20).map(
    Array.from({ length: ITEMS }, (_, i) => i),
    (i) => doc.send(new PutCommand({ TableName: TABLE, Item: { pk: `INST#${i}`, sk: "META", n: 0 } })),
  );
  let audit = 0;
  let seq = 0;
  const filler = (bytes: number) => "x".repeat(bytes);
  const key = (i: number) => ({ pk: `INST#${i % ITEMS}`, sk: "META" });
  const increment = { UpdateExpression: "SET n = n + :one", ExpressionAttributeValues: { ":one": 1 } };
  const kinds: Record<string, (i: number) => Promise<unknown>> = {
    GetItem: (i) => doc.send(new GetCommand({ TableName: TABLE, Key: key(i) })),
    UpdateItem: (i) => doc.send(new UpdateCommand({ TableName: TABLE, Key: key(i), ...increment })),
    TransactWriteItems: (i) =>
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: TABLE, Item: { pk: `INST#${i % ITEMS}`, sk: `AUDIT#${audit++}` } } },
            { Update: { TableName: TABLE, Key: key(i), ...increment } },
            // Another item than the first update's, so the load has no conflicts of its own.
            { Update: { TableName: TABLE, Key: key(i + ITEMS / 2), ...increment } },
          ],
        }),
      ),
    // The simulation's raw baseline (bench/simulation-baseline.ts): a new 700 B item each time.
    PutItem700: (i) =>
      doc.send(
        new PutCommand({
          TableName: TABLE,
          Item: {
            pk: `INST#${i % ITEMS}`,
            sk: `N#${seq++}`,
            at: new Date().toISOString(),
            payload: filler(600),
          },
        }),
      ),
    // The local engine's save (infra/local/engine/store.ts): one ~2 KB item replaced, if its version is the one seen.
    EnginePut2K: (i) =>
      doc.send(
        new PutCommand({
          TableName: TABLE,
          Item: { pk: "RUNNING", sk: `arn:${i % ITEMS}`, version: seq++, body: filler(1900) },
          ConditionExpression: "attribute_not_exists(version) OR version < :v",
          ExpressionAttributeValues: { ":v": seq },
        }),
      ),
    // The local outbox's mail record (shared/store/dynamo/outbox.ts): a new item with list-index keys and the raw MIME.
    OutboxPut10K: () => {
      const id = seq++;
      return doc.send(
        new PutCommand({
          TableName: TABLE,
          Item: {
            pk: `OUTBOX#${id}`,
            sk: "META",
            entity: "outbox",
            gsi2pk: "outbox",
            gsi2sk: `2024#${id}`,
            subject: "Påmindelse",
            raw: filler(10_300),
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    },
    // A Query of one instance's partition (here: its META item and a few audit entries).
    Query: (i) =>
      doc.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": `INST#${i % ITEMS}` },
          ConsistentRead: true,
          Limit: 5,
        }),
      ),
  };
  for (const [kind, run] of Object.entries(kinds)) {
    if (KINDS !== undefined && !KINDS.includes(kind)) continue;
    for (const inFlight of IN_FLIGHT) {
      const n = inFlight <= 3 ? 1_000 : 2_000;
      const limit = pLimit(inFlight);
      const latencies: number[] = [];
      const jvm0 = procCpuSeconds(local.pid);
      const queue0 = queueThreadSeconds(local.pid);
      const started = performance.now();
      // Spread over the items (13 is prime to ITEMS), so consecutive requests touch different ones.
      await limit.map(
        Array.from({ length: n }, (_, i) => i * 13 + inFlight),
        async (i) => {
          const t = performance.now();
          await run(i);
          latencies.push(performance.now() - t);
        },
      );
      const seconds = (performance.now() - started) / 1000;
      const perRequestMs = (a: number | null, b: number | null) =>
        a === null || b === null ? "?" : fmt(((b - a) * 1000) / n, 2);
      console.log(
        `${kind.padEnd(18)} ${String(inFlight).padStart(3)} in flight: ${fmt(n / seconds)} req/s, p50 ${fmt(percentile(latencies, 50))} ms; JVM CPU ${perRequestMs(jvm0, procCpuSeconds(local.pid))} ms per request, SQLite queue thread ${perRequestMs(queue0, queueThreadSeconds(local.pid))} ms`,
      );
    }
  }
} finally {
  doc.destroy();
  admin.destroy();
  await local.stop();
}
