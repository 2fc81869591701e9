/**
 * The real instance loop (buildInstanceLoop) on the engine, with fake Lambdas scripted in memory
 * (support.ts FakeWorld): loops, continue-as-new, signals racing the step and park, the failure
 * path, and five virtual years in skip mode.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Engine, SkippingClock } from "../../infra/local/engine/index.ts";
import { continuationName } from "../../shared/app/execution-names.ts";
import { BUSY_ERROR_NAME, NOTIFY_CLAIM_LEASE_SECONDS, STATE } from "../../shared/loop/asl.ts";
import type { StepOutput } from "../../shared/loop/contract.ts";
import { NotificationBusyError } from "../../shared/loop/errors.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import {
  type EngineTable,
  engineTable,
  FakeWorld,
  LOOP_ARNS,
  loopDefinition,
  loopInput,
  TransientError,
  testEngine,
} from "./support.ts";

let table: EngineTable;
const engines: Engine[] = [];

beforeEach(() => {
  table = engineTable();
});

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  await table.drop();
});

async function loopEngine(world: FakeWorld, clock: SkippingClock) {
  const made = await testEngine({
    table,
    definition: loopDefinition(),
    functions: world.functions(),
    mode: "skip",
    clock,
  });
  world.signaller = made.engine.signaller;
  engines.push(made.engine);
  return made;
}

/**
 * Wraps the step so every batch until `leaseEnds` finds its mail claimed by a dead worker
 * (NotificationBusy); returns the moments of the batches tried: those found busy, and those that
 * sent (not the rounds with nothing due).
 */
function busyUntil(
  functions: ReturnType<FakeWorld["functions"]>,
  clock: { now(): Temporal.Instant },
  leaseEnds: Temporal.Instant,
): string[] {
  const step = functions[LOOP_ARNS.step];
  const attempts: string[] = [];
  functions[LOOP_ARNS.step] = async (payload) => {
    const at = clock.now().toString();
    if (Temporal.Instant.compare(clock.now(), leaseEnds) <= 0) {
      attempts.push(at);
      throw new NotificationBusyError("claimed");
    }
    const out = (await step?.(payload)) as StepOutput;
    if (out.sent > 0) attempts.push(at);
    return out;
  };
  return attempts;
}

function days(start: string, ...offsets: number[]): string[] {
  const at = Temporal.Instant.from(start);
  return offsets.map((d) => at.add({ hours: 24 * d }).toString());
}

/**
 * Starts one execution on the manual clock with the given functions, then advances the clock in
 * `stepSeconds` steps for `totalSeconds`, running what falls due after each step.
 */
async function runOnManualClock(options: {
  clock: ManualClock;
  world: FakeWorld;
  functions: ReturnType<FakeWorld["functions"]>;
  instanceId: string;
  stepSeconds: number;
  totalSeconds: number;
  random?: () => number;
}): Promise<string> {
  const { clock, functions } = options;
  const made = await testEngine({
    table,
    definition: loopDefinition(),
    functions,
    mode: "manual",
    clock,
    ...(options.random ? { random: options.random } : {}),
  });
  engines.push(made.engine);
  options.world.signaller = made.engine.signaller;
  const arn = await made.engine.start(loopInput(options.instanceId));
  await made.engine.runUntilIdle();
  for (let s = 0; s < options.totalSeconds; s += options.stepSeconds) {
    clock.advance(`PT${options.stepSeconds}S`);
    await made.engine.runUntilIdle();
  }
  return (await made.engine.describe(arn))?.status ?? "missing";
}

describe("the instance loop with fake Lambdas", () => {
  it("loops step -> sleep until the schedule is done, two states a round, sending each reminder once", async () => {
    // Prepare
    const clock = new SkippingClock("2024-01-01T00:00:00Z");
    const world = new FakeWorld(clock);
    world.add("inst-1", days("2024-01-01T00:00:00Z", 0, 10, 20));
    const made = await loopEngine(world, clock);

    // Act
    const arn = await made.engine.start(loopInput("inst-1"));
    const result = await made.engine.run();

    // Assess
    expect(result.status).toBe("finished");
    expect([...world.sent.keys()].sort()).toEqual(world.expectedKeys().sort());
    // Park completes its task after the last step, which ends the execution: no Choice, no Done state.
    // Started without a first step: the first Sleep decides at once.
    expect(made.path(arn)).toEqual([
      "Sleep",
      "Step",
      "Sleep",
      "Step",
      "Sleep",
      "Step",
      "Sleep",
      "Step",
      "Sleep",
    ]);
    // The last reminder's round sleeps the step's minimum of 1 s before deciding it is done.
    expect(clock.now().toString()).toBe("2024-01-21T00:00:01Z");
    expect((await made.engine.describe(arn))?.status).toBe("SUCCEEDED");
  });

  it("starts asleep when the starter ran the first step: no Step until the first reminder is due", async () => {
    // Prepare
    const clock = new SkippingClock("2024-01-01T00:00:00Z");
    const world = new FakeWorld(clock);
    world.add("inst-first", days("2024-01-01T00:00:00Z", 10, 20));
    const made = await loopEngine(world, clock);
    const told: { id: string; startedAt: string }[] = [];

    // Act: as shared/app/first-step.ts does, decided at the start: asleep for 10 days
    await made.engine.starter.start("inst-first", async (execution) => {
      told.push(execution);
      return { rev: 1, done: false, continueAsNew: false, waitSeconds: 10 * 86_400, loops: 1 };
    });
    const result = await made.engine.run();

    // Assess
    expect(result.status).toBe("finished");
    const arn = told[0]?.id ?? "";
    // Two reminders, then (as in the first test) a 1-s round that decides done.
    expect(made.path(arn)).toEqual(["Sleep", "Step", "Sleep", "Step", "Sleep", "Step", "Sleep"]);
    expect(world.stepCalls).toHaveLength(3);
    expect([...world.sent.keys()].sort()).toEqual(world.expectedKeys().sort());
    expect((await made.engine.describe(arn))?.status).toBe("SUCCEEDED");
  });

  it("continues as new: a chain of executions linked by their input, one running at a time", async () => {
    // Prepare
    const clock = new SkippingClock("2024-01-01T00:00:00Z");
    const world = new FakeWorld(clock, { loopsPerExecution: 2, daysPerExecution: 300 });
    world.add("inst-2", days("2024-01-01T00:00:00Z", 1, 2, 3, 4, 5));
    const made = await loopEngine(world, clock);

    // Act
    const first = await made.engine.start(loopInput("inst-2"));
    await made.engine.run();
    const all = await made.engine.list();

    // Assess
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.every((e) => e.status === "SUCCEEDED")).toBe(true);
    expect(made.path(first)).toContain(STATE.continueAsNew);
    const byParent = new Map(
      all.map((e) => [
        (e.input as { AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID?: string })
          .AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID,
        e,
      ]),
    );
    // Walk the chain from the first execution: every execution but the last started exactly one child.
    let current = first;
    let length = 1;
    while (byParent.has(current)) {
      current = byParent.get(current)?.executionArn ?? "";
      length++;
    }
    expect(length).toBe(all.length);
    expect([...world.sent.keys()].sort()).toEqual(world.expectedKeys().sort());
    expect(world.executionsSeen.get("inst-2")?.size).toBe(all.length);
  });

  it("starts a continued execution asleep, by the name the step gave it", async () => {
    // Prepare: two loops an execution; reminders on days 1 to 5
    const clock = new SkippingClock("2024-01-01T00:00:00Z");
    const world = new FakeWorld(clock, { loopsPerExecution: 2, daysPerExecution: 300 });
    world.add("inst-asleep", days("2024-01-01T00:00:00Z", 1, 2, 3, 4, 5));
    const made = await loopEngine(world, clock);

    // Act
    const first = await made.engine.start(loopInput("inst-asleep"));
    await made.engine.run();

    // Assess: the child is named as the step said, and its first Sleep is ended by the timer
    const child = (await made.engine.list()).find(
      (e) =>
        (e.input as { AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID?: string })
          .AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID === first,
    );
    expect(child?.name).toBe(continuationName("inst-asleep", first, 2));
    // One Step, at day 2's reminder (deciding at once would add a Step and a Sleep first)
    expect(made.path(child?.executionArn ?? "")).toEqual(["Sleep", "Step", "Sleep", STATE.continueAsNew]);
    expect(made.path(first).slice(-2)).toEqual(["Sleep", STATE.continueAsNew]);
    expect([...world.sent.keys()].sort()).toEqual(world.expectedKeys().sort());
  });

  it("ends in Continued when an execution of the name it continues as is there already", async () => {
    // Prepare: every step continues as new, and names its child "taken", which another instance's
    // execution has
    const clock = new SkippingClock("2024-01-01T00:00:00Z");
    const world = new FakeWorld(clock, { loopsPerExecution: 1, daysPerExecution: 300 });
    world.add("inst-parent", days("2024-01-01T00:00:00Z", 1));
    world.add("inst-other", days("2024-01-01T00:00:00Z", 1));
    const functions = world.functions();
    const step = functions[LOOP_ARNS.step];
    functions[LOOP_ARNS.step] = async (payload) => {
      const out = (await step?.(payload)) as StepOutput;
      return out.continuation === null
        ? out
        : { ...out, continuation: { ...out.continuation, name: "taken" } };
    };
    const made = await testEngine({ table, definition: loopDefinition(), functions, mode: "skip", clock });
    engines.push(made.engine);
    world.signaller = made.engine.signaller;
    await made.engine.start(loopInput("inst-other"), "taken");

    // Act
    const parent = await made.engine.start(loopInput("inst-parent"));
    await made.engine.runUntilIdle();

    // Assess
    expect(made.path(parent)).toEqual(["Sleep", "Step", "Sleep", STATE.continueAsNew, STATE.continued]);
    expect((await made.engine.describe(parent))?.status).toBe("SUCCEEDED");
  });

  it("no lost wake-up: a confirmation during the step makes park wake itself and step again at once", async () => {
    // Prepare: the first step sees a confirmation land while it runs (rev moves on).
    const clock = new SkippingClock("2024-01-01T00:00:00Z");
    const world = new FakeWorld(clock);
    world.add("inst-3", days("2024-01-01T00:00:00Z", 30));
    const functions = world.functions();
    const step = functions[LOOP_ARNS.step];
    let calls = 0;
    functions[LOOP_ARNS.step] = async (payload) => {
      calls++;
      const out = await step?.(payload);
      if (calls === 1) await world.confirm("inst-3");
      return out;
    };
    const racing = await testEngine({ table, definition: loopDefinition(), functions, mode: "skip", clock });
    engines.push(racing.engine);
    world.signaller = racing.engine.signaller;

    // Act
    const arn = await racing.engine.start(loopInput("inst-3"));
    await racing.engine.runUntilIdle();

    // Assess: the step ran twice before any time passed; the second sleep is a real park.
    expect(calls).toBe(2);
    expect(clock.now().toString()).toBe("2024-01-01T00:00:00Z");
    expect(racing.path(arn)).toEqual(["Sleep", "Step", "Sleep", "Step", "Sleep"]);
    expect(world.instances.get("inst-3")?.token).not.toBeNull();
  });

  it("a confirmation while parked wakes the loop before its timeout", async () => {
    // Prepare
    const clock = new SkippingClock("2024-01-01T00:00:00Z");
    const world = new FakeWorld(clock);
    world.add("inst-4", days("2024-01-01T00:00:00Z", 30));
    const made = await loopEngine(world, clock);
    const arn = await made.engine.start(loopInput("inst-4"));
    await made.engine.runUntilIdle();
    const stepsBefore = world.stepCalls.length;

    // Act
    await world.confirm("inst-4");
    await made.engine.runUntilIdle();

    // Assess
    expect(world.stepCalls.length).toBe(stepsBefore + 1);
    expect(clock.now().toString()).toBe("2024-01-01T00:00:00Z");
    expect((await made.engine.describe(arn))?.state).toBe("Sleep");
  });

  it("retries transient step errors with backoff, on the manual clock", async () => {
    // Prepare
    const clock = new ManualClock("2024-01-01T00:00:00Z");
    const world = new FakeWorld(clock);
    world.add("inst-5", days("2024-01-01T00:00:00Z", 0));
    const functions = world.functions();
    const step = functions[LOOP_ARNS.step];
    const attempts: string[] = [];
    functions[LOOP_ARNS.step] = async (payload) => {
      attempts.push(clock.now().toString());
      if (attempts.length <= 2) throw new TransientError("throttled");
      return step?.(payload);
    };
    // Act: FULL jitter with random ~1 gives the whole backoff: ~2 s, then ~4 s.
    const status = await runOnManualClock({
      clock,
      world,
      functions,
      instanceId: "inst-5",
      stepSeconds: 1,
      totalSeconds: 8,
      random: () => 1 - Number.EPSILON,
    });

    // Assess
    // Then one more step after the 1 s sleep, which finds the instance done.
    expect(attempts).toEqual([
      "2024-01-01T00:00:00Z",
      "2024-01-01T00:00:02Z",
      "2024-01-01T00:00:06Z",
      "2024-01-01T00:00:07Z",
    ]);
    expect(world.sent.size).toBe(1);
    expect(status).toBe("SUCCEEDED");
  });

  it("retries a busy batch after 30 s, 60 s, 120 s: past the claim lease, without a RecordFailure", async () => {
    // Prepare: the step finds the mail claimed by a dead worker until the lease (90 s) has run out
    const clock = new ManualClock("2024-01-01T00:00:00Z");
    const world = new FakeWorld(clock);
    world.add("inst-busy", days("2024-01-01T00:00:00Z", 0));
    const functions = world.functions();
    const leaseEnds = Temporal.Instant.from("2024-01-01T00:00:00Z").add({
      seconds: NOTIFY_CLAIM_LEASE_SECONDS,
    });
    const attempts = busyUntil(functions, clock, leaseEnds);
    let failures = 0;
    functions[LOOP_ARNS.recordFailure] = async () => {
      failures += 1;
      return { giveUp: true, retryInSeconds: 0 };
    };

    // Act
    const status = await runOnManualClock({
      clock,
      world,
      functions,
      instanceId: "inst-busy",
      stepSeconds: 5,
      totalSeconds: 300,
    });

    // Assess
    expect(attempts).toEqual([
      "2024-01-01T00:00:00Z",
      "2024-01-01T00:00:30Z",
      "2024-01-01T00:01:30Z",
      "2024-01-01T00:03:30Z",
    ]);
    expect(world.sent.size).toBe(1);
    expect(failures).toBe(0);
    expect(status).toBe("SUCCEEDED");
  });

  it("sleeps until the decided wake-up however long the batch took (a busy batch does not push it back)", async () => {
    // Prepare: reminders at day 0 and day 1; the first batch is busy for the 90-s lease
    const clock = new SkippingClock("2024-01-01T00:00:00Z");
    const world = new FakeWorld(clock);
    world.add("inst-slow", days("2024-01-01T00:00:00Z", 0, 1));
    const functions = world.functions();
    const leaseEnds = Temporal.Instant.from("2024-01-01T00:01:30Z");
    const attempts = busyUntil(functions, clock, leaseEnds);
    const made = await testEngine({ table, definition: loopDefinition(), functions, mode: "skip", clock });
    engines.push(made.engine);
    world.signaller = made.engine.signaller;
    await made.engine.start(loopInput("inst-slow"));

    // Act
    await made.engine.run();

    // Assess: the day-1 reminder at 00:00:00, not 00:03:30 (the wait counted from the batch's end)
    expect(attempts).toEqual([
      "2024-01-01T00:00:00Z",
      "2024-01-01T00:00:30Z",
      "2024-01-01T00:01:30Z",
      "2024-01-01T00:03:30Z",
      "2024-01-02T00:00:00Z",
    ]);
    expect(world.sent.size).toBe(2);
  });

  it("waits out even a 15-minute lease (claims written before it was shortened) before RecordFailure", () => {
    // Prepare
    const step = loopDefinition().States[STATE.step] as { Retry: { [key: string]: unknown }[] };
    const busy = step.Retry[0] as {
      ErrorEquals: string[];
      IntervalSeconds: number;
      MaxAttempts: number;
      BackoffRate: number;
      MaxDelaySeconds: number;
    };
    // Act
    let total = 0;
    for (let attempt = 0; attempt < busy.MaxAttempts; attempt++) {
      total += Math.min(busy.IntervalSeconds * busy.BackoffRate ** attempt, busy.MaxDelaySeconds);
    }
    // Assess
    expect(busy.ErrorEquals).toEqual([BUSY_ERROR_NAME]);
    expect(busy.IntervalSeconds).toBeLessThan(NOTIFY_CLAIM_LEASE_SECONDS);
    expect(total).toBeGreaterThan(15 * 60);
  });

  it("the failure path: record each failure, back off, and give up in the Fail state", async () => {
    // Prepare
    const clock = new SkippingClock("2024-01-01T00:00:00Z");
    const world = new FakeWorld(clock);
    world.add("inst-6", days("2024-01-01T00:00:00Z", 5), { failSteps: 99 });
    const made = await loopEngine(world, clock);

    // Act
    const arn = await made.engine.start(loopInput("inst-6"));
    const result = await made.engine.run();

    // Assess
    const failureLoop = ["Step", "RecordFailure", "Backoff"];
    expect(result.status).toBe("finished");
    expect(made.path(arn)).toEqual([
      "Sleep",
      ...failureLoop,
      "BackoffWait",
      ...failureLoop,
      "BackoffWait",
      ...failureLoop,
      "Failed",
    ]);
    const description = await made.engine.describe(arn);
    expect(description?.status).toBe("FAILED");
    expect(description?.error).toBe("Fristflow.InstanceFailed");
    expect(clock.now().toString()).toBe("2024-01-01T00:02:00Z");
  });

  it("runs five virtual years of a fortnightly timeline in skip mode in seconds", async () => {
    // Prepare
    const start = "2023-11-01T07:00:00Z";
    const clock = new SkippingClock(start);
    const world = new FakeWorld(clock);
    const fortnights = Array.from({ length: Math.floor((5 * 365) / 14) + 1 }, (_, n) => n * 14);
    world.add("ishoej", days(start, ...fortnights));
    const made = await loopEngine(world, clock);
    const wallStart = performance.now();

    // Act
    await made.engine.start(loopInput("ishoej"));
    const result = await made.engine.run({ maxSteps: 100_000 });
    const wallSeconds = (performance.now() - wallStart) / 1000;

    // Assess
    const executions = await made.engine.list();
    const stats = made.engine.stats();
    expect(result.status).toBe("finished");
    expect(world.sent.size).toBe(fortnights.length);
    expect([...world.sent.values()].every((count) => count === 1)).toBe(true);
    expect(executions.length).toBeGreaterThanOrEqual(6);
    expect(
      Temporal.Instant.compare(clock.now(), Temporal.Instant.from("2028-10-01T00:00:00Z")),
    ).toBeGreaterThan(0);
    // The figure for the report: wall time and cost per cycle of five virtual years.
    console.info(
      `5 virtual years: ${wallSeconds.toFixed(2)} s wall, ${fortnights.length} reminder cycles, ` +
        `${executions.length} executions, ${stats.stateTransitions} transitions, ` +
        `${stats.lambdaInvocations} Lambda invocations, ${stats.writes} engine writes`,
    );
  });
});
