/**
 * A resumable scenario for crash tests: the Ishøj timeline over its 19 daycares and schools plus
 * three case deadlines, on the real local stack (engine, handlers, DynamoDB Local on disk, HTTP
 * confirmations), in skip mode, from 2023-11-01 to a given virtual instant.
 *
 * Run it, kill it (kill -9, at any moment), run it again on the same folder: it carries on from
 * where the data says it was, and the outcome is the same as one uninterrupted run.
 *
 * - Virtual time survives the process: every jump of the skipping clock is written to
 *   `<dataDir>/scenario-clock` BEFORE the clock moves (write-ahead), so whatever the engine or a
 *   handler wrote carries a time at or before the file's. A restart resumes exactly there, and
 *   never before the latest time found in the engine's executions or the instances' audit trails.
 * - The instances have fixed ids and are created only if absent; starting a loop is idempotent.
 * - People confirm by a deterministic policy keyed by the occurrence (no random state to lose):
 *   each confirmable occurrence is confirmed at a time derived from its key, deadline and
 *   activation, by a real POST of a signed link to the confirm endpoint. Those times are
 *   recomputed from the store on every pass, so a restarted process finds the same ones.
 *
 * CLI (for tests that spawn it and kill it): `node --import tsx infra/local/scenario.ts <dataDir> <until>`.
 * Prints one JSON object per line: `{"event":"ready",…}` once the stack runs, `{"event":"done",…}`
 * at the end.
 */
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { startInstance } from "../../shared/app/admin.ts";
import { createConfirmLink, linkExpiry } from "../../shared/links/confirm-link.ts";
import type { Workflow } from "../../shared/model/schema.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { type OccurrenceStatus, occurrenceStatus } from "../../shared/timeline/decide.ts";
import type { EngineEvent } from "./engine/engine.ts";
import { type LocalStack, startLocalStack } from "./stack.ts";

/** 08:00 in Copenhagen on the day the strategy goes to the committee. */
export const SCENARIO_START = "2023-11-01T07:00:00Z";
/** About two virtual years: the local plans, their escalations, two annual statuses, the cases. */
export const SCENARIO_UNTIL = "2025-11-01T00:00:00Z";
export const CLOCK_FILE = "scenario-clock";

export interface ScenarioInstance {
  instanceId: string;
  workflowId: string;
  start: string;
  params: Record<string, string>;
}

const caseworker = {
  caseworker: "sagsbehandler@ishoj.example",
  teamleader: "teamleder@ishoj.example",
};

export const SCENARIO_INSTANCES: readonly ScenarioInstance[] = [
  {
    instanceId: "scenario-ishoj",
    workflowId: "ishoj-staerke-faellesskaber",
    start: "2023-11-01",
    params: {},
  },
  {
    instanceId: "scenario-underretning",
    workflowId: "underretning",
    start: "2024-03-04T09:30",
    params: { caseRef: "SAG-2024-0117", ...caseworker },
  },
  {
    instanceId: "scenario-undersoegelse",
    workflowId: "boernefaglig-undersoegelse",
    start: "2024-06-03",
    params: { caseRef: "SAG-2024-0342", ...caseworker },
  },
  {
    instanceId: "scenario-opfoelgning",
    workflowId: "opfoelgning-paa-indsats",
    start: "2024-01-15",
    params: { caseRef: "SAG-2024-0021", ...caseworker },
  },
];

const HOUR_MS = 3_600_000;

/**
 * When the owner confirms an occurrence, or null for never; a pure function of the occurrence, so
 * every run (and every restart) agrees. Most confirm 1 to 30 days early, some a few days late
 * (one escalation or two), one in eight only after the third escalation. Never before the
 * occurrence is active, and never sooner than an hour after that.
 */
export const confirmationPolicy: ConfirmationPolicy = (o) => {
  if (!o.confirmable || o.dueAt === null || o.activatedAt === null) return null;
  const n = createHash("sha256").update(o.key).digest().readUInt32BE(0);
  const due = Temporal.Instant.from(o.dueAt);
  // Hours for the short case deadlines (24 h), days for everything else.
  const unit = due.epochMilliseconds - Date.parse(o.activatedAt) < 7 * 24 * HOUR_MS ? HOUR_MS : 24 * HOUR_MS;
  const bucket = n % 8;
  const offset =
    bucket === 0
      ? 20
      : bucket <= 2
        ? 2 + ((n >>> 3) % 8)
        : -(1 + ((n >>> 3) % 30)) * (unit === HOUR_MS ? 0.5 : 1);
  const at = due.add({ milliseconds: Math.round(offset * unit) });
  const earliest = Temporal.Instant.from(o.activatedAt).add({ hours: 1 });
  return Temporal.Instant.compare(at, earliest) < 0 ? earliest : at;
};

export interface PendingConfirmation {
  instanceId: string;
  occurrence: OccurrenceStatus;
  at: Temporal.Instant;
}

export interface ScenarioOptions {
  dataDir: string;
  /** Virtual instant to run to (or until every instance is done). */
  until?: Temporal.Instant | string;
  /** Called once the stack runs, with the virtual time it resumed at. */
  onReady?: (info: { now: string; resumed: boolean; url: string }) => void;
  engineHooks?: { onEvent?: (event: EngineEvent) => void };
}

export interface ScenarioResult {
  /** The virtual time at the end. */
  now: string;
  /** The virtual time this process started at (SCENARIO_START, or where the last one stopped). */
  resumedAt: string;
  resumed: boolean;
  /** Confirmations this process posted (a restart does not repeat one already recorded). */
  confirmations: number;
  /** State transitions this process ran. */
  transitions: number;
  instances: { instanceId: string; status: string }[];
}

export function readScenarioClock(dataDir: string): Temporal.Instant | null {
  try {
    const text = readFileSync(join(dataDir, CLOCK_FILE), "utf8").trim();
    return text === "" ? null : Temporal.Instant.from(text);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/** Write then rename: a kill leaves either the old or the new time, never half a line. */
function writeScenarioClock(dataDir: string, at: Temporal.Instant): void {
  const path = join(dataDir, CLOCK_FILE);
  writeFileSync(`${path}.tmp`, `${at.toString()}\n`);
  renameSync(`${path}.tmp`, path);
}

const later = (a: Temporal.Instant, b: Temporal.Instant) => (Temporal.Instant.compare(a, b) > 0 ? a : b);

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const dataDir = resolve(options.dataDir);
  const until = Temporal.Instant.from(options.until ?? SCENARIO_UNTIL);
  const persisted = readScenarioClock(dataDir);
  const resumedAt = persisted ?? Temporal.Instant.from(SCENARIO_START);
  const stack = await startLocalStack({
    dataDir,
    port: 0,
    clockMode: "skip",
    startAt: resumedAt,
    logLevel: "SILENT",
    ...(options.engineHooks ? { engineHooks: options.engineHooks } : {}),
  });
  try {
    const clock = stack.skippingClock;
    if (clock === null) throw new Error("the scenario needs the skipping clock");
    // Write-ahead: the file moves before the clock does (the engine holds this very instance).
    const jump = clock.advanceTo.bind(clock);
    clock.advanceTo = (at: Temporal.Instant | string) => {
      const target = Temporal.Instant.from(at);
      if (Temporal.Instant.compare(target, clock.now()) > 0) writeScenarioClock(dataDir, target);
      jump(target);
    };
    clock.advanceTo(await latestRecordedTime(stack));
    writeScenarioClock(dataDir, clock.now());
    options.onReady?.({ now: clock.now().toString(), resumed: persisted !== null, url: stack.url });

    const transitionsBefore = stack.engine.stats().stateTransitions;
    await ensureInstances(stack);
    const { confirmations } = await driveWithConfirmations(stack, {
      instanceIds: SCENARIO_INSTANCES.map((i) => i.instanceId),
      policy: confirmationPolicy,
      until,
    });

    const instances = await Promise.all(
      SCENARIO_INSTANCES.map(async ({ instanceId }) => ({
        instanceId,
        status: (await stack.stores.instances.get(instanceId))?.status ?? "missing",
      })),
    );
    return {
      now: clock.now().toString(),
      resumedAt: resumedAt.toString(),
      resumed: persisted !== null,
      confirmations,
      transitions: stack.engine.stats().stateTransitions - transitionsBefore,
      instances,
    };
  } finally {
    await stack.stop();
  }
}

/** The latest instant the engine or the store recorded: a restart must not start before it. */
async function latestRecordedTime(stack: LocalStack): Promise<Temporal.Instant> {
  let latest = Temporal.Instant.from(SCENARIO_START);
  for (const execution of await stack.engine.list()) {
    latest = later(Temporal.Instant.from(execution.startTime), latest);
    if (execution.stopTime) latest = later(Temporal.Instant.from(execution.stopTime), latest);
  }
  for (const { instanceId } of SCENARIO_INSTANCES) {
    const last = (await stack.stores.audit.list(instanceId)).at(-1);
    if (last) latest = later(Temporal.Instant.from(last.at), latest);
  }
  return latest;
}

/** Creates each instance once (fixed ids); (re)starting its loop is idempotent. */
async function ensureInstances(stack: LocalStack): Promise<void> {
  for (const spec of SCENARIO_INSTANCES) {
    if ((await stack.stores.instances.get(spec.instanceId)) !== null) {
      await stack.engine.starter.start(spec.instanceId);
      continue;
    }
    await startInstance(
      { ...stack.stores, clock: stack.clock, starter: stack.engine.starter },
      { workflowId: spec.workflowId, start: spec.start, params: spec.params },
      { by: "scenario", newId: () => spec.instanceId },
    );
  }
}

/** When an owner confirms an occurrence (see confirmationPolicy), or null for never. */
export type ConfirmationPolicy = (occurrence: OccurrenceStatus) => Temporal.Instant | null;

export interface DriveOptions {
  instanceIds: readonly string[];
  policy: ConfirmationPolicy;
  until: Temporal.Instant;
}

/**
 * Runs the stack's engine (skip mode) to `until`, stopping at each moment the policy has someone
 * confirm, and confirming by a real POST of a signed link. Every pass recomputes the planned
 * confirmations from the store, so a restarted process plans exactly what the dead one did.
 */
export async function driveWithConfirmations(
  stack: LocalStack,
  options: DriveOptions,
): Promise<{ confirmations: number }> {
  const clock = stack.skippingClock;
  if (clock === null) throw new Error("driving with confirmations needs the stack in skip mode");
  const definitions = new Map<string, Workflow>();
  let confirmations = 0;
  for (let pass = 0; pass < 100_000; pass++) {
    const now = stack.clock.now();
    const pending = await pendingConfirmations(stack, options, definitions);
    const due = pending.filter((p) => Temporal.Instant.compare(p.at, now) <= 0);
    for (const p of due) {
      await confirmOverHttp(stack, await stack.linkKey.getKey(), p);
      confirmations++;
    }
    if (due.length > 0) continue;
    const running = await runningInstances(stack, options.instanceIds);
    if (running.length === 0 || Temporal.Instant.compare(now, options.until) >= 0) break;
    const target = pending.reduce(
      (min, p) => (Temporal.Instant.compare(p.at, min) < 0 ? p.at : min),
      options.until,
    );
    const confirming = Temporal.Instant.compare(target, options.until) < 0;
    // A confirmation at the same instant as a timer comes first (as in shared/timeline/simulate.ts):
    // run the engine to just before it, then move the clock onto it and confirm; the timer runs next.
    const result = await stack.engine.run({
      until: confirming ? target.subtract({ nanoseconds: 1 }) : target,
      maxSteps: 1_000_000,
    });
    if (confirming) clock.advanceTo(target);
    if (result.status === "finished" && pending.length === 0) break;
    if (result.status === "blocked" || result.status === "maxSteps" || result.status === "stopped") {
      throw new Error(`the engine stopped early (${result.status}) at ${stack.clock.now().toString()}`);
    }
  }
  return { confirmations };
}

async function runningInstances(stack: LocalStack, instanceIds: readonly string[]): Promise<string[]> {
  const running: string[] = [];
  for (const instanceId of instanceIds) {
    if ((await stack.stores.instances.get(instanceId))?.status === "running") running.push(instanceId);
  }
  return running;
}

/** Every confirmation the policy still plans, from what the store says now. */
export async function pendingConfirmations(
  stack: Pick<LocalStack, "stores" | "clock">,
  options: Pick<DriveOptions, "instanceIds" | "policy">,
  definitions: Map<string, Workflow> = new Map(),
): Promise<PendingConfirmation[]> {
  const pending: PendingConfirmation[] = [];
  for (const instanceId of options.instanceIds) {
    const { instance, state } = await stack.stores.instances.loadState(instanceId);
    if (instance.status !== "running") continue;
    const cacheKey = `${instance.workflowId}@${instance.workflowVersion}`;
    let definition = definitions.get(cacheKey);
    if (definition === undefined) {
      const record = await stack.stores.workflows.get(instance.workflowId, instance.workflowVersion);
      if (record === null) throw new Error(`workflow ${cacheKey} is missing`);
      definition = record.definition;
      definitions.set(cacheKey, definition);
    }
    for (const occurrence of occurrenceStatus(definition, state, stack.clock.now())) {
      if (occurrence.confirmedAt !== null || !occurrence.confirmable) continue;
      const at = options.policy(occurrence);
      if (at !== null) pending.push({ instanceId, occurrence, at });
    }
  }
  return pending;
}

/** What the owner does with the mailed link: a signed link, POSTed to the real confirm endpoint. */
async function confirmOverHttp(stack: LocalStack, key: Buffer, p: PendingConfirmation): Promise<void> {
  const { occurrence } = p;
  const link = createConfirmLink(
    {
      instanceId: p.instanceId,
      occurrenceKey: occurrence.key,
      recipient: occurrence.unitId === null ? "owner" : `unitLeader:${occurrence.unitId}`,
      expiresAt: linkExpiry(occurrence.dueAt ?? stack.clock.now().toString(), stack.clock.now()),
    },
    key,
  );
  const response = await fetch(`${stack.url}/confirm/${link.id}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ sig: link.sig }).toString(),
  });
  const body = await response.text();
  if (response.status !== 200) {
    throw new Error(`confirming ${occurrence.key} answered ${response.status}: ${body.slice(0, 300)}`);
  }
}

/**
 * For the crash test: after this many state transitions the process stops dead (the event loop
 * blocked, so nothing more is written or sent, whatever was in flight) and waits to be killed.
 * A kill point tied to the scenario's progress, not to wall-clock time, can never come after the
 * scenario has finished.
 */
export const HOLD_AFTER_ENV = "FRISTFLOW_SCENARIO_HOLD_AFTER";
const HOLD_MS = 120_000;

function hold(print: (line: object) => void, at: { transitions: number; state: string }): void {
  // stdout to a pipe is synchronous on Linux: the line is out before the loop blocks.
  print({ event: "held", ...at });
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, HOLD_MS);
  process.stderr.write(`held for ${HOLD_MS / 1000} s and nobody killed the process\n`);
  process.exit(3);
}

async function main(argv: string[]): Promise<void> {
  const [dataDir, until] = argv;
  if (!dataDir) {
    process.stderr.write("usage: node --import tsx infra/local/scenario.ts <dataDir> [until]\n");
    process.exitCode = 2;
    return;
  }
  const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  const started = performance.now();
  const holdAfter = Number(process.env[HOLD_AFTER_ENV] ?? "0");
  let transitions = 0;
  const result = await runScenario({
    dataDir,
    ...(until ? { until } : {}),
    onReady: (info) => print({ event: "ready", ...info }),
    ...(holdAfter > 0
      ? {
          engineHooks: {
            onEvent: (event: EngineEvent) => {
              if (event.type !== "StateEntered" && event.type !== "StateRetried") return;
              if (++transitions === holdAfter) hold(print, { transitions, state: event.state });
            },
          },
        }
      : {}),
  });
  print({ event: "done", ...result, wallMs: Math.round(performance.now() - started) });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
