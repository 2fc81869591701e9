/**
 * Issue 11, change 1: moving a deadline of a running instance, through the same two calls the API
 * and the dashboard use (previewAction, saveAction) on the in-memory stores, then the loop's own
 * deciding step to see that the next reminder follows the new date.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../shared/app/admin-input.ts";
import { runDecide } from "../../shared/app/decide-step.ts";
import type { SteerAction } from "../../shared/app/steer/actions.ts";
import { previewAction, saveAction, steerAction } from "../../shared/app/steer/actions.ts";
import { WorkflowSchema } from "../../shared/model/schema.ts";
import { ConflictError } from "../../shared/store/errors.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import { DUE_AT, execution, LEADER, recordingSignaller, type Seeded, seedInstance } from "./fixtures.ts";

/** 1 October 2024, a month before the seeded deadline (31 October 23:59 Copenhagen). */
const NOW = "2024-10-01T06:00:00Z";
/** 15 November 2024 23:59 Copenhagen (CET): the workflow's deadline time on that date. */
const NEW_DUE = "2024-11-15T22:59:00Z";

let clock: ManualClock;
let table: MemoryTestTable;
let seeded: Seeded;
let signaller: ReturnType<typeof recordingSignaller>;
let move: SteerAction;

function deps() {
  return { ...table.stores, clock, signaller };
}

beforeEach(async () => {
  clock = new ManualClock(NOW);
  table = await createMemoryTable({ clock });
  seeded = await seedInstance(table.stores);
  signaller = recordingSignaller();
  const action = steerAction("move-deadline");
  if (action === undefined) throw new Error("move-deadline is not registered");
  move = action;
});

describe("moving a deadline", () => {
  it("previews the moved deadline and its moved reminders and writes nothing", async () => {
    // Prepare
    const before = await table.snapshot();
    // Act
    const preview = await previewAction(
      deps(),
      seeded.instanceId,
      move,
      { occurrenceKey: seeded.occurrenceKey, to: "2024-11-15", reason: "Skolen fik udsættelse" },
      { by: "anna" },
    );
    // Assess
    expect(preview.movedDeadlines).toEqual([
      {
        occurrenceKey: seeded.occurrenceKey,
        milestoneId: "handleplan",
        unitId: seeded.unitId,
        from: DUE_AT,
        to: NEW_DUE,
      },
    ]);
    expect(preview.movedNotifications.length).toBeGreaterThanOrEqual(2);
    for (const { before: was, after } of preview.movedNotifications) {
      expect(after.dueAt).toBe(NEW_DUE);
      expect(Date.parse(after.at)).toBeGreaterThan(Date.parse(was.at));
    }
    expect(preview.cancelledNotifications).toEqual([]);
    expect(preview.sendsNow).toEqual([]);
    expect(await table.snapshot()).toEqual(before);
  });

  it("saves the new deadline with who and why, wakes the parked loop, and the loop's next wake follows it", async () => {
    // Prepare: the loop is parked
    const decidedBefore = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    await table.stores.tokens.park(seeded.instanceId, "token-1", 0, { ...execution(), loops: 1 });
    // Act
    const saved = await saveAction(
      deps(),
      seeded.instanceId,
      move,
      { milestoneId: "handleplan", to: "2024-11-15", reason: "Byrådet udsatte planen", expectedRev: 0 },
      { by: "anna" },
    );
    // Assess: the store, the trail, the wake
    expect(saved.wake).toEqual({ status: "woken" });
    expect(signaller.wakes).toEqual([{ taskToken: "token-1", reason: "deadline.moved" }]);
    const milestone = await table.stores.instances.getMilestone(seeded.instanceId, seeded.occurrenceKey);
    expect(milestone?.dueAt).toBe(NEW_DUE);
    const trail = await table.stores.audit.list(seeded.instanceId);
    const entry = trail.find((e) => e.action === "deadline.moved");
    expect(entry).toMatchObject({
      by: "anna",
      details: {
        reason: "Byrådet udsatte planen",
        to: NEW_DUE,
        occurrences: [{ occurrenceKey: seeded.occurrenceKey, from: DUE_AT }],
      },
    });
    // The loop decides on the changed instance: it wakes next for the first reminder before the
    // new deadline, the one the preview said, later than it would have woken before
    const decidedAfter = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    const firstPlanned = [
      ...saved.preview.movedNotifications.map((m) => m.after),
      ...saved.preview.addedNotifications,
    ]
      .map((n) => n.at)
      .sort()[0];
    expect(decidedAfter.decision.nextWakeAt).toBe(firstPlanned);
    expect(Date.parse(decidedAfter.decision.nextWakeAt ?? "")).toBeGreaterThan(
      Date.parse(decidedBefore.decision.nextWakeAt ?? ""),
    );
    expect(decidedAfter.decision.notifications).toEqual([]);
  });

  it("says in the preview what goes out at once when the new deadline is close", async () => {
    // Act: tomorrow; the reminders planned before it are due now
    const preview = await previewAction(
      deps(),
      seeded.instanceId,
      move,
      { occurrenceKey: seeded.occurrenceKey, to: "2024-10-02", reason: "Fremrykket af direktionen" },
      { by: "anna" },
    );
    // Assess
    expect(preview.sendsNow.length).toBeGreaterThanOrEqual(1);
    expect(preview.sendsNow.every((n) => n.occurrenceKey === seeded.occurrenceKey)).toBe(true);
  });

  it("refuses a save prepared at an older rev, and writes nothing", async () => {
    // Prepare: someone else moved it after the preview at rev 0
    await saveAction(
      deps(),
      seeded.instanceId,
      move,
      { occurrenceKey: seeded.occurrenceKey, to: "2024-11-10", reason: "Første ændring" },
      { by: "bo" },
    );
    const before = await table.snapshot();
    // Act
    const late = saveAction(
      deps(),
      seeded.instanceId,
      move,
      { occurrenceKey: seeded.occurrenceKey, to: "2024-11-15", reason: "Anden ændring", expectedRev: 0 },
      { by: "anna" },
    );
    // Assess
    await expect(late).rejects.toBeInstanceOf(ConflictError);
    await expect(late).rejects.toThrow(/changed since/);
    expect(await table.snapshot()).toEqual(before);
  });

  it.each([
    [{ occurrenceKey: "handleplan/no-such-school/0", to: "2024-11-15" }, /occurrenceKey.*no occurrence/s],
    [{ to: "2024-11-15" }, /either occurrenceKey .* or milestoneId/],
    [{ milestoneId: "handleplan", to: "2024-02-30" }, /to.*not a date or time that exists/s],
    [{ milestoneId: "handleplan", to: "2024-01-01" }, /before the instance started/],
    [{ milestoneId: "handleplan", to: "next friday" }, /to.*must be a date/s],
    [{ milestoneId: "handleplan", to: "2024-11-15", reason: "x" }, /reason.*at least 3/s],
  ])("refuses %j with a located message and writes nothing", async (fields, message) => {
    // Prepare
    const before = await table.snapshot();
    // Act
    const refused = saveAction(
      deps(),
      seeded.instanceId,
      move,
      { reason: "En god grund", ...fields },
      { by: "anna" },
    );
    // Assess
    const error = await refused.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    const said = (error as InvalidInputError).errors.map((e) => `${e.path}: ${e.message}`).join("\n");
    expect(said).toMatch(message);
    expect(await table.snapshot()).toEqual(before);
  });

  it("refuses to move a confirmed occurrence and says how to go on", async () => {
    // Prepare: the loop has made the milestone's record, the leader confirms it
    await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    await table.stores.instances.recordConfirmation({
      instanceId: seeded.instanceId,
      occurrenceKey: seeded.occurrenceKey,
      at: NOW,
      by: "leader",
    });
    // Act
    const refused = saveAction(
      deps(),
      seeded.instanceId,
      move,
      { occurrenceKey: seeded.occurrenceKey, to: "2024-11-15", reason: "For sent" },
      { by: "anna" },
    );
    // Assess
    const error = await refused.catch((e: unknown) => e);
    expect((error as InvalidInputError).errors[0]).toMatchObject({
      path: "occurrenceKey",
      message: expect.stringMatching(/confirmed already; undo the confirmation first/),
    });
  });
});

describe("moving the deadline of a milestone that announced itself", () => {
  it("does not send the 'your turn' mail again under the new deadline", async () => {
    // Prepare: b waits for a; a is confirmed, so b's owner got "your turn" (sent, under b's deadline)
    const definition = WorkflowSchema.parse({
      id: "tur",
      title: "Tur",
      milestones: [
        { id: "a", title: "Først", owner: "unit:forvaltning", due: "2024-10-15" },
        { id: "b", title: "Bagefter", owner: "unit:forvaltning", due: "2024-11-15", after: ["a"] },
      ],
    });
    await table.stores.workflows.putVersion({ workflowId: "tur", source: "t", definition, createdBy: "t" });
    await table.stores.units.put({
      id: "forvaltning",
      name: "Forvaltningen",
      type: "forvaltning",
      leader: LEADER,
    });
    await table.stores.instances.create({
      instanceId: "tur-1",
      workflowId: "tur",
      workflowVersion: 1,
      startAt: "2024-09-01T06:00:00Z",
      params: {},
      units: [],
      createdBy: "t",
    });
    await runDecide(deps(), { instanceId: "tur-1", execution: execution() });
    await table.stores.instances.recordConfirmation({
      instanceId: "tur-1",
      occurrenceKey: "a/-/0",
      at: NOW,
      by: "unitLeader:forvaltning",
    });
    const announced = (await runDecide(deps(), { instanceId: "tur-1", execution: execution() })).decision
      .notifications;
    expect(announced.map((n) => n.kind)).toContain("activated");
    for (const n of announced) {
      await table.stores.notifications.claim("tur-1", n.key, "worker", 60);
      await table.stores.notifications.markSent("tur-1", n.key);
    }
    // Act
    const saved = await saveAction(
      deps(),
      "tur-1",
      move,
      { occurrenceKey: "b/-/0", to: "2024-12-01", reason: "Mere tid til b" },
      { by: "anna" },
    );
    const after = await runDecide(deps(), { instanceId: "tur-1", execution: execution() });
    // Assess
    expect(saved.preview.sendsNow).toEqual([]);
    expect(after.decision.notifications).toEqual([]);
  });
});
