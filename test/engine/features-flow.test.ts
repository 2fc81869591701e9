/**
 * The states without side effects and what they read: Choice, Pass, Wait, Succeed, Fail, the
 * input and output paths, and the context object.
 * Setup: features-support.ts.
 */
import { describe, expect, it } from "vitest";
import type { Json } from "../../infra/local/engine/index.ts";
import { featureFixture, instantAfter, runOnce, T0, task, WAIT_FOR_TOKEN } from "./features-support.ts";
import { fnArn, MACHINE_ARN } from "./support.ts";

const fixture = featureFixture();
const manualEngine = fixture.manualEngine;

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
      fixture.clock.set(instantAfter(T0, offset));
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
    fixture.clock.advance("PT30S");
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
