/**
 * DynamoDB throttling while the real instance loop runs, thrown by middleware inside the store's
 * real client: absorbed by the SDK's retries, or past them, so Step Functions retries the Lambda.
 * Either way every notification decide()'s simulation expects goes out once, as one mail.
 */
import {
  type DynamoDBClient,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { TRANSIENT_ERROR_NAME } from "../../shared/loop/asl.ts";
import {
  BUSY_START,
  BUSY_UNTIL,
  busyWorkflow,
  type DynamoFault,
  expectedKeys,
  FORVALTNING,
  outboxCounts,
  SCHOOLS,
  sentKeys,
  worldsClosedAfterEach,
} from "./faults-support.ts";
import { isWakeUp, SDK_ATTEMPTS } from "./loop-world.ts";

const world = worldsClosedAfterEach();

/**
 * Middleware in the store's real DynamoDB client, below the SDK's retry (so each attempt passes
 * through it): the requests `victim` picks fail with a throttling exception for their first
 * `victim` attempts. Fewer than the SDK's SDK_ATTEMPTS are absorbed by the SDK's retries; as many
 * reach fristflow's code.
 */
function throttle(victim: (command: string, n: number) => number, faults: DynamoFault[]) {
  return (client: DynamoDBClient) => {
    const attemptsSeen = new WeakMap<object, number>();
    let requests = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String(context.commandName ?? "");
        let attempt = attemptsSeen.get(context);
        if (attempt === undefined) requests++;
        attempt = (attempt ?? 0) + 1;
        attemptsSeen.set(context, attempt);
        const failFor = victim(command, requests);
        if (attempt <= failFor) {
          const Type = attempt % 2 === 1 ? ProvisionedThroughputExceededException : ThrottlingException;
          faults.push({ command, attempt, error: Type.name });
          throw new Type({
            message: "Rate of requests exceeds the allowed throughput (injected)",
            $metadata: { httpStatusCode: 400, attempts: attempt },
          });
        }
        return next(args);
      },
      { step: "finalizeRequest", priority: "low", name: "injectThrottling" },
    );
  };
}

describe("DynamoDB faults, through the loop", () => {
  it("throttling absorbed by the SDK's retries changes nothing: the sends equal decide()'s simulation", async () => {
    // Prepare: every 7th request is throttled for 1 to 3 attempts (the SDK makes 4).
    const faults: DynamoFault[] = [];
    const w = await world({
      start: BUSY_START,
      dynamo: throttle((_, n) => (n % 7 === 0 ? 1 + ((n / 7) % (SDK_ATTEMPTS - 1)) : 0), faults),
    });
    const definition = busyWorkflow("ddb-throttled-sdk");
    const instanceId = await w.startInstance(definition, { units: [FORVALTNING, ...SCHOOLS] });

    // Act
    await w.engine.run({ until: BUSY_UNTIL });

    // Assess
    const expected = expectedKeys(definition, instanceId, [FORVALTNING, ...SCHOOLS]);
    expect(expected.length).toBeGreaterThan(20);
    expect(await sentKeys(w.reader, instanceId)).toEqual(expected);
    const counts = await outboxCounts(w);
    expect(counts.size).toBe(expected.length);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(faults.length).toBeGreaterThan(20);
    expect(faults.some((f) => f.attempt === SDK_ATTEMPTS - 1)).toBe(true);
    expect(
      w.events.filter((e) => e.type === "StateRetried" || (e.type === "StateCaught" && !isWakeUp(e.error))),
    ).toEqual([]);
  }, 120_000);

  it("throttling past the SDK's retries: Step Functions retries the Lambda, nothing lost, nothing sent twice", async () => {
    // Prepare: one request in six fails every attempt the SDK makes.
    const faults: DynamoFault[] = [];
    const w = await world({
      start: BUSY_START,
      dynamo: throttle((_, n) => (n % 6 === 0 ? SDK_ATTEMPTS : 0), faults),
    });
    const definition = busyWorkflow("ddb-throttled-loop");
    const instanceId = await w.startInstance(definition, { units: [FORVALTNING, ...SCHOOLS] });

    // Act
    await w.engine.run({ until: BUSY_UNTIL });

    // Assess: faults reached the Lambdas and the state machine retried them with backoff.
    const retried = w.events.flatMap((e) => (e.type === "StateRetried" ? [[e.state, e.error]] : []));
    expect(retried.length).toBeGreaterThan(3);
    expect(retried.every(([, error]) => error === TRANSIENT_ERROR_NAME)).toBe(true);
    expect(faults.filter((f) => f.attempt === SDK_ATTEMPTS).length).toBeGreaterThan(5);
    // Nothing lost, nothing twice: every key decide() says is due went out once, as one mail.
    const expected = expectedKeys(definition, instanceId, [FORVALTNING, ...SCHOOLS]);
    expect(await sentKeys(w.reader, instanceId)).toEqual(expected);
    const counts = await outboxCounts(w);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(counts.size).toBe(expected.length);
    const trail = await w.reader.audit.list(instanceId);
    const sentEntries = trail.filter((e) => e.action === "notification.sent");
    expect(sentEntries.map((e) => String(e.details?.notificationKey)).sort()).toEqual(expected);
  }, 180_000);
});
