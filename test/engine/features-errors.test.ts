/**
 * Retry (backoff on the clock, MaxDelaySeconds, FULL jitter) and Catch (first match wins,
 * States.Runtime is never caught).
 * Setup: features-support.ts.
 */
import { describe, expect, it } from "vitest";
import { featureFixture, runOnce, task } from "./features-support.ts";
import { fnArn, TransientError } from "./support.ts";

const fixture = featureFixture();
const manualEngine = fixture.manualEngine;

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
          calls.push(fixture.clock.now().toString());
          if (calls.length <= 3) throw new TransientError("busy");
          return "ok";
        },
      },
    );
    const { arn } = await runOnce(made, {});

    // Act: step the clock one second at a time and run what is due.
    for (let s = 0; s < 20; s++) {
      fixture.clock.advance("PT1S");
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
    const start = fixture.clock.now();
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
          calls.push(fixture.clock.now().since(start).total("milliseconds"));
          throw new Error("always");
        },
      },
      () => 0.25,
    );
    const { arn } = await runOnce(made, {});

    // Act
    for (let s = 0; s < 40; s++) {
      fixture.clock.advance("PT0.5S");
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
