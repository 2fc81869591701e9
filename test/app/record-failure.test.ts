import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BACKOFF_SECONDS,
  MAX_FAILURES_IN_A_ROW,
  runRecordFailure,
  summariseCause,
} from "../../shared/app/record-failure.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import { LEADER, P3D_AT, seedInstance } from "./fixtures.ts";

const clock = new ManualClock(P3D_AT);
let table: MemoryTestTable;

beforeAll(async () => {
  table = await createMemoryTable({ clock });
});
afterAll(async () => {
  await table.drop();
});

const lambdaError = {
  Error: "MailSendError",
  Cause: JSON.stringify({
    errorType: "MailSendError",
    errorMessage: `mail via ses to ${LEADER.email}: permanent failure: MessageRejected: not verified (CPR 010203-1234)`,
    trace: ["MailSendError: …", "    at sendWithRetry (/var/task/index.mjs:1:1)"],
    stackTrace: ["    at sendWithRetry (/var/task/index.mjs:1:1)"],
  }),
};

describe("runRecordFailure", () => {
  it("backs off 60 s, 5 min, 30 min, 2 h … and gives up on the 8th failure in a row, marking the instance failed", async () => {
    // Prepare
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    const deps = { ...table.stores, clock };
    const results = [];
    // Act: each failure comes right after the wait the previous one was given
    for (let i = 0; i < MAX_FAILURES_IN_A_ROW; i++) {
      const result = await runRecordFailure(deps, { instanceId: seeded.instanceId, error: lambdaError });
      results.push(result);
      clock.advance(`PT${result.retryInSeconds + 30}S`);
    }
    // Assess
    expect(results.map((r) => r.retryInSeconds).slice(0, -1)).toEqual([...BACKOFF_SECONDS]);
    expect(results.map((r) => r.giveUp)).toEqual([false, false, false, false, false, false, false, true]);
    expect((await table.stores.instances.get(seeded.instanceId))?.status).toBe("failed");
    const trail = await table.stores.audit.list(seeded.instanceId);
    expect(trail.filter((e) => e.action === "loop.failed")).toHaveLength(MAX_FAILURES_IN_A_ROW);
    expect(trail.at(-1)?.action).toBe("instance.failed");
  });

  it("audits the error name and a trimmed cause: no stack, no address, no CPR-shaped number", async () => {
    // Prepare
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    // Act
    await runRecordFailure({ ...table.stores, clock }, { instanceId: seeded.instanceId, error: lambdaError });
    // Assess
    const entry = (await table.stores.audit.list(seeded.instanceId)).find((e) => e.action === "loop.failed");
    expect(entry?.details).toMatchObject({
      error: "MailSendError",
      cause:
        "MailSendError: mail via ses to <address>: permanent failure: MessageRejected: not verified (CPR <number>)",
      failuresInARow: 1,
      retryInSeconds: 60,
      giveUp: false,
    });
    const text = JSON.stringify(entry);
    expect(text).not.toContain(LEADER.email);
    expect(text).not.toContain("sendWithRetry");
  });

  it("starts a new streak when a mail went out since the last failure", async () => {
    // Prepare: one failure, then the loop works and sends a reminder
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    const deps = { ...table.stores, clock };
    await runRecordFailure(deps, { instanceId: seeded.instanceId, error: lambdaError });
    clock.advance("PT90S");
    await table.stores.audit.append(seeded.instanceId, { action: "notification.sent", by: "system" });
    clock.advance("PT30S");
    // Act
    const result = await runRecordFailure(deps, { instanceId: seeded.instanceId, error: lambdaError });
    // Assess
    expect(result).toEqual({ giveUp: false, retryInSeconds: 60 });
  });

  it("starts a new streak when the last failure is long past its backoff", async () => {
    // Prepare
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    const deps = { ...table.stores, clock };
    await runRecordFailure(deps, { instanceId: seeded.instanceId, error: lambdaError });
    await runRecordFailure(deps, { instanceId: seeded.instanceId, error: lambdaError });
    clock.advance("PT24H");
    // Act
    const result = await runRecordFailure(deps, { instanceId: seeded.instanceId, error: lambdaError });
    // Assess
    expect(result.retryInSeconds).toBe(60);
  });

  it("gives up at once for an instance that is no longer running, or unknown", async () => {
    // Prepare
    clock.set(P3D_AT);
    const seeded = await seedInstance(table.stores);
    await table.stores.instances.cancel(seeded.instanceId, "admin");
    const deps = { ...table.stores, clock };
    // Act
    const cancelled = await runRecordFailure(deps, { instanceId: seeded.instanceId, error: lambdaError });
    const unknown = await runRecordFailure(deps, { instanceId: "inst-nobody", error: lambdaError });
    // Assess
    expect(cancelled.giveUp).toBe(true);
    expect(unknown.giveUp).toBe(true);
    expect((await table.stores.instances.get(seeded.instanceId))?.status).toBe("cancelled");
  });
});

describe("summariseCause", () => {
  it("keeps a plain-text cause but drops a stack", () => {
    expect(summariseCause("States.Timeout: task timed out\n    at x (y.js:1:1)")).toBe(
      "States.Timeout: task timed out",
    );
    expect(summariseCause(undefined)).toBeNull();
  });

  it("cuts a long cause", () => {
    expect(summariseCause("x".repeat(2000))?.length).toBe(500);
  });
});
