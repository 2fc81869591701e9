/**
 * decide() and an undone confirmation (state.reopenings): the owner is told once, by a "reopened"
 * notification keyed by the moment it was undone; never while confirmed again, on hold or waiting.
 */
import { describe, expect, it } from "vitest";
import { decide, reopenedKey } from "../../shared/timeline/decide.ts";
import type { InstanceState } from "../../shared/timeline/types.ts";
import { initialState, local, workflow } from "./fixtures.ts";

const def = workflow(`
id: w
title: Plan
milestones:
  - { id: plan, title: Plan, forEach: [school], due: "2025-03-31", reminders: [P3D] }
  - { id: follow, title: Follow-up, forEach: [school], after: [plan], due: "2025-06-30", reminders: [P3D] }
`);
const NOW = local("2025-02-01T10:00");
const UNDONE = { at: local("2025-02-01T09:00"), by: "user:anna (Anna)", reason: "Confirmed by mistake" };
const PLAN = "plan/s1/0";

function reopened(extra: Partial<InstanceState> = {}): InstanceState {
  return {
    ...initialState(def, "2025-01-01", [{ id: "s1", type: "school", name: "Skole 1" }]),
    reopenings: [{ occurrenceKey: PLAN, ...UNDONE }],
    ...extra,
  };
}

describe("decide() after an undone confirmation", () => {
  it("tells the owner once, with who and why, keyed by the undoing", () => {
    // Act
    const decision = decide(def, reopened(), NOW);
    // Assess
    expect(decision.notifications).toEqual([
      expect.objectContaining({
        key: `i1/${PLAN}/reopened/${UNDONE.at}`,
        kind: "reopened",
        occurrenceKey: PLAN,
        recipient: { kind: "unitLeader", unitId: "s1" },
        dueAt: local("2025-03-31T23:59"),
        reopened: { by: UNDONE.by, reason: UNDONE.reason },
      }),
    ]);
    expect(reopenedKey("i1", { occurrenceKey: PLAN, ...UNDONE })).toBe(decision.notifications[0]?.key);
  });

  it("sends nothing once it is sent, confirmed again, or on hold", () => {
    const key = reopenedKey("i1", { occurrenceKey: PLAN, ...UNDONE });
    expect(decide(def, reopened({ sent: [key] }), NOW).notifications).toEqual([]);
    expect(
      decide(def, reopened({ confirmations: [{ occurrenceKey: PLAN, at: NOW }] }), NOW).notifications.filter(
        (n) => n.kind === "reopened",
      ),
    ).toEqual([]);
    expect(decide(def, reopened({ hold: { since: NOW } }), NOW).notifications).toEqual([]);
  });

  it("tells a waiting occurrence's owner when it is active again, and wakes for a later undoing", () => {
    // A follow-up undone while its plan is open again: nothing until the plan is confirmed
    const waiting = reopened({ reopenings: [{ occurrenceKey: "follow/s1/0", ...UNDONE }] });
    expect(decide(def, waiting, NOW).notifications).toEqual([]);
    const active = { ...waiting, confirmations: [{ occurrenceKey: PLAN, at: NOW }] };
    expect(decide(def, active, NOW).notifications.map((n) => n.kind)).toContain("reopened");
    // Undone a moment from now (a clock behind the writer's): the loop wakes for it
    const later = local("2025-02-01T11:00");
    const ahead = reopened({ reopenings: [{ occurrenceKey: PLAN, ...UNDONE, at: later }] });
    const decision = decide(def, ahead, NOW);
    expect(decision.notifications).toEqual([]);
    expect(decision.nextWakeAt).toBe(later);
  });
});
