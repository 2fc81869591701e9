/**
 * Issue 15, finding 7: an import killed half-way stored 9 of 200 units. The import is now one
 * transaction (units.putAll); this kills the writing process with SIGKILL at seeded moments
 * around the write and finds, every time, all of the batch or none of it.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seeded } from "../../infra/local/seeded-random.ts";
import { MAX_UNITS_PER_WRITE } from "../../shared/store/index.ts";
import { createTestTable, dynamoDbEndpoint, type TestTable } from "../support/dynamodb.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const KILLS = 12;
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
});

/** Starts the writer, kills it `afterMs` after it says it is writing; resolves when it is gone. */
function writeAndKill(prefix: string, afterMs: number): Promise<"killed" | "finished"> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "test/support/put-units-child.ts",
        dynamoDbEndpoint(),
        table.tableName,
        prefix,
        String(MAX_UNITS_PER_WRITE),
      ],
      { cwd: REPO, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_NO_WARNINGS: "1" } },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (out.includes("writing") && !out.includes("armed")) {
        out += "armed";
        setTimeout(() => child.kill("SIGKILL"), afterMs);
      }
    });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      resolve(signal === "SIGKILL" ? "killed" : code === 0 ? "finished" : "killed"),
    );
  });
}

describe("a directory import killed half-way", () => {
  it(`stores all of it or none, at ${KILLS} kill points around the write`, async () => {
    // Prepare: kill points from at once to after the write is surely done: the first two at once
    // (the request can hardly have reached DynamoDB Local), the last after 3 s, the rest anywhere
    // in the write's ~100 ms.
    const random = seeded(20_261_202);
    const delays = Array.from({ length: KILLS }, (_, i) =>
      i < 2 ? 0 : i === KILLS - 1 ? 3_000 : Math.floor(random() * 120),
    );
    // Act
    const outcomes: { delay: number; ended: string; stored: number }[] = [];
    for (const [i, delay] of delays.entries()) {
      const prefix = `crash${i}`;
      const ended = await writeAndKill(prefix, delay);
      const stored = (await table.stores.units.list("daycare")).filter((u) =>
        u.id.startsWith(`${prefix}-`),
      ).length;
      outcomes.push({ delay, ended, stored });
    }
    // Assess
    console.info(
      `import crash test: ${outcomes.map((o) => `${o.delay} ms: ${o.ended}, ${o.stored} stored`).join("; ")}`,
    );
    expect(outcomes.filter((o) => o.stored !== 0 && o.stored !== MAX_UNITS_PER_WRITE)).toEqual([]);
    // The kill points did land on both sides of the write: some before it, the last after it.
    expect(outcomes.some((o) => o.stored === 0)).toBe(true);
    expect(outcomes.at(-1)?.stored).toBe(MAX_UNITS_PER_WRITE);
  }, 120_000);
});
