/**
 * Findings 6 and 11 of issue 15, on `fristflow start` run as its own process: kill -9 of the
 * stack leaves no JVM behind; a second stack on the same data folder is refused; Ctrl-C ends the
 * process within seconds even with a connection left open.
 */
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { javaProcessesOn, startCli } from "./cli-process.ts";
import { eventually, withDataDir } from "./support.ts";

const RUNNING = /Dashboard:\s+(http:\/\/127\.0\.0\.1:\d+)\//;

describe("fristflow start as a process", () => {
  it("kill -9 leaves no JVM on the data folder, and the next start takes over the stale lock", async () => {
    await withDataDir(async (dataDir) => {
      // Prepare
      const first = startCli(dataDir);
      await first.waitFor(RUNNING);
      expect(await javaProcessesOn(dataDir)).toHaveLength(1);
      // Act
      first.child.kill("SIGKILL");
      await first.exited;
      const killedAt = performance.now();
      await eventually(15_000, async () =>
        (await javaProcessesOn(dataDir)).length === 0 ? true : undefined,
      );
      const goneSeconds = (performance.now() - killedAt) / 1000;
      const second = startCli(dataDir);
      try {
        await second.waitFor(RUNNING);
        // Assess
        console.log(`the JVM was gone ${goneSeconds.toFixed(1)} s after kill -9 of the stack`);
        expect(await javaProcessesOn(dataDir)).toHaveLength(1);
      } finally {
        second.child.kill("SIGINT");
        await second.exited;
      }
    });
  }, 240_000);

  it("a second stack on the same data folder is refused, naming the first one's pid", async () => {
    await withDataDir(async (dataDir) => {
      // Prepare
      const first = startCli(dataDir);
      try {
        await first.waitFor(RUNNING);
        // Act
        const second = startCli(dataDir);
        const { code } = await second.exited;
        // Assess
        expect(code).toBe(1);
        expect(second.output()).toContain(
          `fristflow: The data folder ${dataDir} is in use by another fristflow (pid ${first.child.pid}).`,
        );
        expect(await javaProcessesOn(dataDir)).toHaveLength(1);
      } finally {
        first.child.kill("SIGINT");
        await first.exited;
      }
    });
  }, 240_000);

  it("Ctrl-C ends the process within 5 s, with requests done and a connection left half-open", async () => {
    await withDataDir(async (dataDir) => {
      // Prepare
      const cli = startCli(dataDir);
      const [, url = ""] = await cli.waitFor(RUNNING);
      const token = (await cli.waitFor(/Admin token:\s+(\S+)/))[1] ?? "";
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${url}/api/units`, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(200);
        await response.arrayBuffer();
      }
      // A browser tab or a slow client: a request whose headers never end keeps its connection busy.
      const port = Number(new URL(url).port);
      const halfOpen = connect({ host: "127.0.0.1", port });
      halfOpen.on("error", () => undefined);
      await new Promise((done) => halfOpen.once("connect", done));
      halfOpen.write("GET /api/units HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      await new Promise((r) => setTimeout(r, 200));
      // Act
      const sentAt = performance.now();
      cli.child.kill("SIGINT");
      const { code } = await cli.exited;
      const seconds = (performance.now() - sentAt) / 1000;
      halfOpen.destroy();
      // Assess
      console.log(`the process ended ${seconds.toFixed(1)} s after SIGINT`);
      expect(cli.output()).toContain("Stopped.");
      expect(code).toBe(0);
      expect(seconds).toBeLessThan(5);
      expect(await javaProcessesOn(dataDir)).toEqual([]);
    });
  }, 240_000);
});
