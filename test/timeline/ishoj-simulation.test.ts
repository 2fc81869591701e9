import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadUnitsFile, loadWorkflowFile } from "../../infra/cli/files.ts";
import type { Unit, Workflow } from "../../shared/model/schema.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { plan, resolveStart } from "../../shared/timeline/plan.ts";
import { simulate } from "../../shared/timeline/simulate.ts";
import type { InstanceState } from "../../shared/timeline/types.ts";

let ishoj: Workflow;
let units: Unit[];

beforeAll(async () => {
  const w = await loadWorkflowFile("workflows/ishoj-staerke-faellesskaber.yaml");
  const u = await loadUnitsFile("workflows/samples/ishoj-units.yaml");
  if (!w.ok || !u.ok) throw new Error("the Ishøj template and sample units must load");
  ishoj = w.value;
  units = u.value;
});

function start(): InstanceState {
  const startAt = resolveStart("2023-11-01", ishoj.timezone).toString();
  return {
    instanceId: "ishoj-sim",
    startAt,
    params: {},
    units: units.map((u) => ({ id: u.id, type: u.type, name: u.name })),
    confirmations: [],
    sent: [],
    dueOverrides: {},
    execution: { startedAt: startAt, loops: 0 },
  };
}

describe("Ishøj 'Stærke fællesskaber' run through decide() on a virtual clock", () => {
  it("with everyone confirming on time it finishes, as a chain of executions, with no escalation", () => {
    const result = simulate(ishoj, start(), {
      confirmAt: (o) => (o.dueAt ? Temporal.Instant.from(o.dueAt).subtract({ hours: 24 * 5 }) : null),
    });

    expect(result.done).toBe(true);
    expect(result.state.confirmations).toHaveLength(
      plan(ishoj, "2023-11-01", {}, units).occurrences.filter((o) => o.confirmable).length,
    );
    expect(result.sent.filter((n) => n.kind === "escalation")).toEqual([]);
    // 2023 to the end of 2027 does not fit one 300-day execution.
    expect(result.executions).toBeGreaterThanOrEqual(5);
    expect(
      Temporal.Instant.compare(
        Temporal.Instant.from(result.endedAt),
        Temporal.Instant.from("2027-12-01T00:00:00Z"),
      ),
    ).toBeGreaterThan(0);
  });

  it("one daycare that never confirms is escalated to its manager exactly max times and blocks the presentation", () => {
    const result = simulate(ishoj, start(), {
      confirmAt: (o) =>
        o.unitId === "dagplejen" || !o.dueAt ? null : Temporal.Instant.from(o.dueAt).subtract({ hours: 48 }),
      until: Temporal.Instant.from("2028-06-01T00:00:00Z"),
    });
    const missing = result.sent.filter((n) => n.unitId === "dagplejen");

    expect(units.some((u) => u.id === "dagplejen")).toBe(true);
    expect(missing.filter((n) => n.kind === "escalation").map((n) => [n.level, n.recipient])).toEqual([
      [1, { kind: "unitManager", unitId: "dagplejen" }],
      [2, { kind: "unitManager", unitId: "dagplejen" }],
      [3, { kind: "unitManager", unitId: "dagplejen" }],
    ]);
    expect(result.done).toBe(false);
    expect(result.sent.some((n) => n.milestoneId === "praesentation-buu")).toBe(false);
  });

  it("random confirmation times (early, late, never): no key twice, nothing after confirmation, escalations only when late", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -60, max: 45 }), { nil: null, freq: 8 }), {
          minLength: 40,
          maxLength: 40,
        }),
        (days) => {
          let i = 0;
          const result = simulate(ishoj, start(), {
            confirmAt: (o) => {
              const d = days[i++ % days.length];
              return d === null || d === undefined || !o.dueAt
                ? null
                : Temporal.Instant.from(o.dueAt).add({ hours: 24 * d });
            },
            until: Temporal.Instant.from("2029-01-01T00:00:00Z"),
          });
          const keys = result.sent.map((n) => n.key);
          expect(new Set(keys).size).toBe(keys.length);
          const confirmed = new Map(result.state.confirmations.map((c) => [c.occurrenceKey, c.at]));
          for (const n of result.sent) {
            const c = confirmed.get(n.occurrenceKey);
            if (c) expect(Date.parse(n.sentAt)).toBeLessThanOrEqual(Date.parse(c));
            if (n.kind === "escalation") expect(Date.parse(n.sentAt)).toBeGreaterThan(Date.parse(n.dueAt));
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
