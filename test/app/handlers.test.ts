/**
 * The Lambda handlers as the local engine calls them: in-process, with local deps and a partial
 * context. Checks the parts every handler shares: event parsing, the contract of the output, and
 * the one place errors become Step Functions' retryable `Fristflow.Transient` (and a busy batch
 * keeps its own name).
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createParkHandler } from "../../functions/park.ts";
import { createRecordFailureHandler } from "../../functions/record-failure.ts";
import { handler as awsStepHandler, createStepHandler } from "../../functions/step.ts";
import { runDecide } from "../../shared/app/decide-step.ts";
import { BUSY_ERROR_NAME, NOTIFY_CLAIM_LEASE_SECONDS, TRANSIENT_ERROR_NAME } from "../../shared/loop/asl.ts";
import { StepOutputSchema } from "../../shared/loop/contract.ts";
import type { MailTransport } from "../../shared/mail/transport.ts";
import { createStoreDocumentClient, dynamoStores, type Stores } from "../../shared/store/index.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import {
  createOutbox,
  execution,
  failure,
  fixedLinkKey,
  notifyDeps,
  P3D_AT,
  recordingSignaller,
  seedInstance,
} from "./fixtures.ts";

const clock = new ManualClock(P3D_AT);
const logger = new Logger({ serviceName: "fristflow-test", logLevel: "SILENT" });
/** What the local engine passes: no Lambda runtime behind it. */
const inProcess = {} as Context;
let table: MemoryTestTable;

beforeAll(async () => {
  table = await createMemoryTable({ clock });
});
afterAll(async () => {
  await table.drop();
});
beforeEach(() => {
  clock.set(P3D_AT);
});

/** A store whose every DynamoDB call is throttled, through a real client and its error parsing. */
function throttledStores(): Stores {
  const client = new DynamoDBClient({
    region: "eu-north-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({
        response: {
          statusCode: 400,
          headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "req-1" },
          body: Buffer.from(
            JSON.stringify({
              __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
              message: "The level of configured provisioned throughput for the table was exceeded.",
            }),
          ),
        },
      }),
    },
  });
  return dynamoStores(createStoreDocumentClient(client), "throttled", clock);
}

/** For the handler tests that must never get as far as sending. */
function failingTransport(): MailTransport {
  return {
    name: "unused",
    send: async () => {
      throw new Error("nothing should be sent here");
    },
  };
}

describe("step handler", () => {
  it("parses the event, decides and sends, and returns output that meets the contract", async () => {
    // Prepare
    const outbox = await createOutbox(clock);
    const seeded = await seedInstance(table.stores);
    const handler = createStepHandler({
      ...notifyDeps(table.stores, clock, outbox.transport, fixedLinkKey()),
      logger,
    });
    // Act
    const out = await handler({ instanceId: seeded.instanceId, execution: execution() }, inProcess);
    // Assess
    expect(StepOutputSchema.safeParse(out).success).toBe(true);
    expect(out).toMatchObject({
      instanceId: seeded.instanceId,
      sent: 1,
      done: false,
      execution: { loops: 1 },
    });
    expect(await outbox.mails()).toHaveLength(1);
    await outbox.remove();
  });

  it("waits from the end of the batch: a slow send does not push the next wake-up back", async () => {
    // Prepare: a transport that takes 90 s (SES backing off, say)
    const outbox = await createOutbox(clock);
    const slow: MailTransport = {
      name: "slow",
      send: async (mail) => {
        clock.advance("PT90S");
        return outbox.transport.send(mail);
      },
    };
    const seeded = await seedInstance(table.stores);
    const handler = createStepHandler({ ...notifyDeps(table.stores, clock, slow, fixedLinkKey()), logger });
    // Act
    const out = await handler({ instanceId: seeded.instanceId, execution: execution() }, inProcess);
    // Assess: the P0D reminder is 3 days after the P3D one
    expect(out.waitSeconds).toBe(3 * 24 * 3600 - 90);
    await outbox.remove();
  });

  it("rejects an invalid event as permanent, naming each bad field", async () => {
    // Prepare
    const handler = createStepHandler({
      ...notifyDeps(table.stores, clock, failingTransport(), fixedLinkKey()),
      logger,
    });
    // Act
    const err = await failure(handler({ instanceId: 42 }, inProcess));
    // Assess
    expect(err.name).toBe("Fristflow.InvalidEvent");
    expect(err.message).toMatch(/^step: invalid event: /);
    expect(err.message).toContain("instanceId: Invalid input: expected string, received number");
    expect(err.message).toContain("execution: Invalid input: expected object, received undefined");
  });

  it("turns DynamoDB throttling into Fristflow.Transient, which Step Functions retries", async () => {
    // Prepare
    const handler = createStepHandler({
      ...notifyDeps(throttledStores(), clock, failingTransport(), fixedLinkKey()),
      logger,
    });
    // Act
    const err = await failure(handler({ instanceId: "inst-1", execution: execution() }, inProcess));
    // Assess
    expect(err.name).toBe(TRANSIENT_ERROR_NAME);
    expect(err.message).toContain("ProvisionedThroughputExceededException");
  });

  it("keeps a busy batch's own name, so Step Functions waits out the other worker's lease", async () => {
    // Prepare: a worker claimed the reminder and died before sending it
    const seeded = await seedInstance(table.stores);
    const deps = { ...notifyDeps(table.stores, clock, failingTransport(), fixedLinkKey()), logger };
    const { decision } = await runDecide(deps, { instanceId: seeded.instanceId, execution: execution() });
    const key = decision.notifications[0]?.key ?? "";
    await table.stores.notifications.claim(seeded.instanceId, key, "dead-worker", NOTIFY_CLAIM_LEASE_SECONDS);
    // Act
    const err = await failure(
      createStepHandler(deps)({ instanceId: seeded.instanceId, execution: execution() }, inProcess),
    );
    // Assess
    expect(err.name).toBe(BUSY_ERROR_NAME);
  });

  it("passes a permanent error on as it is: an unknown instance", async () => {
    // Prepare
    const handler = createStepHandler({
      ...notifyDeps(table.stores, clock, failingTransport(), fixedLinkKey()),
      logger,
    });
    // Act
    const err = await failure(handler({ instanceId: "inst-nobody", execution: execution() }, inProcess));
    // Assess
    expect(err.name).toBe("NotFoundError");
  });

  it("builds its AWS deps on first use and names a missing variable", async () => {
    // Act
    const err = await failure(awsStepHandler({ instanceId: "inst-1", execution: execution() }, inProcess));
    // Assess
    expect(err.name).toBe("ConfigError");
    expect(err.message).toContain("FRISTFLOW_TABLE is not set");
  });
});

describe("park and record-failure handlers", () => {
  it("park rejects a missing task token", async () => {
    // Prepare
    const handler = createParkHandler({ ...table.stores, signaller: recordingSignaller(), logger });
    // Act
    const err = await failure(handler({ instanceId: "inst-1", rev: 0 }, inProcess));
    // Assess
    expect(err.name).toBe("Fristflow.InvalidEvent");
    expect(err.message).toContain("taskToken");
  });

  it("park works with a real Lambda-shaped context too", async () => {
    // Prepare
    const seeded = await seedInstance(table.stores);
    const handler = createParkHandler({ ...table.stores, signaller: recordingSignaller(), logger });
    const context = {
      functionName: "fristflow-park",
      awsRequestId: "req-1",
      getRemainingTimeInMillis: () => 30_000,
    } as unknown as Context;
    // Act
    const out = await handler(
      {
        instanceId: seeded.instanceId,
        rev: 0,
        done: false,
        continueAsNew: false,
        execution: { ...execution(), loops: 1 },
        taskToken: "t",
      },
      context,
    );
    // Assess
    expect(out).toEqual({ status: "parked" });
  });

  it("record-failure answers the Backoff state's fields", async () => {
    // Prepare
    const seeded = await seedInstance(table.stores);
    const handler = createRecordFailureHandler({ ...table.stores, clock, logger });
    // Act
    const out = await handler(
      { instanceId: seeded.instanceId, error: { Error: "States.TaskFailed", Cause: "boom" } },
      inProcess,
    );
    // Assess
    expect(out).toEqual({ giveUp: false, retryInSeconds: 60 });
  });
});
