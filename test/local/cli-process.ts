/** `fristflow start` as a separate process, as a person runs it: its output, its pid, its JVM. */
import { type ChildProcess, spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(dataDir: string): CliProcess {
  const child = spawn(process.execPath, ["bin/fristflow.mjs", "start", "--port", "0", "--data", dataDir], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_NO_WARNINGS: "1" },
  });
  let text = "";
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString("utf8");
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once("exit", (code, signal) => {
      done({ code, signal });
      for (const listener of [...listeners]) listener();
    }),
  );
  return {
    child,
    exited,
    output: () => text,
    waitFor: (pattern, ms = 120_000) =>
      new Promise((done, fail) => {
        const check = () => {
          const match = text.match(pattern);
          if (match) {
            finish();
            done(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            finish();
            fail(new Error(`fristflow ended before printing ${pattern}:\n${text}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          fail(new Error(`no ${pattern} within ${ms} ms:\n${text}`));
        }, ms);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
  };
}

/** Pids of java processes whose command line names `dataDir` (Linux /proc). */
export async function javaProcessesOn(dataDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, "utf8").catch(() => "");
    const args = cmdline.split("\0");
    if (args[0]?.endsWith("java") && args.some((arg) => arg.includes(dataDir))) pids.push(Number(name));
  }
  return pids;
}
