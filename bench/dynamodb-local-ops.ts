/**
 * What one request of each kind the confirm POST makes costs DynamoDB Local, apart from
 * fristflow: GetItem, UpdateItem and a 3-action TransactWriteItems (Put + 2 Updates, the shape of
 * the confirm transaction), one at a time and at 50 and 200 in flight, on a fresh in-memory
 * server started the way the local stack starts it (jvm/launcher.ts):
 *
 *   npx tsx bench/dynamodb-local-ops.ts
 *
 * Prints the rate, the median latency, the JVM's CPU per request and the part of it spent on
 * DynamoDB Local's one SQLite queue thread (every table read and write goes through it). A
 * rate that does not grow with requests in flight is a server that serialises them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import pLimit from "p-limit";
import {
  createDocumentClient,
  createLocalDynamoDbClient,
  startDynamoDbLocal,
} from "../infra/local/dynamodb.ts";
import { ensureTable } from "../shared/store/table.ts";
import { fmt, percentile, procCpuSeconds } from "./support.ts";

const TABLE = "bench-ops";
const ITEMS = 2_000;
const IN_FLIGHT = [1, 50, 200];

/** CPU seconds of the JVM's SQLite queue thread(s), from /proc (Linux); null elsewhere. */
function queueThreadSeconds(pid: number): number | null {
  try {
    let total = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const name = readFileSync(`/proc/${pid}/task/${task}/comm`, "utf8");
      if (!name.startsWith("SQLiteQueue")) continue;
      // The thread's own /proc/<pid>/task/<tid>/stat (/proc/<tid>/stat counts the whole process).
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    }
    return total;
  } catch {
    return null;
  }
}

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
  };
  for (const [kind, run] of Object.entries(kinds)) {
    for (const inFlight of IN_FLIGHT) {
      const n = inFlight === 1 ? 300 : 2_000;
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
