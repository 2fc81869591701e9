/**
 * The Task state's Lambda integrations: lambda:invoke (AWS' result shape, a function ARN as
 * Resource, errors) and lambda:invoke.waitForTaskToken (parking, signals, timeouts).
 * Setup: features-support.ts.
 */
import { describe, expect, it } from "vitest";
import type { Engine, Json } from "../../infra/local/engine/index.ts";
import { featureFixture, INVOKE, runOnce, task, WAIT_FOR_TOKEN, waitUntil } from "./features-support.ts";
import { fnArn } from "./support.ts";

const fixture = featureFixture();
const manualEngine = fixture.manualEngine;

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
    fixture.clock.advance("PT59M59S");
    await made.engine.runUntilIdle();
    const before = await made.engine.describe(arn);
    fixture.clock.advance("PT1S");
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
        await engine?.sendTaskSuccess((payload as { token: string }).token, {
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
