/**
 * Issue 11's property: after any sequence of changes to a running instance (moved deadlines,
 * units added and removed, confirmations on someone's behalf and undone, on hold and resumed with
 * the deadlines kept or shifted, time passing and the
 * loop's steps in between), decide() on the state as stored gives the same next mails and the
 * same statuses as decide() on the changed timeline worked out purely from the proposals — what
 * the preview promised is what the store keeps. A refused change writes nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../shared/app/admin-input.ts";
import { runDecide } from "../../shared/app/decide-step.ts";
import { steerAction } from "../../shared/app/steer/actions.ts";
import { applySteer, previewSteer } from "../../shared/app/steer/change.ts";
import { stateAfterChange } from "../../shared/app/steer/preview.ts";
import { type Workflow, WorkflowSchema } from "../../shared/model/schema.ts";
import { ConflictError } from "../../shared/store/errors.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { decide, occurrenceStatus } from "../../shared/timeline/decide.ts";
import type { InstanceState } from "../../shared/timeline/types.ts";
import { createMemoryTable } from "../support/memory.ts";
import { execution, recordingSignaller } from "./fixtures.ts";

const ID = "egenskaber";
const START = "2024-08-01T06:00:00Z";
const SCHOOLS = ["skole-a", "skole-b", "skole-c", "skole-d"];

function definition(): Workflow {
  return WorkflowSchema.parse({
    id: ID,
    title: "Egenskaber",
    milestones: [
      { id: "plan", title: "Plan", forEach: ["skole"], due: "2024-10-01", reminders: ["P14D", "P3D"] },
      {
        id: "status",
        title: "Status",
        forEach: ["skole"],
        due: { in: "P1M", from: "plan" },
        after: ["plan"],
      },
      { id: "samlet", title: "Samlet", owner: "unit:forvaltning", due: "2024-12-01", after: ["status"] },
    ],
  });
}

type Step =
  | { kind: "move"; pick: number; days: number; all: boolean }
  | { kind: "confirm-for"; pick: number }
  | { kind: "undo"; pick: number }
  | { kind: "add-unit"; pick: number }
  | { kind: "remove-unit"; pick: number }
  | { kind: "hold" }
  | { kind: "resume"; shift: boolean }
  | { kind: "time"; days: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("move" as const),
    pick: fc.nat(20),
    days: fc.integer({ min: -20, max: 60 }),
    all: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("confirm-for" as const), pick: fc.nat(20) }),
  fc.record({ kind: fc.constant("undo" as const), pick: fc.nat(20) }),
  fc.record({ kind: fc.constant("add-unit" as const), pick: fc.nat(3) }),
  fc.record({ kind: fc.constant("remove-unit" as const), pick: fc.nat(3) }),
  fc.record({ kind: fc.constant("hold" as const) }),
  fc.record({ kind: fc.constant("resume" as const), shift: fc.boolean() }),
  fc.record({ kind: fc.constant("time" as const), days: fc.integer({ min: 1, max: 40 }) }),
);

/** What decide() says, in a form two runs can be compared by. */
function outlook(def: Workflow, state: InstanceState, now: Temporal.Instant) {
  const decision = decide(def, state, now);
  return {
    notifications: decision.notifications.map((n) => n.key).sort(),
    nextWakeAt: decision.nextWakeAt,
    statuses: occurrenceStatus(def, state, now).map((o) => `${o.key}:${o.status}:${o.dueAt}`),
  };
}

function pick<T>(items: readonly T[], index: number): T | undefined {
  return items.length === 0 ? undefined : items[index % items.length];
}

/** Changes saved and refused over all runs, by action: the property must not pass on refusals alone. */
const tally = new Map<string, { saved: number; refused: number }>();
function count(name: string, outcome: "saved" | "refused"): void {
  const entry = tally.get(name) ?? { saved: 0, refused: 0 };
  entry[outcome] += 1;
  tally.set(name, entry);
}

async function runSequence(steps: Step[]): Promise<void> {
  const clock = new ManualClock(START);
  const table = await createMemoryTable({ clock });
  const deps = { ...table.stores, clock, signaller: recordingSignaller() };
  const def = definition();
  await table.stores.workflows.putVersion({
    workflowId: ID,
    source: "test",
    definition: def,
    createdBy: "t",
  });
  for (const id of [...SCHOOLS, "forvaltning"]) {
    await table.stores.units.put({
      id,
      name: id,
      type: id === "forvaltning" ? "forvaltning" : "skole",
      leader: { name: `Leder ${id}`, email: `${id}@kommune.example` },
    });
  }
  const instanceId = "egenskaber-1";
  await table.stores.instances.create({
    instanceId,
    workflowId: ID,
    workflowVersion: 1,
    startAt: START,
    params: {},
    units: SCHOOLS.slice(0, 2).map((id) => ({ id, type: "skole", name: id })),
    createdBy: "t",
  });
  const loop = () => runDecide(deps, { instanceId, execution: execution() });
  await loop();

  for (const step of steps) {
    if (step.kind === "time") {
      clock.set(
        Temporal.Instant.from(clock.now().toString())
          .add({ hours: 24 * step.days })
          .toString(),
      );
      await loop();
      continue;
    }
    const { state, milestones, instance } = await table.stores.instances.loadState(instanceId);
    const now = clock.now();
    const statuses = occurrenceStatus(def, state, now);
    const inInstance = instance.units.map((u) => u.id);
    const [name, body]: [string, Record<string, unknown>] | [] = (() => {
      switch (step.kind) {
        case "move": {
          const o = pick(statuses, step.pick);
          if (o === undefined) return [];
          const to = Temporal.Instant.from(o.dueAt ?? now.toString())
            .add({ hours: 24 * step.days })
            .toString();
          return [
            "move-deadline",
            step.all ? { milestoneId: o.milestoneId, index: o.index, to } : { occurrenceKey: o.key, to },
          ];
        }
        case "confirm-for": {
          const open = milestones.filter((m) => m.status === "open");
          const m = pick(open, step.pick);
          return m === undefined ? [] : ["confirm-for", { occurrenceKey: m.occurrenceKey }];
        }
        case "undo": {
          const m = pick(
            milestones.filter((r) => r.status === "confirmed"),
            step.pick,
          );
          return m === undefined ? [] : ["undo-confirmation", { occurrenceKey: m.occurrenceKey }];
        }
        case "add-unit": {
          const unitId = pick(
            SCHOOLS.filter((s) => !inInstance.includes(s)),
            step.pick,
          );
          return unitId === undefined ? [] : ["add-unit", { unitId }];
        }
        case "hold":
          return ["hold", {}];
        case "resume":
          return ["resume", { deadlines: step.shift ? "shift" : "keep" }];
        case "remove-unit": {
          const unitId = pick(inInstance, step.pick);
          return unitId === undefined ? [] : ["remove-unit", { unitId }];
        }
      }
    })();
    if (name === undefined) continue;
    const action = steerAction(name);
    if (action === undefined) throw new Error(`${name} is not registered`);
    const input = { reason: "Egenskabstest", ...body };
    const meta = { reason: input.reason, by: "tester" };
    const propose = (context: Parameters<typeof action.propose>[0]) =>
      action.propose(context, input as never, meta);
    const snapshotBefore = await table.snapshot();
    let predicted: InstanceState;
    try {
      const { proposed } = await previewSteer(deps, instanceId, propose);
      predicted = stateAfterChange(state, proposed.change);
      await applySteer(deps, instanceId, propose, { expectedRev: instance.rev });
    } catch (error) {
      if (!(error instanceof InvalidInputError || error instanceof ConflictError)) throw error;
      // Refused: nothing written at all.
      expect(await table.snapshot()).toEqual(snapshotBefore);
      count(name, "refused");
      continue;
    }
    count(name, "saved");
    const stored = (await table.stores.instances.loadState(instanceId)).state;
    expect(outlook(def, stored, now), `${name} ${JSON.stringify(body)}`).toEqual(
      outlook(def, predicted, now),
    );
    await loop();
    const afterLoop = (await table.stores.instances.loadState(instanceId)).state;
    expect(outlook(def, afterLoop, now)).toEqual(outlook(def, predicted, now));
  }
}

describe("changes to a running instance, in any order", () => {
  it("leave a stored state on which decide() says what the proposals promised", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 10 }), async (steps) => {
        await runSequence(steps);
      }),
      // A fixed seed: the tally below must hold on every CI run (change it to explore further).
      { numRuns: 80, seed: 20261203 },
    );
    for (const name of [
      "move-deadline",
      "confirm-for",
      "undo-confirmation",
      "add-unit",
      "remove-unit",
      "hold",
      "resume",
    ]) {
      expect(tally.get(name)?.saved ?? 0, `${name} saved at least a few times`).toBeGreaterThan(3);
    }
    console.log("changes saved/refused:", JSON.stringify(Object.fromEntries(tally)));
  }, 120_000);
});
