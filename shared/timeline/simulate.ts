/**
 * Runs decide() through a whole timeline on a virtual clock, with no engine and no I/O:
 * wake at nextWakeAt, confirm occurrences when a policy says so, continue as new when asked.
 * Used by the simulation test, property tests and the benchmark; the local engine does the
 * same with real side effects.
 */
import type { Workflow } from "../model/schema.ts";
import { Temporal } from "../time/temporal.ts";
import { decide, type OccurrenceStatus, occurrenceStatus } from "./decide.ts";
import type { InstanceState, ScheduledNotification } from "./types.ts";

export interface SimulationOptions {
  /** When an active occurrence gets confirmed (at or after its activation), or null for never. */
  confirmAt: (occurrence: OccurrenceStatus) => Temporal.Instant | null;
  /** Extra wake-ups at arbitrary instants (a crashed and restarted engine, a spurious signal). */
  extraWakeUps?: Temporal.Instant[];
  /** Stop after this many decide() calls, as a guard against a non-terminating timeline. */
  maxSteps?: number;
  /** Stop at this instant even if the instance is not done (e.g. "one virtual year"). */
  until?: Temporal.Instant;
}

export interface SimulationResult {
  state: InstanceState;
  sent: (ScheduledNotification & { sentAt: string })[];
  steps: number;
  executions: number;
  done: boolean;
  endedAt: string;
}

const later = (a: Temporal.Instant, b: Temporal.Instant) => Temporal.Instant.compare(a, b) > 0;

export function simulate(
  definition: Workflow,
  initial: InstanceState,
  options: SimulationOptions,
): SimulationResult {
  let state: InstanceState = structuredClone(initial);
  const sent: SimulationResult["sent"] = [];
  const pendingConfirmations = new Map<string, Temporal.Instant>();
  const decided = new Set<string>();
  const extra = [...(options.extraWakeUps ?? [])].sort(Temporal.Instant.compare);
  const maxSteps = options.maxSteps ?? 100_000;
  let now = Temporal.Instant.from(state.startAt);
  let steps = 0;
  let executions = 1;
  let done = false;

  while (steps < maxSteps) {
    steps++;
    const decision = decide(definition, state, now);
    for (const n of decision.notifications) sent.push({ ...n, sentAt: now.toString() });
    state = {
      ...state,
      sent: [...state.sent, ...decision.notifications.map((n) => n.key)],
      execution: decision.continueAsNew
        ? { startedAt: now.toString(), loops: 0 }
        : { ...state.execution, loops: state.execution.loops + 1 },
    };
    if (decision.continueAsNew) executions++;
    if (decision.done) {
      done = true;
      break;
    }
    // Draw a confirmation time once for every occurrence that has become active.
    for (const occ of occurrenceStatus(definition, state, now)) {
      if (
        (occ.status === "open" || occ.status === "due-soon" || occ.status === "overdue") &&
        !decided.has(occ.key)
      ) {
        decided.add(occ.key);
        const at = options.confirmAt(occ);
        if (at) pendingConfirmations.set(occ.key, later(now, at) ? now : at);
      }
    }
    let next = decision.nextWakeAt ? Temporal.Instant.from(decision.nextWakeAt) : null;
    let confirmKey: string | null = null;
    for (const [key, at] of pendingConfirmations) {
      if (!next || !later(at, next)) {
        next = at;
        confirmKey = key;
      }
    }
    const spurious = extra[0];
    if (spurious && (!next || !later(spurious, next))) {
      next = spurious;
      confirmKey = null;
      extra.shift();
    }
    if (!next || (options.until && later(next, options.until))) break;
    now = later(next, now) ? next : now;
    if (confirmKey) {
      pendingConfirmations.delete(confirmKey);
      state = {
        ...state,
        confirmations: [...state.confirmations, { occurrenceKey: confirmKey, at: now.toString() }],
      };
    }
  }
  return { state, sent, steps, executions, done, endedAt: now.toString() };
}
