/**
 * Issue 11, change 2: adding a unit to a running fan-out and removing one, through the same two
 * calls the API and the dashboard use (previewAction, saveAction) on the in-memory stores, then
 * the loop's own deciding step to see what it sends for the added unit and nothing for a removed one.
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
import {
  execution,
  LEADER,
  P0D_AT,
  P3D_AT,
  recordingSignaller,
  type Seeded,
  seedInstance,
  uniqueId,
} from "./fixtures.ts";

/** 1 October 2024, a month before the seeded deadline (31 October 23:59 Copenhagen). */
const NOW = "2024-10-01T06:00:00Z";
/** 08:00 Copenhagen on 17 October 2024: the P14D reminder of the 31 October deadline. */
const P14D_AT = "2024-10-17T06:00:00Z";
const NEW_SCHOOL = { id: "skole-ny", name: "Nyskolen", type: "skole" };

let clock: ManualClock;
let table: MemoryTestTable;
let seeded: Seeded;
let signaller: ReturnType<typeof recordingSignaller>;
let add: SteerAction;
let remove: SteerAction;

function deps() {
  return { ...table.stores, clock, signaller };
}

function action(name: string): SteerAction {
  const found = steerAction(name);
  if (found === undefined) throw new Error(`${name} is not registered`);
  return found;
}

beforeEach(async () => {
  clock = new ManualClock(NOW);
  table = await createMemoryTable({ clock });
  seeded = await seedInstance(table.stores);
  await table.stores.units.put({ ...NEW_SCHOOL, leader: { name: "Nina Ny", email: "nina@ny.example" } });
  await table.stores.units.put({ id: "boernehuset", name: "Børnehuset", type: "dagtilbud", leader: LEADER });
  signaller = recordingSignaller();
  add = action("add-unit");
  remove = action("remove-unit");
});

/** Adds the new school (saved), so the instance has two units. */
async function addNewSchool() {
  return saveAction(
    deps(),
    seeded.instanceId,
    add,
    { unitId: NEW_SCHOOL.id, reason: "Nyskolen er åbnet" },
    { by: "anna" },
  );
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidInputError);
  return (error as InvalidInputError).errors.map((e) => `${e.path}: ${e.message}`).join("\n");
}

describe("adding a unit", () => {
  it("previews the new unit's milestone and its planned reminders and writes nothing", async () => {
    // Prepare
    const before = await table.snapshot();
    // Act
    const preview = await previewAction(
      deps(),
      seeded.instanceId,
      add,
      { unitId: NEW_SCHOOL.id, reason: "Nyskolen er åbnet" },
      { by: "anna" },
    );
    // Assess
    expect(preview.addedOccurrences).toEqual([`handleplan/${NEW_SCHOOL.id}/0`]);
    expect(preview.removedOccurrences).toEqual([]);
    // Its three reminders and, should the deadline pass, the three escalations to its manager
    expect(preview.addedNotifications.map((n) => [n.kind, n.unitId, n.at])).toEqual([
      ["reminder", NEW_SCHOOL.id, P14D_AT],
      ["reminder", NEW_SCHOOL.id, P3D_AT],
      ["reminder", NEW_SCHOOL.id, P0D_AT],
      ["escalation", NEW_SCHOOL.id, "2024-11-01T07:00:00Z"],
      ["escalation", NEW_SCHOOL.id, "2024-11-08T07:00:00Z"],
      ["escalation", NEW_SCHOOL.id, "2024-11-15T07:00:00Z"],
    ]);
    expect(preview.cancelledNotifications).toEqual([]);
    expect(preview.sendsNow).toEqual([]);
    expect(await table.snapshot()).toEqual(before);
  });

  it("saves the unit with who and why, wakes the loop, and the loop plans and sends its reminders at their times", async () => {
    // Prepare: the loop is parked
    await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    await table.stores.tokens.park(seeded.instanceId, "token-1", 0, { ...execution(), loops: 1 });
    // Act
    const saved = await saveAction(
      deps(),
      seeded.instanceId,
      add,
      { unitId: NEW_SCHOOL.id, reason: "Nyskolen er åbnet", expectedRev: 0 },
      { by: "anna" },
    );
    // Assess: the instance, the trail, the wake
    expect(saved.wake).toEqual({ status: "woken" });
    expect(signaller.wakes).toEqual([{ taskToken: "token-1", reason: "unit.added" }]);
    const instance = await table.stores.instances.get(seeded.instanceId);
    // In the order a start keeps them (type, then id)
    expect(instance?.units).toEqual(
      [
        { id: NEW_SCHOOL.id, type: "skole", name: "Nyskolen" },
        { id: seeded.unitId, type: "skole", name: "Vejleåskolen" },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    const trail = await table.stores.audit.list(seeded.instanceId);
    expect(trail.find((e) => e.action === "unit.added")).toMatchObject({
      by: "anna",
      details: { reason: "Nyskolen er åbnet", unitId: NEW_SCHOOL.id, unitName: "Nyskolen" },
    });
    // The loop's next step writes the new occurrence's state and wakes at the first reminder
    const woken = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    const key = `handleplan/${NEW_SCHOOL.id}/0`;
    expect(await table.stores.instances.getMilestone(seeded.instanceId, key)).toMatchObject({
      status: "open",
      unitId: NEW_SCHOOL.id,
      unitName: "Nyskolen",
    });
    expect(woken.decision.notifications).toEqual([]);
    expect(woken.decision.nextWakeAt).toBe(P14D_AT);
    // At the P14D moment both schools are reminded, the new one included
    clock.set(P14D_AT);
    const due = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    expect(due.decision.notifications.map((n) => [n.unitId, n.kind, n.at]).sort()).toEqual(
      [
        [NEW_SCHOOL.id, "reminder", P14D_AT],
        [seeded.unitId, "reminder", P14D_AT],
      ].sort(),
    );
  });

  it("tells a unit added after reminders went out once now, with the latest reminder, not every one it missed", async () => {
    // Prepare: 29 October, after the P14D and P3D reminders, before the deadline
    clock.set("2024-10-29T12:00:00Z");
    // Act
    const preview = await previewAction(
      deps(),
      seeded.instanceId,
      add,
      { unitId: NEW_SCHOOL.id, reason: "Nyskolen er åbnet" },
      { by: "anna" },
    );
    await addNewSchool();
    const decided = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    // Assess: one mail now, the P3D reminder; the P0D one stays planned
    expect(preview.sendsNow.map((n) => [n.unitId, n.kind, n.at])).toEqual([
      [NEW_SCHOOL.id, "reminder", P3D_AT],
    ]);
    expect(preview.addedNotifications.filter((n) => n.kind === "reminder").map((n) => n.at)).toEqual([
      P0D_AT,
    ]);
    const forNew = decided.decision.notifications.filter((n) => n.unitId === NEW_SCHOOL.id);
    expect(forNew.map((n) => [n.kind, n.at])).toEqual([["reminder", P3D_AT]]);
  });

  it("says in the preview that a unit added after the deadline is sent its first escalation at once", async () => {
    // Prepare: 5 November, the deadline (31 October) and the first escalation's day have passed
    clock.set("2024-11-05T12:00:00Z");
    // Act
    const preview = await previewAction(
      deps(),
      seeded.instanceId,
      add,
      { unitId: NEW_SCHOOL.id, reason: "Nyskolen er åbnet" },
      { by: "anna" },
    );
    // Assess: one escalation, numbered as the first, and no reminder about a passed deadline
    expect(preview.sendsNow).toHaveLength(1);
    expect(preview.sendsNow[0]).toMatchObject({ unitId: NEW_SCHOOL.id, kind: "escalation", ordinal: 1 });
  });

  it("gives a unit added after the deadline a new one when asked, so it is reminded towards it instead of escalated", async () => {
    // Prepare: 5 November, past the 31 October deadline
    clock.set("2024-11-05T12:00:00Z");
    const body = { unitId: NEW_SCHOOL.id, reason: "Nyskolen er åbnet", overdueTo: "2024-11-30" };
    // Act
    const preview = await previewAction(deps(), seeded.instanceId, add, body, { by: "anna" });
    await saveAction(deps(), seeded.instanceId, add, body, { by: "anna" });
    const decided = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    // Assess: nothing at once; its reminders planned towards 30 November 23:59 Copenhagen (a
    // Saturday: those that fall on a weekend go out the working day before)
    expect(preview.sendsNow).toEqual([]);
    const reminders = preview.addedNotifications.filter((n) => n.kind === "reminder");
    expect(reminders.map((n) => [n.unitId, n.at, n.dueAt])).toEqual([
      [NEW_SCHOOL.id, "2024-11-15T07:00:00Z", "2024-11-30T22:59:00Z"],
      [NEW_SCHOOL.id, "2024-11-27T07:00:00Z", "2024-11-30T22:59:00Z"],
      [NEW_SCHOOL.id, "2024-11-29T07:00:00Z", "2024-11-30T22:59:00Z"],
    ]);
    expect(decided.decision.notifications.filter((n) => n.unitId === NEW_SCHOOL.id)).toEqual([]);
    const instance = await table.stores.instances.get(seeded.instanceId);
    expect(instance?.dueOverrides).toEqual({ [`handleplan/${NEW_SCHOOL.id}/0`]: "2024-11-30T22:59:00Z" });
  });

  it("refuses a save prepared at an older rev, and writes nothing", async () => {
    // Prepare: someone else changed the instance after the preview at rev 0
    await saveAction(
      deps(),
      seeded.instanceId,
      action("move-deadline"),
      { occurrenceKey: seeded.occurrenceKey, to: "2024-11-10", reason: "Første ændring" },
      { by: "bo" },
    );
    const before = await table.snapshot();
    // Act
    const late = saveAction(
      deps(),
      seeded.instanceId,
      add,
      { unitId: NEW_SCHOOL.id, reason: "Nyskolen er åbnet", expectedRev: 0 },
      { by: "anna" },
    );
    // Assess
    await expect(late).rejects.toBeInstanceOf(ConflictError);
    await expect(late).rejects.toThrow(/changed since/);
    expect(await table.snapshot()).toEqual(before);
  });
});

describe("removing a unit", () => {
  it("previews the removed milestone and its cancelled reminders, writes nothing; saving removes it and the loop sends nothing for it", async () => {
    // Prepare: two schools, the loop has written both schools' states and is parked
    await addNewSchool();
    await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    const rev = (await table.stores.instances.get(seeded.instanceId))?.rev ?? -1;
    await table.stores.tokens.park(seeded.instanceId, "token-2", rev, { ...execution(), loops: 1 });
    const before = await table.snapshot();
    const body = { unitId: seeded.unitId, reason: "Skolerne er lagt sammen" };
    // Act
    const preview = await previewAction(deps(), seeded.instanceId, remove, body, { by: "anna" });
    const unchanged = await table.snapshot();
    const saved = await saveAction(
      deps(),
      seeded.instanceId,
      remove,
      { ...body, expectedRev: rev },
      { by: "anna" },
    );
    // Assess: the preview
    expect(unchanged).toEqual(before);
    expect(preview.removedOccurrences).toEqual([seeded.occurrenceKey]);
    expect(preview.addedOccurrences).toEqual([]);
    expect(preview.cancelledNotifications.map((n) => [n.unitId, n.kind, n.at])).toEqual([
      [seeded.unitId, "reminder", P14D_AT],
      [seeded.unitId, "reminder", P3D_AT],
      [seeded.unitId, "reminder", P0D_AT],
      [seeded.unitId, "escalation", "2024-11-01T07:00:00Z"],
      [seeded.unitId, "escalation", "2024-11-08T07:00:00Z"],
      [seeded.unitId, "escalation", "2024-11-15T07:00:00Z"],
    ]);
    expect(preview.sendsNow).toEqual([]);
    // …the store, the trail, the wake
    expect(saved.wake).toEqual({ status: "woken" });
    expect(signaller.wakes.at(-1)).toEqual({ taskToken: "token-2", reason: "unit.removed" });
    expect((await table.stores.instances.get(seeded.instanceId))?.units.map((u) => u.id)).toEqual([
      NEW_SCHOOL.id,
    ]);
    expect(await table.stores.instances.getMilestone(seeded.instanceId, seeded.occurrenceKey)).toBeNull();
    const trail = await table.stores.audit.list(seeded.instanceId);
    expect(trail.find((e) => e.action === "unit.removed")).toMatchObject({
      by: "anna",
      details: {
        reason: "Skolerne er lagt sammen",
        unitId: seeded.unitId,
        unitName: "Vejleåskolen",
        removedOccurrences: [{ occurrenceKey: seeded.occurrenceKey, status: "open" }],
      },
    });
    // …and the loop: at the P14D moment only the remaining school is reminded
    clock.set(P14D_AT);
    const due = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    expect(due.decision.notifications.map((n) => n.unitId)).toEqual([NEW_SCHOOL.id]);
  });

  it("removes a confirmed milestone too, and its confirmation stays in the audit trail", async () => {
    // Prepare: the new school has confirmed its plan
    await addNewSchool();
    await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    const key = `handleplan/${NEW_SCHOOL.id}/0`;
    await table.stores.instances.recordConfirmation({
      instanceId: seeded.instanceId,
      occurrenceKey: key,
      at: NOW,
      by: "unitLeader:skole-ny",
    });
    // Act
    const saved = await saveAction(
      deps(),
      seeded.instanceId,
      remove,
      { unitId: NEW_SCHOOL.id, reason: "Nyskolen blev aldrig til noget" },
      { by: "anna" },
    );
    // Assess
    expect(saved.preview.removedOccurrences).toEqual([key]);
    expect(await table.stores.instances.getMilestone(seeded.instanceId, key)).toBeNull();
    const trail = await table.stores.audit.list(seeded.instanceId);
    expect(trail.find((e) => e.action === "unit.removed")?.details?.removedOccurrences).toEqual([
      { occurrenceKey: key, status: "confirmed", confirmedAt: NOW, confirmedBy: "unitLeader:skole-ny" },
    ]);
    expect(trail.some((e) => e.action === "confirmation.recorded" && e.details?.occurrenceKey === key)).toBe(
      true,
    );
  });

  it("drops the removed unit's moved deadlines, so a unit added back later starts from the plan", async () => {
    // Prepare: two schools; the original school's deadline was moved
    await addNewSchool();
    await saveAction(
      deps(),
      seeded.instanceId,
      action("move-deadline"),
      { occurrenceKey: seeded.occurrenceKey, to: "2024-11-15", reason: "Udsat" },
      { by: "anna" },
    );
    // Act
    await saveAction(
      deps(),
      seeded.instanceId,
      remove,
      { unitId: seeded.unitId, reason: "Lagt sammen" },
      { by: "anna" },
    );
    // Assess
    expect((await table.stores.instances.get(seeded.instanceId))?.dueOverrides).toEqual({});
  });

  it("refuses a change that touches more milestone states than one save can hold", async () => {
    // Prepare: a weekly milestone with 100 repetitions per school, two schools, states written
    const workflowId = uniqueId("wf");
    await table.stores.workflows.putVersion({
      workflowId,
      source: "test",
      createdBy: "admin",
      definition: WorkflowSchema.parse({
        id: workflowId,
        title: "Ugentlig status",
        milestones: [
          {
            id: "status",
            title: "Status",
            forEach: ["skole"],
            due: "2024-10-07",
            recurrence: { every: "P1W", count: 100 },
            reminders: [],
            escalation: false,
          },
        ],
      }),
    });
    const instanceId = uniqueId("inst");
    await table.stores.instances.create({
      instanceId,
      workflowId,
      workflowVersion: 1,
      startAt: "2024-08-31T22:00:00Z",
      params: {},
      units: [
        { id: NEW_SCHOOL.id, type: "skole", name: "Nyskolen" },
        { id: seeded.unitId, type: "skole", name: "Vejleåskolen" },
      ],
      createdBy: "admin",
    });
    await runDecide(deps(), { instanceId, execution: execution() });
    const before = await table.snapshot();
    // Act
    const said = await refusal(
      saveAction(deps(), instanceId, remove, { unitId: NEW_SCHOOL.id, reason: "For mange" }, { by: "anna" }),
    );
    // Assess
    expect(said).toMatch(/unitId: removing skole-ny deletes 100 milestone states; at most 98/);
    expect(await table.snapshot()).toEqual(before);
  });
});

describe("the plan's ceilings", () => {
  it("refuses a unit that would take the instance over its ceiling of occurrences, and writes nothing", async () => {
    // Prepare: 400 weekly repetitions for each of two schools (800 occurrences)
    const workflowId = uniqueId("wf");
    await table.stores.workflows.putVersion({
      workflowId,
      source: "test",
      createdBy: "admin",
      definition: WorkflowSchema.parse({
        id: workflowId,
        title: "Ugentlig status",
        milestones: [
          {
            id: "status",
            title: "Status",
            forEach: ["skole"],
            due: "2024-10-07",
            recurrence: { every: "P1W", count: 400 },
          },
        ],
      }),
    });
    const instanceId = uniqueId("inst");
    await table.stores.instances.create({
      instanceId,
      workflowId,
      workflowVersion: 1,
      startAt: "2024-08-31T22:00:00Z",
      params: {},
      units: [
        { id: "skole-x", type: "skole", name: "Skole X" },
        { id: seeded.unitId, type: "skole", name: "Vejleåskolen" },
      ],
      createdBy: "admin",
    });
    const before = await table.snapshot();
    // Act: a third school would make 1,200
    const said = await refusal(
      saveAction(deps(), instanceId, add, { unitId: NEW_SCHOOL.id, reason: "En til" }, { by: "anna" }),
    );
    // Assess
    expect(said).toMatch(/unitId: with skole-ny the plan is too big: .*1200/);
    expect(await table.snapshot()).toEqual(before);
  });
});

describe("refusals", () => {
  it.each([
    ["add-unit", { unitId: "skole-findes-ikke" }, /unitId: the directory has no unit 'skole-findes-ikke'/],
    [
      "add-unit",
      { unitId: "boernehuset" },
      /unitId: boernehuset is of type dagtilbud; this workflow fans out over skole/,
    ],
    ["add-unit", { unitId: "SEED" }, /unitId: skole-\w+ is already in the instance/],
    ["add-unit", { unitId: "skole-ny", reason: "x" }, /reason.*at least 3/s],
    ["add-unit", { unitId: "Ikke et id!" }, /unitId/],
    ["add-unit", { unitId: "skole-ny", overdueTo: "2024-09-30" }, /overdueTo: the new deadline has passed/],
    ["add-unit", { unitId: "skole-ny", overdueTo: "2024-02-30" }, /overdueTo: '2024-02-30' is not a date/],
    ["add-unit", { unitId: "skole-ny", overdueTo: "snart" }, /overdueTo.*must be a date/s],
    ["remove-unit", { unitId: "skole-ny" }, /unitId: 'skole-ny' is not in the instance/],
    [
      "remove-unit",
      { unitId: "SEED" },
      /unitId: skole-\w+ is the instance's last unit .*; cancel the instance instead/,
    ],
  ])("%s refuses %j with a located message and writes nothing", async (name, fields, message) => {
    // Prepare
    const before = await table.snapshot();
    const body = { reason: "En god grund", ...fields };
    if (body.unitId === "SEED") body.unitId = seeded.unitId;
    // Act
    const said = await refusal(saveAction(deps(), seeded.instanceId, action(name), body, { by: "anna" }));
    // Assess
    expect(said).toMatch(message);
    expect(await table.snapshot()).toEqual(before);
  });
});
