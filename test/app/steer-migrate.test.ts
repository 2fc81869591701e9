/**
 * Issue 11, change 3: moving a running instance to a newer version of its workflow, on the
 * in-memory stores, through the calls the API and the dashboard use; then the loop's own deciding
 * step, to see that confirmations are kept and nobody is reminded twice.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../shared/app/admin-input.ts";
import { runDecide } from "../../shared/app/decide-step.ts";
import { previewAction, type SteerAction, saveAction, steerAction } from "../../shared/app/steer/actions.ts";
import { type Workflow, WorkflowSchema } from "../../shared/model/schema.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import { execution, LEADER, MANAGER, recordingSignaller } from "./fixtures.ts";

const NOW = "2024-10-01T06:00:00Z";
const ID = "migrering";

/** Version 1: a plan per school, a joint presentation, and a status per school. */
function version1(): Workflow {
  return WorkflowSchema.parse({
    id: ID,
    title: "Handleplaner",
    milestones: [
      { id: "plan", title: "Lokal handleplan", forEach: ["skole"], due: "2024-09-15" },
      { id: "status", title: "Status", forEach: ["skole"], due: "2024-11-30", reminders: ["P14D", "P3D"] },
      { id: "fremlaeggelse", title: "Fremlæggelse", owner: "unit:forvaltning", due: "2024-12-15" },
    ],
  });
}

/** Version 2: status renamed to statusrapport, the presentation gone, an anchoring step added. */
function version2(fanOutOfStatus: string[] = ["skole"]): Workflow {
  return WorkflowSchema.parse({
    id: ID,
    title: "Handleplaner",
    milestones: [
      { id: "plan", title: "Lokal handleplan", forEach: ["skole"], due: "2024-09-15" },
      {
        id: "statusrapport",
        title: "Statusrapport",
        forEach: fanOutOfStatus,
        due: "2024-11-30",
        reminders: ["P14D", "P3D"],
      },
      {
        id: "forankring",
        title: "Forankring",
        owner: "unit:forvaltning",
        due: "2025-03-01",
        after: ["plan"],
      },
    ],
  });
}

let clock: ManualClock;
let table: MemoryTestTable;
let migrate: SteerAction;
let instanceId: string;

function deps() {
  return { ...table.stores, clock, signaller: recordingSignaller() };
}

async function decideNow() {
  return runDecide(deps(), { instanceId, execution: execution() });
}

beforeEach(async () => {
  clock = new ManualClock(NOW);
  table = await createMemoryTable({ clock });
  const action = steerAction("migrate");
  if (action === undefined) throw new Error("migrate is not registered");
  migrate = action;
  for (const definition of [version1(), version2()]) {
    await table.stores.workflows.putVersion({
      workflowId: ID,
      source: "test",
      definition,
      createdBy: "admin",
    });
  }
  await table.stores.units.put({
    id: "skole-a",
    name: "Skole A",
    type: "skole",
    leader: LEADER,
    manager: MANAGER,
  });
  await table.stores.units.put({
    id: "forvaltning",
    name: "Forvaltningen",
    type: "forvaltning",
    leader: MANAGER,
  });
  instanceId = "migrering-1";
  await table.stores.instances.create({
    instanceId,
    workflowId: ID,
    workflowVersion: 1,
    startAt: "2024-08-01T06:00:00Z",
    params: {},
    units: [{ id: "skole-a", type: "skole", name: "Skole A" }],
    createdBy: "admin",
  });
  // The loop's first step writes the milestone states; the school confirms its plan; the
  // status reminder 14 days before (16 November) is not due yet.
  await decideNow();
  await table.stores.instances.recordConfirmation({
    instanceId,
    occurrenceKey: "plan/skole-a/0",
    at: "2024-09-10T08:00:00Z",
    by: "unitLeader:skole-a",
  });
});

describe("migrating a running instance to a newer version", () => {
  it("previews the plan per milestone (kept, renamed, removed, added) and writes nothing", async () => {
    // Prepare
    const before = await table.snapshot();
    // Act
    const preview = await previewAction(
      deps(),
      instanceId,
      migrate,
      { toVersion: 2, mapping: { status: "statusrapport" }, reason: "Byrådet vedtog en ny plan" },
      { by: "anna" },
    );
    // Assess
    expect(preview.audit.details).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      milestones: [
        { from: "plan", fate: "kept", to: "plan" },
        { from: "status", fate: "renamed", to: "statusrapport" },
        { from: "fremlaeggelse", fate: "removed", to: null },
      ],
      added: ["forankring"],
      removedOccurrences: ["fremlaeggelse/-/0"],
      confirmationsDropped: [],
    });
    expect(preview.addedOccurrences).toEqual(
      expect.arrayContaining(["statusrapport/skole-a/0", "forankring/-/0"]),
    );
    expect(preview.removedOccurrences).toEqual(
      expect.arrayContaining(["status/skole-a/0", "fremlaeggelse/-/0"]),
    );
    expect(await table.snapshot()).toEqual(before);
  });

  it("keeps the confirmation, carries the renamed milestone's sent reminder over, and the loop sends no duplicate", async () => {
    // Prepare: the status reminder 14 days before went out on 15 November under the old id
    clock.set("2024-11-15T08:00:00Z");
    const sentBefore = (await decideNow()).decision.notifications;
    expect(sentBefore.map((n) => n.occurrenceKey)).toContain("status/skole-a/0");
    for (const n of sentBefore) {
      await table.stores.notifications.claim(instanceId, n.key, "worker-1", 60);
      await table.stores.notifications.markSent(instanceId, n.key);
    }
    // Act
    const saved = await saveAction(
      deps(),
      instanceId,
      migrate,
      { mapping: { status: "statusrapport" }, reason: "Byrådet vedtog en ny plan" },
      { by: "anna" },
    );
    const after = await decideNow();
    // Assess
    const instance = await table.stores.instances.get(instanceId);
    expect(instance?.workflowVersion).toBe(2);
    expect(saved.entry).toMatchObject({ action: "instance.migrated", by: "anna" });
    const loaded = await table.stores.instances.loadState(instanceId);
    expect(loaded.state.confirmations.map((c) => c.occurrenceKey)).toEqual(["plan/skole-a/0"]);
    expect(loaded.milestones.map((m) => m.occurrenceKey).sort()).toEqual([
      "forankring/-/0",
      "plan/skole-a/0",
      "statusrapport/skole-a/0",
    ]);
    // The 14-day reminder was sent as status/…; the loop does not send it again as statusrapport/…
    expect(after.decision.notifications.filter((n) => n.kind === "reminder")).toEqual([]);
  });

  it.each([
    [{ toVersion: 1 }, "toVersion", /runs version 1; choose a newer version/],
    [{ toVersion: 7 }, "toVersion", /has no version 7/],
    [{ mapping: { status: "no-such" } }, "mapping.status", /version 2 has no milestone 'no-such'/],
    [{ mapping: { nonsense: null } }, "mapping.nonsense", /version 1 has no milestone 'nonsense'/],
    [{ mapping: { status: "plan" } }, "mapping.status", /both 'plan' and 'status' would become 'plan'/],
  ])("refuses %j at %s and writes nothing", async (fields, path, message) => {
    // Prepare
    const before = await table.snapshot();
    // Act
    const error = await saveAction(
      deps(),
      instanceId,
      migrate,
      { reason: "Ny plan", ...fields },
      { by: "anna" },
    ).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    const said = (error as InvalidInputError).errors;
    expect(said).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message) })]);
    expect(await table.snapshot()).toEqual(before);
  });

  it("refuses to carry a milestone over to one that fans out differently, and says what to do", async () => {
    // Prepare: version 3 makes the status one report for the whole instance
    await table.stores.workflows.putVersion({
      workflowId: ID,
      source: "test",
      definition: withoutFanOut(version2()),
      createdBy: "admin",
    });
    // Act
    const error = await previewAction(
      deps(),
      instanceId,
      migrate,
      { toVersion: 3, mapping: { status: "statusrapport" }, reason: "Ny plan" },
      { by: "anna" },
    ).catch((e: unknown) => e);
    // Assess
    expect((error as InvalidInputError).errors[0]?.message).toMatch(
      /'status' is per skole but 'statusrapport' in version 3 is for the whole instance.*remove it instead/,
    );
  });
});

/** Version 2 with the status report as one report for the whole instance. */
function withoutFanOut(definition: Workflow): Workflow {
  return {
    ...definition,
    milestones: definition.milestones.map((m) => {
      if (m.id !== "statusrapport") return m;
      const { forEach: _forEach, ...rest } = m;
      return { ...rest, owner: "unit:forvaltning" } as typeof m;
    }),
  };
}
