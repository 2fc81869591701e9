/**
 * One test per ASL feature the instance loop uses (and the common ones around it), each on a
 * real engine over DynamoDB Local in manual mode: the test moves the clock and runs what is due.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Engine,
  EngineStoppedError,
  ExecutionAlreadyExistsError,
  type FunctionRegistry,
  type Json,
  SkippingClock,
} from "../../infra/local/engine/index.ts";
import { ManualClock, systemClock } from "../../shared/time/clock.ts";
import {
  type EngineTable,
  engineTable,
  fnArn,
  MACHINE_ARN,
  type TestEngine,
  TransientError,
  testEngine,
} from "./support.ts";

const T0 = "2024-03-01T08:00:00Z";

let table: EngineTable;
let clock: ManualClock;
const engines: Engine[] = [];

beforeEach(() => {
  table = engineTable();
  clock = new ManualClock(T0);
});

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  await table.drop();
});

async function manualEngine(definition: unknown, functions: FunctionRegistry = {}, random?: () => number) {
  const made = await testEngine({ table, definition, functions, mode: "manual", clock, random });
  engines.push(made.engine);
  return made;
}

/** Starts one execution, runs what is due and returns its description. */
async function runOnce(made: TestEngine, input: Json, name?: string) {
  const arn = await made.engine.start(input, name);
  await made.engine.runUntilIdle();
  const description = await made.engine.describe(arn);
  if (!description) throw new Error("execution vanished");
  return { arn, description };
}

function task(resource: string, rest: Record<string, Json> = {}): Record<string, Json> {
  return { Type: "Task", Resource: resource, ...rest };
}

const INVOKE = "arn:aws:states:::lambda:invoke";
const WAIT_FOR_TOKEN = "arn:aws:states:::lambda:invoke.waitForTaskToken";

describe("Task: lambda:invoke", () => {
  it("passes Parameters.Payload to the handler and returns AWS' result shape", async () => {
    // Prepare
    const seen: unknown[] = [];
    const made = await manualEngine(
      {
        StartAt: "Call",
        States: {
          Call: task(INVOKE, {
            Parameters: { FunctionName: fnArn("echo"), Payload: { "x.$": "$.x", fixed: 1 } },
            ResultPath: "$.result",
            End: true,
          }),
        },
      },
      {
        [fnArn("echo")]: async (payload) => {
          seen.push(payload);
          return { got: payload, when: new Date("2024-01-01T00:00:00Z") };
        },
      },
    );

    // Act
    const { description } = await runOnce(made, { x: "value" });

    // Assess
    expect(seen).toEqual([{ x: "value", fixed: 1 }]);
    expect(description.status).toBe("SUCCEEDED");
    const output = description.output as { x: string; result: Record<string, Json> };
    expect(output.x).toBe("value");
    expect(output.result).toMatchObject({
      ExecutedVersion: "$LATEST",
      StatusCode: 200,
      Payload: { got: { x: "value", fixed: 1 }, when: "2024-01-01T00:00:00.000Z" },
      SdkHttpMetadata: { HttpStatusCode: 200 },
    });
  });

  it("a function ARN as Resource gets the effective input and returns the bare result", async () => {
    // Prepare
    const made = await manualEngine(
      {
        StartAt: "Call",
        States: {
          Call: task(fnArn("double"), {
            InputPath: "$.args",
            ResultSelector: { "doubled.$": "$.n" },
            End: true,
          }),
        },
      },
      { [fnArn("double")]: async (payload) => ({ n: (payload as { n: number }).n * 2 }) },
    );

    // Act
    const { description } = await runOnce(made, { args: { n: 21 } });

    // Assess
    expect(description.output).toEqual({ doubled: 42 });
  });

  it("a thrown Error's name is the error; an unknown function is Lambda.ResourceNotFoundException", async () => {
    // Prepare
    class QuotaError extends Error {
      override name = "Fristflow.Quota";
    }
    const made = await manualEngine(
      {
        StartAt: "Missing",
        States: {
          Missing: task(INVOKE, {
            Parameters: { FunctionName: fnArn("nope"), Payload: {} },
            Catch: [
              { ErrorEquals: ["Lambda.ResourceNotFoundException"], ResultPath: "$.missing", Next: "Quota" },
            ],
            End: true,
          }),
          Quota: task(fnArn("quota"), {
            Catch: [{ ErrorEquals: ["Fristflow.Quota"], ResultPath: "$.quota", Next: "Done" }],
            End: true,
          }),
          Done: { Type: "Succeed" },
        },
      },
      {
        [fnArn("quota")]: async () => {
          throw new QuotaError("over the limit");
        },
      },
    );

    // Act
    const { description } = await runOnce(made, {});

    // Assess
    const output = description.output as Record<string, { Error: string; Cause: string }>;
    expect(output.missing?.Error).toBe("Lambda.ResourceNotFoundException");
    expect(output.quota?.Error).toBe("Fristflow.Quota");
    expect(JSON.parse(output.quota?.Cause ?? "{}")).toMatchObject({
      errorType: "Fristflow.Quota",
      errorMessage: "over the limit",
    });
  });
});

describe("Task: lambda:invoke.waitForTaskToken", () => {
  const parkDefinition = (extra: Record<string, Json> = {}) => ({
    StartAt: "Sleep",
    States: {
      Sleep: task(WAIT_FOR_TOKEN, {
        Parameters: { FunctionName: fnArn("park"), Payload: { "token.$": "$$.Task.Token", "id.$": "$.id" } },
        ResultPath: "$.signal",
        ...extra,
        Next: "Done",
      }),
      Done: { Type: "Succeed" },
    },
  });

  function parkRecorder() {
    const tokens: string[] = [];
    return {
      tokens,
      functions: {
        [fnArn("park")]: async (payload: unknown) => {
          tokens.push((payload as { token: string }).token);
          return { parked: true };
        },
      },
    };
  }

  it("parks until SendTaskSuccess, whose output is the task result; later signals are ignored", async () => {
    // Prepare
    const park = parkRecorder();
    const made = await manualEngine(parkDefinition(), park.functions);
    const { arn, description: parked } = await runOnce(made, { id: "i-1" });
    const [token = ""] = park.tokens;

    // Act
    await made.engine.sendTaskSuccess(token, { reason: "confirmed" });
    await made.engine.runUntilIdle();
    await made.engine.signaller.wake(token, { reason: "twice" });
    await made.engine.signaller.wake("not-a-token", { reason: "junk" });

    // Assess
    expect(parked.status).toBe("RUNNING");
    expect(parked.state).toBe("Sleep");
    expect(token).toMatch(/^fftt1\./);
    const done = await made.engine.describe(arn);
    expect(done?.status).toBe("SUCCEEDED");
    expect(done?.output).toEqual({ id: "i-1", signal: { reason: "confirmed" } });
  });

  it("SendTaskFailure fails the task with the given error, which Catch can take", async () => {
    // Prepare
    const park = parkRecorder();
    const made = await manualEngine(
      parkDefinition({ Catch: [{ ErrorEquals: ["Cancelled"], ResultPath: "$.why", Next: "Done" }] }),
      park.functions,
    );
    const { arn } = await runOnce(made, { id: "i-2" });

    // Act
    await made.engine.sendTaskFailure(park.tokens[0] ?? "", "Cancelled", "by admin");
    await made.engine.runUntilIdle();

    // Assess
    expect((await made.engine.describe(arn))?.output).toEqual({
      id: "i-2",
      why: { Error: "Cancelled", Cause: "by admin" },
    });
  });

  it("TimeoutSecondsPath: no signal in time is States.Timeout, caught like on AWS", async () => {
    // Prepare
    const park = parkRecorder();
    const made = await manualEngine(
      parkDefinition({
        TimeoutSecondsPath: "$.wait",
        Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: "$.timeout", Next: "Done" }],
      }),
      park.functions,
    );
    const { arn } = await runOnce(made, { id: "i-3", wait: 3600 });

    // Act
    clock.advance("PT59M59S");
    await made.engine.runUntilIdle();
    const before = await made.engine.describe(arn);
    clock.advance("PT1S");
    await made.engine.runUntilIdle();
    const after = await made.engine.describe(arn);

    // Assess
    expect(before?.status).toBe("RUNNING");
    expect(after?.status).toBe("SUCCEEDED");
    expect(after?.output).toMatchObject({ timeout: { Error: "States.Timeout" } });
  });

  it("a signal sent while the park Lambda is still running completes the task when it returns", async () => {
    // Prepare: park signals its own token, as the real one does when the instance changed since decide.
    let engine: Engine | undefined;
    const made = await manualEngine(parkDefinition(), {
      [fnArn("park")]: async (payload) => {
        await engine?.signaller.wake((payload as { token: string }).token, {
          reason: "changed since decide",
        });
        return { parked: false };
      },
    });
    engine = made.engine;

    // Act
    const { description } = await runOnce(made, { id: "i-4" });

    // Assess
    expect(description.status).toBe("SUCCEEDED");
    expect(description.output).toEqual({ id: "i-4", signal: { reason: "changed since decide" } });
  });

  it("a signal from outside that lands mid-park is kept and used once park returns", async () => {
    // Prepare
    let release: () => void = () => {};
    let token = "";
    const made = await manualEngine(parkDefinition(), {
      [fnArn("park")]: async (payload) => {
        token = (payload as { token: string }).token;
        await new Promise<void>((done) => {
          release = done;
        });
        return {};
      },
    });
    const arn = await made.engine.start({ id: "i-5" });
    const running = made.engine.runUntilIdle();
    await waitUntil(() => token !== "");

    // Act
    await made.engine.sendTaskSuccess(token, { reason: "early" });
    release();
    await running;

    // Assess
    expect((await made.engine.describe(arn))?.output).toEqual({ id: "i-5", signal: { reason: "early" } });
  });
});

describe("Retry", () => {
  it("backs off IntervalSeconds * BackoffRate^n on the clock, then succeeds", async () => {
    // Prepare
    const calls: string[] = [];
    const made = await manualEngine(
      {
        StartAt: "Flaky",
        States: {
          Flaky: task(fnArn("flaky"), {
            Retry: [
              { ErrorEquals: ["Fristflow.Transient"], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 },
            ],
            End: true,
          }),
        },
      },
      {
        [fnArn("flaky")]: async () => {
          calls.push(clock.now().toString());
          if (calls.length <= 3) throw new TransientError("busy");
          return "ok";
        },
      },
    );
    const { arn } = await runOnce(made, {});

    // Act: step the clock one second at a time and run what is due.
    for (let s = 0; s < 20; s++) {
      clock.advance("PT1S");
      await made.engine.runUntilIdle();
    }

    // Assess: attempts at +0, +2, +2+4, +2+4+8 seconds.
    expect(calls).toEqual([
      "2024-03-01T08:00:00Z",
      "2024-03-01T08:00:02Z",
      "2024-03-01T08:00:06Z",
      "2024-03-01T08:00:14Z",
    ]);
    expect((await made.engine.describe(arn))?.output).toBe("ok");
  });

  it("caps the delay at MaxDelaySeconds and scales it by the injected random for FULL jitter", async () => {
    // Prepare
    const calls: number[] = [];
    const start = clock.now();
    const made = await manualEngine(
      {
        StartAt: "Flaky",
        States: {
          Flaky: task(fnArn("flaky"), {
            Retry: [
              {
                ErrorEquals: ["States.ALL"],
                IntervalSeconds: 4,
                BackoffRate: 3,
                MaxAttempts: 3,
                MaxDelaySeconds: 20,
                JitterStrategy: "FULL",
              },
            ],
            End: true,
          }),
        },
      },
      {
        [fnArn("flaky")]: async () => {
          calls.push(clock.now().since(start).total("milliseconds"));
          throw new Error("always");
        },
      },
      () => 0.25,
    );
    const { arn } = await runOnce(made, {});

    // Act
    for (let s = 0; s < 40; s++) {
      clock.advance("PT0.5S");
      await made.engine.runUntilIdle();
    }

    // Assess: delays 4*0.25=1 s, 12*0.25=3 s, min(36,20)*0.25=5 s; then the error ends the execution.
    expect(calls).toEqual([0, 1000, 4000, 9000]);
    const failed = await made.engine.describe(arn);
    expect(failed?.status).toBe("FAILED");
    expect(failed?.error).toBe("Error");
  });
});

describe("Catch", () => {
  it("the first matching catcher wins; States.TaskFailed does not match States.Timeout", async () => {
    // Prepare
    const made = await manualEngine(
      {
        StartAt: "Boom",
        States: {
          Boom: task(fnArn("boom"), {
            TimeoutSeconds: 5,
            Catch: [
              { ErrorEquals: ["Other"], Next: "Wrong" },
              { ErrorEquals: ["States.TaskFailed"], ResultPath: "$.caught", Next: "Right" },
              { ErrorEquals: ["States.ALL"], Next: "Wrong" },
            ],
            End: true,
          }),
          Right: { Type: "Pass", Result: "right", ResultPath: "$.which", End: true },
          Wrong: { Type: "Fail", Error: "Wrong" },
        },
      },
      {
        [fnArn("boom")]: async () => {
          throw new RangeError("bad range");
        },
      },
    );

    // Act
    const { description } = await runOnce(made, { keep: true });

    // Assess
    expect(description.output).toMatchObject({ keep: true, which: "right", caught: { Error: "RangeError" } });
  });

  it("States.ALL catches neither retries nor catches States.Runtime: the execution fails", async () => {
    // Prepare
    const made = await manualEngine(
      {
        StartAt: "Broken",
        States: {
          Broken: task(fnArn("never"), {
            Parameters: { "id.$": "$.notThere" },
            Retry: [{ ErrorEquals: ["States.ALL"] }],
            Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
            End: true,
          }),
          Caught: { Type: "Succeed" },
        },
      },
      { [fnArn("never")]: async () => "unreachable" },
    );

    // Act
    const { description } = await runOnce(made, {});

    // Assess
    expect(description.status).toBe("FAILED");
    expect(description.error).toBe("States.Runtime");
    expect(description.cause).toContain("$.notThere");
  });
});

describe("Choice", () => {
  const definition = {
    StartAt: "Route",
    States: {
      Route: {
        Type: "Choice",
        Choices: [
          {
            // A Variable that is missing is States.Runtime, so optional fields are guarded.
            And: [
              { Variable: "$.done", IsPresent: true },
              { Variable: "$.done", BooleanEquals: true },
            ],
            Next: "Done",
          },
          {
            And: [
              { Variable: "$.count", IsPresent: true },
              { Variable: "$.count", NumericGreaterThanEquals: 10 },
            ],
            Next: "Many",
          },
          {
            Or: [
              { Variable: "$.kind", StringEquals: "reminder" },
              { Variable: "$.kind", StringMatches: "escal*" },
            ],
            Next: "Notify",
          },
          { Not: { Variable: "$.at", TimestampGreaterThan: "2024-01-01T00:00:00Z" }, Next: "Old" },
        ],
        Default: "Other",
      },
      Done: { Type: "Pass", Result: "done", End: true },
      Many: { Type: "Pass", Result: "many", End: true },
      Notify: { Type: "Pass", Result: "notify", End: true },
      Old: { Type: "Pass", Result: "old", End: true },
      Other: { Type: "Pass", Result: "other", End: true },
    },
  };

  it.each([
    [{ done: true }, "done"],
    [{ done: false, count: 12 }, "many"],
    [{ count: 3, kind: "escalation" }, "notify"],
    [{ kind: "x", at: "2023-12-24T18:00:00Z" }, "old"],
    [{ kind: "x", at: "2024-12-24T18:00:00Z" }, "other"],
  ])("routes %j to %s", async (input, expected) => {
    const made = await manualEngine(definition);
    const { arn, description } = await runOnce(made, input);
    expect(description.output).toBe(expected);
    expect(made.path(arn)[0]).toBe("Route");
  });

  it("no rule and no Default is States.NoChoiceMatched", async () => {
    const made = await manualEngine({
      StartAt: "Route",
      States: {
        Route: { Type: "Choice", Choices: [{ Variable: "$.a", NumericEquals: 1, Next: "End" }] },
        End: { Type: "Succeed" },
      },
    });
    const { description } = await runOnce(made, { a: 2 });
    expect(description.error).toBe("States.NoChoiceMatched");
  });
});

describe("Pass, Wait, Succeed, Fail and the paths", () => {
  it("Pass with Result and ResultPath, OutputPath, InputPath; Succeed with OutputPath", async () => {
    // Prepare
    const made = await manualEngine({
      StartAt: "Add",
      States: {
        Add: { Type: "Pass", Result: { n: 1 }, ResultPath: "$.added", Next: "Shape" },
        Shape: {
          Type: "Pass",
          InputPath: "$.added",
          Parameters: { "value.$": "$.n", tag: "x" },
          Next: "Drop",
        },
        Drop: { Type: "Pass", Result: "ignored", ResultPath: null, OutputPath: "$.value", Next: "End" },
        End: { Type: "Succeed", OutputPath: "$" },
      },
    });

    // Act
    const { arn, description } = await runOnce(made, { keep: 1 });

    // Assess
    expect(description.output).toBe(1);
    expect(made.path(arn)).toEqual(["Add", "Shape", "Drop", "End"]);
  });

  it("Wait: Seconds, SecondsPath, Timestamp and TimestampPath on the clock", async () => {
    // Prepare
    const made = await manualEngine({
      StartAt: "Seconds",
      States: {
        Seconds: { Type: "Wait", Seconds: 60, Next: "SecondsPath" },
        SecondsPath: { Type: "Wait", SecondsPath: "$.pause", Next: "Timestamp" },
        Timestamp: { Type: "Wait", Timestamp: "2024-03-01T09:00:00.999Z", Next: "TimestampPath" },
        TimestampPath: { Type: "Wait", TimestampPath: "$.until", OutputPath: "$.pause", End: true },
      },
    });
    const arn = await made.engine.start({ pause: 120, until: "2024-03-02T00:00:00Z" });
    await made.engine.runUntilIdle();
    const stateAt = async (offset: string) => {
      clock.set(instantAfter(T0, offset));
      await made.engine.runUntilIdle();
      return (await made.engine.describe(arn))?.state ?? "finished";
    };

    // Act / Assess
    expect(await stateAt("PT59S")).toBe("Seconds");
    expect(await stateAt("PT60S")).toBe("SecondsPath");
    expect(await stateAt("PT179S")).toBe("SecondsPath");
    expect(await stateAt("PT180S")).toBe("Timestamp");
    // A Timestamp counts whole seconds (AWS truncates the milliseconds).
    expect(await stateAt("PT1H")).toBe("TimestampPath");
    expect(await stateAt("PT15H59M59S")).toBe("TimestampPath");
    expect(await stateAt("PT16H")).toBe("finished");
    expect((await made.engine.describe(arn))?.output).toBe(120);
  });

  it("Fail ends the execution with Error and Cause, or with ErrorPath and CausePath", async () => {
    const made = await manualEngine({
      StartAt: "Pick",
      States: {
        Pick: {
          Type: "Choice",
          Choices: [{ Variable: "$.dynamic", BooleanEquals: true, Next: "FromPath" }],
          Default: "Fixed",
        },
        Fixed: { Type: "Fail", Error: "Fristflow.Bad", Cause: "fixed cause" },
        FromPath: { Type: "Fail", ErrorPath: "$.e", CausePath: "$.c" },
      },
    });
    const fixed = await runOnce(made, { dynamic: false });
    const dynamic = await runOnce(made, { dynamic: true, e: "Custom", c: "from input" });
    expect([fixed.description.error, fixed.description.cause]).toEqual(["Fristflow.Bad", "fixed cause"]);
    expect([dynamic.description.error, dynamic.description.cause]).toEqual(["Custom", "from input"]);
  });
});

describe("context object", () => {
  it("exposes Execution.Id/Name/StartTime/Input, StateMachine.Id, State.Name/EnteredTime and Task.Token", async () => {
    // Prepare
    let parkPayload: Record<string, Json> = {};
    const made = await manualEngine(
      {
        StartAt: "Later",
        States: {
          Later: { Type: "Wait", Seconds: 30, Next: "Read" },
          Read: {
            Type: "Pass",
            Parameters: {
              "id.$": "$$.Execution.Id",
              "name.$": "$$.Execution.Name",
              "start.$": "$$.Execution.StartTime",
              "input.$": "$$.Execution.Input",
              "machine.$": "$$.StateMachine.Id",
              "state.$": "$$.State.Name",
              "entered.$": "$$.State.EnteredTime",
            },
            Next: "Park",
          },
          Park: task(WAIT_FOR_TOKEN, {
            Parameters: { FunctionName: fnArn("park"), Payload: { "token.$": "$$.Task.Token" } },
            ResultPath: null,
            End: true,
          }),
        },
      },
      {
        [fnArn("park")]: async (payload) => {
          parkPayload = payload as Record<string, Json>;
          return {};
        },
      },
    );
    const arn = await made.engine.start({ hello: "world" }, "ctx-test");
    await made.engine.runUntilIdle();

    // Act
    clock.advance("PT30S");
    await made.engine.runUntilIdle();

    // Assess
    const entered = made.events.find((e) => e.type === "StateEntered" && e.state === "Park");
    expect(arn).toBe("arn:aws:states:eu-north-1:123456789012:execution:fristflow-test:ctx-test");
    expect(entered?.type === "StateEntered" && entered.input).toEqual({
      id: arn,
      name: "ctx-test",
      start: "2024-03-01T08:00:00.000Z",
      input: { hello: "world" },
      machine: MACHINE_ARN,
      state: "Read",
      entered: "2024-03-01T08:00:30.000Z",
    });
    expect(parkPayload.token).toMatch(/^fftt1\./);
  });
});

describe("states:startExecution", () => {
  it("starts a new execution of the same machine (continue-as-new), linked by its input", async () => {
    // Prepare
    const made = await manualEngine(
      {
        StartAt: "Bump",
        States: {
          Bump: task(fnArn("bump"), { ResultPath: "$.generation", Next: "Enough" }),
          Enough: {
            Type: "Choice",
            Choices: [{ Variable: "$.generation", NumericGreaterThanEquals: 3, Next: "Done" }],
            Default: "Continue",
          },
          Continue: task("arn:aws:states:::states:startExecution", {
            Parameters: {
              "StateMachineArn.$": "$$.StateMachine.Id",
              Input: {
                "generation.$": "$.generation",
                "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id",
              },
            },
            ResultPath: "$.child",
            Next: "Done",
          }),
          Done: { Type: "Succeed" },
        },
      },
      { [fnArn("bump")]: async (payload) => ((payload as { generation?: number }).generation ?? 0) + 1 },
    );

    // Act
    const { arn } = await runOnce(made, {});
    const all = await made.engine.list();

    // Assess
    expect(all).toHaveLength(3);
    expect(all.every((e) => e.status === "SUCCEEDED")).toBe(true);
    const first = all.find((e) => e.executionArn === arn);
    const child = (first?.output as { child: { ExecutionArn: string; StartDate: string } } | undefined)
      ?.child;
    const second = all.find((e) => e.executionArn === child?.ExecutionArn);
    expect(second?.input).toEqual({ generation: 1, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: arn });
    expect(all.map((e) => (e.output as { generation: number }).generation).sort()).toEqual([1, 2, 3]);
  });
});

describe("executions", () => {
  const tiny = { StartAt: "Park", States: { Park: { Type: "Wait", Seconds: 10, End: true } } };

  it("StartExecution with a name is idempotent for the same input while running, else refused", async () => {
    // Prepare
    const made = await manualEngine(tiny);

    // Act
    const first = await made.engine.start({ a: 1 }, "same");
    const again = await made.engine.start({ a: 1 }, "same");
    await made.engine.starter.start("instance-1");
    await made.engine.starter.start("instance-1");

    // Assess
    expect(again).toBe(first);
    await expect(made.engine.start({ a: 2 }, "same")).rejects.toBeInstanceOf(ExecutionAlreadyExistsError);
    expect(made.engine.runningCount()).toBe(2);
  });

  it("run({ maxSteps }) stops a loop that never waits", async () => {
    // Prepare
    const made = await manualEngine(
      {
        StartAt: "Spin",
        States: {
          Spin: task(fnArn("noop"), { ResultPath: null, Next: "Again" }),
          Again: {
            Type: "Choice",
            Choices: [{ Variable: "$.stop", BooleanEquals: true, Next: "Done" }],
            Default: "Spin",
          },
          Done: { Type: "Succeed" },
        },
      },
      { [fnArn("noop")]: async () => null },
    );
    const arn = await made.engine.start({ stop: false });

    // Act
    const result = await made.engine.run({ maxSteps: 50 });

    // Assess
    expect(result.status).toBe("maxSteps");
    expect(result.transitions).toBeGreaterThanOrEqual(50);
    expect(result.transitions).toBeLessThan(60);
    expect((await made.engine.describe(arn))?.status).toBe("RUNNING");
  });

  it("skip mode: run({ until }) jumps timers up to that instant and leaves the clock there", async () => {
    // Prepare
    const skipping = new SkippingClock(T0);
    const made = await testEngine({
      table,
      mode: "skip",
      clock: skipping,
      definition: {
        StartAt: "Week",
        States: {
          Week: { Type: "Wait", Seconds: 7 * 24 * 3600, Next: "Year" },
          Year: { Type: "Wait", Seconds: 365 * 24 * 3600, End: true },
        },
      },
    });
    engines.push(made.engine);
    const arn = await made.engine.start({});

    // Act
    const partial = await made.engine.run({ until: "2024-04-01T00:00:00Z" });
    const state = (await made.engine.describe(arn))?.state;
    const rest = await made.engine.run();

    // Assess
    expect(partial.status).toBe("until");
    expect(partial.now.toString()).toBe("2024-04-01T00:00:00Z");
    expect(state).toBe("Year");
    expect(rest.status).toBe("finished");
    expect(skipping.now().toString()).toBe("2025-03-08T08:00:00Z");
    expect(skipping.skipped().total("days")).toBeCloseTo(372, 0);
  });

  it("a closed engine refuses new work", async () => {
    const made = await manualEngine(tiny);
    await made.engine.close();
    await expect(made.engine.start({})).rejects.toBeInstanceOf(EngineStoppedError);
  });

  it("real mode runs by itself on setTimeout: a 1 s Wait and a signal in real time", async () => {
    // Prepare
    let token = "";
    const made = await testEngine({
      table,
      mode: "real",
      clock: systemClock,
      definition: {
        StartAt: "Pause",
        States: {
          Pause: { Type: "Wait", Seconds: 1, Next: "Park" },
          Park: task(WAIT_FOR_TOKEN, {
            Parameters: { FunctionName: fnArn("park"), Payload: { "token.$": "$$.Task.Token" } },
            End: true,
          }),
        },
      },
      functions: {
        [fnArn("park")]: async (payload) => {
          token = (payload as { token: string }).token;
          return {};
        },
      },
    });
    engines.push(made.engine);
    const started = Date.now();

    // Act
    const arn = await made.engine.start({});
    await waitUntil(() => token !== "", 5_000);
    await made.engine.sendTaskSuccess(token, "woken");
    const result = await made.engine.run();

    // Assess
    expect(result.status).toBe("finished");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect((await made.engine.describe(arn))?.output).toBe("woken");
  });
});

/** Polls until `check` holds (for handlers that run in the background). */
async function waitUntil(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((done) => setTimeout(done, 5));
  }
}

function instantAfter(start: string, offset: string): string {
  const clockAt = new ManualClock(start);
  clockAt.advance(offset);
  return clockAt.now().toString();
}
