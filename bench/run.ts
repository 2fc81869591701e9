/**
 * `npm run bench`: benchmarks, not tests. Each prints its figures and ratios against a baseline
 * measured in the same run, and the machine they ran on; all figures also go to
 * bench/results/latest.json.
 *
 *   npm run bench                       full sizes (about 10 minutes on 2 cores)
 *   npm run bench -- --quick            small sizes, about 2 minutes
 *   npm run bench -- --only=confirm,fanout --clients=100 --seconds=10 --cases=2000 --send-rate=50
 *   npm run bench -- --only=confirm --max-sockets=50,200   the confirm load once per socket limit
 *   npm run bench -- --only=overview    the overview's search over 2,000 milestones (issue 14)
 *
 * Sizes can also come from the environment: BENCH_QUICK=1, BENCH_CASES, BENCH_CLIENTS,
 * BENCH_SECONDS, BENCH_LINKS, BENCH_FANOUT, BENCH_SEND_RATE, BENCH_MAX_SOCKETS, BENCH_ONLY.
 *
 * At the end it prints issue 13's and 14's targets (bench/targets.ts) next to the figures, and whether each
 * is met; a target whose bench did not run keeps the figure of the last run that measured it.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { type ConfirmFigures, confirmBench } from "./confirm.ts";
import { type CostFigures, costModel } from "./cost.ts";
import { fanoutBench } from "./fanout.ts";
import { type OverviewFigures, overviewBench } from "./overview.ts";
import { type SimulationFigures, simulationBench } from "./simulation.ts";
import { fmt, heading, parseOptions } from "./support.ts";
import { carryOver, evaluateTargets, formatTargets, type TargetInputs } from "./targets.ts";
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
if (wanted("overview")) await step("overview", () => overviewBench(options));

const total = Math.round((performance.now() - started) / 100) / 10;
const at = new Date().toISOString();
const latest = new URL("./results/latest.json", import.meta.url);
const previous = await readFile(latest, "utf8")
  .then((text) => JSON.parse(text) as { at?: unknown; targets?: unknown })
  .catch(() => null);
const cost = results.cost as CostFigures | undefined;
const confirm = results.confirm as ConfirmFigures | undefined;
const overview = results.overview as OverviewFigures | undefined;
const inputs: TargetInputs = {
  ...(results.simulation ? { simulation: results.simulation as SimulationFigures } : {}),
  ...(cost ? { cost } : {}),
  ...(confirm ? { confirm } : {}),
  ...(overview ? { overview } : {}),
};
const targets = carryOver(evaluateTargets(inputs), previous);
const loadAverageAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
heading(
  `Targets of issues 13 and 14 (load average ${machine.loadAverageAtStart.join(" ")} at start, ${loadAverageAtEnd.join(" ")} at the end)`,
);
for (const l of formatTargets(targets)) console.log(l);

const report = {
  at,
  commit: gitCommit(),
  machine: { ...machine, loadAverageAtEnd },
  options: { ...options, only: [...options.only] },
  seconds: { ...seconds, total },
  targets,
  results,
};
await mkdir(new URL("./results/", import.meta.url), { recursive: true });
const json = `${JSON.stringify(report, null, 2)}\n`;
await writeFile(latest, json);
await writeFile(new URL(`./results/run-${report.at.replace(/[:.]/g, "-")}.json`, import.meta.url), json);
console.log(
  `\nbench done in ${fmt(total)} s (${Object.entries(seconds)
    .map(([k, v]) => `${k} ${v} s`)
    .join(", ")}); figures in bench/results/latest.json`,
);
