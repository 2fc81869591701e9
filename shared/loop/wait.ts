import { Temporal } from "../time/temporal.ts";
import { MAX_WAIT_SECONDS } from "./contract.ts";

/**
 * Seconds from `now` until `nextWakeAt`, rounded up so the loop never wakes a moment too early
 * (and decides "nothing yet" once more); at least 1 because Step Functions refuses a zero timeout,
 * at most its one-year cap. Decide computes it for a Sleep that follows at once, Notify again
 * after its batch, so a slow batch (SES backoff, a busy claim waited out) does not push the wake-up
 * back by its own duration.
 */
export function waitSeconds(nextWakeAt: string | null, now: Temporal.Instant): number {
  if (nextWakeAt === null) return 1;
  const ms = Temporal.Instant.from(nextWakeAt).epochMilliseconds - now.epochMilliseconds;
  return Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil(ms / 1000)));
}
