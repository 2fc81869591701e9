/**
 * Executions as a whole: states:startExecution (continue-as-new), named starts, run() with
 * maxSteps and until, skip and real mode, and a closed engine.
 * Setup: features-support.ts.
 */
import { describe, expect, it } from "vitest";
import {
  EngineStoppedError,
  ExecutionAlreadyExistsError,
  SkippingClock,
} from "../../infra/local/engine/index.ts";
import { systemClock } from "../../shared/time/clock.ts";
import { featureFixture, runOnce, T0, task, WAIT_FOR_TOKEN, waitUntil } from "./features-support.ts";
import { fnArn, testEngine } from "./support.ts";

const fixture = featureFixture();
const manualEngine = fixture.manualEngine;

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
      table: fixture.table,
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
    fixture.track(made.engine);
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
      table: fixture.table,
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
    fixture.track(made.engine);
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
