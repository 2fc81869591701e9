/**
 * A change's consequences, worked out before it is saved: the state decide() will see after it,
 * and what differs from now — deadlines moved, occurrences added and removed, planned reminders
 * cancelled, moved or added, and the mails that go out the moment it is saved. Pure: the same
 * functions run for the preview page and again, on fresh state, when the change is saved.
 */
import type { Workflow } from "../../model/schema.ts";
import type { AuditAction } from "../../store/audit-actions.ts";
import type { InstanceChange } from "../../store/records.ts";
import type { Temporal } from "../../time/temporal.ts";
import { decide, occurrenceStatus } from "../../timeline/decide.ts";
import type { InstanceState, ScheduledNotification } from "../../timeline/types.ts";
import { upcomingNotifications } from "../../timeline/upcoming.ts";

/** What a steering use case proposes: the store write, and the definition after it (a migration's). */
export interface ProposedChange {
  change: Omit<InstanceChange, "instanceId" | "expectedRev">;
  definitionAfter?: Workflow;
}

export interface MovedDeadline {
  occurrenceKey: string;
  milestoneId: string;
  unitId: string | null;
  from: string | null;
  to: string | null;
}

export interface ChangePreview {
  instanceId: string;
  /** The rev it was worked out at: saving refuses if the instance changed since. */
  rev: number;
  movedDeadlines: MovedDeadline[];
  addedOccurrences: string[];
  removedOccurrences: string[];
  /** Planned mails that will no longer go out. */
  cancelledNotifications: ScheduledNotification[];
  /** Planned mails that go out at another time (their deadline moved). */
  movedNotifications: { before: ScheduledNotification; after: ScheduledNotification }[];
  /** Mails planned now that were not before. */
  addedNotifications: ScheduledNotification[];
  /** What the loop sends the moment the change is saved. */
  sendsNow: ScheduledNotification[];
  /** What the audit trail will say (a migration's plan, the deadlines' old dates, …). */
  audit: { action: AuditAction; details: InstanceChange["audit"]["details"] };
}

/** The state decide() reads after the change: the same fields the store writes, applied in memory. */
export function stateAfterChange(
  state: InstanceState,
  change: Omit<ProposedChange["change"], "audit">,
): InstanceState {
  const set = change.set ?? {};
  const gone = new Set([...(change.reopen ?? []).map((r) => r.occurrenceKey), ...(change.remove ?? [])]);
  const put = change.put ?? [];
  for (const m of put) gone.add(m.occurrenceKey);
  const confirmations = [
    ...state.confirmations.filter((c) => !gone.has(c.occurrenceKey)),
    ...(change.confirm ?? []).map((c) => ({ occurrenceKey: c.occurrenceKey, at: c.at, by: c.by })),
    ...put
      .filter((m) => m.status === "confirmed" && m.confirmedAt !== undefined)
      .map((m) => ({
        occurrenceKey: m.occurrenceKey,
        at: m.confirmedAt as string,
        ...(m.confirmedBy === undefined ? {} : { by: m.confirmedBy }),
      })),
  ];
  // An undone confirmation's notice, as the store keeps it on the milestone state (state.ts).
  const notices = [
    ...(change.reopen ?? []).flatMap((r) =>
      r.notice === undefined ? [] : [{ occurrenceKey: r.occurrenceKey, ...r.notice }],
    ),
    ...put.flatMap((m) =>
      m.status === "open" && m.reopened !== undefined
        ? [{ occurrenceKey: m.occurrenceKey, ...m.reopened }]
        : [],
    ),
  ];
  const renoticed = new Set(notices.map((r) => r.occurrenceKey));
  const reopenings = [
    ...(state.reopenings ?? []).filter((r) => !renoticed.has(r.occurrenceKey) && !gone.has(r.occurrenceKey)),
    ...notices,
  ];
  const { hold: _hold, reopenings: _reopenings, ...rest } = state;
  const hold =
    set.hold === undefined ? state.hold : set.hold === null ? undefined : { since: set.hold.since };
  return {
    ...rest,
    units: set.units ?? state.units,
    dueOverrides: set.dueOverrides ?? state.dueOverrides,
    confirmations,
    sent: [...new Set([...state.sent, ...(change.markSent ?? [])])],
    ...(hold === undefined ? {} : { hold }),
    ...(reopenings.length === 0 ? {} : { reopenings }),
  };
}

/** A mail's identity apart from its deadline (the key's last part): the same reminder, moved. */
function identity(n: ScheduledNotification): string {
  return n.key.slice(0, n.key.lastIndexOf("/"));
}

export function previewChange(input: {
  instanceId: string;
  rev: number;
  definition: Workflow;
  state: InstanceState;
  proposed: ProposedChange;
  now: Temporal.Instant;
}): ChangePreview {
  const { definition, state, proposed, now } = input;
  const definitionAfter = proposed.definitionAfter ?? definition;
  const after = stateAfterChange(state, proposed.change);

  const statusBefore = new Map(occurrenceStatus(definition, state, now).map((o) => [o.key, o]));
  const statusAfter = new Map(occurrenceStatus(definitionAfter, after, now).map((o) => [o.key, o]));
  const movedDeadlines: MovedDeadline[] = [];
  for (const [key, o] of statusAfter) {
    const before = statusBefore.get(key);
    if (before === undefined || before.dueAt === o.dueAt || o.confirmedAt !== null) continue;
    movedDeadlines.push({
      occurrenceKey: key,
      milestoneId: o.milestoneId,
      unitId: o.unitId,
      from: before.dueAt,
      to: o.dueAt,
    });
  }

  const planned = (d: Workflow, s: InstanceState) =>
    new Map(upcomingNotifications(d, s, now).map((n) => [identity(n), n]));
  const plannedBefore = planned(definition, state);
  const plannedAfter = planned(definitionAfter, after);
  const movedNotifications: ChangePreview["movedNotifications"] = [];
  const addedNotifications: ScheduledNotification[] = [];
  for (const [id, n] of plannedAfter) {
    const before = plannedBefore.get(id);
    if (before === undefined) addedNotifications.push(n);
    else if (before.at !== n.at) movedNotifications.push({ before, after: n });
  }
  const beforeNow = new Set(decide(definition, state, now).notifications.map((n) => n.key));
  return {
    instanceId: input.instanceId,
    rev: input.rev,
    movedDeadlines,
    addedOccurrences: [...statusAfter.keys()].filter((k) => !statusBefore.has(k)),
    removedOccurrences: [...statusBefore.keys()].filter((k) => !statusAfter.has(k)),
    cancelledNotifications: [...plannedBefore].filter(([id]) => !plannedAfter.has(id)).map(([, n]) => n),
    movedNotifications,
    addedNotifications,
    // What the loop had due anyway (it is about to send it) is not the change's doing.
    sendsNow: decide(definitionAfter, after, now).notifications.filter((n) => !beforeNow.has(n.key)),
    audit: { action: proposed.change.audit.action, details: proposed.change.audit.details },
  };
}
