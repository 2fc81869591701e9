/**
 * Differential tests: the same definitions and inputs on this engine and on aws-local-stepfunctions
 * (an independent implementation of the spec), checking both take the same path (the sequence of
 * states entered, from its event log) and end with the same output or error.
 *
 * What aws-local-stepfunctions cannot run is left out, and said so: waitForTaskToken and
 * $$.Task.Token (so the loop's Sleep becomes a plain invoke of park here), and TimeoutSecondsPath
 * (it reads the path from the Parameters output rather than the state input). Its Catch puts the
 * error message in Cause where lambda:invoke puts the Lambda error document; causes are compared
 * by their message. Timers: its Wait and Retry pauses are overridden to 0 ms; this engine runs
 * in skip mode, jumping over them.
 */

import { StateMachine } from "aws-local-stepfunctions";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Engine,
  type FunctionRegistry,
  type Json,
  SkippingClock,
} from "../../infra/local/engine/index.ts";
import { CONTINUE_AS_NEW_ERROR_NAME, STATE, WAKE_ERROR_NAME } from "../../shared/loop/asl.ts";
import { DECIDE_AT_ONCE } from "../../shared/loop/contract.ts";
import {
  type EngineTable,
  engineTable,
  fnArn,
  LOOP_ARNS,
  loopDefinition,
  loopInput,
  MACHINE_ARN,
  TransientError,
  testEngine,
} from "./support.ts";

// aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22+) for every Task; the project
// supports Node 20, so the reference gets it here, in this test process only.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== "function") {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve: (value: T) => void = () => {};
      let reject: (reason: unknown) => void = () => {};
      const promise = new Promise<T>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      return { promise, resolve, reject };
    },
  });
}

type Definition = { StartAt: string; States: Record<string, Record<string, Json>> };
type Outcome = { ok: true; output: Json } | { ok: false; error: string; cause: string };
interface Run {
  path: string[];
  outcome: Outcome;
}

let table: EngineTable;
const engines: Engine[] = [];

beforeEach(() => {
  table = engineTable();
});

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  await table.drop();
});

/** A fresh set of handlers per run, since scripted handlers keep per-run state. */
type HandlerFactory = () => FunctionRegistry;

const EXECUTION_NAME = "differential";
const EXECUTION_ARN = `${MACHINE_ARN.replace(":stateMachine:", ":execution:")}:${EXECUTION_NAME}`;

async function runHere(definition: Definition, input: Json, handlers: HandlerFactory): Promise<Run> {
  const clock = new SkippingClock("2024-06-01T00:00:00Z");
  const made = await testEngine({ table, definition, functions: handlers(), mode: "skip", clock });
  engines.push(made.engine);
  const name = `${EXECUTION_NAME}-${engines.length}`;
  const arn = await made.engine.start(input, name);
  await made.engine.run({ maxSteps: 1_000 });
  const description = await made.engine.describe(arn);
  const outcome: Outcome =
    description?.status === "SUCCEEDED"
      ? { ok: true, output: description.output ?? null }
      : { ok: false, error: description?.error ?? "?", cause: description?.cause ?? "" };
  return { path: made.path(arn), outcome: normalise(outcome) };
}

async function runReference(definition: Definition, input: Json, handlers: HandlerFactory): Promise<Run> {
  const registry = handlers();
  const taskHandlers: Record<string, (input: Json) => Promise<Json>> = {};
  const retryOverrides: Record<string, number> = {};
  const waitOverrides: Record<string, number> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Retry !== undefined) retryOverrides[name] = 0;
    if (state.Type === "Wait") waitOverrides[name] = 0;
    if (state.Type !== "Task") continue;
    const resource = String(state.Resource);
    taskHandlers[name] = async (taskInput) => {
      if (resource === "arn:aws:states:::states:startExecution") {
        return { ExecutionArn: `${EXECUTION_ARN}-child`, StartDate: "2024-06-01T00:00:00.000Z" };
      }
      if (resource === "arn:aws:states:::lambda:invoke") {
        const { FunctionName, Payload } = taskInput as { FunctionName: string; Payload: Json };
        const handler = registry[FunctionName];
        if (!handler) throw new Error(`no handler ${FunctionName}`);
        return { ExecutedVersion: "$LATEST", Payload: asJson(await handler(Payload)), StatusCode: 200 };
      }
      const handler = registry[resource];
      if (!handler) throw new Error(`no handler ${resource}`);
      return asJson(await handler(taskInput));
    };
  }
  const machine = new StateMachine(definition as never);
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: taskHandlers as never,
      retryIntervalOverrides: retryOverrides,
      waitTimeOverrides: waitOverrides,
    },
    context: {
      Execution: { Id: EXECUTION_ARN, Name: EXECUTION_NAME },
      StateMachine: { Id: MACHINE_ARN, Name: "fristflow-test" },
    },
  });
  const path: string[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === "StateEntered") path.push(event.state.name);
    }
  })();
  let outcome: Outcome;
  try {
    outcome = { ok: true, output: asJson(await execution.result) };
  } catch (err) {
    const inner = (err as { cause?: unknown }).cause;
    const failure = inner instanceof Error ? inner : (err as Error);
    outcome = { ok: false, error: failure.name, cause: failure.message };
  }
  await collecting;
  return { path, outcome: normalise(outcome) };
}

async function expectSameRun(definition: Definition, input: Json, handlers: HandlerFactory): Promise<Run> {
  // Each engine gets its own copy: aws-local-stepfunctions annotates the definition it is given.
  const here = await runHere(structuredClone(definition), input, handlers);
  const reference = await runReference(structuredClone(definition), input, handlers);
  if (process.env.DIFF_DEBUG) console.log(JSON.stringify({ here, reference }, null, 1));
  expect(here.path).toEqual(reference.path);
  expect(here.outcome).toEqual(reference.outcome);
  return here;
}

/** lambda:invoke's Cause is the Lambda error document; compare it by its message. */
function normalise(outcome: Outcome): Outcome {
  if (outcome.ok) return { ok: true, output: normaliseCauses(outcome.output) };
  return { ok: false, error: outcome.error, cause: causeMessage(outcome.cause) };
}

function causeMessage(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === "string" ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}

function normaliseCauses(value: Json): Json {
  if (Array.isArray(value)) return value.map(normaliseCauses);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, Json> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = key === "Cause" && typeof inner === "string" ? causeMessage(inner) : normaliseCauses(inner);
  }
  return out;
}

function asJson(value: unknown): Json {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json);
}

describe("differential: small definitions", () => {
  const shaping: Definition = {
    StartAt: "Shape",
    States: {
      Shape: {
        Type: "Pass",
        Parameters: {
          "who.$": "$.user.name",
          "n.$": "$.n",
          fixed: [1, { "deep.$": "$.user" }],
          "message.$": "States.Format('Hej {}, du har {} frister', $.user.name, $.n)",
          "list.$": "States.Array($.n, 'x', $.flag)",
          "json.$": "States.JsonToString($.user)",
        },
        ResultPath: "$.shaped",
        Next: "Parse",
      },
      Parse: {
        Type: "Pass",
        Parameters: { "back.$": "States.StringToJson($.shaped.json)" },
        ResultPath: "$.parsed",
        Next: "Route",
      },
      Route: {
        Type: "Choice",
        Choices: [
          {
            And: [
              { Variable: "$.n", NumericGreaterThanEquals: 10 },
              { Not: { Variable: "$.user.name", StringEquals: "Bo" } },
            ],
            Next: "Big",
          },
          {
            Or: [
              { Variable: "$.user.name", StringMatches: "A*" },
              { Variable: "$.flag", BooleanEquals: true },
            ],
            Next: "Named",
          },
          {
            And: [
              { Variable: "$.at", IsPresent: true },
              { Variable: "$.at", TimestampLessThan: "2024-06-01T00:00:00Z" },
            ],
            Next: "Early",
          },
          { Variable: "$.n", NumericLessThanPath: "$.limit", Next: "Under" },
        ],
        Default: "Small",
      },
      Big: { Type: "Pass", Result: { size: "big" }, ResultPath: "$.size", OutputPath: "$.size", End: true },
      Named: { Type: "Pass", InputPath: "$.shaped", End: true },
      Early: { Type: "Pass", Parameters: { "at.$": "$.at", "msg.$": "$.shaped.message" }, End: true },
      Under: { Type: "Pass", Result: "under", ResultPath: null, OutputPath: "$.parsed", Next: "Fin" },
      Small: { Type: "Pass", Result: "small", ResultPath: "$.result", Next: "Fin" },
      Fin: { Type: "Succeed" },
    },
  };

  it("Pass, Parameters, intrinsics, Choice and the paths agree for generated inputs", async () => {
    const input = fc.record({
      user: fc.record({
        name: fc.constantFrom("Anna", "Bo", "Carl", "Åse"),
        unit: fc.constantFrom("skole", "dagtilbud"),
      }),
      n: fc.integer({ min: -3, max: 15 }),
      limit: fc.integer({ min: -3, max: 15 }),
      flag: fc.boolean(),
      at: fc.option(fc.constantFrom("2024-01-01T00:00:00Z", "2024-12-01T10:00:00+01:00"), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(input, async (value) => {
        await expectSameRun(shaping, asJson(value), () => ({}));
      }),
      { numRuns: 20 },
    );
  });

  /** fetch's behaviour is scripted by the id it is asked for. */
  const fetchHandlers: HandlerFactory = () => {
    let calls = 0;
    return {
      [fnArn("fetch")]: async (payload) => {
        const id = (payload as { id: string }).id;
        calls++;
        if (id === "flaky1" && calls === 1) throw new TransientError("busy once");
        if (id === "flaky5" && calls <= 5) throw new TransientError("busy for long");
        if (id === "missing") {
          const error = new Error(`no ${id}`);
          error.name = "NotFound";
          throw error;
        }
        if (id === "boom") throw new TypeError("cannot read x of undefined");
        return { value: `value of ${id}`, calls };
      },
      [fnArn("use")]: async (payload) => ({ used: payload }),
    };
  };

  const tasks: Definition = {
    StartAt: "Fetch",
    States: {
      Fetch: {
        Type: "Task",
        Resource: fnArn("fetch"),
        Parameters: { "id.$": "$.id" },
        ResultSelector: { "value.$": "$.value", "calls.$": "$.calls", source: "fetch" },
        ResultPath: "$.fetched",
        Retry: [{ ErrorEquals: ["Fristflow.Transient"], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
        Catch: [
          { ErrorEquals: ["NotFound"], ResultPath: "$.error", Next: "Missing" },
          { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Broken" },
        ],
        Next: "Use",
      },
      Use: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: fnArn("use"), "Payload.$": "$.fetched" },
        ResultSelector: { "out.$": "$.Payload.used" },
        OutputPath: "$.out",
        End: true,
      },
      Missing: { Type: "Pass", Parameters: { "missing.$": "$.id", "why.$": "$.error" }, End: true },
      Broken: { Type: "Fail", ErrorPath: "$.error.Error", CausePath: "$.error.Cause" },
    },
  };

  it.each(["ok", "flaky1", "flaky5", "missing", "boom"])(
    "Task results, ResultSelector, Retry and Catch agree for %s",
    async (id) => {
      await expectSameRun(tasks, { id }, fetchHandlers);
    },
  );

  it("a loop of Task, Choice and Wait agrees", async () => {
    const counting: Definition = {
      StartAt: "Inc",
      States: {
        Inc: { Type: "Task", Resource: fnArn("inc"), InputPath: "$.n", ResultPath: "$.n", Next: "Check" },
        Check: {
          Type: "Choice",
          Choices: [{ Variable: "$.n", NumericGreaterThanEquals: 3, Next: "Done" }],
          Default: "Pause",
        },
        Pause: { Type: "Wait", SecondsPath: "$.pause", Next: "Inc" },
        Done: { Type: "Succeed", OutputPath: "$.n" },
      },
    };
    const run = await expectSameRun(counting, { n: 0, pause: 30 }, () => ({
      [fnArn("inc")]: async (n) => (n as number) + 1,
    }));
    expect(run.path).toEqual(["Inc", "Check", "Pause", "Inc", "Check", "Pause", "Inc", "Check", "Done"]);
  });

  it.each([
    ["no Choice rule and no Default", { a: 2 }],
    ["a Choice Variable that is missing", {}],
  ])("errors agree: %s", async (_what, input) => {
    const definition: Definition = {
      StartAt: "Route",
      States: {
        Route: { Type: "Choice", Choices: [{ Variable: "$.a", NumericEquals: 1, Next: "End" }] },
        End: { Type: "Succeed" },
      },
    };
    const here = await runHere(structuredClone(definition), input, () => ({}));
    const reference = await runReference(structuredClone(definition), input, () => ({}));
    expect(here.path).toEqual(reference.path);
    expect(here.outcome.ok).toBe(false);
    expect(!here.outcome.ok && here.outcome.error).toBe(!reference.outcome.ok && reference.outcome.error);
  });
});

describe("differential: the instance loop with fake Lambdas", () => {
  type Action = "notify" | "sleep" | "notify+continue" | "continue" | "done" | "transient" | "broken";

  /**
   * The loop with Sleep as a plain invoke of park: what aws-local-stepfunctions can run. Park
   * goes on the way it does on AWS, by failing its task with the error the Sleep state catches
   * (a wake, continue as new), or completes it when done; with a plain invoke that is the
   * Lambda's own error or result.
   */
  function comparableLoop(): Definition {
    const definition = loopDefinition() as unknown as Definition;
    const sleep = definition.States[STATE.sleep];
    if (!sleep) throw new Error("no Sleep state");
    sleep.Resource = "arn:aws:states:::lambda:invoke";
    sleep.Parameters = {
      FunctionName: LOOP_ARNS.park,
      Payload: {
        "instanceId.$": "$.instanceId",
        "rev.$": "$.step.rev",
        "done.$": "$.step.done",
        "continueAsNew.$": "$.step.continueAsNew",
      },
    };
    delete sleep.TimeoutSecondsPath;
    return definition;
  }

  class LeavingError extends Error {}

  function scripted(script: Action[], giveUpAfter = 3): HandlerFactory {
    return () => {
      let call = 0;
      let failures = 0;
      return {
        [LOOP_ARNS.step]: async (payload) => {
          const { instanceId, execution } = payload as {
            instanceId: string;
            execution: { id: string; startedAt: string };
          };
          // A continued execution (only this engine starts one) finds its instance done.
          const action = execution.id.startsWith(
            `${MACHINE_ARN.replace(":stateMachine:", ":execution:")}:differential`,
          )
            ? (script[call++] ?? "done")
            : "done";
          if (action === "transient") throw new TransientError("throttled");
          if (action === "broken") throw new Error("the step broke");
          const sends = action === "notify" || action === "notify+continue";
          const continues = action === "continue" || action === "notify+continue";
          return {
            instanceId,
            rev: call,
            done: action === "done",
            continueAsNew: continues,
            waitSeconds: 60,
            // Not the context's id and start: those differ between the two engines by design.
            execution: { id: "execution", startedAt: "2024-06-01T00:00:00Z", loops: call },
            // The child decides at once (the real step hands it its first sleep: not compared here).
            continuation: continues ? { name: `continued-${call}`, step: { ...DECIDE_AT_ONCE } } : null,
            sent: sends ? 1 : 0,
            skipped: 0,
          };
        },
        [LOOP_ARNS.park]: async (payload) => {
          const { done, continueAsNew } = payload as { done: boolean; continueAsNew: boolean };
          // Done completes the task (the execution ends); otherwise the task fails with the
          // error Sleep catches: continuing as new, or (standing for the timer or a signal) a wake.
          if (done) return { parked: false };
          const leaving = new LeavingError(continueAsNew ? "leaving the loop" : "woken");
          leaving.name = continueAsNew ? CONTINUE_AS_NEW_ERROR_NAME : WAKE_ERROR_NAME;
          throw leaving;
        },
        [LOOP_ARNS.recordFailure]: async () => {
          failures++;
          return { giveUp: failures >= giveUpAfter, retryInSeconds: 30 };
        },
      };
    };
  }

  const scenarios: [string, Action[]][] = [
    ["several loops then done", ["notify", "sleep", "notify", "sleep", "done"]],
    ["notify then continue as new", ["notify", "notify+continue"]],
    ["continue as new without notifying", ["sleep", "continue"]],
    ["transient errors retried, then done", ["transient", "transient", "notify", "done"]],
    ["a failure recorded, backed off, recovered", ["broken", "notify", "done"]],
    ["failing for good gives up", ["broken", "broken", "broken", "broken"]],
  ];

  it.each(scenarios)("%s", async (_name, script) => {
    const run = await expectSameRun(comparableLoop(), loopInput("inst-diff"), scripted(script));
    // Every execution starts in Sleep; without a first step from its starter it decides at once.
    expect(run.path.slice(0, 2)).toEqual([STATE.sleep, STATE.step]);
  });
});
