/**
 * decide(): the whole timeline logic as one pure function. Given a definition, what has happened
 * to an instance (confirmations, notifications sent, deadlines moved, cancellation) and the time,
 * it says what to send now, when to wake up next, and whether the instance is done.
 *
 * Rules worth knowing:
 * - Reminders stop at the deadline; escalations take over after it. Both stop at confirmation.
 * - After downtime, only the latest due reminder (and the latest escalation level) is sent, never
 *   a burst of stale ones; a citizen's notice is always sent, even late.
 * - A milestone that waits for others sends nothing until they are confirmed, then one
 *   "activated" mail; reminders that fell before that moment are skipped.
 * - On hold, nothing is sent; a start treated as history (`quietUntil`) sends nothing that fell
 *   due before it, and nothing at all about a deadline before it.
 * - An undone confirmation sends its owner one "reopened" mail (keyed by when it was undone).
 * - Moving a deadline gives new idempotency keys (they include the deadline), so reminders are
 *   armed again for the new date; nothing already sent is sent again under the same key.
 */
import type { Workflow } from "../model/schema.ts";
import { Temporal } from "../time/temporal.ts";
import { compileWorkflow } from "./compile.ts";
import {
  buildSchedule,
  effectiveNotifications,
  type ScheduledOccurrence,
  type TimedNotification,
} from "./schedule.ts";
import { type OccurrenceStatusName, statusOfInstants } from "./status.ts";
import type { Decision, InstanceState, RecipientRef, Reopening, ScheduledNotification } from "./types.ts";

/** Continue-as-new well inside Standard workflows' 1-year and 25,000-event limits. */
export const EXECUTION_LIMITS = { maxAgeDays: 300, maxLoops: 500 } as const;

export function notificationKey(
  instanceId: string,
  occurrence: { key: string; dueIso: string | null },
  kind: string,
  detail: string,
): string {
  return `${instanceId}/${occurrence.key}/${kind}/${detail}/${occurrence.dueIso ?? "-"}`;
}

export function toScheduled(
  instanceId: string,
  occ: ScheduledOccurrence,
  n: TimedNotification,
): ScheduledNotification {
  const out: ScheduledNotification = {
    key: notificationKey(instanceId, occ, n.kind, n.detail),
    kind: n.kind,
    occurrenceKey: occ.key,
    milestoneId: occ.milestone.id,
    unitId: occ.unitId,
    index: occ.index,
    dueAt: occ.dueIso ?? "",
    at: n.atIso,
    recipient: n.recipient,
  };
  if (n.offset !== undefined) out.offset = n.offset;
  if (n.level !== undefined) out.level = n.level;
  return out;
}

/** A "reopened" mail's idempotency key: one per undoing (its instant), not per deadline. */
export function reopenedKey(instanceId: string, reopening: Reopening): string {
  return `${instanceId}/${reopening.occurrenceKey}/reopened/${reopening.at}`;
}

function reopenedNotification(
  key: string,
  occ: ScheduledOccurrence,
  owner: RecipientRef,
  reopening: Reopening,
): ScheduledNotification {
  return {
    key,
    kind: "reopened",
    occurrenceKey: occ.key,
    milestoneId: occ.milestone.id,
    unitId: occ.unitId,
    index: occ.index,
    dueAt: occ.dueIso ?? "",
    at: reopening.at,
    recipient: owner,
    reopened: { by: reopening.by, reason: reopening.reason },
  };
}

const isAfter = (a: Temporal.Instant, b: Temporal.Instant) => Temporal.Instant.compare(a, b) > 0;
const notAfter = (a: Temporal.Instant, b: Temporal.Instant) => Temporal.Instant.compare(a, b) <= 0;

/** The latest candidate, if it is not sent yet: earlier ones are superseded by it. */
function latestUnsent(
  candidates: TimedNotification[],
  keyOf: (n: TimedNotification) => string,
  sent: Set<string>,
) {
  let latest: TimedNotification | undefined;
  for (const c of candidates) if (!latest || isAfter(c.at, latest.at)) latest = c;
  return latest && !sent.has(keyOf(latest)) ? latest : undefined;
}

/** The schedule as it stands: confirmations, moved deadlines and period ends applied. */
export function actualSchedule(definition: Workflow, state: InstanceState, now: Temporal.Instant) {
  const confirmedAt = new Map(state.confirmations.map((c) => [c.occurrenceKey, Temporal.Instant.from(c.at)]));
  const schedule = buildSchedule({
    compiled: compileWorkflow(definition),
    start: Temporal.Instant.from(state.startAt),
    units: state.units,
    dueOverrides: state.dueOverrides,
    // A period marker is complete at its deadline; anything else when somebody confirmed it.
    completion: (o) =>
      o.milestone.confirmable
        ? (confirmedAt.get(o.key) ?? null)
        : o.due && notAfter(o.due, now)
          ? o.due
          : null,
  });
  return { schedule, confirmedAt };
}

export interface OccurrenceStatus {
  key: string;
  milestoneId: string;
  unitId: string | null;
  index: number;
  confirmable: boolean;
  dueAt: string | null;
  activatedAt: string | null;
  confirmedAt: string | null;
  status: OccurrenceStatusName;
}

/** Every occurrence as it stands now: for the store's overview items, the dashboard and simulations. */
export function occurrenceStatus(
  definition: Workflow,
  state: InstanceState,
  nowInput: Temporal.Instant | string,
): OccurrenceStatus[] {
  const now = typeof nowInput === "string" ? Temporal.Instant.from(nowInput) : nowInput;
  const { schedule, confirmedAt } = actualSchedule(definition, state, now);
  return schedule.map((o) => {
    const confirmed = confirmedAt.get(o.key) ?? null;
    return {
      key: o.key,
      milestoneId: o.milestone.id,
      unitId: o.unitId,
      index: o.index,
      confirmable: o.milestone.confirmable,
      dueAt: o.due?.toString() ?? null,
      activatedAt: o.activation?.toString() ?? null,
      confirmedAt: confirmed?.toString() ?? null,
      status: statusOfInstants(
        {
          confirmable: o.milestone.confirmable,
          confirmed: confirmed !== null,
          activation: o.activation ?? null,
          due: o.due ?? null,
        },
        now,
        { onHold: state.hold !== undefined },
      ),
    };
  });
}

export function decide(
  definition: Workflow,
  state: InstanceState,
  nowInput: Temporal.Instant | string,
): Decision {
  const now = typeof nowInput === "string" ? Temporal.Instant.from(nowInput) : nowInput;
  const { schedule, confirmedAt } = actualSchedule(definition, state, now);
  const known = new Set(schedule.map((o) => o.key));
  const ignoredConfirmations = state.confirmations.map((c) => c.occurrenceKey).filter((k) => !known.has(k));

  if (state.cancelledAt) {
    return { notifications: [], nextWakeAt: null, done: true, continueAsNew: false, ignoredConfirmations };
  }

  const boundary = Temporal.Instant.from(state.execution.startedAt).add({
    hours: 24 * EXECUTION_LIMITS.maxAgeDays,
  });
  if (state.hold) {
    // On hold: nothing goes out; the resume signal wakes the loop, the boundary renews the execution.
    const continueAsNew = notAfter(boundary, now) || state.execution.loops >= EXECUTION_LIMITS.maxLoops;
    return {
      notifications: [],
      nextWakeAt: continueAsNew ? now.toString() : boundary.toString(),
      done: false,
      continueAsNew,
      ignoredConfirmations,
    };
  }
  // A past treated as history: what fell due up to here is not sent.
  const quiet = state.quietUntil === undefined ? null : Temporal.Instant.from(state.quietUntil);
  const afterQuiet = (at: Temporal.Instant) => quiet === null || isAfter(at, quiet);

  const sent = new Set(state.sent);
  const reopened = new Map((state.reopenings ?? []).map((r) => [r.occurrenceKey, r]));
  const notifications: ScheduledNotification[] = [];
  const wake: { at: Temporal.Instant | null } = { at: null };
  const wakeAt = (at: Temporal.Instant) => {
    if (isAfter(at, now) && (!wake.at || isAfter(wake.at, at))) wake.at = at;
  };
  let done = true;

  for (const occ of schedule) {
    if (!occ.milestone.confirmable) {
      if (!occ.due || isAfter(occ.due, now)) done = false;
      if (occ.due) wakeAt(occ.due);
      continue;
    }
    if (confirmedAt.has(occ.key)) continue;
    done = false;
    // Waiting for a dependency: a confirmation signal wakes the instance, or a period's end.
    if (!occ.activation || !occ.due) continue;
    // An undone confirmation: its owner is told once (a waiting one is told when it is active again).
    const reopening = reopened.get(occ.key);
    if (reopening !== undefined && occ.owner !== null) {
      const key = reopenedKey(state.instanceId, reopening);
      const at = Temporal.Instant.from(reopening.at);
      if (!notAfter(at, now)) wakeAt(at);
      else if (!sent.has(key)) notifications.push(reopenedNotification(key, occ, occ.owner, reopening));
    }
    // A deadline that passed before a history start is shown as overdue; nobody is mailed about it.
    if (!afterQuiet(occ.due)) continue;
    if (isAfter(occ.activation, now)) {
      wakeAt(occ.activation);
      continue;
    }
    const activation = occ.activation;
    const due = occ.due;
    const keyOf = (n: TimedNotification) => notificationKey(state.instanceId, occ, n.kind, n.detail);

    const effective = effectiveNotifications(occ, activation);
    const ofKind = (kind: TimedNotification["kind"]) => effective.filter((n) => n.kind === kind);
    const isDue = (n: TimedNotification) => notAfter(n.at, now) && afterQuiet(n.at);
    const send = (n: TimedNotification | undefined) => {
      if (n) notifications.push(toScheduled(state.instanceId, occ, n));
    };

    send(ofKind("activated").find((n) => !sent.has(keyOf(n)) && afterQuiet(n.at)));
    // Reminders stop at the deadline; after downtime only the latest one due is sent.
    if (isAfter(due, now)) send(latestUnsent(ofKind("reminder").filter(isDue), keyOf, sent));
    const escalation = latestUnsent(ofKind("escalation").filter(isDue), keyOf, sent);
    if (escalation) {
      const before = ofKind("escalation").filter((n) => sent.has(keyOf(n))).length;
      notifications.push({ ...toScheduled(state.instanceId, occ, escalation), ordinal: before + 1 });
    }
    // A notice to a citizen is always sent, even late: they must be told.
    for (const notice of ofKind("notice")) if (isDue(notice) && !sent.has(keyOf(notice))) send(notice);

    for (const n of effective) {
      if (n.kind === "reminder" && !isAfter(due, n.at)) continue;
      wakeAt(n.at);
    }
  }

  if (done)
    return { notifications, nextWakeAt: null, done: true, continueAsNew: false, ignoredConfirmations };

  const continueAsNew = notAfter(boundary, now) || state.execution.loops >= EXECUTION_LIMITS.maxLoops;
  const nextWake = wake.at && isAfter(boundary, wake.at) ? wake.at : boundary;
  return {
    notifications,
    nextWakeAt: continueAsNew ? now.toString() : nextWake.toString(),
    done: false,
    continueAsNew,
    ignoredConfirmations,
  };
}
