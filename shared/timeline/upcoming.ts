/**
 * What an instance will send later, as it stands: the notifications of its active, open
 * occurrences that are still ahead and not sent. A change's preview compares this list before and
 * after the change ("cancels 2 planned reminders"). Occurrences still waiting for an earlier
 * milestone have no dates yet and are left out.
 */
import type { Workflow } from "../model/schema.ts";
import { Temporal } from "../time/temporal.ts";
import { actualSchedule, notificationKey, toScheduled } from "./decide.ts";
import { effectiveNotifications } from "./schedule.ts";
import type { InstanceState, ScheduledNotification } from "./types.ts";

export function upcomingNotifications(
  definition: Workflow,
  state: InstanceState,
  nowInput: Temporal.Instant | string,
): ScheduledNotification[] {
  const now = typeof nowInput === "string" ? Temporal.Instant.from(nowInput) : nowInput;
  // Cancelled or on hold: nothing is planned to go out.
  if (state.cancelledAt !== undefined || state.hold !== undefined) return [];
  const { schedule, confirmedAt } = actualSchedule(definition, state, now);
  const sent = new Set(state.sent);
  const quiet = state.quietUntil === undefined ? null : Temporal.Instant.from(state.quietUntil);
  const out: ScheduledNotification[] = [];
  for (const occ of schedule) {
    if (!occ.milestone.confirmable || confirmedAt.has(occ.key) || !occ.activation || !occ.due) continue;
    if (quiet !== null && Temporal.Instant.compare(occ.due, quiet) <= 0) continue;
    const due = occ.due;
    for (const n of effectiveNotifications(occ, occ.activation)) {
      if (Temporal.Instant.compare(n.at, now) <= 0) continue;
      // Reminders stop at the deadline (as in decide()).
      if (n.kind === "reminder" && Temporal.Instant.compare(n.at, due) >= 0) continue;
      if (sent.has(notificationKey(state.instanceId, occ, n.kind, n.detail))) continue;
      out.push(toScheduled(state.instanceId, occ, n));
    }
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key < b.key ? -1 : 1));
}
