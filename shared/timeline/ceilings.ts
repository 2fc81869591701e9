/**
 * The plan's stated ceilings, enforced while the schedule is built (shared/model/limits.ts has
 * the numbers): how many occurrences an instance may have, how often one milestone may repeat,
 * and how far from the start a deadline may lie. A plan over a ceiling is refused with the
 * milestone that takes it there, before the work (and the page) it would cost is done.
 */
import { type ErrorCategory, FristflowError } from "../errors/errors.ts";
import { MAX_HORIZON_YEARS, MAX_OCCURRENCES_PER_INSTANCE, MAX_REPETITIONS } from "../model/limits.ts";

export { MAX_HORIZON_YEARS, MAX_OCCURRENCES_PER_INSTANCE, MAX_REPETITIONS };

export type CeilingKind = "occurrences" | "repetitions" | "horizon";

/** A plan that would exceed a ceiling; `field` is the milestone's key that drives it. */
export class PlanLimitError extends FristflowError {
  readonly category: ErrorCategory = "invalid";

  constructor(
    readonly milestoneId: string,
    readonly milestoneIndex: number,
    readonly kind: CeilingKind,
    readonly field: "forEach" | "recurrence" | "due",
    message: string,
  ) {
    super(message);
  }
}

export function tooManyOccurrences(
  id: string,
  index: number,
  projected: number,
  units: number,
): PlanLimitError {
  return new PlanLimitError(
    id,
    index,
    "occurrences",
    units > 1 ? "forEach" : "recurrence",
    `milestone '${id}' takes the plan to ${projected} occurrences` +
      (units > 1 ? ` (${units} units)` : "") +
      `; an instance may have at most ${MAX_OCCURRENCES_PER_INSTANCE}: repeat it less often, or start it for fewer units`,
  );
}

export function tooManyRepetitions(id: string, index: number): PlanLimitError {
  return new PlanLimitError(
    id,
    index,
    "repetitions",
    "recurrence",
    `milestone '${id}' repeats more than ${MAX_REPETITIONS} times; at most ${MAX_REPETITIONS} repetitions are allowed: ` +
      "use a longer interval or an earlier 'until'",
  );
}

export function beyondHorizon(id: string, index: number): PlanLimitError {
  return new PlanLimitError(
    id,
    index,
    "horizon",
    "due",
    `milestone '${id}' has a deadline more than ${MAX_HORIZON_YEARS} years after the start; ` +
      `a plan covers at most ${MAX_HORIZON_YEARS} years`,
  );
}
