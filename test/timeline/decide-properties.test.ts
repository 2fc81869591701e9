/** decide() over arbitrary runs (fast-check): apart from plan()'s properties so the two run in parallel. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Temporal } from "../../shared/time/temporal.ts";
import { plan } from "../../shared/timeline/plan.ts";
import { simulate } from "../../shared/timeline/simulate.ts";
import { cmp, definitionArb, startArb, units } from "./arbitraries.ts";
import { initialState } from "./fixtures.ts";

describe("decide: properties over arbitrary runs", () => {
  const confirmationArb = fc.array(fc.option(fc.integer({ min: -40 * 24, max: 40 * 24 }), { nil: null }), {
    minLength: 64,
    maxLength: 64,
  });
  const extraWakeUpsArb = fc.array(fc.integer({ min: 0, max: 4 * 365 * 24 }), { maxLength: 12 });

  it("never sends the same key twice, nothing for a confirmed occurrence, and always terminates", () => {
    fc.assert(
      fc.property(
        definitionArb,
        startArb,
        confirmationArb,
        extraWakeUpsArb,
        (def, start, offsets, extras) => {
          const initial = initialState(def, start, units);
          const startAt = Temporal.Instant.from(initial.startAt);
          let i = 0;
          const result = simulate(def, initial, {
            confirmAt: (occ) => {
              const hours = offsets[i++ % offsets.length];
              if (hours === null || hours === undefined || !occ.dueAt) return null;
              return Temporal.Instant.from(occ.dueAt).add({ hours });
            },
            extraWakeUps: extras.map((h) => startAt.add({ hours: h })),
            until: startAt.add({ hours: 24 * 365 * 8 }),
          });

          const keys = result.sent.map((n) => n.key);
          expect(new Set(keys).size).toBe(keys.length);
          const confirmedAt = new Map(result.state.confirmations.map((c) => [c.occurrenceKey, c.at]));
          for (const n of result.sent) {
            const c = confirmedAt.get(n.occurrenceKey);
            if (c) expect(cmp(n.sentAt, c)).toBeLessThanOrEqual(0); // same instant: sent, then confirmed
            expect(cmp(n.sentAt, n.at)).toBeGreaterThanOrEqual(0); // never early
          }
          expect(result.steps).toBeLessThan(100_000);
        },
      ),
      { numRuns: 120 },
    );
  });

  it("when nobody ever confirms, every planned reminder and escalation of a ready milestone is sent exactly once", () => {
    fc.assert(
      fc.property(definitionArb, startArb, (def, start) => {
        const initial = initialState(def, start, units);
        const result = simulate(def, initial, {
          confirmAt: () => null,
          until: Temporal.Instant.from(initial.startAt).add({ hours: 24 * 365 * 10 }),
        });
        // Ready without anybody confirming: no dependencies, or only periods that end on a date.
        const byId = new Map(def.milestones.map((m) => [m.id, m]));
        // A period ends at its deadline, which is known once whatever it counts from has ended.
        const endsByTime = (id: string): boolean => {
          const dep = byId.get(id);
          if (!dep || dep.confirm) return false;
          return typeof dep.due === "string" || dep.due.from === "start" || endsByTime(dep.due.from);
        };
        const ready = (after: string[]) => after.every(endsByTime);
        // Escalations already due when a milestone becomes ready collapse into the latest one.
        const expected = plan(def, start, {}, units)
          .occurrences.filter((o) => o.confirmable && ready(o.after))
          .flatMap((o) => {
            const activation = o.notifications.find((n) => n.kind === "activated")?.at ?? initial.startAt;
            const escalations = o.notifications.filter((n) => n.kind === "escalation");
            const past = escalations.filter((n) => cmp(n.at, activation) <= 0);
            const kept = [...past.slice(-1), ...escalations.filter((n) => cmp(n.at, activation) > 0)];
            return [...o.notifications.filter((n) => n.kind === "reminder"), ...kept];
          })
          .map((n) => `${n.occurrenceKey}/${n.kind}/${n.offset ?? n.level}`)
          .sort();
        const actual = result.sent
          .filter((n) => n.kind === "reminder" || n.kind === "escalation")
          .map((n) => `${n.occurrenceKey}/${n.kind}/${n.offset ?? n.level}`)
          .sort();
        expect(actual).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});
