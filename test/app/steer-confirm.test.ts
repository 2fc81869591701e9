/**
 * Issue 11, change 4 (first half): confirming on someone's behalf and undoing a confirmation,
 * through the calls the API and the dashboard use (previewAction, saveAction) on the in-memory
 * stores, then the loop's own steps (runDecide, runNotify into a real file outbox, parsed back) to
 * see that it sends what the preview promised, and the "reopened" mail exactly once.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../shared/app/admin-input.ts";
import { runDecide } from "../../shared/app/decide-step.ts";
import { runNotify } from "../../shared/app/notify.ts";
import type { SteerAction } from "../../shared/app/steer/actions.ts";
import { previewAction, saveAction, steerAction } from "../../shared/app/steer/actions.ts";
import { WorkflowSchema } from "../../shared/model/schema.ts";
import { ConflictError } from "../../shared/store/errors.ts";
import type { Stores } from "../../shared/store/ports.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import {
  createOutbox,
  DUE_AT,
  execution,
  fixedLinkKey,
  LEADER,
  MANAGER,
  notifyDeps,
  type Outbox,
  recordingSignaller,
  uniqueId,
} from "./fixtures.ts";

/** 1 October 2024, a month before the plan's deadline (31 October 23:59 Copenhagen). */
const NOW = "2024-10-01T06:00:00Z";
const ANNA = "user:anna (Anna Andersen)";

interface TwoSteps {
  instanceId: string;
  unitId: string;
  /** The plan (open, active). */
  plan: string;
  /** The follow-up: waits for the plan. */
  followUp: string;
}

/** A school's plan and its follow-up 30 days after the plan is confirmed. */
async function seedTwoSteps(stores: Stores): Promise<TwoSteps> {
  const workflowId = uniqueId("wf");
  const unitId = uniqueId("skole");
  await stores.workflows.putVersion({
    workflowId,
    source: "test",
    definition: WorkflowSchema.parse({
      id: workflowId,
      title: "Stærke fællesskaber",
      milestones: [
        { id: "handleplan", title: "Lokal handleplan", forEach: ["skole"], due: "2024-10-31" },
        {
          id: "opfoelgning",
          title: "Opfølgning",
          forEach: ["skole"],
          after: ["handleplan"],
          due: { in: "P30D", from: "handleplan" },
        },
      ],
    }),
    createdBy: "admin",
  });
  await stores.units.put({
    id: unitId,
    name: "Vejleåskolen",
    type: "skole",
    leader: LEADER,
    manager: MANAGER,
  });
  const instanceId = uniqueId("inst");
  await stores.instances.create({
    instanceId,
    workflowId,
    workflowVersion: 1,
    startAt: "2024-08-31T22:00:00Z",
    params: {},
    units: [{ id: unitId, type: "skole", name: "Vejleåskolen" }],
    createdBy: "admin",
  });
  return { instanceId, unitId, plan: `handleplan/${unitId}/0`, followUp: `opfoelgning/${unitId}/0` };
}

let clock: ManualClock;
let table: MemoryTestTable;
let seeded: TwoSteps;
let signaller: ReturnType<typeof recordingSignaller>;
let outbox: Outbox;
let confirmFor: SteerAction;
let undo: SteerAction;

function deps() {
  return { ...table.stores, clock, signaller };
}

/** One step of the loop: decide on the stored state, send what it decided. */
async function loopStep() {
  const decided = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
  await runNotify(notifyDeps(table.stores, clock, outbox.transport, fixedLinkKey()), {
    instanceId: seeded.instanceId,
    notifications: decided.decision.notifications,
  });
  return decided.decision;
}

function action(name: string): SteerAction {
  const found = steerAction(name);
  if (found === undefined) throw new Error(`${name} is not registered`);
  return found;
}

/** What a refused save says, "path: message" per line, and that it wrote nothing. */
async function refusal(name: SteerAction, fields: Record<string, unknown>): Promise<string> {
  const before = await table.snapshot();
  const error = await saveAction(
    deps(),
    seeded.instanceId,
    name,
    { reason: "En god grund", ...fields },
    {
      by: ANNA,
    },
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect(await table.snapshot()).toEqual(before);
  return (error as InvalidInputError).errors.map((e) => `${e.path}: ${e.message}`).join("\n");
}

beforeEach(async () => {
  clock = new ManualClock(NOW);
  table = await createMemoryTable({ clock });
  seeded = await seedTwoSteps(table.stores);
  signaller = recordingSignaller();
  outbox = await createOutbox(clock);
  confirmFor = action("confirm-for");
  undo = action("undo-confirmation");
  // The loop has planned the instance (its milestone states exist), nothing is due yet.
  expect((await loopStep()).notifications).toEqual([]);
});

afterEach(async () => {
  await outbox.remove();
});

describe("confirming on someone's behalf", () => {
  it("previews the cancelled reminders and the follow-up's 'your turn' mail, and writes nothing", async () => {
    // Prepare
    const before = await table.snapshot();
    // Act
    const preview = await previewAction(
      deps(),
      seeded.instanceId,
      confirmFor,
      { occurrenceKey: seeded.plan, reason: "Lederen er syg; planen er vedtaget" },
      { by: ANNA },
    );
    // Assess: every planned mail of the plan goes, the follow-up is announced at once
    expect(preview.cancelledNotifications.length).toBeGreaterThanOrEqual(2);
    expect(preview.cancelledNotifications.every((n) => n.occurrenceKey === seeded.plan)).toBe(true);
    expect(preview.sendsNow.map((n) => [n.kind, n.occurrenceKey, n.recipient])).toEqual([
      ["activated", seeded.followUp, { kind: "unitLeader", unitId: seeded.unitId }],
    ]);
    expect(preview.movedDeadlines.map((m) => m.occurrenceKey)).toEqual([seeded.followUp]);
    expect(await table.snapshot()).toEqual(before);
  });

  it("saves the confirmation with who and why, wakes the loop, which sends the follow-up's mail", async () => {
    // Prepare: the loop is parked
    await table.stores.tokens.park(seeded.instanceId, "token-1", 0, { ...execution(), loops: 1 });
    // Act
    const saved = await saveAction(
      deps(),
      seeded.instanceId,
      confirmFor,
      { occurrenceKey: seeded.plan, reason: "Lederen er syg; planen er vedtaget", expectedRev: 0 },
      { by: ANNA },
    );
    // Assess: the store, the trail, the wake
    expect(saved.wake).toEqual({ status: "woken" });
    expect(signaller.wakes).toEqual([{ taskToken: "token-1", reason: "confirmation.on-behalf" }]);
    const record = await table.stores.instances.getMilestone(seeded.instanceId, seeded.plan);
    expect(record).toMatchObject({ status: "confirmed", confirmedAt: NOW, confirmedBy: ANNA });
    const trail = await table.stores.audit.list(seeded.instanceId);
    expect(trail.find((e) => e.action === "confirmation.on-behalf")).toMatchObject({
      by: ANNA,
      details: { reason: "Lederen er syg; planen er vedtaget", occurrenceKey: seeded.plan },
    });
    // The loop sends what the preview said, and the leader gets it
    const decision = await loopStep();
    expect(decision.notifications.map((n) => n.key)).toEqual(saved.preview.sendsNow.map((n) => n.key));
    const mails = await outbox.mails();
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toMatchObject({ value: [{ address: LEADER.email }] });
    expect(mails[0]?.subject).toMatch(/^Din milepæl er den næste: Opfølgning/);
  });

  it("refuses an occurrence that waits for an earlier one and says which, writing nothing", async () => {
    const said = await refusal(confirmFor, { occurrenceKey: seeded.followUp });
    expect(said).toMatch(/^occurrenceKey: .*waiting for .*handleplan\/.*\/0.* to be confirmed first/);
  });

  it("refuses a confirmed occurrence, an unknown one and a short reason, writing nothing", async () => {
    // Prepare: the leader confirmed it themselves
    await table.stores.instances.recordConfirmation({
      instanceId: seeded.instanceId,
      occurrenceKey: seeded.plan,
      at: NOW,
      by: "leader",
    });
    // Act / Assess
    expect(await refusal(confirmFor, { occurrenceKey: seeded.plan })).toMatch(
      /^occurrenceKey: .*confirmed already/,
    );
    expect(await refusal(confirmFor, { occurrenceKey: "handleplan/no-such-school/0" })).toMatch(
      /^occurrenceKey: the instance has no occurrence/,
    );
    expect(await refusal(confirmFor, { occurrenceKey: "no key" })).toMatch(
      /^occurrenceKey: must be an occurrence key/,
    );
    expect(await refusal(confirmFor, { occurrenceKey: seeded.followUp, reason: "x" })).toMatch(
      /reason.*at least 3/s,
    );
  });

  it("refuses a save prepared at an older rev, and writes nothing", async () => {
    // Prepare: the deadline moved after the preview at rev 0
    await saveAction(
      deps(),
      seeded.instanceId,
      action("move-deadline"),
      { occurrenceKey: seeded.plan, to: "2024-11-10", reason: "Udsat" },
      { by: "bo" },
    );
    const before = await table.snapshot();
    // Act
    const late = saveAction(
      deps(),
      seeded.instanceId,
      confirmFor,
      { occurrenceKey: seeded.plan, reason: "Lederen er syg", expectedRev: 0 },
      { by: ANNA },
    );
    // Assess
    await expect(late).rejects.toBeInstanceOf(ConflictError);
    expect(await table.snapshot()).toEqual(before);
  });
});

describe("undoing a confirmation", () => {
  /** The leader confirmed the plan by mistake, and the loop sent the follow-up's mail. */
  async function confirmedByMistake() {
    await table.stores.instances.recordConfirmation({
      instanceId: seeded.instanceId,
      occurrenceKey: seeded.plan,
      at: NOW,
      by: "recipient:unitLeader:x",
    });
    expect((await loopStep()).notifications.map((n) => n.kind)).toEqual(["activated"]);
    clock.set("2024-10-02T06:00:00Z");
  }

  it("previews the reopened plan's reminders and the owner's mail, and writes nothing", async () => {
    // Prepare
    await confirmedByMistake();
    const before = await table.snapshot();
    // Act
    const preview = await previewAction(
      deps(),
      seeded.instanceId,
      undo,
      { occurrenceKey: seeded.plan, reason: "Bekræftet ved en fejl" },
      { by: ANNA },
    );
    // Assess: the plan's reminders come back, the follow-up waits again, the owner is told now
    expect(preview.addedNotifications.length).toBeGreaterThanOrEqual(2);
    expect(preview.addedNotifications.every((n) => n.occurrenceKey === seeded.plan)).toBe(true);
    expect(preview.cancelledNotifications.every((n) => n.occurrenceKey === seeded.followUp)).toBe(true);
    expect(preview.cancelledNotifications.length).toBeGreaterThanOrEqual(1);
    expect(preview.sendsNow.map((n) => [n.kind, n.occurrenceKey, n.recipient, n.reopened])).toEqual([
      [
        "reopened",
        seeded.plan,
        { kind: "unitLeader", unitId: seeded.unitId },
        { by: ANNA, reason: "Bekræftet ved en fejl" },
      ],
    ]);
    expect(await table.snapshot()).toEqual(before);
  });

  it("reopens it at its planned deadline with who and why, and the owner gets one mail, once", async () => {
    // Prepare
    await confirmedByMistake();
    await table.stores.tokens.park(seeded.instanceId, "token-2", 1, { ...execution(), loops: 2 });
    // Act
    const saved = await saveAction(
      deps(),
      seeded.instanceId,
      undo,
      { occurrenceKey: seeded.plan, reason: "Bekræftet ved en fejl", expectedRev: 1 },
      { by: ANNA },
    );
    // Assess: the store and the trail
    expect(signaller.wakes).toEqual([{ taskToken: "token-2", reason: "confirmation.undone" }]);
    const record = await table.stores.instances.getMilestone(seeded.instanceId, seeded.plan);
    expect(record).toMatchObject({
      status: "open",
      dueAt: DUE_AT,
      reopened: { at: "2024-10-02T06:00:00Z", by: ANNA, reason: "Bekræftet ved en fejl" },
    });
    expect(record?.confirmedAt).toBeUndefined();
    const trail = await table.stores.audit.list(seeded.instanceId);
    expect(trail.find((e) => e.action === "confirmation.undone")).toMatchObject({
      by: ANNA,
      details: {
        reason: "Bekræftet ved en fejl",
        occurrenceKey: seeded.plan,
        confirmedAt: NOW,
        confirmedBy: "recipient:unitLeader:x",
      },
    });
    // The loop tells the owner, as the preview said; the next step sends nothing more
    const first = await loopStep();
    expect(first.notifications.map((n) => n.key)).toEqual(saved.preview.sendsNow.map((n) => n.key));
    expect(first.notifications.map((n) => n.kind)).toEqual(["reopened"]);
    const second = await loopStep();
    expect(second.notifications).toEqual([]);
    const mails = (await outbox.mails()).filter((m) => m.subject?.startsWith("Din bekræftelse er fortrudt"));
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.to).toMatchObject({ value: [{ address: LEADER.email }] });
    expect(mail?.text).toContain(
      "Din bekræftelse af milepælen »Lokal handleplan« i »Stærke fællesskaber« for Vejleåskolen er fortrudt",
    );
    expect(mail?.text).toContain("Det er gjort af Anna Andersen.");
    expect(mail?.text).toContain("Begrundelse: Bekræftet ved en fejl");
    expect(mail?.text).toMatch(/https:\/\/fristflow\.ishoj\.example\/confirm\/\S+/);
    // Confirmed again and undone again: a new undoing, a new mail
    await table.stores.instances.recordConfirmation({
      instanceId: seeded.instanceId,
      occurrenceKey: seeded.plan,
      at: "2024-10-03T06:00:00Z",
      by: "recipient:unitLeader:x",
    });
    clock.set("2024-10-04T06:00:00Z");
    await saveAction(
      deps(),
      seeded.instanceId,
      undo,
      { occurrenceKey: seeded.plan, reason: "Igen en fejl" },
      {
        by: ANNA,
      },
    );
    expect((await loopStep()).notifications.map((n) => n.kind)).toEqual(["reopened"]);
  });

  it("refuses an occurrence that is not confirmed, and writes nothing", async () => {
    expect(await refusal(undo, { occurrenceKey: seeded.plan })).toMatch(/^occurrenceKey: .*is not confirmed/);
    expect(await refusal(undo, { occurrenceKey: "handleplan/no-such-school/0" })).toMatch(/no occurrence/);
  });

  it("refuses a save prepared at an older rev, and writes nothing", async () => {
    // Prepare: confirmed (rev 1), then moved on by somebody else after the preview
    await confirmedByMistake();
    await saveAction(
      deps(),
      seeded.instanceId,
      undo,
      { occurrenceKey: seeded.plan, reason: "Første fortrydelse" },
      { by: "bo" },
    );
    const before = await table.snapshot();
    // Act
    const late = saveAction(
      deps(),
      seeded.instanceId,
      undo,
      { occurrenceKey: seeded.plan, reason: "Anden fortrydelse", expectedRev: 1 },
      { by: ANNA },
    );
    // Assess
    await expect(late).rejects.toBeInstanceOf(ConflictError);
    expect(await table.snapshot()).toEqual(before);
  });
});
