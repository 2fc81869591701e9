/**
 * Issue 11, change 4: putting an instance on hold and resuming it, keeping its deadlines or
 * shifting them by the pause, through the calls the API and the dashboard use (previewAction,
 * saveAction) on the in-memory stores, then the loop's own deciding step.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../shared/app/admin-input.ts";
import { runDecide } from "../../shared/app/decide-step.ts";
import { runNotify } from "../../shared/app/notify.ts";
import type { SteerAction } from "../../shared/app/steer/actions.ts";
import { previewAction, saveAction, steerAction } from "../../shared/app/steer/actions.ts";
import { proposeResume } from "../../shared/app/steer/resume.ts";
import { auditLines } from "../../shared/dashboard/instances/audit.ts";
import { dashboardStrings } from "../../shared/dashboard/strings.ts";
import { ConflictError } from "../../shared/store/errors.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { occurrenceStatus } from "../../shared/timeline/decide.ts";
import { upcomingNotifications } from "../../shared/timeline/upcoming.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import {
  createOutbox,
  DUE_AT,
  execution,
  fixedLinkKey,
  MANAGER,
  notifyDeps,
  recordingSignaller,
  type Seeded,
  seedInstance,
} from "./fixtures.ts";

/** 10 October 2024 08:00 Copenhagen (CEST): before every reminder of the 31 October deadline. */
const HELD_AT = "2024-10-10T06:00:00Z";
const HOUR = 3_600_000;

let clock: ManualClock;
let table: MemoryTestTable;
let seeded: Seeded;
let signaller: ReturnType<typeof recordingSignaller>;
let hold: SteerAction;
let resume: SteerAction;

function deps() {
  return { ...table.stores, clock, signaller };
}

function action(name: string): SteerAction {
  const found = steerAction(name);
  if (found === undefined) throw new Error(`${name} is not registered`);
  return found;
}

async function holdAt(at: string, reason = "Afventer byrådets beslutning") {
  clock.set(at);
  return saveAction(deps(), seeded.instanceId, hold, { reason }, { by: "user:anna (Anna Berg)" });
}

async function resumeAt(at: string, deadlines: "keep" | "shift", extra: Record<string, unknown> = {}) {
  clock.set(at);
  return saveAction(
    deps(),
    seeded.instanceId,
    resume,
    { deadlines, reason: "Byrådet har besluttet", ...extra },
    { by: "user:bo (Bo Holm)" },
  );
}

async function definition() {
  const record = await table.stores.workflows.get(seeded.workflowId, 1);
  if (record === null) throw new Error("no workflow");
  return record.definition;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidInputError);
  return (error as InvalidInputError).errors.map((e) => `${e.path}: ${e.message}`).join("\n");
}

beforeEach(async () => {
  clock = new ManualClock(HELD_AT);
  table = await createMemoryTable({ clock });
  seeded = await seedInstance(table.stores);
  signaller = recordingSignaller();
  hold = action("hold");
  resume = action("resume");
  // The loop has run once: the milestone's state exists, as on a live instance.
  await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
});

describe("putting an instance on hold", () => {
  it("previews every planned mail as cancelled, nothing sent now, and writes nothing", async () => {
    // Prepare
    const before = await table.snapshot();
    const { state } = await table.stores.instances.loadState(seeded.instanceId);
    const planned = upcomingNotifications(await definition(), state, HELD_AT);
    expect(planned.length).toBeGreaterThanOrEqual(3);
    // Act
    const preview = await previewAction(
      deps(),
      seeded.instanceId,
      hold,
      { reason: "Afventer byrådet" },
      { by: "anna" },
    );
    // Assess
    expect(preview.cancelledNotifications.map((n) => n.key).sort()).toEqual(planned.map((n) => n.key).sort());
    expect(preview.sendsNow).toEqual([]);
    expect(preview.movedDeadlines).toEqual([]);
    expect(preview.addedNotifications).toEqual([]);
    expect(await table.snapshot()).toEqual(before);
  });

  it("saves the hold with who and why, wakes the loop, and the loop sends nothing while held", async () => {
    // Prepare: the loop is parked
    await table.stores.tokens.park(seeded.instanceId, "token-1", 0, { ...execution(), loops: 1 });
    // Act
    const saved = await holdAt(HELD_AT);
    // Assess: the instance, the trail, the wake
    expect(saved.wake).toEqual({ status: "woken" });
    expect(signaller.wakes).toEqual([{ taskToken: "token-1", reason: "instance.held" }]);
    const { instance, state } = await table.stores.instances.loadState(seeded.instanceId);
    expect(instance.hold).toEqual({
      since: HELD_AT,
      by: "user:anna (Anna Berg)",
      reason: "Afventer byrådets beslutning",
    });
    const trail = await table.stores.audit.list(seeded.instanceId);
    expect(trail.find((e) => e.action === "instance.held")).toMatchObject({
      by: "user:anna (Anna Berg)",
      details: { reason: "Afventer byrådets beslutning", since: HELD_AT },
    });
    expect(occurrenceStatus(await definition(), state, HELD_AT).map((o) => o.status)).toEqual(["on-hold"]);
    // Every reminder, the deadline and the escalations pass while it is held: nothing goes out
    for (const at of ["2024-10-17T06:00:00Z", "2024-10-31T07:00:00Z", "2024-11-20T12:00:00Z"]) {
      clock.set(at);
      const decided = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
      expect(decided.decision.notifications).toEqual([]);
      expect(decided.decision.done).toBe(false);
    }
  });

  it("refuses to hold an instance on hold already, and writes nothing", async () => {
    // Prepare
    await holdAt(HELD_AT);
    const before = await table.snapshot();
    // Act
    const said = await refusal(
      saveAction(deps(), seeded.instanceId, hold, { reason: "Igen" }, { by: "user:bo (Bo Holm)" }),
    );
    // Assess
    expect(said).toMatch(
      /hold: the instance is on hold already \(since 2024-10-10T06:00:00Z\); resume it first/,
    );
    expect(await table.snapshot()).toEqual(before);
  });

  it("refuses to hold an instance that no longer runs, and writes nothing", async () => {
    // Prepare
    await table.stores.instances.cancel(seeded.instanceId, "admin", "Fejlstart");
    const before = await table.snapshot();
    // Act
    const refused = saveAction(deps(), seeded.instanceId, hold, { reason: "For sent" }, { by: "anna" });
    // Assess
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    expect(await table.snapshot()).toEqual(before);
    expect(signaller.wakes).toEqual([]);
  });

  it("refuses a hold without a reason, and writes nothing", async () => {
    const before = await table.snapshot();
    const said = await refusal(saveAction(deps(), seeded.instanceId, hold, { reason: "" }, { by: "anna" }));
    expect(said).toMatch(/reason.*at least 3/s);
    expect(await table.snapshot()).toEqual(before);
  });
});

describe("resuming an instance", () => {
  it("refuses to resume an instance that is not on hold, and writes nothing", async () => {
    const before = await table.snapshot();
    const said = await refusal(resumeAt(HELD_AT, "keep"));
    expect(said).toMatch(/hold: the instance is not on hold/);
    expect(await table.snapshot()).toEqual(before);
  });

  it.each([
    [{}, /deadlines.*"keep".*"shift"/s],
    [{ deadlines: "later" }, /deadlines.*"keep".*"shift"/s],
  ])("refuses %j as the choice of deadlines, and writes nothing", async (fields, message) => {
    // Prepare
    await holdAt(HELD_AT);
    const before = await table.snapshot();
    // Act
    const said = await refusal(
      saveAction(deps(), seeded.instanceId, resume, { reason: "Videre", ...fields }, { by: "anna" }),
    );
    // Assess
    expect(said).toMatch(message);
    expect(await table.snapshot()).toEqual(before);
  });

  it("keeps the deadlines: the preview says what fell due in the pause, and that is what the loop sends", async () => {
    // Prepare: held over every reminder, the deadline (31 October) and two escalation moments
    await holdAt(HELD_AT);
    clock.set("2024-11-10T07:00:00Z");
    const before = await table.snapshot();
    // Act: the preview first, then the save
    const preview = await previewAction(
      deps(),
      seeded.instanceId,
      resume,
      { deadlines: "keep", reason: "Videre" },
      { by: "anna" },
    );
    expect(await table.snapshot()).toEqual(before);
    await table.stores.tokens.park(seeded.instanceId, "token-2", 1, { ...execution(), loops: 2 });
    const saved = await resumeAt("2024-11-10T07:00:00Z", "keep");
    // Assess: one escalation (the latest level due, numbered as the first), no stale reminders
    expect(preview.movedDeadlines).toEqual([]);
    expect(preview.sendsNow.map((n) => [n.kind, n.occurrenceKey])).toEqual([
      ["escalation", seeded.occurrenceKey],
    ]);
    expect(signaller.wakes).toEqual([{ taskToken: "token-2", reason: "instance.resumed" }]);
    const { instance } = await table.stores.instances.loadState(seeded.instanceId);
    expect(instance.hold).toBeUndefined();
    expect(instance.dueOverrides).toEqual({});
    const decided = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    expect(decided.decision.notifications.map((n) => n.key)).toEqual(
      saved.preview.sendsNow.map((n) => n.key),
    );
    expect(decided.decision.notifications[0]?.ordinal).toBe(1);
    const trail = await table.stores.audit.list(seeded.instanceId);
    expect(trail.find((e) => e.action === "instance.resumed")).toMatchObject({
      by: "user:bo (Bo Holm)",
      details: { reason: "Byrådet har besluttet", deadlines: "keep", heldSince: HELD_AT, shifted: [] },
    });
  });

  it("keeps the deadlines: the manager receives the one escalation the preview named, and nothing else", async () => {
    // Prepare: held over the reminders and the deadline, resumed ten days after it
    await holdAt(HELD_AT);
    const saved = await resumeAt("2024-11-10T07:00:00Z", "keep");
    const outbox = await createOutbox(clock);
    try {
      // Act: the loop's step, deciding then sending
      const { decision } = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
      const report = await runNotify(notifyDeps(table.stores, clock, outbox.transport, fixedLinkKey()), {
        instanceId: seeded.instanceId,
        notifications: decision.notifications,
      });
      // Assess: one mail, to the manager, as the first escalation
      expect(saved.preview.sendsNow.map((n) => n.recipient)).toEqual([
        { kind: "unitManager", unitId: seeded.unitId },
      ]);
      expect(report).toMatchObject({ sent: 1, failed: 0 });
      const mails = await outbox.mails();
      expect(mails.map((m) => m.to && !Array.isArray(m.to) && m.to.value.map((v) => v.address))).toEqual([
        [MANAGER.email],
      ]);
      expect(mails[0]?.subject ?? "").toMatch(/^Frist overskredet: Lokal handleplan/);
      expect(mails[0]?.text ?? "").toMatch(/rykker nr\. 1\b/i);
    } finally {
      await outbox.remove();
    }
  });

  it("shifts the open deadlines by the pause, and the loop plans from the new deadline", async () => {
    // Prepare: held for exactly five days (both ends in summer time)
    await holdAt(HELD_AT);
    clock.set("2024-10-15T06:00:00Z");
    const preview = await previewAction(
      deps(),
      seeded.instanceId,
      resume,
      { deadlines: "shift", reason: "Videre" },
      { by: "anna" },
    );
    // Act
    const saved = await resumeAt("2024-10-15T06:00:00Z", "shift", { expectedRev: preview.rev });
    // Assess: 31 October 23:59 → 5 November 23:59 Copenhagen
    const to = "2024-11-05T22:59:00Z";
    expect(preview.movedDeadlines).toEqual([
      {
        occurrenceKey: seeded.occurrenceKey,
        milestoneId: "handleplan",
        unitId: seeded.unitId,
        from: DUE_AT,
        to,
      },
    ]);
    expect(preview.sendsNow).toEqual([]);
    expect(saved.preview.movedDeadlines).toEqual(preview.movedDeadlines);
    const { instance } = await table.stores.instances.loadState(seeded.instanceId);
    expect(instance.hold).toBeUndefined();
    expect(instance.dueOverrides).toEqual({ [seeded.occurrenceKey]: to });
    const milestone = await table.stores.instances.getMilestone(seeded.instanceId, seeded.occurrenceKey);
    expect(milestone?.dueAt).toBe(to);
    const trail = await table.stores.audit.list(seeded.instanceId);
    expect(trail.find((e) => e.action === "instance.resumed")).toMatchObject({
      by: "user:bo (Bo Holm)",
      details: {
        deadlines: "shift",
        pausedFor: "P5D",
        pausedMs: 5 * 24 * HOUR,
        shifted: [{ occurrenceKey: seeded.occurrenceKey, from: DUE_AT, to }],
      },
    });
    // The P14D reminder moved from 17 to 22 October, 08:00 Copenhagen: the loop wakes for it
    const decided = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    expect(decided.decision.notifications).toEqual([]);
    expect(decided.decision.nextWakeAt).toBe("2024-10-22T06:00:00Z");
  });

  it("shifting does not send again, at resume, the reminder that went out before the hold", async () => {
    // Prepare: the 14-day reminder goes out on 17 October; held on the 20th, resumed on the 25th
    clock.set("2024-10-17T06:00:00Z");
    const outbox = await createOutbox(clock);
    try {
      const { decision } = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
      const sent = await runNotify(notifyDeps(table.stores, clock, outbox.transport, fixedLinkKey()), {
        instanceId: seeded.instanceId,
        notifications: decision.notifications,
      });
      expect(sent.sent).toBe(1);
    } finally {
      await outbox.remove();
    }
    await holdAt("2024-10-20T06:00:00Z");
    // Act
    const saved = await resumeAt("2024-10-25T06:00:00Z", "shift");
    // Assess: nothing at once; the loop wakes for the 3-day reminder of the new deadline (5 November),
    // on Friday 1 November as 2 November is a Saturday
    expect(saved.preview.movedDeadlines.map((m) => m.to)).toEqual(["2024-11-05T22:59:00Z"]);
    expect(saved.preview.sendsNow).toEqual([]);
    const decided = await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
    expect(decided.decision.notifications).toEqual([]);
    expect(decided.decision.nextWakeAt).toBe("2024-11-01T07:00:00Z");
    // The reminder counted as sent under its new key is in the trail, but not as a mail sent now
    const trail = await table.stores.audit.list(seeded.instanceId);
    const carried = trail.filter((e) => e.details?.carriedOver === true);
    expect(carried).toHaveLength(1);
    const names = { titles: new Map(), units: new Map(), recurring: new Set<string>() };
    const said = auditLines(trail, names, dashboardStrings("da")).map((l) => l.what);
    expect(said.filter((w) => /sendt til/.test(w))).toHaveLength(1);
  });

  it("measures a pause over the end of summer time in calendar days: 23:59 stays 23:59", async () => {
    // Prepare: Saturday 26 October 12:00 CEST to Monday 28 October 12:00 CET is two days, 49 hours
    await holdAt("2024-10-26T10:00:00Z");
    // Act
    const saved = await resumeAt("2024-10-28T11:00:00Z", "shift");
    // Assess: 31 October 23:59 CET → 2 November 23:59 CET (not 3 November 00:59)
    const to = "2024-11-02T22:59:00Z";
    expect(saved.preview.movedDeadlines.map((m) => m.to)).toEqual([to]);
    expect(Temporal.Instant.from(to).toZonedDateTimeISO("Europe/Copenhagen").toPlainTime().toString()).toBe(
      "23:59:00",
    );
    expect(saved.entry.details).toMatchObject({ pausedFor: "P2D", pausedMs: 49 * HOUR });
  });

  it("does not shift a deadline that had passed before the hold began", async () => {
    // Prepare: held after the deadline, while it is overdue
    await holdAt("2024-11-04T08:00:00Z");
    // Act
    const saved = await resumeAt("2024-11-08T08:00:00Z", "shift");
    // Assess
    expect(saved.preview.movedDeadlines).toEqual([]);
    expect(saved.entry.details).toMatchObject({ shifted: [] });
    const { instance } = await table.stores.instances.loadState(seeded.instanceId);
    expect(instance.dueOverrides).toEqual({});
    expect(instance.hold).toBeUndefined();
  });

  it("does not shift a deadline confirmed during the pause", async () => {
    // Prepare: the leader confirms while the instance is held
    await holdAt(HELD_AT);
    await table.stores.instances.recordConfirmation({
      instanceId: seeded.instanceId,
      occurrenceKey: seeded.occurrenceKey,
      at: "2024-10-12T09:00:00Z",
      by: "leader",
    });
    // Act
    const saved = await resumeAt("2024-10-15T06:00:00Z", "shift");
    // Assess
    expect(saved.entry.details).toMatchObject({ shifted: [] });
    expect((await table.stores.instances.loadState(seeded.instanceId)).instance.dueOverrides).toEqual({});
  });

  it("refuses a shift that would carry over more sent mails than one change can write, and says what to do", async () => {
    // Prepare: the held instance as the action sees it, with 99 mails sent for its deadline
    await holdAt(HELD_AT);
    clock.set("2024-10-15T06:00:00Z");
    const loaded = await table.stores.instances.loadState(seeded.instanceId);
    const sent = Array.from(
      { length: 99 },
      (_, i) => `${seeded.instanceId}/${seeded.occurrenceKey}/reminder/r${i}/${DUE_AT}`,
    );
    const context = {
      loaded: { ...loaded, state: { ...loaded.state, sent } },
      definition: await definition(),
      now: clock.now(),
      version: async () => null,
      directory: table.stores.units,
    };
    // Act
    const refused = (() => {
      try {
        proposeResume(context, { deadlines: "shift" }, { reason: "Videre", by: "anna" });
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    // Assess
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect((refused as InvalidInputError).errors[0]).toMatchObject({
      path: "deadlines",
      message: expect.stringMatching(/carries 99 sent mails .* resume with "keep"/),
    });
  });

  it("refuses a resume prepared before somebody else resumed, and writes nothing", async () => {
    // Prepare: held at rev 0 → 1; another person resumes (rev 2) after this preview at rev 1
    await holdAt(HELD_AT);
    await resumeAt("2024-10-12T06:00:00Z", "keep");
    const before = await table.snapshot();
    // Act
    const late = resumeAt("2024-10-12T06:05:00Z", "shift", { expectedRev: 1 });
    // Assess
    await expect(late).rejects.toBeInstanceOf(ConflictError);
    await expect(late).rejects.toThrow(/changed since/);
    expect(await table.snapshot()).toEqual(before);
  });
});
