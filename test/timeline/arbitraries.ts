/**
 * fast-check generators for valid workflow definitions: a DAG of milestones with every kind of
 * deadline, fan-out, recurrence, reminders and escalation the language offers.
 */
import fc from "fast-check";
import { type Workflow, WorkflowSchema } from "../../shared/model/schema.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import type { InstanceUnit } from "../../shared/timeline/types.ts";

export const units: InstanceUnit[] = [
  { id: "d1", type: "daycare", name: "Børnehuset Solsikken" },
  { id: "d2", type: "daycare", name: "Børnehuset Mariehønen" },
  { id: "s1", type: "school", name: "Vejleåskolen" },
];

const dayDuration = fc.oneof(
  fc.integer({ min: 1, max: 60 }).map((n) => `P${n}D`),
  fc.integer({ min: 1, max: 8 }).map((n) => `P${n}W`),
  fc.integer({ min: 1, max: 14 }).map((n) => `P${n}M`),
  fc.integer({ min: 1, max: 30 }).map((n) => `${n} working days`),
);
const hourDuration = fc.integer({ min: 1, max: 72 }).map((n) => `PT${n}H`);

const absoluteDate = fc
  .date({ min: new Date("2024-01-01T00:00:00Z"), max: new Date("2026-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const reminders = fc.subarray(["P30D", "P14D", "P7D", "P3D", "P1D", "P0D", "PT4H", "PT1H", "2 working days"]);

const escalation = fc.oneof(
  fc.constant(false as const),
  fc.record({
    after: fc.constantFrom("P1D", "P3D", "PT1H", "1 working day"),
    every: fc.constantFrom("P1D", "P7D", "PT2H", "2 working days", "P1M"),
    max: fc.integer({ min: 1, max: 4 }),
  }),
);

interface MilestoneSeed {
  dueKind: "date" | "start" | "from" | "hours";
  date: string;
  duration: string;
  hours: string;
  fanOut: boolean;
  recurrence: null | { every: string; count: number };
  reminders: string[];
  escalation: false | { after: string; every: string; max: number };
  dependencyPicks: number[];
  confirm: boolean;
  adjust: boolean;
}

const milestoneSeed: fc.Arbitrary<MilestoneSeed> = fc.record({
  dueKind: fc.constantFrom("date", "start", "from", "hours"),
  date: absoluteDate,
  duration: dayDuration,
  hours: hourDuration,
  fanOut: fc.boolean(),
  recurrence: fc.option(
    fc.record({
      every: fc.constantFrom("P1M", "P3M", "P6M", "P1Y", "10 working days"),
      count: fc.integer({ min: 1, max: 4 }),
    }),
    { nil: null },
  ),
  reminders,
  escalation,
  dependencyPicks: fc.array(fc.nat(), { maxLength: 2 }),
  confirm: fc.integer({ min: 0, max: 4 }).map((n) => n > 0), // mostly confirmable; some period markers
  adjust: fc.boolean(),
});

export const definitionArb: fc.Arbitrary<Workflow> = fc
  .array(milestoneSeed, { minLength: 1, maxLength: 6 })
  .map((seeds) => {
    const milestones = seeds.map((s, i) => {
      const id = `m${i}`;
      const earlier = seeds.slice(0, i).map((_, j) => `m${j}`);
      const after = [
        ...new Set(
          s.dependencyPicks.filter(() => earlier.length > 0).map((p) => earlier[p % earlier.length]),
        ),
      ];
      const from = after[0];
      const due =
        s.dueKind === "date"
          ? s.date
          : s.dueKind === "hours"
            ? s.hours
            : s.dueKind === "from" && from
              ? { in: s.duration, from }
              : s.duration;
      return {
        id,
        title: `Milepæl ${i}`,
        ...(s.fanOut ? { forEach: ["daycare", "school"] } : { owner: "unit:forvaltning" }),
        due,
        after,
        ...(s.recurrence ? { recurrence: s.recurrence } : {}),
        reminders: s.reminders,
        escalation: s.escalation,
        confirm: s.confirm,
        adjust: s.adjust ? "next-working-day" : "none",
      };
    });
    return WorkflowSchema.parse({
      id: "generated",
      title: "Genereret",
      calendar: { closingDays: ["12-24", "12-31"] },
      milestones,
    });
  });

export const startArb = fc
  .date({ min: new Date("2023-06-01T00:00:00Z"), max: new Date("2025-06-01T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 16));

/** Instants as text, in time order. */
export const cmp = (a: string, b: string) =>
  Temporal.Instant.compare(Temporal.Instant.from(a), Temporal.Instant.from(b));
