/**
 * The occurrence whose confirmation finishes the instance: when one open occurrence is all that
 * keeps an instance running, the loop's step marks it (shared/app/decide-step.ts), and the
 * confirmation finishes the instance in its own write (shared/store), so the loop is ended from
 * there instead of waking up once more only to decide "done" (issue 13: one step and one park, two
 * Lambda invocations and two state transitions, fewer per finished case).
 *
 * Pure. Conservative: a candidate counts only if decide() says "done" with it confirmed both now
 * and at the loop's next wake-up (the mark lives until the loop decides again), and no milestone
 * waits for it. Anything that changes the instance (a deadline moved, a unit added, a hold) bumps
 * its rev, and the store finishes the instance only at the rev the mark was made at.
 */
import type { Workflow } from "../model/schema.ts";
import { Temporal } from "../time/temporal.ts";
import { decide, type OccurrenceStatus } from "./decide.ts";
import type { Decision, InstanceState } from "./types.ts";

/**
 * `decided` is what the step already worked out at `now` for this state: its decision and every
 * occurrence's status (occurrenceStatus), so neither is computed twice.
 */
export function closingOccurrence(
  definition: Workflow,
  state: InstanceState,
  now: Temporal.Instant,
  decided: { decision: Decision; statuses: readonly OccurrenceStatus[] },
): string | null {
  const { decision, statuses } = decided;
  if (
    decision.done ||
    decision.continueAsNew ||
    state.hold !== undefined ||
    state.cancelledAt !== undefined
  ) {
    return null;
  }
  const open = statuses.filter((o) => o.confirmable && o.confirmedAt === null);
  const only = open.length === 1 ? open[0] : undefined;
  if (only === undefined) return null;
  if (definition.milestones.some((m) => m.after.includes(only.milestoneId))) return null;
  const nextWake = decision.nextWakeAt === null ? now : Temporal.Instant.from(decision.nextWakeAt);
  const doneIfConfirmedAt = (at: Temporal.Instant) =>
    decide(
      definition,
      {
        ...state,
        confirmations: [...state.confirmations, { occurrenceKey: only.key, at: at.toString() }],
      },
      at,
    ).done;
  return doneIfConfirmedAt(now) && doneIfConfirmedAt(nextWake) ? only.key : null;
}
