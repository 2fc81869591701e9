/**
 * decide() for a start whose past is treated as history (`quietUntil`): nothing whose time is at
 * or before it is sent, nothing at all about a deadline at or before it (it still shows overdue),
 * and what comes after it is sent as usual.
 */
import { describe, expect, it } from "vitest";
import { decide, occurrenceStatus } from "../../shared/timeline/decide.ts";
import type { InstanceState } from "../../shared/timeline/types.ts";
import { upcomingNotifications } from "../../shared/timeline/upcoming.ts";
import { initialState, local, workflow } from "./fixtures.ts";

const two = workflow(`
id: two
title: To milepæle
milestones:
  - id: report
    title: Rapport
    owner: unit:forvaltning
    due: 2024-11-04
    reminders: [P14D, P3D, P0D]
    escalation: { after: P1D, every: P7D, max: 3 }
  - id: later
    title: Senere rapport
    owner: unit:forvaltning
    due: 2024-12-20
    reminders: [P14D, P3D]
`);

/** Started 1 October 2024, registered on 10 November with its past as history. */
function historyStart(quietUntil = local("2024-11-10T12:00")): InstanceState {
  return { ...initialState(two, "2024-10-01"), quietUntil };
}

function sentAfter(state: InstanceState, keys: string[]): InstanceState {
  return { ...state, sent: [...state.sent, ...keys] };
}

describe("decide with the past as history (quietUntil)", () => {
  it("sends nothing at the moment of starting, where catch-up sends the overdue escalation", () => {
    // Prepare
    const now = local("2024-11-10T12:00");
    // Act
    const quiet = decide(two, historyStart(), now);
    const catchUp = decide(two, initialState(two, "2024-10-01"), now);
    // Assess
    expect(quiet.notifications).toEqual([]);
    expect(catchUp.notifications.map((n) => [n.kind, n.milestoneId, n.level])).toEqual([
      ["escalation", "report", 1],
    ]);
    expect(quiet.done).toBe(false);
    expect(quiet.nextWakeAt).toBe(local("2024-12-06T08:00"));
  });

  it("sends a reminder that falls after it, as usual", () => {
    // Act
    const d = decide(two, historyStart(), local("2024-12-06T08:00"));
    // Assess
    expect(d.notifications.map((n) => [n.kind, n.milestoneId, n.offset])).toEqual([
      ["reminder", "later", "P14D"],
    ]);
  });

  it("never escalates a deadline that passed before it, not even at escalation times after it", () => {
    // Prepare: the escalation plan of `report` has levels on 12, 19 and 26 November, all after the start
    let state = historyStart();
    const sent: string[] = [];
    // Act: the loop runs at every wake-up until the end of the year
    for (const at of ["2024-11-12T09:00", "2024-11-19T09:00", "2024-11-26T09:00", "2024-12-06T08:00"]) {
      const d = decide(two, state, local(at));
      sent.push(...d.notifications.map((n) => `${n.kind}:${n.milestoneId}`));
      state = sentAfter(
        state,
        d.notifications.map((n) => n.key),
      );
    }
    // Assess
    expect(sent).toEqual(["reminder:later"]);
    const planned = upcomingNotifications(two, historyStart(), local("2024-11-10T12:00"));
    expect(planned.length).toBeGreaterThan(0);
    expect(new Set(planned.map((n) => n.milestoneId))).toEqual(new Set(["later"]));
  });

  it("shows the passed deadline as overdue, though nobody is mailed about it", () => {
    // Act
    const statuses = occurrenceStatus(two, historyStart(), local("2024-11-10T12:00"));
    // Assess
    expect(statuses.map((o) => [o.key, o.status])).toEqual([
      ["report/-/0", "overdue"],
      ["later/-/0", "open"],
    ]);
  });

  it("counts a mail exactly at it as past (not sent) and one a second after it as new (sent)", () => {
    // Prepare: quiet up to the P14D reminder of `later` itself, or up to a second before it
    const reminderAt = local("2024-12-06T08:00");
    const secondBefore = new Date(Date.parse(reminderAt) - 1000).toISOString().replace(".000Z", "Z");
    // Act
    const atIt = decide(two, historyStart(reminderAt), reminderAt);
    const before = decide(two, historyStart(secondBefore), reminderAt);
    // Assess
    expect(atIt.notifications).toEqual([]);
    expect(before.notifications.map((n) => n.offset)).toEqual(["P14D"]);
  });

  it("treats a deadline exactly at it as passed: no reminder on its day, no escalation after", () => {
    // Prepare: quiet up to the report's deadline (4 November 23:59)
    const due = local("2024-11-04T23:59");
    // Act
    const escalation = decide(two, historyStart(due), local("2024-11-05T09:00"));
    const status = occurrenceStatus(two, historyStart(due), local("2024-11-05T09:00"));
    // Assess
    expect(escalation.notifications).toEqual([]);
    expect(status.find((o) => o.key === "report/-/0")?.status).toBe("overdue");
  });
});
