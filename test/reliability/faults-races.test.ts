/**
 * Races and a Lambda that throws, while the real instance loop runs: two step workers on every
 * step (a duplicated invocation), and a step Lambda that throws a non-transient error for a
 * virtual day. What the state machine did (retry, catch), what the audit trail says, and that no
 * notification was lost or sent twice.
 */
import { describe, expect, it } from "vitest";
import { LOOP_FAILED } from "../../shared/app/record-failure.ts";
import { runStep } from "../../shared/app/step.ts";
import { BUSY_ERROR_NAME, STATE } from "../../shared/loop/asl.ts";
import type { StepInput } from "../../shared/loop/contract.ts";
import type { AuditEntry } from "../../shared/store/records.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { SETTINGS } from "../app/fixtures.ts";
import {
  BUSY_START,
  BUSY_UNTIL,
  busyWorkflow,
  expectedKeys,
  FORVALTNING,
  outboxCounts,
  SCHOOLS,
  sentKeys,
  worldsClosedAfterEach,
} from "./faults-support.ts";
import { isWakeUp, type LambdaFn, type LoopWorld } from "./loop-world.ts";

const world = worldsClosedAfterEach();

describe("races and a Lambda that throws", () => {
  it("two step workers on every step (a duplicated invocation): each mail once; the loser skips or waits it out", async () => {
    // Prepare: each Step invocation also runs a second, independent worker on the same batch.
    let world2: LoopWorld | undefined;
    // Both workers' outcomes: a report, or the name of the error the batch ended with.
    const outcomes: ({ sent: number; skipped: number } | string)[] = [];
    const outcome = (settled: PromiseSettledResult<unknown>) =>
      settled.status === "fulfilled"
        ? (settled.value as { sent: number; skipped: number })
        : (settled.reason as Error).name;
    const w = await world({
      start: BUSY_START,
      wrap: {
        step: (inner: LambdaFn) => async (payload: unknown) => {
          const rival = world2;
          if (!rival) return inner(payload);
          const [mine, theirs] = await Promise.allSettled([
            inner(payload),
            runStep(
              {
                ...rival.stores,
                clock: rival.clock,
                settings: SETTINGS,
                transport: rival.outbox.transport,
                linkKey: { getKey: async () => Buffer.alloc(32, 3) },
                sleep: async () => {},
                random: () => 0.5,
                workerId: "rival",
              },
              payload as StepInput,
            ),
          ]);
          outcomes.push(outcome(mine), outcome(theirs));
          // The engine sees our worker's outcome, as Step Functions sees one invocation's.
          if (mine.status === "rejected") throw mine.reason;
          return mine.value;
        },
      },
    });
    world2 = w;
    const definition = busyWorkflow("step-race");
    const instanceId = await w.startInstance(definition, { units: [FORVALTNING, ...SCHOOLS] });

    // Act
    await w.engine.run({ until: BUSY_UNTIL });

    // Assess: both wrote to the same outbox; each Message-ID is there once.
    const expected = expectedKeys(definition, instanceId, [FORVALTNING, ...SCHOOLS]);
    expect(await sentKeys(w.reader, instanceId)).toEqual(expected);
    const counts = await outboxCounts(w);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(counts.size).toBe(expected.length);
    // Each mail was sent by one worker (above); the other found it sent (skipped) or claimed and
    // unsent, and then asked for a retry (busy) instead of skipping it.
    const reports = outcomes.filter((o) => typeof o !== "string");
    const errors = outcomes.filter((o) => typeof o === "string");
    expect(errors.filter((name) => name !== BUSY_ERROR_NAME)).toEqual([]);
    expect(reports.reduce((sum, r) => sum + r.skipped, 0) + errors.length).toBeGreaterThan(0);
    const trail = await w.reader.audit.list(instanceId);
    expect(trail.filter((e) => e.action === "notification.sent")).toHaveLength(expected.length);
  }, 120_000);

  it("step throwing a non-transient error: RecordFailure audits it and backs off; once fixed, the instance goes on", async () => {
    // Prepare: step is broken for a virtual day from 12 March 07:30 Copenhagen, half an hour
    // before the schools' P3D reminders are due.
    const brokenFrom = Temporal.Instant.from("2024-03-12T06:30:00Z");
    const brokenUntil = brokenFrom.add({ hours: 24 });
    let clockRef: { now(): Temporal.Instant } | undefined;
    let thrown = 0;
    const w = await world({
      start: BUSY_START,
      wrap: {
        step: (inner: LambdaFn) => async (payload: unknown) => {
          const now = clockRef?.now();
          if (
            now &&
            Temporal.Instant.compare(now, brokenFrom) >= 0 &&
            Temporal.Instant.compare(now, brokenUntil) < 0
          ) {
            thrown++;
            throw new TypeError("Cannot read properties of undefined (reading 'dueAt')");
          }
          return inner(payload);
        },
      },
    });
    clockRef = w.clock;
    const definition = busyWorkflow("step-throws");
    const instanceId = await w.startInstance(definition, { units: [FORVALTNING, ...SCHOOLS] });

    // Act
    await w.engine.run({ until: BUSY_UNTIL });

    // Assess: each failure is in the audit trail, with growing backoff; none retried as transient.
    const trail = await w.reader.audit.list(instanceId);
    const failures = trail.filter((e) => e.action === LOOP_FAILED);
    expect(thrown).toBe(7);
    expect(failures.map((e) => e.details?.retryInSeconds)).toEqual([
      60, 300, 1800, 7200, 21600, 43200, 86400,
    ]);
    expect(failures.map((e) => e.details?.failuresInARow)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(failures[0]?.details).toMatchObject({
      error: "TypeError",
      cause: "TypeError: Cannot read properties of undefined (reading 'dueAt')",
      giveUp: false,
    });
    expect(failures[0]?.at).toBe("2024-03-12T07:00:00Z");
    const caught = w.events.filter((e) => e.type === "StateCaught" && !isWakeUp(e.error));
    expect(caught).toHaveLength(7);
    expect(caught.every((e) => e.type === "StateCaught" && e.state === STATE.step)).toBe(true);
    expect(w.events.some((e) => e.type === "StateRetried")).toBe(false);
    // It went on once the backoff after the last failure ran out: the P3D reminders that fell due
    // while step was broken went out then, once each, and the rest of the timeline on time.
    const last = failures.at(-1) as AuditEntry;
    const recoveredAt = Temporal.Instant.from(last.at).add({ seconds: Number(last.details?.retryInSeconds) });
    expect(Temporal.Instant.compare(recoveredAt, brokenUntil)).toBeGreaterThan(0);
    const sentEntries = trail.filter((e) => e.action === "notification.sent");
    const lateP3d = sentEntries.filter((e) => String(e.details?.notificationKey).includes("/plan/"));
    const p3d = lateP3d.filter((e) => String(e.details?.notificationKey).includes("/reminder/P3D/"));
    expect(p3d.map((e) => e.at)).toEqual(SCHOOLS.map(() => recoveredAt.toString()));
    expect((await w.reader.instances.get(instanceId))?.status).toBe("running");
    const expected = expectedKeys(definition, instanceId, [FORVALTNING, ...SCHOOLS]);
    expect(await sentKeys(w.reader, instanceId)).toEqual(expected);
    const keys = sentEntries.map((e) => e.details?.notificationKey);
    expect(new Set(keys).size).toBe(keys.length);
  }, 120_000);
});
