/**
 * A step that decides to continue as new hands the next execution its name and first sleep
 * (shared/app/step.ts, contract.ts Continuation), so the new execution starts asleep: the
 * execution's audit entry names it, a re-run of the step names the same child, and the mail the
 * step sent is not sent again by the child's first step.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { continuationName, siblingExecutionArn } from "../../shared/app/execution-names.ts";
import { runStep } from "../../shared/app/step.ts";
import { DECIDE_AT_ONCE, StepOutputSchema } from "../../shared/loop/contract.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { EXECUTION_LIMITS } from "../../shared/timeline/decide.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import { createOutbox, execution, fixedLinkKey, notifyDeps, P3D_AT, seedInstance } from "./fixtures.ts";

const clock = new ManualClock(P3D_AT);
let table: MemoryTestTable;

beforeAll(async () => {
  table = await createMemoryTable({ clock });
});
afterAll(async () => {
  await table.drop();
});

const PARENT = "arn:aws:states:eu-north-1:111122223333:execution:loop:parent-1";

/** A new instance whose execution PARENT has run one loop short of the limit and parked; P3D is due. */
async function parentAtTheLimit() {
  clock.set(P3D_AT);
  const outbox = await createOutbox(clock);
  const seeded = await seedInstance(table.stores);
  const instance = await table.stores.instances.get(seeded.instanceId);
  const parent = { ...execution(PARENT), loops: EXECUTION_LIMITS.maxLoops - 1 };
  await table.stores.tokens.park(seeded.instanceId, "t-parent", instance?.rev ?? 0, parent);
  const deps = notifyDeps(table.stores, clock, outbox.transport, fixedLinkKey());
  return { outbox, seeded, deps, input: { instanceId: seeded.instanceId, execution: execution(PARENT) } };
}

describe("continue-as-new from the step", () => {
  it("names the next execution, audits its start and hands it its first sleep", async () => {
    // Prepare
    const { outbox, seeded, deps, input } = await parentAtTheLimit();
    // Act
    const out = await runStep(deps, input);
    // Assess
    expect(StepOutputSchema.safeParse(out).success).toBe(true);
    expect(out).toMatchObject({ continueAsNew: true, sent: 1 });
    const name = continuationName(seeded.instanceId, PARENT, EXECUTION_LIMITS.maxLoops);
    expect(out.continuation?.name).toBe(name);
    expect(name.length).toBeLessThanOrEqual(80);
    // The P0D reminder is three days on: the child sleeps until then, at the rev the step saw.
    expect(out.continuation?.step).toEqual({
      rev: out.rev,
      done: false,
      continueAsNew: false,
      waitSeconds: 3 * 24 * 3600,
      loops: 1,
    });
    const started = (await table.stores.audit.list(seeded.instanceId)).filter(
      (e) => e.action === "loop.execution-started",
    );
    expect(started.map((e) => e.details?.executionId)).toEqual([siblingExecutionArn(PARENT, name)]);
    expect(started[0]?.details?.previousExecutionId).toBe(PARENT);
    expect(await outbox.mails()).toHaveLength(1);
    await outbox.remove();
  });

  it("names the same child when the step runs again, and audits it once", async () => {
    // Prepare
    const { outbox, seeded, deps, input } = await parentAtTheLimit();
    // Act: the step dies after answering (the answer is lost) and runs again
    const first = await runStep(deps, input);
    clock.advance("PT5S");
    const again = await runStep(deps, input);
    // Assess
    expect(again.continuation?.name).toBe(first.continuation?.name);
    expect(again.continuation?.step).not.toEqual(DECIDE_AT_ONCE);
    const started = (await table.stores.audit.list(seeded.instanceId)).filter(
      (e) => e.action === "loop.execution-started",
    );
    expect(started).toHaveLength(1);
    expect(await outbox.mails()).toHaveLength(1);
    await outbox.remove();
  });

  it("leaves the continuation out when the loop goes on in the same execution", async () => {
    // Prepare
    clock.set(P3D_AT);
    const outbox = await createOutbox(clock);
    const seeded = await seedInstance(table.stores);
    const deps = notifyDeps(table.stores, clock, outbox.transport, fixedLinkKey());
    // Act
    const out = await runStep(deps, { instanceId: seeded.instanceId, execution: execution(PARENT) });
    // Assess
    expect(out).toMatchObject({ continueAsNew: false, continuation: null });
    await outbox.remove();
  });
});

describe("execution names", () => {
  it("keeps a name within Step Functions' rules for any instance id", () => {
    const name = continuationName(`${"å/ø:æ ".repeat(30)}`, PARENT, 7);
    expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(continuationName("case-1", PARENT, 7)).not.toBe(continuationName("case-1", PARENT, 8));
    expect(continuationName("case-1", PARENT, 7)).not.toBe(continuationName("case-1", `${PARENT}x`, 7));
  });

  it("gives the sibling's ARN in the same state machine", () => {
    expect(siblingExecutionArn(PARENT, "child")).toBe(
      "arn:aws:states:eu-north-1:111122223333:execution:loop:child",
    );
  });
});
