/**
 * Issue 11 polish: every refusal of a change to a running instance says it in Danish too (the
 * dashboard's Danish pages show it), while the API keeps the English message. A table of bad
 * inputs through the same save every caller uses, on the in-memory stores; and a check of the
 * steer modules' source that no refusal is located without its Danish text, so a new one added
 * without fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../shared/app/admin-input.ts";
import { runDecide } from "../../shared/app/decide-step.ts";
import { saveAction, steerAction } from "../../shared/app/steer/actions.ts";
import { migrateAll } from "../../shared/app/steer/migrate-all.ts";
import { WorkflowSchema } from "../../shared/model/schema.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import { execution, LEADER, recordingSignaller, type Seeded, seedInstance } from "./fixtures.ts";

const NOW = "2024-10-01T06:00:00Z";

let clock: ManualClock;
let table: MemoryTestTable;
let seeded: Seeded;

function deps() {
  return { ...table.stores, clock, signaller: recordingSignaller() };
}

async function save(name: string, fields: Record<string, unknown>) {
  const action = steerAction(name);
  if (action === undefined) throw new Error(`${name} is not registered`);
  return saveAction(deps(), seeded.instanceId, action, { reason: "En god grund", ...fields }, { by: "anna" });
}

/** The loop has written the milestone states (confirm-for and undo need them). */
async function planned() {
  await runDecide(deps(), { instanceId: seeded.instanceId, execution: execution() });
}

async function confirmed() {
  await planned();
  await table.stores.instances.recordConfirmation({
    instanceId: seeded.instanceId,
    occurrenceKey: seeded.occurrenceKey,
    at: NOW,
    by: "leader",
  });
}

/** Version 2 of the workflow: the milestone renamed to one for the whole instance, plus another. */
async function version2() {
  const definition = WorkflowSchema.parse({
    id: seeded.workflowId,
    title: "Stærke fællesskaber",
    milestones: [
      { id: "samlet", title: "Samlet plan", owner: "unit:forvaltning", due: "2024-10-31" },
      { id: "plan", title: "Plan", forEach: ["skole"], due: "2024-10-31" },
    ],
  });
  await table.stores.workflows.putVersion({
    workflowId: seeded.workflowId,
    source: "v2",
    definition,
    createdBy: "admin",
  });
}

type Setup = () => Promise<void>;
const KEY = "KEY";
const UNIT = "UNIT";

/** [action, fields (KEY / UNIT stand for the seeded occurrence / unit), setup]. */
const BAD: [string, Record<string, unknown>, Setup?][] = [
  // The input shapes (zod), one per kind of issue
  ["move-deadline", { milestoneId: "handleplan", to: "next friday" }],
  ["move-deadline", { milestoneId: "handleplan", to: "2024-11-15", reason: "x" }],
  ["move-deadline", { milestoneId: "handleplan", to: "2024-11-15", reason: "to\u0007linjer" }],
  ["move-deadline", { milestoneId: "handleplan", to: "2024-11-15", reason: "x".repeat(501) }],
  ["move-deadline", { milestoneId: "handleplan", to: "2024-11-15", colour: "red" }],
  ["move-deadline", { milestoneId: "handleplan" }],
  ["move-deadline", { milestoneId: "handleplan", to: 5 }],
  ["move-deadline", { milestoneId: "Ikke et id!", to: "2024-11-15" }],
  ["move-deadline", { occurrenceKey: "nej", to: "2024-11-15" }],
  ["move-deadline", { milestoneId: "handleplan", index: -1, to: "2024-11-15" }],
  ["move-deadline", { milestoneId: "handleplan", to: "2024-11-15", expectedRev: "x" }],
  ["move-deadline", { milestoneId: "handleplan", to: "2024-11-15", note: "0101901234" }],
  // move-deadline's own refusals
  ["move-deadline", { to: "2024-11-15" }],
  ["move-deadline", { occurrenceKey: "handleplan/skole-nej/0", to: "2024-11-15" }],
  ["move-deadline", { milestoneId: "andet", to: "2024-11-15" }],
  ["move-deadline", { occurrenceKey: KEY, to: "2024-02-30" }],
  ["move-deadline", { occurrenceKey: KEY, to: "2024-01-01" }],
  ["move-deadline", { occurrenceKey: KEY, to: "2024-11-15" }, confirmed],
  // migrate
  ["migrate", { toVersion: 1 }],
  ["migrate", { toVersion: 7 }],
  ["migrate", { mapping: { handleplan: "ingen" } }, version2],
  ["migrate", { mapping: { nonsense: null } }, version2],
  ["migrate", { mapping: { handleplan: "samlet" } }, version2],
  ["migrate", { toVersion: 0 }],
  // add-unit, remove-unit
  ["add-unit", { unitId: "skole-findes-ikke" }],
  ["add-unit", { unitId: "boernehuset" }],
  ["add-unit", { unitId: UNIT }],
  ["add-unit", { unitId: "skole-ny", overdueTo: "2024-09-30" }],
  ["add-unit", { unitId: "skole-ny", overdueTo: "2024-02-30" }],
  ["add-unit", { unitId: "skole-ny", overdueTo: "snart" }],
  ["remove-unit", { unitId: "skole-ny" }],
  ["remove-unit", { unitId: UNIT }],
  // confirm-for, undo-confirmation
  ["confirm-for", { occurrenceKey: "handleplan/skole-nej/0" }],
  ["confirm-for", { occurrenceKey: KEY }],
  ["confirm-for", { occurrenceKey: KEY }, confirmed],
  ["undo-confirmation", { occurrenceKey: KEY }, planned],
  // hold, resume
  ["hold", {}, async () => void (await save("hold", {}))],
  ["resume", { deadlines: "keep" }],
  ["resume", { deadlines: "later" }],
  ["resume", {}],
];

beforeEach(async () => {
  clock = new ManualClock(NOW);
  table = await createMemoryTable({ clock });
  seeded = await seedInstance(table.stores);
  await table.stores.units.put({ id: "skole-ny", name: "Ny skole", type: "skole", leader: LEADER });
  await table.stores.units.put({ id: "boernehuset", name: "Børnehuset", type: "dagtilbud", leader: LEADER });
});

describe("every refusal of a change has a Danish text", () => {
  it.each(BAD)("%s %j", async (name, fields, setup) => {
    // Prepare
    await setup?.();
    const body = Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [
        k,
        v === KEY ? seeded.occurrenceKey : v === UNIT ? seeded.unitId : v,
      ]),
    );
    const before = await table.snapshot();
    // Act
    const error = await save(name, body).catch((e: unknown) => e);
    // Assess: refused, nothing written, each located error in English and in Danish
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(await table.snapshot()).toEqual(before);
    const errors = (error as InvalidInputError).errors;
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e.da, `${e.path}: ${e.message}`).toMatch(/[A-ZÆØÅ»].*[.?]$/s);
      expect(e.da).not.toBe(e.message);
      // Ids and values are kept, quoted the Danish way; no English quoting left
      expect(e.da).not.toMatch(/'[^']*'/);
    }
  });

  it("keeps the ids it names, quoted with »…«", async () => {
    // Act
    const error = await save("remove-unit", { unitId: "skole-ny" }).catch((e: unknown) => e);
    // Assess
    expect((error as InvalidInputError).errors[0]).toMatchObject({
      path: "unitId",
      message: "'skole-ny' is not in the instance",
      da: "»skole-ny« er ikke med i forløbet.",
    });
  });

  it("says the move-deadline refusals as a caseworker writes them", async () => {
    // Prepare
    await confirmed();
    // Act
    const before = await save("move-deadline", {
      occurrenceKey: seeded.occurrenceKey,
      to: "2024-01-01",
    }).catch((e: unknown) => e);
    const done = await save("move-deadline", { occurrenceKey: seeded.occurrenceKey, to: "2024-11-15" }).catch(
      (e: unknown) => e,
    );
    // Assess
    expect((before as InvalidInputError).errors[0]?.da).toBe("Den nye frist ligger før forløbets start.");
    expect((done as InvalidInputError).errors[0]?.da).toBe(
      "Milepælen er allerede bekræftet. Fortryd bekræftelsen først, hvis fristen skal flyttes.",
    );
  });
});

describe("the bulk migration", () => {
  it("says why an instance is not moved in English and in Danish", async () => {
    // Prepare: version 2 turns the per-school milestone into one for the whole instance
    await version2();
    // Act
    const result = await migrateAll(
      deps(),
      seeded.workflowId,
      { fromVersion: 1, mapping: { handleplan: "samlet" }, reason: "Ny skabelon" },
      { by: "anna", save: false },
    );
    // Assess
    expect(result.instances).toEqual([
      {
        instanceId: seeded.instanceId,
        outcome: "refused",
        message: expect.stringMatching(/^mapping\.handleplan: 'handleplan' is per skole/),
        da: expect.stringMatching(/^»handleplan« gælder for hver skole, men »samlet« i version 2/),
      },
    ]);
  });
});

describe("the steer modules' source", () => {
  const dir = join(import.meta.dirname, "../../shared/app/steer");
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));

  it("locates every refusal with a Danish text (located() with its fourth argument)", () => {
    // Act: every call of located(…) in shared/app/steer
    const calls: { file: string; line: number; args: number }[] = [];
    for (const file of files) {
      const text = readFileSync(join(dir, file), "utf8");
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && node.expression.getText(source) === "located") {
          const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
          calls.push({ file, line, args: node.arguments.length });
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    // Assess
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.filter((c) => c.args < 4)).toEqual([]);
  });

  it("builds no InvalidInputError from anything but located refusals", () => {
    // A refusal made some other way (a literal error object) would bypass the check above
    for (const file of files) {
      const text = readFileSync(join(dir, file), "utf8");
      expect(text, file).not.toMatch(/InvalidInputError\(\[\s*\{/);
    }
  });
});
