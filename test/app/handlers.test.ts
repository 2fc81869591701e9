/**
 * The Lambda handlers as the local engine calls them: in-process, with local deps and a partial
 * context. Checks the parts every handler shares: event parsing, the contract of the output, and
 * the one place errors become Step Functions' retryable `Fristflow.Transient`.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handler as awsDecideHandler, createDecideHandler } from "../../functions/decide.ts";
import { createNotifyHandler } from "../../functions/notify.ts";
import { createParkHandler } from "../../functions/park.ts";
import { createRecordFailureHandler } from "../../functions/record-failure.ts";
import { TRANSIENT_ERROR_NAME } from "../../shared/loop/asl.ts";
import { DecideOutputSchema } from "../../shared/loop/contract.ts";
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

describe("decide handler", () => {
  it("parses the event, runs Decide and returns output that meets the contract", async () => {
    // Prepare
    const seeded = await seedInstance(table.stores);
    const handler = createDecideHandler({ ...table.stores, clock, logger });
    // Act
    const out = await handler({ instanceId: seeded.instanceId, execution: execution() }, inProcess);
    // Assess
    expect(DecideOutputSchema.safeParse(out).success).toBe(true);
    expect(out).toMatchObject({ instanceId: seeded.instanceId, notify: true });
  });

  it("rejects an invalid event as permanent, naming each bad field", async () => {
    // Prepare
    const handler = createDecideHandler({ ...table.stores, clock, logger });
    // Act
    const err = await failure(handler({ instanceId: 42 }, inProcess));
    // Assess
    expect(err.name).toBe("Fristflow.InvalidEvent");
    expect(err.message).toMatch(/^decide: invalid event: /);
    expect(err.message).toContain("instanceId: Invalid input: expected string, received number");
    expect(err.message).toContain("execution: Invalid input: expected object, received undefined");
  });

  it("turns DynamoDB throttling into Fristflow.Transient, which Step Functions retries", async () => {
    // Prepare
    const handler = createDecideHandler({ ...throttledStores(), clock, logger });
    // Act
    const err = await failure(handler({ instanceId: "inst-1", execution: execution() }, inProcess));
    // Assess
    expect(err.name).toBe(TRANSIENT_ERROR_NAME);
    expect(err.message).toContain("ProvisionedThroughputExceededException");
  });

  it("passes a permanent error on as it is: an unknown instance", async () => {
    // Prepare
    const handler = createDecideHandler({ ...table.stores, clock, logger });
    // Act
    const err = await failure(handler({ instanceId: "inst-nobody", execution: execution() }, inProcess));
    // Assess
    expect(err.name).toBe("NotFoundError");
  });

  it("builds its AWS deps on first use and names a missing variable", async () => {
    // Act
    const err = await failure(awsDecideHandler({ instanceId: "inst-1", execution: execution() }, inProcess));
    // Assess
    expect(err.name).toBe("ConfigError");
    expect(err.message).toContain("FRISTFLOW_TABLE is not set");
  });
});

describe("notify, park and record-failure handlers", () => {
  it("notify rejects a notification with an unknown kind, saying where", async () => {
    // Prepare
    const outbox = await createOutbox(clock);
    const handler = createNotifyHandler({
      ...notifyDeps(table.stores, clock, outbox.transport, fixedLinkKey()),
      logger,
    });
    // Act
    const err = await failure(
      handler({ instanceId: "inst-1", notifications: [{ key: "k", kind: "postcard" }] }, inProcess),
    );
    await outbox.remove();
    // Assess
    expect(err.name).toBe("Fristflow.InvalidEvent");
    expect(err.message).toContain("notifications.0.kind");
  });

  it("notify sends through the handler and reports what it did", async () => {
    // Prepare
    const outbox = await createOutbox(clock);
    const seeded = await seedInstance(table.stores);
    const decision = await createDecideHandler({ ...table.stores, clock, logger })(
      { instanceId: seeded.instanceId, execution: execution() },
      inProcess,
    );
    const handler = createNotifyHandler({
      ...notifyDeps(table.stores, clock, outbox.transport, fixedLinkKey()),
      logger,
    });
    // Act: the batch ends 90 s after decide ran (a slow SES, say)
    clock.advance("PT90S");
    const report = await handler(
      {
        instanceId: seeded.instanceId,
        notifications: decision.notifications,
        nextWakeAt: decision.nextWakeAt,
        rev: decision.rev,
      },
      inProcess,
    );
    // Assess: the Sleep after the batch still ends at decide's nextWakeAt
    expect(report).toEqual({ sent: 1, skipped: 0, waitSeconds: decision.waitSeconds - 90 });
    expect(await outbox.mails()).toHaveLength(1);
    await outbox.remove();
  });

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
    const out = await handler({ instanceId: seeded.instanceId, rev: 0, taskToken: "t" }, context);
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
