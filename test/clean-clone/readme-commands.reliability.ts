/**
 * The README's two commands, exactly as written, on a clean clone of the committed tree: the
 * first must bring up a working local stack, the second must pass. Part of the reliability
 * suite (`npm run test:reliability`), because it runs `npm test` itself.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let clone: string;
let commands: { start: string; test: string };

/** The two commands from the README's ```sh block under "The two commands". */
function readmeCommands(readme: string): { start: string; test: string } {
  const section = readme.split("## The two commands")[1] ?? "";
  const block = section.match(/```sh\n([\s\S]*?)```/)?.[1] ?? "";
  const lines = block
    .split("\n")
    .map((l) => l.replace(/#.*$/, "").trim())
    .filter(Boolean);
  const start = lines.find((l) => /npm start/.test(l));
  const test = lines.find((l) => /npm test/.test(l));
  if (!start || !test) throw new Error(`the README's two commands were not found in:\n${block}`);
  return { start, test };
}

/**
 * Runs a shell command without blocking this worker (a synchronous exec of several minutes starves
 * vitest's own messaging). Colour codes are switched off and stripped so the output can be read.
 */
async function run(
  command: string,
  cwd: string,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  // ESC [ … m: terminal colour codes, built from a string because Biome refuses control characters in regex literals.
  const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
  const strip = (text: string) => text.replace(ansi, "");
  try {
    const { stdout, stderr } = await promisify(execFile)("bash", ["-c", command], {
      cwd,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    return { code: 0, output: strip(`${stdout}${stderr}`) };
  } catch (error) {
    const e = error as { code?: number | null; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === "number" ? e.code : null,
      output: strip(`${e.stdout ?? ""}${e.stderr ?? ""}`),
    };
  }
}

beforeAll(async () => {
  clone = await mkdtemp(join(tmpdir(), "fristflow-clone-"));
  execFileSync("git", ["clone", "--quiet", process.cwd(), clone]);
  commands = readmeCommands(await readFile(join(clone, "README.md"), "utf8"));
}, 120_000);

afterAll(async () => {
  if (clone) await rm(clone, { recursive: true, force: true });
});

describe("the README's commands on a clean clone", () => {
  it("the first command starts fristflow: dashboard, admin API with the templates, clean stop on Ctrl-C", async () => {
    const started = Date.now();
    const child: ChildProcess = spawn("bash", ["-c", commands.start], {
      cwd: clone,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (d) => {
      output += String(d);
    });
    child.stderr?.on("data", (d) => {
      output += String(d);
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 240_000;
      while (!output.includes("Press Ctrl-C") && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 250));
      }
      const readyMs = Date.now() - started;
      const url = output.match(/Dashboard:\s+(\S+)/)?.[1]?.replace(/\/$/, "");
      const token = output.match(/Admin token:\s+(\S+)/)?.[1];
      console.log(`README start command ready after ${readyMs} ms (including npm install)`);

      expect(url, output).toBeDefined();
      const dashboard = await fetch(`${url}/`, { redirect: "manual" });
      const workflows = await fetch(`${url}/api/workflows`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await workflows.json()) as { workflows: { workflowId: string }[] };

      expect([200, 303]).toContain(dashboard.status);
      expect(workflows.status).toBe(200);
      expect(body.workflows.map((w) => w.workflowId)).toContain("ishoj-staerke-faellesskaber");
    } finally {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGINT");
    }
    // npm and bash die of the SIGINT as they do in a terminal; fristflow itself must stop cleanly
    // and leave no DynamoDB Local (Java) process of this clone behind.
    await exited;
    expect(output).toContain("Stopping fristflow");
    expect(output).toContain("Stopped.");
    const processes = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
    expect(processes.split("\n").filter((p) => p.includes(clone) && p.includes("DynamoDBLocal"))).toEqual([]);
    // The command's `npm install` on a clean clone leaves the committed lock as it is (so `npm ci`,
    // which CI runs, accepts it too).
    const status = ["status", "--porcelain", "--", "package.json", "package-lock.json"];
    expect(execFileSync("git", status, { cwd: clone, encoding: "utf8" })).toBe("");
  }, 300_000);

  it(
    "the second command passes",
    async () => {
      const result = await run(commands.test, clone, 40 * 60_000);

      expect(result.code, result.output.slice(-4000)).toBe(0);
      expect(result.output).toMatch(/Tests\s+\d+ passed/);
    },
    41 * 60_000,
  );
});
