/**
 * Finding 5 of issue 15: when DynamoDB Local's JVM dies under a running stack, the stack notices,
 * says so, and restarts it on the same data (or, in memory, stops with a message saying why);
 * the error id a failed request shows is in the log.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startLocalStack } from "../../infra/local/stack.ts";
import { eventually, tryConnect, withDataDir } from "./support.ts";

async function listUnits(url: string, token: string): Promise<Response> {
  return fetch(`${url}/api/units`, { headers: { authorization: `Bearer ${token}` } });
}

describe("DynamoDB Local dies under a running stack", () => {
  it("is restarted on the same data; requests succeed again; the failed request's error id is in the log", async () => {
    await withDataDir(async (dataDir) => {
      // Prepare
      const notices: string[] = [];
      const stack = await startLocalStack({ dataDir, port: 0, onNotice: (line) => notices.push(line) });
      try {
        const before = (await (await listUnits(stack.url, stack.adminToken)).json()) as { units: unknown[] };
        const firstPid = stack.dynamoDb.pid();
        // Act
        process.kill(firstPid, "SIGKILL");
        const killedAt = performance.now();
        const failed = await eventually(10_000, async () => {
          const response = await listUnits(stack.url, stack.adminToken);
          return response.status >= 500 ? response : undefined;
        });
        const failure = (await failed.json()) as { requestId: string };
        const after = await eventually(60_000, async () => {
          const response = await listUnits(stack.url, stack.adminToken);
          return response.status === 200 ? ((await response.json()) as { units: unknown[] }) : undefined;
        });
        const recoveredSeconds = (performance.now() - killedAt) / 1000;
        // Assess
        console.log(`requests succeed again ${recoveredSeconds.toFixed(1)} s after the JVM was killed`);
        expect(after.units).toEqual(before.units);
        expect(stack.dynamoDb.pid()).not.toBe(firstPid);
        expect(stack.dynamoDb.restarts()).toBe(1);
        expect(notices.join("\n")).toMatch(
          new RegExp(`DynamoDB Local \\(pid ${firstPid}\\) exited on signal SIGKILL; restarting`),
        );
        expect(notices.join("\n")).toMatch(/DynamoDB Local is back \(pid \d+\) after [\d.]+ s/);
        const log = await readFile(join(dataDir, "fristflow.log"), "utf8");
        expect(failure.requestId).toMatch(/\S/);
        expect(log).toContain(failure.requestId);
        expect(recoveredSeconds).toBeLessThan(45);
      } finally {
        await stack.stop();
      }
    });
  }, 180_000);

  it("in memory (--ephemeral) stops the stack with a message saying the data is gone", async () => {
    // Prepare
    let fatal: Error | undefined;
    const stack = await startLocalStack({ port: 0, seed: false, onFatal: (error) => (fatal = error) });
    const port = Number(new URL(stack.url).port);
    // Act
    process.kill(stack.dynamoDb.pid(), "SIGKILL");
    const error = await eventually(30_000, async () => fatal);
    // Assess
    expect(error.message).toMatch(
      /exited on signal SIGKILL\. It ran in memory \(--ephemeral\), so its data is gone: fristflow stops/,
    );
    expect(await tryConnect("127.0.0.1", port)).toBe("ECONNREFUSED");
  }, 120_000);
});
