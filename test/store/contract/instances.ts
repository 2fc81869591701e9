import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../../shared/store/index.ts";
import { ManualClock } from "../../../shared/time/clock.ts";
import { failure, occurrence, runningInstance, uniqueId, workflow } from "../fixtures.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

export function instanceContract(setup: StoreSetup): void {
  const clock = new ManualClock("2024-05-01T06:00:00Z");
  let table: StoreHarness;

  beforeAll(async () => {
    table = await setup.create(clock);
  });
  afterAll(async () => {
    await table.drop();
  });

  describe("createInstance", () => {
    it("stores a running instance at rev 0 with an audit entry", async () => {
      // Prepare
      const workflowId = uniqueId("wf");
      await table.stores.workflows.putVersion({
        workflowId,
        source: "x",
        definition: workflow(workflowId),
        createdBy: "a",
      });
      const instanceId = uniqueId("inst");
      // Act
      const created = await table.stores.instances.create({
        instanceId,
        workflowId,
        workflowVersion: 1,
        startAt: "2024-06-01T22:00:00Z",
        params: { sag: "S-42", antal: 3, haster: true },
        units: [{ id: "skole-a", type: "skole", name: "Skole A" }],
        createdBy: "anna",
      });
      // Assess
      const stored = await table.stores.instances.get(instanceId);
      expect(stored).toEqual(created);
      expect(stored).toMatchObject({
        status: "running",
        rev: 0,
        workflowVersion: 1,
        params: { sag: "S-42", antal: 3, haster: true },
        dueOverrides: {},
        execution: { startedAt: "2024-05-01T06:00:00Z", loops: 0 },
      });
      const audit = await table.stores.audit.list(instanceId);
      expect(audit.map((e) => [e.action, e.by])).toEqual([["instance.created", "anna"]]);
    });

    it("refuses an unknown workflow version", async () => {
      // Prepare
      const workflowId = uniqueId("wf");
      await table.stores.workflows.putVersion({
        workflowId,
        source: "x",
        definition: workflow(workflowId),
        createdBy: "a",
      });
      const instanceId = uniqueId("inst");
      // Act
      const creating = table.stores.instances.create({
        instanceId,
        workflowId,
        workflowVersion: 2,
        startAt: "2024-06-01T22:00:00Z",
        params: {},
        units: [],
        createdBy: "a",
      });
      // Assess
      await expect(creating).rejects.toBeInstanceOf(NotFoundError);
      expect(await table.stores.instances.get(instanceId)).toBeNull();
      expect(await table.stores.audit.list(instanceId)).toEqual([]);
    });

    it("refuses an id that is taken, leaving the first instance as it was", async () => {
      // Prepare
      const instanceId = await runningInstance(table.stores, [], { params: { sag: "first" } });
      // Act
      const again = runningInstance(table.stores, [], { instanceId, params: { sag: "second" } });
      // Assess
      await expect(again).rejects.toBeInstanceOf(ConflictError);
      expect((await table.stores.instances.get(instanceId))?.params).toEqual({ sag: "first" });
    });
  });

  describe("listInstances", () => {
    it("lists newest first and filters by workflow and status", async () => {
      // Prepare
      const workflowId = uniqueId("wf");
      await table.stores.workflows.putVersion({
        workflowId,
        source: "x",
        definition: workflow(workflowId),
        createdBy: "a",
      });
      const older = await runningInstance(table.stores, [], { workflowId });
      clock.advance("PT1M");
      const newer = await runningInstance(table.stores, [], { workflowId });
      await table.stores.instances.cancel(older, "admin");
      // Act
      const all = await table.stores.instances.list({ workflowId });
      const running = await table.stores.instances.list({ workflowId, status: "running" });
      // Assess
      expect(all.map((i) => i.instanceId)).toEqual([newer, older]);
      expect(all[1]).toMatchObject({ status: "cancelled", workflowId, workflowVersion: 1 });
      // The list index carries summaries only: no params, no counters.
      expect(all[0]).not.toHaveProperty("params");
      expect(all[0]).not.toHaveProperty("rev");
      expect(running.map((i) => i.instanceId)).toEqual([newer]);
    });
  });

  describe("loadState", () => {
    it("assembles decide()'s input from one partition", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [
        occurrence("plan/-/0", "2024-06-01T21:59:00Z"),
        occurrence("status/skole-a/0", "2024-07-01T21:59:00Z"),
      ]);
      await table.stores.instances.recordConfirmation({
        instanceId: id,
        occurrenceKey: "plan/-/0",
        at: "2024-05-02T10:00:00Z",
        by: "leder",
      });
      (await table.stores.notifications.claim(id, "n1", "w", 60)).claimed;
      await table.stores.notifications.markSent(id, "n1");
      (await table.stores.notifications.claim(id, "n2", "w", 60)).claimed;
      await table.stores.instances.moveDeadline(id, "status/skole-a/0", "2024-08-01T21:59:00Z", "admin");
      await table.stores.tokens.park(id, "token", 2, {
        id: "e",
        startedAt: "2024-05-01T06:00:00Z",
        loops: 7,
      });
      // Act
      const loaded = await table.stores.instances.loadState(id);
      // Assess
      expect(loaded.state).toEqual({
        instanceId: id,
        startAt: "2024-01-01T08:00:00Z",
        params: { sag: "S-1" },
        units: [{ id: "skole-a", type: "skole", name: "Skole A" }],
        confirmations: [{ occurrenceKey: "plan/-/0", at: "2024-05-02T10:00:00Z", by: "leder" }],
        sent: ["n1"],
        dueOverrides: { "status/skole-a/0": "2024-08-01T21:59:00Z" },
        execution: { startedAt: "2024-05-01T06:00:00Z", loops: 7 },
      });
      expect(loaded.instance.rev).toBe(2);
      expect(loaded.milestones.map((m) => [m.occurrenceKey, m.status, m.dueAt])).toEqual([
        ["plan/-/0", "confirmed", "2024-06-01T21:59:00Z"],
        ["status/skole-a/0", "open", "2024-08-01T21:59:00Z"],
      ]);
    });

    it("includes cancelledAt once cancelled", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      // Act
      await table.stores.instances.cancel(id, "admin", "sagen er lukket");
      // Assess
      expect((await table.stores.instances.loadState(id)).state.cancelledAt).toBe(clock.now().toString());
    });

    it("throws NotFoundError for an unknown instance", async () => {
      await expect(table.stores.instances.loadState(uniqueId("nope"))).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe("syncOccurrences", () => {
    it("writes new and changed occurrences only", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [
        occurrence("a/-/0", "2024-06-01T21:59:00Z"),
        occurrence("b/-/0", "2024-06-02T21:59:00Z"),
      ]);
      // Act
      const result = await table.stores.instances.syncOccurrences(id, [
        occurrence("a/-/0", "2024-06-01T21:59:00Z"),
        occurrence("b/-/0", "2024-06-09T21:59:00Z"),
        occurrence("c/-/0", null),
      ]);
      // Assess
      expect(result.written).toBe(2);
      const milestones = await table.stores.instances.listMilestones(id);
      expect(milestones.map((m) => [m.occurrenceKey, m.dueAt, m.status])).toEqual([
        ["a/-/0", "2024-06-01T21:59:00Z", "open"],
        ["b/-/0", "2024-06-09T21:59:00Z", "open"],
        ["c/-/0", null, "open"],
      ]);
      expect(milestones[0]).toMatchObject({ milestoneId: "a", unitId: null, index: 0, confirmable: true });
    });

    it("stores fan-out and recurrence coordinates", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      // Act
      await table.stores.instances.syncOccurrences(id, [
        occurrence("status/skole-a/3", "2027-05-31T21:59:00Z"),
      ]);
      // Assess
      expect(await table.stores.instances.listMilestones(id)).toEqual([
        expect.objectContaining({ milestoneId: "status", unitId: "skole-a", index: 3, instanceId: id }),
      ]);
    });

    it("never reopens a confirmed milestone, even with stale knowledge", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      const stale = await table.stores.instances.listMilestones(id);
      await table.stores.instances.recordConfirmation({
        instanceId: id,
        occurrenceKey: "a/-/0",
        at: "2024-05-03T08:00:00Z",
        by: "x",
      });
      // Act
      await table.stores.instances.syncOccurrences(id, [occurrence("a/-/0", "2024-06-05T21:59:00Z")], stale);
      // Assess
      const [milestone] = await table.stores.instances.listMilestones(id);
      expect(milestone).toMatchObject({
        status: "confirmed",
        confirmedAt: "2024-05-03T08:00:00Z",
        dueAt: "2024-06-05T21:59:00Z",
      });
      expect(
        (await table.stores.dueIndex.overdue("2030-01-01T00:00:00Z")).some((m) => m.instanceId === id),
      ).toBe(false);
    });
  });

  describe("recordConfirmation", () => {
    it("confirms once: milestone, rev + 1 and audit together", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      // Act
      const result = await table.stores.instances.recordConfirmation({
        instanceId: id,
        occurrenceKey: "a/-/0",
        at: "2024-05-20T12:00:00Z",
        by: "unitLeader:skole-a",
        linkId: "link-1",
      });
      // Assess
      expect(result).toEqual({ status: "confirmed", finished: false });
      const [milestone] = await table.stores.instances.listMilestones(id);
      expect(milestone).toMatchObject({
        status: "confirmed",
        confirmedAt: "2024-05-20T12:00:00Z",
        confirmedBy: "unitLeader:skole-a",
        linkId: "link-1",
      });
      expect((await table.stores.instances.get(id))?.rev).toBe(1);
      const audit = await table.stores.audit.list(id);
      expect(audit.at(-1)).toMatchObject({
        action: "confirmation.recorded",
        by: "unitLeader:skole-a",
        details: { occurrenceKey: "a/-/0", at: "2024-05-20T12:00:00Z", linkId: "link-1" },
      });
    });

    it("keeps the closing mark on an open milestone, moves it with the rev and takes it off", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      const marked = [occurrence("a/-/0", "2024-06-01T21:59:00Z", { closesAtRev: 0 })];
      // Act
      const mark = await table.stores.instances.syncOccurrences(
        id,
        marked,
        await table.stores.instances.listMilestones(id),
      );
      const afterMark = await table.stores.instances.getMilestone(id, "a/-/0");
      const same = await table.stores.instances.syncOccurrences(
        id,
        marked,
        await table.stores.instances.listMilestones(id),
      );
      const moved = await table.stores.instances.syncOccurrences(
        id,
        [occurrence("a/-/0", "2024-06-01T21:59:00Z", { closesAtRev: 3 })],
        await table.stores.instances.listMilestones(id),
      );
      const afterMove = await table.stores.instances.getMilestone(id, "a/-/0");
      const unmark = await table.stores.instances.syncOccurrences(
        id,
        [occurrence("a/-/0", "2024-06-01T21:59:00Z")],
        await table.stores.instances.listMilestones(id),
      );
      // Assess
      expect([mark.written, same.written, moved.written, unmark.written]).toEqual([1, 0, 1, 1]);
      expect([afterMark?.closesAtRev, afterMove?.closesAtRev]).toEqual([0, 3]);
      expect((await table.stores.instances.getMilestone(id, "a/-/0"))?.closesAtRev).toBeUndefined();
    });

    it("finishes the instance with the confirmation of the milestone marked at the current rev", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [
        occurrence("a/-/0", "2024-06-01T21:59:00Z", { closesAtRev: 0 }),
      ]);
      // Act
      const result = await table.stores.instances.recordConfirmation({
        instanceId: id,
        occurrenceKey: "a/-/0",
        at: "2024-05-20T12:00:00Z",
        by: "unitLeader:skole-a",
        linkId: "link-1",
        closesAtRev: 0,
      });
      // Assess
      expect(result).toEqual({ status: "confirmed", finished: true });
      const instance = await table.stores.instances.get(id);
      expect(instance).toMatchObject({ status: "done", rev: 1 });
      expect(instance?.finishedAt).toEqual(expect.any(String));
      const milestone = await table.stores.instances.getMilestone(id, "a/-/0");
      expect(milestone).toMatchObject({ status: "confirmed", linkId: "link-1" });
      expect(milestone?.closesAtRev).toBeUndefined();
      const actions = (await table.stores.audit.list(id)).map((e) => e.action);
      expect(actions.slice(-2)).toEqual(["confirmation.recorded", "instance.done"]);
      expect((await table.stores.audit.list(id)).at(-1)?.details).toEqual({
        reason: "every milestone is complete",
      });
    });

    it("records a confirmation alone when the instance changed since the milestone was marked", async () => {
      // Prepare: marked at rev 0, then a deadline moved (rev 1)
      const id = await runningInstance(table.stores, [
        occurrence("a/-/0", "2024-06-01T21:59:00Z", { closesAtRev: 0 }),
        occurrence("b/-/0", "2024-06-02T21:59:00Z"),
      ]);
      await table.stores.instances.moveDeadline(id, "b/-/0", "2024-07-02T21:59:00Z", "admin:test");
      // Act
      const result = await table.stores.instances.recordConfirmation({
        instanceId: id,
        occurrenceKey: "a/-/0",
        at: "2024-05-20T12:00:00Z",
        by: "unitLeader:skole-a",
        closesAtRev: 0,
      });
      // Assess
      expect(result).toEqual({ status: "confirmed", finished: false });
      expect(await table.stores.instances.get(id)).toMatchObject({ status: "running", rev: 2 });
      const actions = (await table.stores.audit.list(id)).map((e) => e.action);
      expect(actions.at(-1)).toBe("confirmation.recorded");
      expect(actions).not.toContain("instance.done");
    });

    it("reads a milestone and the parked token at once, and takes the token with the confirmation", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      const empty = await table.stores.instances.getForConfirmation(id, "a/-/0");
      await table.stores.tokens.park(id, "token-1", 0, { startedAt: "2024-05-01T06:00:00Z", loops: 1 });
      const read = await table.stores.instances.getForConfirmation(id, "a/-/0");
      // Act
      const result = await table.stores.instances.recordConfirmation({
        instanceId: id,
        occurrenceKey: "a/-/0",
        at: "2024-05-20T12:00:00Z",
        by: "unitLeader:skole-a",
        parkedToken: read.parkedToken,
      });
      // Assess
      expect(empty).toMatchObject({
        milestone: { occurrenceKey: "a/-/0", status: "open" },
        parkedToken: null,
      });
      expect(read.parkedToken).toBe("token-1");
      expect(result).toEqual({ status: "confirmed", finished: false, takenToken: "token-1" });
      const instance = await table.stores.instances.get(id);
      expect(instance?.taskToken).toBeUndefined();
      expect(instance?.rev).toBe(1);
      expect(await table.stores.tokens.take(id)).toBeNull();
    });

    it("takes the token parked now when the one read was taken or replaced meanwhile", async () => {
      // Prepare: read with no token parked; the loop then parks one before the confirmation
      const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      const read = await table.stores.instances.getForConfirmation(id, "a/-/0");
      await table.stores.tokens.park(id, "token-late", 0, { startedAt: "2024-05-01T06:00:00Z", loops: 1 });
      // Act
      const result = await table.stores.instances.recordConfirmation({
        instanceId: id,
        occurrenceKey: "a/-/0",
        at: "2024-05-20T12:00:00Z",
        by: "unitLeader:skole-a",
        parkedToken: read.parkedToken,
      });
      // Assess: exactly one wake is owed, to the token parked when the confirmation was written
      expect(read.parkedToken).toBeNull();
      expect(result).toEqual({ status: "confirmed", finished: false, takenToken: "token-late" });
      expect((await table.stores.instances.get(id))?.taskToken).toBeUndefined();
      const audit = (await table.stores.audit.list(id)).filter((e) => e.action === "confirmation.recorded");
      expect(audit).toHaveLength(1);
    });

    it("answers a repeat with the first confirmation's time and changes nothing", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      await table.stores.instances.recordConfirmation({
        instanceId: id,
        occurrenceKey: "a/-/0",
        at: "2024-05-20T12:00:00Z",
        by: "first",
      });
      // Act
      const again = await table.stores.instances.recordConfirmation({
        instanceId: id,
        occurrenceKey: "a/-/0",
        at: "2024-05-21T12:00:00Z",
        by: "second",
      });
      // Assess
      expect(again).toEqual({ status: "already", at: "2024-05-20T12:00:00Z", by: "first" });
      expect((await table.stores.instances.get(id))?.rev).toBe(1);
      expect(
        (await table.stores.audit.list(id)).filter((e) => e.action === "confirmation.recorded"),
      ).toHaveLength(1);
    });

    it("lets exactly one of two concurrent confirmations win", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      const attempts = [
        { at: "2024-05-20T12:00:00Z", by: "first" },
        { at: "2024-05-20T12:00:01Z", by: "second" },
      ];
      // Act
      const results = await Promise.all(
        attempts.map((a) =>
          table.stores.instances.recordConfirmation({ instanceId: id, occurrenceKey: "a/-/0", ...a }),
        ),
      );
      // Assess
      const winners = results.filter((r) => r.status === "confirmed");
      const losers = results.flatMap((r) => (r.status === "already" ? [r] : []));
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const [milestone] = await table.stores.instances.listMilestones(id);
      expect(losers[0]?.at).toBe(milestone?.confirmedAt);
      expect(attempts.map((a) => a.at)).toContain(milestone?.confirmedAt);
      expect((await table.stores.instances.get(id))?.rev).toBe(1);
      expect(
        (await table.stores.audit.list(id)).filter((e) => e.action === "confirmation.recorded"),
      ).toHaveLength(1);
    });

    it("throws NotFoundError for an unknown occurrence or instance", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      // Act
      const unknownOccurrence = await failure(
        table.stores.instances.recordConfirmation({
          instanceId: id,
          occurrenceKey: "zz/-/0",
          at: "2024-05-20T12:00:00Z",
          by: "x",
        }),
      );
      const unknownInstance = await failure(
        table.stores.instances.recordConfirmation({
          instanceId: uniqueId("nope"),
          occurrenceKey: "a/-/0",
          at: "2024-05-20T12:00:00Z",
          by: "x",
        }),
      );
      // Assess
      expect(unknownOccurrence).toBeInstanceOf(NotFoundError);
      expect(unknownInstance).toBeInstanceOf(NotFoundError);
      expect((await table.stores.instances.get(id))?.rev).toBe(0);
    });

    it("refuses a cancelled instance and a period marker with ConflictError", async () => {
      // Prepare
      const cancelled = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      await table.stores.instances.cancel(cancelled, "admin");
      const marker = await runningInstance(table.stores, [
        occurrence("periode/-/0", "2024-06-01T21:59:00Z", { confirmable: false }),
      ]);
      // Act
      const onCancelled = await failure(
        table.stores.instances.recordConfirmation({
          instanceId: cancelled,
          occurrenceKey: "a/-/0",
          at: "2024-05-20T12:00:00Z",
          by: "x",
        }),
      );
      const onMarker = await failure(
        table.stores.instances.recordConfirmation({
          instanceId: marker,
          occurrenceKey: "periode/-/0",
          at: "2024-05-20T12:00:00Z",
          by: "x",
        }),
      );
      // Assess
      expect(onCancelled).toBeInstanceOf(ConflictError);
      expect(onMarker).toBeInstanceOf(ConflictError);
      expect((await table.stores.instances.listMilestones(cancelled))[0]?.status).toBe("open");
      expect((await table.stores.instances.listMilestones(marker))[0]?.status).toBe("open");
    });
  });

  describe("moveDeadline", () => {
    it("moves the due date now, stores the override, bumps rev and audits", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      // Act
      await table.stores.instances.moveDeadline(id, "a/-/0", "2024-06-15T21:59:00Z", "admin:anna");
      // Assess
      const instance = await table.stores.instances.get(id);
      expect(instance?.rev).toBe(1);
      expect(instance?.dueOverrides).toEqual({ "a/-/0": "2024-06-15T21:59:00Z" });
      expect((await table.stores.instances.listMilestones(id))[0]?.dueAt).toBe("2024-06-15T21:59:00Z");
      const due = await table.stores.dueIndex.dueBetween("2024-06-15T00:00:00Z", "2024-06-16T00:00:00Z");
      expect(due.filter((m) => m.instanceId === id).map((m) => m.occurrenceKey)).toEqual(["a/-/0"]);
      expect((await table.stores.audit.list(id)).at(-1)).toMatchObject({
        action: "deadline.moved",
        by: "admin:anna",
        details: { occurrenceKey: "a/-/0", from: "2024-06-01T21:59:00Z", to: "2024-06-15T21:59:00Z" },
      });
    });

    it("accepts an occurrence not synced yet (the override reaches it on the next plan)", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      // Act
      await table.stores.instances.moveDeadline(id, "later/-/0", "2024-09-01T21:59:00Z", "admin");
      // Assess
      expect((await table.stores.instances.get(id))?.dueOverrides).toEqual({
        "later/-/0": "2024-09-01T21:59:00Z",
      });
      expect(await table.stores.instances.listMilestones(id)).toEqual([]);
    });

    it("refuses a confirmed milestone and a cancelled instance", async () => {
      // Prepare
      const confirmed = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      await table.stores.instances.recordConfirmation({
        instanceId: confirmed,
        occurrenceKey: "a/-/0",
        at: "2024-05-20T12:00:00Z",
        by: "x",
      });
      const cancelled = await runningInstance(table.stores, [occurrence("a/-/0", "2024-06-01T21:59:00Z")]);
      await table.stores.instances.cancel(cancelled, "admin");
      // Act
      const onConfirmed = await failure(
        table.stores.instances.moveDeadline(confirmed, "a/-/0", "2024-07-01T21:59:00Z", "admin"),
      );
      const onCancelled = await failure(
        table.stores.instances.moveDeadline(cancelled, "a/-/0", "2024-07-01T21:59:00Z", "admin"),
      );
      // Assess
      expect(onConfirmed).toBeInstanceOf(ConflictError);
      expect(onCancelled).toBeInstanceOf(ConflictError);
      expect((await table.stores.instances.get(confirmed))?.dueOverrides).toEqual({});
      expect((await table.stores.instances.listMilestones(cancelled))[0]?.dueAt).toBe("2024-06-01T21:59:00Z");
    });
  });

  describe("cancelInstance and finishInstance", () => {
    it("cancels once, bumps rev, audits and takes open milestones off the overdue list", async () => {
      // Prepare
      const id = await runningInstance(table.stores, [occurrence("a/-/0", "2024-04-01T21:59:00Z")]);
      expect((await table.stores.dueIndex.overdue()).some((m) => m.instanceId === id)).toBe(true);
      // Act
      const first = await table.stores.instances.cancel(id, "admin:anna", "fejloprettet");
      const second = await table.stores.instances.cancel(id, "admin:bo");
      // Assess
      expect(first).toEqual({ status: "cancelled" });
      expect(second).toEqual({ status: "already", at: clock.now().toString() });
      const instance = await table.stores.instances.get(id);
      expect(instance).toMatchObject({ status: "cancelled", rev: 1, cancelledAt: clock.now().toString() });
      expect((await table.stores.dueIndex.overdue()).some((m) => m.instanceId === id)).toBe(false);
      expect((await table.stores.audit.list(id)).map((e) => e.action)).toEqual([
        "instance.created",
        "instance.cancelled",
      ]);
    });

    it("refuses to cancel a finished instance and to finish a cancelled one", async () => {
      // Prepare
      const done = await runningInstance(table.stores);
      await table.stores.instances.finish(done, "done");
      const cancelled = await runningInstance(table.stores);
      await table.stores.instances.cancel(cancelled, "admin");
      // Act
      const cancelling = await failure(table.stores.instances.cancel(done, "admin"));
      const finishing = await failure(table.stores.instances.finish(cancelled, "done"));
      // Assess
      expect(cancelling).toBeInstanceOf(ConflictError);
      expect(finishing).toBeInstanceOf(ConflictError);
      expect((await table.stores.instances.get(done))?.status).toBe("done");
      expect((await table.stores.instances.get(cancelled))?.status).toBe("cancelled");
    });

    it("finishes idempotently with finishedAt and an audit entry", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      // Act
      await table.stores.instances.finish(id, "failed", "definition invalid");
      await table.stores.instances.finish(id, "failed");
      // Assess
      expect(await table.stores.instances.get(id)).toMatchObject({
        status: "failed",
        finishedAt: clock.now().toString(),
      });
      expect((await table.stores.audit.list(id)).filter((e) => e.action === "instance.failed")).toEqual([
        expect.objectContaining({ details: { reason: "definition invalid" } }),
      ]);
    });

    it("throws NotFoundError when cancelling or finishing an unknown instance", async () => {
      await expect(table.stores.instances.cancel(uniqueId("nope"), "admin")).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(table.stores.instances.finish(uniqueId("nope"), "done")).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });
  });
}
