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
import { decide, occurrenceStatus } from "./decide.ts";
import type { Decision, InstanceState } from "./types.ts";

export function closingOccurrence(
  definition: Workflow,
  state: InstanceState,
  decision: Decision,
  now: Temporal.Instant,
): string | null {
  if (
    decision.done ||
    decision.continueAsNew ||
    state.hold !== undefined ||
    state.cancelledAt !== undefined
  ) {
    return null;
  }
  const open = occurrenceStatus(definition, state, now).filter(
    (o) => o.confirmable && o.confirmedAt === null,
  );
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
