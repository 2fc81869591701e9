/**
 * The Step Functions adapters at the SDK boundary: a real SFNClient serialises each request; only
 * the HTTP exchange is canned, so the test sees exactly what would go to AWS.
 */
import { SFNClient } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { SfnLoopStarter, SfnSignaller } from "../../shared/app/sfn.ts";
import { DECIDE_AT_ONCE } from "../../shared/loop/contract.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { failure } from "./fixtures.ts";

interface Canned {
  status: number;
  body: object;
}

interface Seen {
  target: string;
  body: Record<string, unknown>;
}

function sfnClient(responses: Canned[]) {
  const seen: Seen[] = [];
  const client = new SFNClient({
    region: "eu-north-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
        const raw = request.body;
        seen.push({
          target: request.headers["x-amz-target"] ?? "",
          body: JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw as Uint8Array)),
        });
        const next = responses.shift();
        if (next === undefined) throw new Error("no canned response left");
        return {
          response: {
            statusCode: next.status,
            headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "req-1" },
            body: Buffer.from(JSON.stringify(next.body)),
          },
        };
      },
    },
  });
  return { client, seen };
}

const error = (type: string): Canned => ({
  status: 400,
  body: { __type: `com.amazonaws.states#${type}`, message: `${type} happened` },
});

describe("SfnSignaller", () => {
  it("wakes with SendTaskFailure of Fristflow.Wake (the Sleep state catches it) and finishes with SendTaskSuccess", async () => {
    // Prepare
    const { client, seen } = sfnClient([
      { status: 200, body: {} },
      { status: 200, body: {} },
    ]);
    // Act
    await new SfnSignaller(client).wake("token-1", { reason: "confirmed" });
    await new SfnSignaller(client).finish("token-2", "every milestone is complete");
    // Assess
    expect(seen).toEqual([
      {
        target: "AWSStepFunctions.SendTaskFailure",
        body: { taskToken: "token-1", error: "Fristflow.Wake", cause: "confirmed" },
      },
      {
        target: "AWSStepFunctions.SendTaskSuccess",
        body: { taskToken: "token-2", output: JSON.stringify({ reason: "every milestone is complete" }) },
      },
    ]);
  });

  it.each(["TaskDoesNotExist", "TaskTimedOut", "InvalidToken"])(
    "resolves quietly on %s: the execution has moved on",
    async (type) => {
      // Prepare
      const { client } = sfnClient([error(type)]);
      // Act
      const waking = new SfnSignaller(client).wake("token-1", { reason: "confirmed" });
      // Assess
      await expect(waking).resolves.toBeUndefined();
    },
  );

  it("passes other failures on, e.g. throttling", async () => {
    // Prepare
    const { client } = sfnClient([error("ThrottlingException")]);
    // Act
    const err = await failure(new SfnSignaller(client).wake("token-1", { reason: "confirmed" }));
    // Assess
    expect(err.name).toBe("ThrottlingException");
  });
});

describe("SfnLoopStarter", () => {
  const arn = "arn:aws:states:eu-north-1:123456789012:stateMachine:fristflow-loop";

  it("starts the state machine with the instance id as input and a unique, valid name", async () => {
    // Prepare
    const { client, seen } = sfnClient([
      { status: 200, body: { executionArn: `${arn}:x`, startDate: 1730098800 } },
      { status: 200, body: { executionArn: `${arn}:y`, startDate: 1730098800 } },
    ]);
    const starter = new SfnLoopStarter(client, arn, new ManualClock("2024-10-28T07:00:00Z"));
    // Act
    await starter.start("ishoj/strategi 2023");
    await starter.start("ishoj/strategi 2023");
    // Assess
    expect(seen.map((s) => s.target)).toEqual([
      "AWSStepFunctions.StartExecution",
      "AWSStepFunctions.StartExecution",
    ]);
    const [first, second] = seen.map((s) => s.body);
    expect(first).toMatchObject({
      stateMachineArn: arn,
      input: JSON.stringify({ instanceId: "ishoj/strategi 2023", step: DECIDE_AT_ONCE }),
    });
    const names = [first?.name, second?.name] as string[];
    for (const name of names) {
      expect(name).toMatch(/^ishoj_strategi_2023-[0-9a-z]+-[0-9a-z]+-[0-9a-f]{6}$/);
      expect(name.length).toBeLessThanOrEqual(80);
    }
    expect(names[0]).not.toBe(names[1]);
  });

  it("runs the first step before the start, told the execution's ARN, and starts the execution asleep", async () => {
    // Prepare
    const { client, seen } = sfnClient([
      { status: 200, body: { executionArn: `${arn}:x`, startDate: 1730098800 } },
    ]);
    const starter = new SfnLoopStarter(client, arn, new ManualClock("2024-10-28T07:00:00Z"));
    const told: { id: string; startedAt: string }[] = [];
    const sleep = { rev: 0, done: false, continueAsNew: false, waitSeconds: 86_400, loops: 1 };
    // Act
    await starter.start("sag-1", async (execution) => {
      told.push(execution);
      return sleep;
    });
    // Assess
    const body = seen[0]?.body as { name: string; input: string };
    expect(told).toEqual([
      {
        id: `${arn.replace(":stateMachine:", ":execution:")}:${body.name}`,
        startedAt: "2024-10-28T07:00:00Z",
      },
    ]);
    expect(JSON.parse(body.input)).toEqual({ instanceId: "sag-1", step: sleep });
  });

  it("keeps a long instance id's name within 80 characters", () => {
    const { client } = sfnClient([]);
    const name = new SfnLoopStarter(client, arn).executionName("x".repeat(200));
    expect(name.length).toBeLessThanOrEqual(80);
  });

  it("treats ExecutionAlreadyExists as started", async () => {
    // Prepare
    const { client } = sfnClient([error("ExecutionAlreadyExists")]);
    // Act
    const starting = new SfnLoopStarter(client, arn).start("inst-1");
    // Assess
    await expect(starting).resolves.toBeUndefined();
  });
});
