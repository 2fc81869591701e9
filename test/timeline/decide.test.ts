import { describe, expect, it } from "vitest";
import { decide } from "../../shared/timeline/decide.ts";
import type { InstanceState } from "../../shared/timeline/types.ts";
import { initialState, local, workflow } from "./fixtures.ts";

const single = workflow(`
id: single
title: Enkelt
milestones:
  - id: report
    title: Rapport
    owner: unit:forvaltning
    due: 2024-11-04
    reminders: [P14D, P3D, P0D]
    escalation: { after: P1D, every: P7D, max: 3 }
`);

function withSent(state: InstanceState, keys: string[]): InstanceState {
  return { ...state, sent: [...state.sent, ...keys] };
}

function confirmed(state: InstanceState, occurrenceKey: string, at: string): InstanceState {
  return { ...state, confirmations: [...state.confirmations, { occurrenceKey, at }] };
}

describe("decide: reminders and deadlines", () => {
  it("sends the 14-day reminder at 08:00 local on its morning and sleeps until the next one", () => {
    const state = initialState(single, "2024-10-01");

    const d = decide(single, state, local("2024-10-21T08:00"));

    expect(d.notifications.map((n) => [n.kind, n.offset])).toEqual([["reminder", "P14D"]]);
    expect(d.notifications[0]?.recipient).toEqual({ kind: "unitLeader", unitId: "forvaltning" });
    expect(d.nextWakeAt).toBe(local("2024-11-01T08:00")); // P3D before Monday is Friday (a Saturday moves back)
    expect(d.done).toBe(false);
  });

  it("sends nothing before the first reminder and wakes exactly at it", () => {
    const d = decide(single, initialState(single, "2024-10-01"), local("2024-10-01T00:00"));

    expect(d.notifications).toEqual([]);
    expect(d.nextWakeAt).toBe(local("2024-10-21T08:00"));
  });

  it("after downtime sends only the latest due reminder, never a burst of stale ones", () => {
    const d = decide(single, initialState(single, "2024-10-01"), local("2024-11-04T09:00"));

    expect(d.notifications.map((n) => n.offset)).toEqual(["P0D"]);
  });

  it("never sends a key twice: a reminder already sent is not returned again", () => {
    const state = initialState(single, "2024-10-01");
    const first = decide(single, state, local("2024-10-21T08:00"));

    const again = decide(
      single,
      withSent(
        state,
        first.notifications.map((n) => n.key),
      ),
      local("2024-10-21T08:05"),
    );

    expect(again.notifications).toEqual([]);
  });

  it("a confirmation before the deadline stops reminders and ends the instance", () => {
    const state = confirmed(initialState(single, "2024-10-01"), "report/-/0", local("2024-10-25T10:00"));

    const d = decide(single, state, local("2024-11-01T08:00"));

    expect(d.notifications).toEqual([]);
    expect(d.done).toBe(true);
    expect(d.nextWakeAt).toBeNull();
  });

  it("a confirmation on the deadline day (before 23:59) counts as on time: no escalation follows", () => {
    const state = confirmed(initialState(single, "2024-10-01"), "report/-/0", local("2024-11-04T23:30"));

    const d = decide(single, state, local("2024-11-05T08:00"));

    expect(d.notifications).toEqual([]);
    expect(d.done).toBe(true);
  });

  it("escalates to the owner's manager the working morning after a missed deadline, bounded by max", () => {
    const state = initialState(single, "2024-10-01");

    const first = decide(single, state, local("2024-11-05T08:00"));
    const keys = first.notifications.map((n) => n.key);
    const second = decide(single, withSent(state, keys), local("2024-11-12T08:00"));
    const afterMax = decide(single, withSent(state, keys), local("2025-03-01T08:00"));

    expect(first.notifications.map((n) => [n.kind, n.level])).toEqual([["escalation", 1]]);
    expect(first.notifications[0]?.recipient).toEqual({ kind: "unitManager", unitId: "forvaltning" });
    expect(first.nextWakeAt).toBe(local("2024-11-12T08:00"));
    expect(second.notifications.map((n) => n.level)).toEqual([2]);
    expect(afterMax.notifications.map((n) => n.level)).toEqual([3]);
    // What the mails say: how many escalations went out, this one included.
    expect(first.notifications.map((n) => n.ordinal)).toEqual([1]);
    expect(second.notifications.map((n) => n.ordinal)).toEqual([2]);
    expect(afterMax.notifications.map((n) => n.ordinal)).toEqual([2]);
  });

  it("after downtime the first escalation anybody gets is number 1, whatever level it is", () => {
    const state = initialState(single, "2024-10-01");

    const late = decide(single, state, local("2024-11-20T08:00"));

    expect(late.notifications.map((n) => [n.kind, n.level, n.ordinal])).toEqual([["escalation", 3, 1]]);
  });

  it("a late confirmation after an escalation stops further escalations", () => {
    const state = confirmed(initialState(single, "2024-10-01"), "report/-/0", local("2024-11-06T12:00"));

    const d = decide(single, state, local("2024-11-12T08:00"));

    expect(d.notifications).toEqual([]);
    expect(d.done).toBe(true);
  });

  it("after the last escalation it sleeps until the continue-as-new boundary, not forever", () => {
    const state = { ...initialState(single, "2024-10-01"), sent: [] };

    const d = decide(single, state, local("2024-11-20T08:00"));

    expect(d.notifications.map((n) => n.level)).toEqual([3]);
    expect(d.nextWakeAt).toBe(
      new Date(Date.parse(state.execution.startedAt) + 300 * 86_400_000).toISOString().replace(".000", ""),
    );
  });
});

describe("decide: cancellation, moved deadlines, unknown confirmations, continue-as-new", () => {
  it("a cancelled instance is done and sends nothing, even with overdue milestones", () => {
    const state = { ...initialState(single, "2024-10-01"), cancelledAt: local("2024-10-10T09:00") };

    const d = decide(single, state, local("2024-11-20T08:00"));

    expect(d).toMatchObject({ notifications: [], done: true, nextWakeAt: null });
  });

  it("a deadline moved by an administrator re-arms reminders for the new date under new keys", () => {
    const state = initialState(single, "2024-10-01");
    const before = decide(single, state, local("2024-10-21T08:00"));
    const moved: InstanceState = {
      ...withSent(
        state,
        before.notifications.map((n) => n.key),
      ),
      dueOverrides: { "report/-/0": local("2024-12-02T23:59") },
    };

    const at5Nov = decide(single, moved, local("2024-11-05T08:00"));
    const at18Nov = decide(single, moved, local("2024-11-18T08:00"));

    expect(at5Nov.notifications).toEqual([]); // the old deadline passed: no escalation for it
    expect(at18Nov.notifications.map((n) => [n.kind, n.offset, n.dueAt])).toEqual([
      ["reminder", "P14D", local("2024-12-02T23:59")],
    ]);
    expect(before.notifications[0]?.key).not.toBe(at18Nov.notifications[0]?.key);
  });

  it("a confirmation of a milestone that no longer exists is reported and changes nothing", () => {
    const state = confirmed(
      initialState(single, "2024-10-01"),
      "removed-milestone/-/0",
      local("2024-10-02T10:00"),
    );

    const d = decide(single, state, local("2024-10-21T08:00"));

    expect(d.ignoredConfirmations).toEqual(["removed-milestone/-/0"]);
    expect(d.notifications.map((n) => n.offset)).toEqual(["P14D"]);
    expect(d.done).toBe(false);
  });

  it("asks to continue as new after 300 days in one execution, or 500 loops", () => {
    const state = initialState(single, "2024-10-01");
    const old = { ...state, execution: { startedAt: local("2023-12-01T00:00"), loops: 10 } };
    const busy = { ...state, execution: { startedAt: state.startAt, loops: 500 } };

    expect(decide(single, old, local("2024-10-21T08:00")).continueAsNew).toBe(true);
    expect(decide(single, busy, local("2024-10-21T08:00")).continueAsNew).toBe(true);
    expect(decide(single, state, local("2024-10-21T08:00")).continueAsNew).toBe(false);
  });
});

const chain = workflow(`
id: chain
title: Kæde
milestones:
  - id: adoption
    title: Vedtagelse
    owner: unit:forvaltning
    due: 2023-11-30
  - id: plans
    title: Lokal handleplan
    forEach: [school]
    after: [adoption]
    due: 2024-10-31
  - id: presentation
    title: Fremlæggelse
    owner: unit:forvaltning
    due: { in: P1M, from: plans }
    escalation: false
  - id: status
    title: Årlig status
    owner: unit:forvaltning
    due: 2025-05-31
    recurrence: { every: P1Y, until: 2027-05-31 }
`);

describe("decide: dependencies, fan-out and recurrence", () => {
  it("a milestone waiting for another sends nothing, then one 'activated' mail when it is confirmed", () => {
    const state = initialState(chain, "2023-11-01");

    const waiting = decide(chain, state, local("2024-10-17T08:00"));
    const activated = decide(
      chain,
      confirmed(state, "adoption/-/0", local("2024-10-20T10:00")),
      local("2024-10-20T10:00"),
    );

    expect(waiting.notifications.filter((n) => n.milestoneId === "plans")).toEqual([]);
    const forPlans = activated.notifications.filter((n) => n.milestoneId === "plans");
    expect(forPlans.map((n) => [n.kind, n.unitId])).toEqual([
      ["activated", "s1"],
      ["activated", "s2"],
    ]);
    expect(forPlans[0]?.recipient).toEqual({ kind: "unitLeader", unitId: "s1" });
  });

  it("fans out only over units of the given types (schools, not the daycare)", () => {
    const state = confirmed(initialState(chain, "2023-11-01"), "adoption/-/0", local("2023-11-20T10:00"));
    const sent = decide(chain, state, local("2023-11-20T10:00")).notifications.map((n) => n.key);

    const d = decide(chain, withSent(state, sent), local("2024-10-17T08:00"));

    expect(d.notifications.filter((n) => n.milestoneId === "plans").map((n) => n.unitId)).toEqual([
      "s1",
      "s2",
    ]);
  });

  it("a deadline relative to confirmations counts from the last unit's confirmation", () => {
    let state = confirmed(initialState(chain, "2023-11-01"), "adoption/-/0", local("2023-11-20T10:00"));
    state = confirmed(state, "plans/s1/0", local("2024-09-02T10:00"));
    const halfway = decide(chain, state, local("2024-09-10T08:00"));
    state = confirmed(state, "plans/s2/0", local("2024-09-16T14:00"));

    const d = decide(chain, state, local("2024-09-16T14:00"));

    expect(halfway.notifications.some((n) => n.milestoneId === "presentation")).toBe(false);
    const activated = d.notifications.find((n) => n.milestoneId === "presentation");
    expect(activated?.kind).toBe("activated");
    expect(activated?.dueAt).toBe(local("2024-10-16T23:59"));
  });

  it("recurring status: one occurrence per year until the end date, each confirmed separately", () => {
    let state = initialState(chain, "2023-11-01");
    for (const key of ["adoption/-/0", "plans/s1/0", "plans/s2/0", "presentation/-/0", "status/-/0"]) {
      state = confirmed(state, key, local("2024-05-01T10:00"));
    }

    const d = decide(chain, state, local("2026-05-15T08:00"));
    const allDone = decide(
      chain,
      confirmed(
        confirmed(state, "status/-/1", local("2026-05-20T10:00")),
        "status/-/2",
        local("2027-05-20T10:00"),
      ),
      local("2027-05-21T08:00"),
    );

    expect(d.notifications.map((n) => [n.occurrenceKey, n.offset])).toEqual([["status/-/1", "P14D"]]);
    expect(d.done).toBe(false);
    expect(allDone.done).toBe(true);
  });
});

describe("decide: milestones that waited for others", () => {
  const waits = workflow(`
id: waits
title: Venter
milestones:
  - id: adoption
    title: Vedtagelse
    owner: unit:forvaltning
    due: 2024-01-31
  - id: status
    title: Årlig status
    owner: unit:forvaltning
    after: [adoption]
    due: 2024-05-31
    recurrence: { every: P1Y, count: 3 }
    escalation: { after: P1D, every: P7D, max: 3 }
`);

  it("a recurring series is announced once, on its first repetition, not in bulk", () => {
    const state = confirmed(initialState(waits, "2024-01-01"), "adoption/-/0", local("2024-01-20T10:00"));

    const d = decide(waits, state, local("2024-01-20T10:00"));

    expect(d.notifications.map((n) => [n.kind, n.occurrenceKey])).toEqual([["activated", "status/-/0"]]);
  });

  it("a dependency confirmed after this milestone's deadline announces it without escalating at once", () => {
    const state = confirmed(initialState(waits, "2024-01-01"), "adoption/-/0", local("2024-06-20T10:00"));

    const atActivation = decide(waits, state, local("2024-06-20T10:00"));
    const later = decide(
      waits,
      withSent(
        state,
        atActivation.notifications.map((n) => n.key),
      ),
      local("2024-06-21T08:00"),
    );

    // Escalation counts from activation (Thursday 20 June): level 1 the next working morning.
    expect(atActivation.notifications.map((n) => n.kind)).toEqual(["activated"]);
    expect(atActivation.nextWakeAt).toBe(local("2024-06-21T08:00"));
    expect(later.notifications.map((n) => [n.kind, n.level])).toEqual([["escalation", 1]]);
  });
});

describe("decide: case deadlines in hours", () => {
  const underretning = workflow(`
id: underretning
title: Underretning
parameters:
  caseworker: { type: email }
  teamleader: { type: email }
milestones:
  - id: assessment
    title: Vurdering inden 24 timer
    owner: param:caseworker
    due: PT24H
    reminders: [PT4H, PT1H]
    escalation: { to: param:teamleader, after: PT1H, every: PT2H, max: 2 }
`);

  it("24 hours across the spring DST change is 24 elapsed hours, reminders counted in elapsed hours", () => {
    const state = initialState(underretning, "2024-03-30T12:00");

    const d = decide(underretning, state, local("2024-03-31T09:00"));

    expect(d.notifications.map((n) => [n.offset, n.dueAt])).toEqual([["PT4H", "2024-03-31T11:00:00Z"]]);
    expect(d.notifications[0]?.recipient).toEqual({ kind: "param", name: "caseworker" });
    expect(d.nextWakeAt).toBe("2024-03-31T10:00:00Z");
  });

  it("escalates to the team leader one hour after a missed 24-hour deadline", () => {
    const d = decide(underretning, initialState(underretning, "2024-03-30T12:00"), "2024-03-31T12:00:00Z");

    expect(d.notifications.map((n) => [n.kind, n.level, n.recipient])).toEqual([
      ["escalation", 1, { kind: "param", name: "teamleader" }],
    ]);
  });
});
