/**
 * Issue 15, finding 13: park and recordFailure get only NARROW_GRANTS (infra/cdk/constructs/
 * table.ts), not the whole table. This runs the real use cases on DynamoDB Local through every
 * path they have, records each request the store makes (expanding transactions into the item
 * actions IAM authorizes them as) and checks it against those grants: an action the grant lacks,
 * a partition outside its leading keys, or any index would fail here before it failed in AWS.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { HandlerExecutionContext, InitializeHandler, InitializeHandlerArguments } from "@smithy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NARROW_GRANTS } from "../../infra/cdk/constructs/table.ts";
import { runDecide } from "../../shared/app/decide-step.ts";
import { runPark } from "../../shared/app/park.ts";
import { MAX_FAILURES_IN_A_ROW, runRecordFailure } from "../../shared/app/record-failure.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createTestTable, type TestTable } from "../support/dynamodb.ts";
import { execution, P3D_AT, recordingSignaller, seedInstance, sleepInput } from "./fixtures.ts";

interface Request {
  action: string;
  partition: string;
  index: string | null;
}

/** Every request the document client sends, as IAM sees it. */
function recordRequests(doc: DynamoDBDocumentClient): { requests: Request[]; detach(): void } {
  const requests: Request[] = [];
  const name = "recordIamRequests";
  // Document-level inputs carry plain values; a command the document client passes through as
  // the low-level one (TransactWriteItems) carries marshalled ones ({ S: "INST#…" }).
  const plain = (value: unknown) =>
    typeof value === "object" && value !== null && "S" in value ? (value as { S: unknown }).S : value;
  const pkOf = (item: unknown) => String(plain((item as { pk?: unknown } | undefined)?.pk) ?? "?");
  doc.middlewareStack.add(
    <Input extends object, Output extends object>(
      next: InitializeHandler<Input, Output>,
      context: HandlerExecutionContext,
    ) =>
      async (args: InitializeHandlerArguments<Input>) => {
        const input = args.input as Record<string, unknown>;
        const command = (context.commandName ?? "")
          .replace(/Command$/, "")
          .replace(/^TransactWriteItems$/, "TransactWrite");
        const index = typeof input.IndexName === "string" ? input.IndexName : null;
        if (command === "TransactWrite") {
          for (const item of input.TransactItems as Record<string, Record<string, unknown>>[]) {
            if (item.Put)
              requests.push({ action: "dynamodb:PutItem", partition: pkOf(item.Put.Item), index: null });
            if (item.Update)
              requests.push({ action: "dynamodb:UpdateItem", partition: pkOf(item.Update.Key), index: null });
            if (item.Delete)
              requests.push({ action: "dynamodb:DeleteItem", partition: pkOf(item.Delete.Key), index: null });
            if (item.ConditionCheck) {
              requests.push({
                action: "dynamodb:ConditionCheckItem",
                partition: pkOf(item.ConditionCheck.Key),
                index: null,
              });
            }
          }
        } else if (command === "Query") {
          const values = input.ExpressionAttributeValues as Record<string, unknown>;
          const placeholder = /\bpk = (:\w+)/.exec(String(input.KeyConditionExpression))?.[1] ?? "";
          requests.push({
            action: "dynamodb:Query",
            partition: String(plain(values[placeholder]) ?? "?"),
            index,
          });
        } else {
          const api =
            { Get: "GetItem", Put: "PutItem", Update: "UpdateItem", Delete: "DeleteItem" }[command] ??
            command;
          requests.push({ action: `dynamodb:${api}`, partition: pkOf(input.Key ?? input.Item), index });
        }
        return next(args);
      },
    { step: "initialize", name },
  );
  return { requests, detach: () => doc.middlewareStack.remove(name) };
}

/** The requests the grant does not allow (empty when it covers them all). */
function outside(
  requests: Request[],
  grant: { actions: readonly string[]; leadingKeys: readonly string[] },
): Request[] {
  const prefixes = grant.leadingKeys.map((k) => k.replace(/\*$/, ""));
  return requests.filter(
    (r) =>
      r.index !== null ||
      !grant.actions.includes(r.action) ||
      !prefixes.some((p) => r.partition.startsWith(p)),
  );
}

const clock = new ManualClock(P3D_AT);
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable({ clock });
});
afterAll(async () => {
  await table.drop();
});

describe("the loop's narrow grants cover what the handlers do", () => {
  it("park: parked, woken because a confirmation raced it, and leaving the loop", async () => {
    // Prepare
    const seeded = await seedInstance(table.stores);
    const deps = { ...table.stores, clock };
    const first = await runDecide(deps, { instanceId: seeded.instanceId, execution: execution() });
    const signaller = recordingSignaller();
    const seen: Request[] = [];
    const recorded = async <T>(run: () => Promise<T>): Promise<T> => {
      const recorder = recordRequests(table.doc);
      try {
        return await run();
      } finally {
        recorder.detach();
        seen.push(...recorder.requests);
      }
    };
    // Act
    const parked = await recorded(() => runPark({ ...table.stores, signaller }, sleepInput(first, "t-1")));
    // A leader confirms (the http handler's work, not park's) while the next step runs.
    await table.stores.tokens.take(seeded.instanceId);
    await table.stores.instances.recordConfirmation({
      instanceId: seeded.instanceId,
      occurrenceKey: seeded.occurrenceKey,
      at: P3D_AT,
      by: "unitLeader:x",
    });
    const woken = await recorded(() => runPark({ ...table.stores, signaller }, sleepInput(first, "t-2")));
    const left = await recorded(() =>
      runPark({ ...table.stores, signaller }, sleepInput(first, "t-3", { done: true })),
    );
    // Assess
    expect([parked.status, woken.status, left.status]).toEqual(["parked", "woken", "left"]);
    expect(seen.length).toBeGreaterThan(0);
    expect(outside(seen, NARROW_GRANTS.park)).toEqual([]);
  });

  it("recordFailure: a failure with backoff, then giving up and marking the instance failed", async () => {
    // Prepare
    const seeded = await seedInstance(table.stores);
    const recorder = recordRequests(table.doc);
    // Act
    const results = [];
    for (let i = 0; i < MAX_FAILURES_IN_A_ROW; i++) {
      results.push(
        await runRecordFailure(
          { ...table.stores, clock },
          { instanceId: seeded.instanceId, error: { Error: "TypeError", Cause: "boom" } },
        ),
      );
      clock.advance(`PT${results.at(-1)?.retryInSeconds ?? 1}S`);
    }
    const unknown = await runRecordFailure(
      { ...table.stores, clock },
      { instanceId: "no-such-instance", error: { Error: "TypeError" } },
    );
    recorder.detach();
    // Assess
    expect(results.at(0)?.giveUp).toBe(false);
    expect(results.at(-1)?.giveUp).toBe(true);
    expect(unknown.giveUp).toBe(true);
    expect((await table.stores.instances.get(seeded.instanceId))?.status).toBe("failed");
    expect([...new Set(recorder.requests.map((r) => r.action))].sort()).toEqual([
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]);
    expect(outside(recorder.requests, NARROW_GRANTS.recordFailure)).toEqual([]);
  });

  it("would catch a grant that is too narrow: park's grant does not cover recordFailure", async () => {
    // Prepare
    const seeded = await seedInstance(table.stores);
    const recorder = recordRequests(table.doc);
    // Act
    await runRecordFailure(
      { ...table.stores, clock },
      { instanceId: seeded.instanceId, error: { Error: "TypeError" } },
    );
    recorder.detach();
    // Assess: the audit partition and PutItem/Query are outside park's grant.
    const refused = outside(recorder.requests, NARROW_GRANTS.park);
    expect(refused.some((r) => r.partition.startsWith("AUDIT#"))).toBe(true);
    expect(refused.some((r) => r.action === "dynamodb:Query")).toBe(true);
  });
});
