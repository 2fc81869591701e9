/** plan() over arbitrary valid definitions (fast-check); decide()'s are in decide-properties.test.ts. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { plan } from "../../shared/timeline/plan.ts";
import { cmp, definitionArb, startArb, units } from "./arbitraries.ts";

describe("plan: properties over arbitrary valid definitions", () => {
  it("reminders come before the deadline and never after an escalation; escalations after it, in order", () => {
    fc.assert(
      fc.property(definitionArb, startArb, (def, start) => {
        for (const o of plan(def, start, {}, units).occurrences) {
          const reminders = o.notifications.filter((n) => n.kind === "reminder").map((n) => n.at);
          const escalations = o.notifications.filter((n) => n.kind === "escalation").map((n) => n.at);
          for (const r of reminders) expect(cmp(r, o.plannedDueAt)).toBeLessThan(0);
          for (const e of escalations) expect(cmp(e, o.plannedDueAt)).toBeGreaterThan(0);
          for (let i = 1; i < escalations.length; i++) {
            expect(cmp(escalations[i] as string, escalations[i - 1] as string)).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("every recurring occurrence falls inside its recurrence window and count", () => {
    fc.assert(
      fc.property(definitionArb, startArb, (def, start) => {
        const occurrences = plan(def, start, {}, units).occurrences;
        for (const m of def.milestones) {
          const mine = occurrences.filter((o) => o.milestoneId === m.id);
          const perUnit = new Map<string, number>();
          for (const o of mine) perUnit.set(o.unitId ?? "-", (perUnit.get(o.unitId ?? "-") ?? 0) + 1);
          for (const count of perUnit.values()) expect(count).toBeLessThanOrEqual(m.recurrence?.count ?? 1);
          // Occurrences of one unit are strictly later one after the other.
          for (const unit of perUnit.keys()) {
            const dues = mine.filter((o) => (o.unitId ?? "-") === unit).sort((a, b) => a.index - b.index);
            for (let i = 1; i < dues.length; i++) {
              expect(
                cmp(dues[i]?.plannedDueAt as string, dues[i - 1]?.plannedDueAt as string),
              ).toBeGreaterThan(0);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("fan-out gives exactly one occurrence per matching unit and repetition", () => {
    fc.assert(
      fc.property(definitionArb, startArb, (def, start) => {
        const occurrences = plan(def, start, {}, units).occurrences;
        const keys = occurrences.map((o) => o.key);
        expect(new Set(keys).size).toBe(keys.length);
        for (const m of def.milestones.filter((x) => x.forEach)) {
          const unitIds = new Set(occurrences.filter((o) => o.milestoneId === m.id).map((o) => o.unitId));
          expect([...unitIds].sort()).toEqual(["d1", "d2", "s1"]);
        }
      }),
      { numRuns: 100 },
    );
  });
});
