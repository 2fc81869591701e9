/**
 * Crash tests: the engine "dies" (crash(): nothing more is written, in-flight results are dropped)
 * after N writes, or inside a Lambda after its side effect; a new engine on the same table must
 * resume every execution, lose no reminder and start no second loop for an instance.
 */
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Engine, type ExecutionDescription, SkippingClock } from "../../infra/local/engine/index.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { type EngineTable, engineTable, FakeWorld, loopDefinition, testEngine } from "./support.ts";

const T0 = "2024-02-01T06:00:00Z";
const INSTANCES = ["a", "b", "c", "d"];

function day(n: number): string {
  return Temporal.Instant.from(T0)
    .add({ hours: 24 * n })
    .toString();
}

/** Four instances that between them use every path of the loop, continue-as-new included. */
function scenario(clock: SkippingClock): FakeWorld {
  const world = new FakeWorld(clock, { loopsPerExecution: 3, daysPerExecution: 300 });
  world.add("a", [day(0), day(3), day(7), day(12)]);
  world.add("b", [day(1), day(2), day(30), day(31)]);
  world.add("c", [day(5), day(6)], { failSteps: 1 });
  world.add("d", [day(4), day(9)]);
  // A confirmation lands while d's first step runs: park must wake itself.
  world.duringStep = async (instanceId, call) => {
    if (instanceId === "d" && call === 1) await world.confirm("d");
  };
  return world;
}

const tables: EngineTable[] = [];
const engines: Engine[] = [];

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close().catch(() => undefined);
  for (const table of tables.splice(0)) await table.drop();
});

interface Crash {
  /** Crash once the engine has made this many writes. */
  afterWrites?: number;
  /** Crash inside the n-th step that sends, after it sent and before it returns. */
  insideSend?: number;
}

/** Runs the scenario with one crash and a restart; returns what the world and the table saw. */
async function runWithCrash(crash: Crash) {
  const table = engineTable();
  tables.push(table);
  const clock = new SkippingClock(T0);
  const world = scenario(clock);
  const first = await testEngine({
    table,
    definition: loopDefinition(),
    functions: world.functions(),
    mode: "skip",
    clock,
    onEvent: (event, engine) => {
      if (event.type === "Persisted" && event.writes === crash.afterWrites) engine.crash();
    },
  });
  engines.push(first.engine);
  world.signaller = first.engine.signaller;
  let sends = 0;
  world.afterSend = () => {
    if (++sends === crash.insideSend) first.engine.crash();
  };

  // The app starts each instance's loop; a start cut off by the crash is simply repeated later.
  for (const id of INSTANCES) await first.engine.starter.start(id).catch(() => undefined);
  const firstRun = await first.engine.run({ maxSteps: 10_000 }).catch(() => undefined);
  const writesBeforeCrash = first.engine.stats().writes;

  const second = await testEngine({
    table,
    definition: loopDefinition(),
    functions: world.functions(),
    mode: "skip",
    clock,
  });
  engines.push(second.engine);
  world.signaller = second.engine.signaller;
  world.afterSend = () => {};
  for (const id of INSTANCES) await second.engine.starter.start(id);
  const secondRun = await second.engine.run({ maxSteps: 10_000 });
  return {
    world,
    firstRun,
    secondRun,
    writesBeforeCrash,
    executions: await second.engine.list(),
    events: [...first.events, ...second.events],
  };
}

/** Each instance's executions must form one chain: no execution started two successors. */
function chainsPerInstance(executions: ExecutionDescription[]): Map<string, number> {
  const children = new Map<string, number>();
  for (const e of executions) {
    const parent = (e.input as { AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID?: string })
      .AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID;
    if (parent !== undefined) children.set(parent, (children.get(parent) ?? 0) + 1);
  }
  const roots = new Map<string, number>();
  for (const e of executions) {
    const input = e.input as { instanceId: string; AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID?: string };
    if (input.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID === undefined) {
      roots.set(input.instanceId, (roots.get(input.instanceId) ?? 0) + 1);
    }
  }
  expect([...children.values()].every((n) => n === 1)).toBe(true);
  return roots;
}

function assertCompleteAndExactlyOnce(result: Awaited<ReturnType<typeof runWithCrash>>): void {
  const { world, executions, secondRun } = result;
  expect(secondRun.status).toBe("finished");
  expect(executions.filter((e) => e.status === "RUNNING")).toEqual([]);
  expect(executions.every((e) => e.status === "SUCCEEDED")).toBe(true);
  // Every reminder went out, and the idempotent step recorded each key exactly once.
  expect([...world.sent.keys()].sort()).toEqual(world.expectedKeys().sort());
  expect([...world.sent.values()].every((n) => n === 1)).toBe(true);
  // One root execution per instance, each continuing as new at most once per step.
  const roots = chainsPerInstance(executions);
  expect(Object.fromEntries(roots)).toEqual({ a: 1, b: 1, c: 1, d: 1 });
}

describe("durability: kill the engine, start another on the same table", () => {
  let totalWrites = 0;
  let stepsWithoutCrash = 0;

  beforeAll(async () => {
    const baseline = await runWithCrash({});
    assertCompleteAndExactlyOnce(baseline);
    totalWrites = baseline.writesBeforeCrash;
    stepsWithoutCrash = baseline.world.stepCalls.length;
    console.info(`durability scenario: ${totalWrites} writes without a crash`);
    expect(totalWrites).toBeGreaterThan(50);
  });

  it("without a crash the scenario completes (baseline for the crash points)", () => {
    expect(totalWrites).toBeGreaterThan(50);
  });

  // Early points hit the starts, later ones sleeps, retries, backoffs and continue-as-new.
  const fractions = Array.from({ length: 18 }, (_, n) => (n + 1) / 19);

  it.each([1, 2, 3])(
    "crash after write %i (the starts): every execution resumes and completes",
    async (afterWrites) => {
      assertCompleteAndExactlyOnce(await runWithCrash({ afterWrites }));
    },
  );

  it.each(fractions)(
    "crash after %d of the writes: every execution resumes and completes",
    async (fraction) => {
      // Act
      const afterWrites = Math.max(1, Math.round(fraction * totalWrites));
      const result = await runWithCrash({ afterWrites });

      // Assess
      if (afterWrites < totalWrites) {
        expect(result.firstRun?.status).toBe("stopped");
        // Writes already sent when it died may still land (other executions' steps run concurrently).
        expect(result.writesBeforeCrash).toBeGreaterThanOrEqual(afterWrites);
        expect(result.writesBeforeCrash).toBeLessThan(totalWrites);
      }
      assertCompleteAndExactlyOnce(result);
    },
  );

  it("crash at random points (fast-check; a failure prints the seed to replay)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: totalWrites }), async (afterWrites) => {
        assertCompleteAndExactlyOnce(await runWithCrash({ afterWrites }));
      }),
      { numRuns: 6 },
    );
  });

  it.each([1, 3, 6])(
    "crash inside the %i. step that sends, after sending: the task is run again and sends nothing twice",
    async (insideSend) => {
      // Act
      const result = await runWithCrash({ insideSend });

      // Assess: the step that died was run again (one step more than without the crash), and what
      // it had sent was not sent again.
      assertCompleteAndExactlyOnce(result);
      expect(result.world.stepCalls.length).toBeGreaterThan(stepsWithoutCrash);
    },
  );
});
