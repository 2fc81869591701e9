/**
 * `npm run bench`: benchmarks, not tests. Each prints its figures and ratios against a baseline
 * measured in the same run, and the machine they ran on; all figures also go to
 * bench/results/latest.json.
 *
 *   npm run bench                       full sizes (about 10 minutes on 2 cores)
 *   npm run bench -- --quick            small sizes, about 2 minutes
 *   npm run bench -- --only=confirm,fanout --clients=100 --seconds=10 --cases=2000 --send-rate=50
 *
 * Sizes can also come from the environment: BENCH_QUICK=1, BENCH_CASES, BENCH_CLIENTS,
 * BENCH_SECONDS, BENCH_LINKS, BENCH_FANOUT, BENCH_SEND_RATE, BENCH_ONLY.
 */
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { confirmBench } from "./confirm.ts";
import { costModel } from "./cost.ts";
import { fanoutBench } from "./fanout.ts";
import { simulationBench } from "./simulation.ts";
import { fmt, parseOptions } from "./support.ts";
import { timelineBench } from "./timeline.ts";

// The SDK's notice that it will need Node 22 in 2027: known, and noise in every figure.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const options = parseOptions(process.argv.slice(2), process.env);
const wanted = (name: string) => options.only.size === 0 || options.only.has(name);

function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

const machine = {
  cpu: cpus()[0]?.model ?? "unknown cpu",
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
};
console.log(
  `machine: ${machine.cpu} x${machine.cores}, ${machine.memoryGiB} GiB, node ${machine.node}, load average ${machine.loadAverageAtStart.join(" ")}`,
);
console.log(
  `sizes: ${options.quick ? "--quick" : "full"}; cases ${options.cases}, confirm ${options.clients} clients x ${options.seconds} s over ${options.links} links, fan-out ${options.fanout} at ${options.sendRate || "unlimited"} mails/s`,
);

const started = performance.now();
const seconds: Record<string, number> = {};
const results: Record<string, unknown> = {};
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const value = await run();
  seconds[name] = Math.round((performance.now() - t) / 100) / 10;
  results[name] = value;
  return value;
}

if (wanted("timeline")) await step("timeline", () => timelineBench());
if (wanted("simulation") || wanted("cost")) {
  const sim = await step("simulation", () => simulationBench(options));
  await step("cost", async () => costModel(sim));
}
if (wanted("confirm")) await step("confirm", () => confirmBench(options));
if (wanted("fanout")) await step("fanout", () => fanoutBench(options));

const total = Math.round((performance.now() - started) / 100) / 10;
const report = {
  at: new Date().toISOString(),
  commit: gitCommit(),
  machine: { ...machine, loadAverageAtEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
  options: { ...options, only: [...options.only] },
  seconds: { ...seconds, total },
  results,
};
await mkdir(new URL("./results/", import.meta.url), { recursive: true });
const json = `${JSON.stringify(report, null, 2)}\n`;
await writeFile(new URL("./results/latest.json", import.meta.url), json);
await writeFile(new URL(`./results/run-${report.at.replace(/[:.]/g, "-")}.json`, import.meta.url), json);
console.log(
  `\nbench done in ${fmt(total)} s (${Object.entries(seconds)
    .map(([k, v]) => `${k} ${v} s`)
    .join(", ")}); figures in bench/results/latest.json`,
);
