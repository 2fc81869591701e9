/**
 * Finding 1 of issue 15: DynamoDB Local has no authentication, so it must be reachable from this
 * machine only, and the data folder (mails with working confirm links, the link key, the admin
 * token, the database file) must be readable by its owner only.
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startLocalStack } from "../../infra/local/stack.ts";
import { modesUnder, nonLoopbackAddress, tryConnect, withDataDir } from "./support.ts";

const external = nonLoopbackAddress();

describe("the local stack's database and data folder are private", () => {
  it.skipIf(external === undefined)(
    "DynamoDB Local refuses connections on this machine's network address and answers on 127.0.0.1",
    async () => {
      await withDataDir(async (dataDir) => {
        // Prepare
        const stack = await startLocalStack({ dataDir, port: 0, seed: false });
        try {
          const dynamoPort = Number(new URL(stack.dynamoDb.endpoint).port);
          const httpPort = Number(new URL(stack.url).port);
          // Act
          const fromNetwork = await tryConnect(external ?? "", dynamoPort);
          const webFromNetwork = await tryConnect(external ?? "", httpPort);
          const fromLoopback = await tryConnect("127.0.0.1", dynamoPort);
          // Assess
          expect(fromNetwork).toBe("ECONNREFUSED");
          expect(webFromNetwork).toBe("ECONNREFUSED");
          expect(fromLoopback).toBe("connected");
        } finally {
          await stack.stop();
        }
      });
    },
    120_000,
  );

  it("every folder is 0700 and every file 0600, the .db file and files from before included", async () => {
    await withDataDir(async (dataDir) => {
      // Prepare: a folder as an older fristflow left it, world-readable.
      await chmod(dataDir, 0o755);
      await mkdir(join(dataDir, "outbox"), { mode: 0o755 });
      await writeFile(join(dataDir, "outbox", "old.eml"), "Subject: old\r\n\r\nlink", { mode: 0o644 });
      await chmod(join(dataDir, "outbox", "old.eml"), 0o644);
      // Act: seeding writes templates and units, so the database file has content.
      const stack = await startLocalStack({ dataDir, port: 0 });
      let modes: Awaited<ReturnType<typeof modesUnder>>;
      try {
        modes = await modesUnder(dataDir);
      } finally {
        await stack.stop();
      }
      // Assess
      const db = modes.find((m) => m.path.endsWith(".db"));
      expect(db?.path).toContain(join(dataDir, "dynamodb"));
      expect(modes.filter((m) => m.kind === "dir" && m.mode !== 0o700)).toEqual([]);
      expect(modes.filter((m) => m.kind === "file" && m.mode !== 0o600)).toEqual([]);
      expect(modes.length).toBeGreaterThan(5);
    });
  }, 120_000);
});
