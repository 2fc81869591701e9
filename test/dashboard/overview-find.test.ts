/**
 * findMilestones and its index read on the in-memory store (shared/dashboard/overview/find.ts):
 * a long window read as adjacent ranges gives each entry once, in deadline order; the rows carry
 * the plain fields the export writes, for every matching row (not a page).
 */
import { describe, expect, it } from "vitest";
import { seedOverview } from "../../bench/overview-seed.ts";
import { DefinitionCache } from "../../shared/app/definitions.ts";
import { ADMIN_TOKEN_PRINCIPAL } from "../../shared/app/sessions.ts";
import { DEFAULT_FILTER, epochMs } from "../../shared/dashboard/overview/filter.ts";
import { findMilestones, indexRange } from "../../shared/dashboard/overview/find.ts";
import { memoryStores } from "../../shared/store/memory/index.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { Temporal } from "../../shared/time/temporal.ts";

const NOW = "2024-06-03T08:00:00Z";

async function seeded() {
  const clock = new ManualClock(NOW);
  const stores = memoryStores(clock);
  // Deadlines from 20 days ahead to about 5 months back (and status reports 45 days after each).
  await seedOverview(stores, Temporal.Instant.from(NOW), { instances: 30, units: 3, spreadDays: 5 });
  return { stores, deps: { ...stores, definitions: new DefinitionCache() } };
}

describe("the index read", () => {
  it("reads a long window as adjacent ranges: every entry once, earliest first", async () => {
    const { stores } = await seeded();
    const now = Temporal.Instant.from(NOW);
    const all = await indexRange(stores, { from: null, to: null }, now);
    const once = await stores.dueIndex.entries(null, "2100-01-01T00:00:00Z");
    expect(all.map((e) => e.occurrenceKey + e.instanceId)).toEqual(
      once.map((e) => e.occurrenceKey + e.instanceId),
    );
    expect(all).toHaveLength(180);
    const bounded = await indexRange(
      stores,
      { from: now.subtract({ hours: 24 * 100 }), to: now.add({ hours: 24 * 10 }) },
      now,
    );
    const expected = once.filter(
      (e) =>
        e.dueAt !== null &&
        epochMs(e.dueAt) >= now.epochMilliseconds - 100 * 86_400_000 &&
        epochMs(e.dueAt) < now.epochMilliseconds + 10 * 86_400_000,
    );
    expect(bounded.map((e) => e.dueAt)).toEqual(expected.map((e) => e.dueAt));
    expect(bounded.length).toBeGreaterThan(0);
  });
});

describe("findMilestones", () => {
  it("gives every matching row with the export's plain fields, in the filter's order", async () => {
    const { deps } = await seeded();
    const rows = await findMilestones(
      deps,
      ADMIN_TOKEN_PRINCIPAL,
      { ...DEFAULT_FILTER, status: "overdue", sort: "overdue", order: "desc" },
      Temporal.Instant.from(NOW),
      "en",
    );
    expect(rows.length).toBeGreaterThan(50);
    expect(rows[0]).toEqual({
      instanceId: "institutionsopfoelgning-seed0030",
      occurrenceKey: expect.stringMatching(/^(handleplan|status)\/inst-0\d\/0$/),
      workflowId: "institutionsopfoelgning",
      workflowTitle: "Follow-up on institutions",
      instanceName: "Forløb 0030",
      instanceLabel: "Forløb 0030 (Sagsnummer: SAG-2024-0030)",
      caseRef: "SAG-2024-0030",
      milestoneLabel: expect.stringMatching(/^(Action plan|Status) – Institution 0\d$/),
      unitId: expect.stringMatching(/^inst-0\d$/),
      unitName: expect.stringMatching(/^Institution 0\d$/),
      owner: expect.stringMatching(/^Leder 0\d Hansen$/),
      dueAt: expect.stringMatching(/Z$/),
      timezone: "Europe/Copenhagen",
      status: "overdue",
      // Started 10 + 29 × 5 = 155 days ago, its action plans were due 30 days after that.
      daysOverdue: 125,
    });
    const days = rows.map((r) => r.daysOverdue ?? -1);
    expect(days).toEqual([...days].sort((a, b) => b - a));
  });
});
