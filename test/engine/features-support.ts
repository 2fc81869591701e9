/**
 * Shared setup of the feature tests (features-*.test.ts): one test per ASL feature the instance
 * loop uses (and the common ones around it), each on a real engine over DynamoDB Local in manual
 * mode, where the test moves the clock and runs what is due.
 */
import { afterEach, beforeEach } from "vitest";
import type { Engine, FunctionRegistry, Json } from "../../infra/local/engine/index.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { type EngineTable, engineTable, type TestEngine, testEngine } from "./support.ts";

export const T0 = "2024-03-01T08:00:00Z";

export const INVOKE = "arn:aws:states:::lambda:invoke";
export const WAIT_FOR_TOKEN = "arn:aws:states:::lambda:invoke.waitForTaskToken";

export interface FeatureFixture {
  /** A fresh engine table per test, dropped after it. */
  readonly table: EngineTable;
  /** A fresh ManualClock at T0 per test. */
  readonly clock: ManualClock;
  /** A manual-mode engine on this test's table and clock, closed after the test. */
  manualEngine(definition: unknown, functions?: FunctionRegistry, random?: () => number): Promise<TestEngine>;
  /** Closes an engine made some other way (skip or real mode) after the test. */
  track(engine: Engine): void;
}

/** Registers the per-test table, clock and engine clean-up of the file it is called in. */
export function featureFixture(): FeatureFixture {
  let table: EngineTable | undefined;
  let clock: ManualClock | undefined;
  const engines: Engine[] = [];

  beforeEach(() => {
    table = engineTable();
    clock = new ManualClock(T0);
  });

  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
    await table?.drop();
  });

  const fixture: FeatureFixture = {
    get table() {
      if (table === undefined) throw new Error("the table exists only inside a test");
      return table;
    },
    get clock() {
      if (clock === undefined) throw new Error("the clock exists only inside a test");
      return clock;
    },
    async manualEngine(definition, functions = {}, random) {
      const made = await testEngine({
        table: fixture.table,
        definition,
        functions,
        mode: "manual",
        clock: fixture.clock,
        random,
      });
      engines.push(made.engine);
      return made;
    },
    track(engine) {
      engines.push(engine);
    },
  };
  return fixture;
}

/** Starts one execution, runs what is due and returns its description. */
export async function runOnce(made: TestEngine, input: Json, name?: string) {
  const arn = await made.engine.start(input, name);
  await made.engine.runUntilIdle();
  const description = await made.engine.describe(arn);
  if (!description) throw new Error("execution vanished");
  return { arn, description };
}

export function task(resource: string, rest: Record<string, Json> = {}): Record<string, Json> {
  return { Type: "Task", Resource: resource, ...rest };
}

/** Polls until `check` holds (for handlers that run in the background). */
export async function waitUntil(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((done) => setTimeout(done, 5));
  }
}

export function instantAfter(start: string, offset: string): string {
  const clockAt = new ManualClock(start);
  clockAt.advance(offset);
  return clockAt.now().toString();
}
