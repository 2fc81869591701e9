/**
 * The RecordFailure step: a Lambda failed for good (Step Functions' own retries are spent, or the
 * error was permanent). Put it in the instance's audit trail, then either back off and let the loop
 * try Decide again, or, after too many failures in a row, mark the instance failed and stop.
 *
 * "In a row" is read from the audit trail: the trailing run of `loop.failed` entries, broken by a
 * mail that went out (the loop worked in between) or by a gap much longer than the backoff that
 * failure was given (the loop ran and slept fine, and this is a new problem).
 */

import { redact } from "../errors/describe.ts";
import type { RecordFailureInput, RecordFailureOutput } from "../loop/contract.ts";
import type { AuditAction } from "../store/audit-actions.ts";
import { ConflictError } from "../store/errors.ts";
import type { AuditLog, InstanceStore } from "../store/ports.ts";
import type { AuditEntry } from "../store/records.ts";
import type { Clock } from "../time/clock.ts";
import { Temporal } from "../time/temporal.ts";
import { type Log, silentLog } from "./log.ts";

export interface RecordFailureDeps {
  instances: InstanceStore;
  audit: AuditLog;
  clock: Clock;
  log?: Log;
}

/** Waits after the 1st, 2nd, … failure in a row: a minute for a blip, up to a day for an outage. */
export const BACKOFF_SECONDS = [60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600, 12 * 3600, 24 * 3600] as const;
const LONGEST_BACKOFF = 24 * 3600;
/** The 8th failure in a row (about 1.7 days after the first) gives up. */
export const MAX_FAILURES_IN_A_ROW = 8;
export const LOOP_FAILED = "loop.failed" satisfies AuditAction;
/**
 * Slack on top of a granted backoff before the next failure counts as a new streak: Step
 * Functions' own retries of a task (up to ten, with Lambda timeouts) can take a couple of hours.
 */
const STREAK_GRACE_SECONDS = 3 * 3600;
const MAX_ERROR_CHARS = 120;
const MAX_CAUSE_CHARS = 500;

export async function runRecordFailure(
  deps: RecordFailureDeps,
  input: RecordFailureInput,
): Promise<RecordFailureOutput> {
  const log = deps.log ?? silentLog;
  const { instanceId } = input;
  const instance = await deps.instances.get(instanceId);
  if (instance === null) {
    // Nothing to drive and nothing to attach an entry to: stop the loop.
    log.warn("failure for an unknown instance; giving up", { instanceId });
    return { giveUp: true, retryInSeconds: 1 };
  }

  const failures = failuresInARow(await deps.audit.list(instanceId), deps.clock.now()) + 1;
  const running = instance.status === "running";
  const giveUp = !running || failures >= MAX_FAILURES_IN_A_ROW;
  const retryInSeconds = giveUp ? 1 : backoffSeconds(failures);
  await deps.audit.append(instanceId, {
    action: LOOP_FAILED,
    by: "system",
    details: {
      error: redact(input.error.Error, MAX_ERROR_CHARS),
      cause: summariseCause(input.error.Cause),
      failuresInARow: failures,
      retryInSeconds: giveUp ? null : retryInSeconds,
      giveUp,
    },
  });
  if (giveUp && running) {
    try {
      await deps.instances.finish(
        instanceId,
        "failed",
        `${failures} failures in a row; last: ${redact(input.error.Error, MAX_ERROR_CHARS)}`,
      );
    } catch (err) {
      // Cancelled meanwhile: it has stopped, which is all giving up needs.
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  log.warn("loop failure recorded", {
    instanceId,
    error: redact(input.error.Error, MAX_ERROR_CHARS),
    failuresInARow: failures,
    giveUp,
    retryInSeconds,
  });
  return { giveUp, retryInSeconds };
}

export function backoffSeconds(failuresInARow: number): number {
  const index = Math.min(Math.max(failuresInARow, 1), BACKOFF_SECONDS.length) - 1;
  return BACKOFF_SECONDS[index] ?? LONGEST_BACKOFF;
}

/** How many `loop.failed` entries end the trail as one streak, counted back from `now`. */
export function failuresInARow(trail: readonly AuditEntry[], now: Temporal.Instant): number {
  let streak = 0;
  let later = now;
  for (let i = trail.length - 1; i >= 0; i--) {
    const entry = trail[i];
    if (entry === undefined) break;
    if (entry.action === "notification.sent" || entry.action === "instance.created") break;
    if (entry.action !== LOOP_FAILED) continue;
    const at = Temporal.Instant.from(entry.at);
    const granted = entry.details?.retryInSeconds;
    const allowed = (typeof granted === "number" ? granted : 0) + STREAK_GRACE_SECONDS;
    if (later.epochMilliseconds - at.epochMilliseconds > allowed * 1000) break;
    streak += 1;
    later = at;
  }
  return streak;
}

/**
 * Step Functions' Cause for a Lambda error is JSON with errorType, errorMessage and a stackTrace.
 * Keep type and message (redacted, trimmed), never the stack: it is noise in an audit trail and
 * can quote data.
 */
export function summariseCause(cause: string | undefined): string | null {
  if (cause === undefined || cause === "") return null;
  let text = cause;
  try {
    const parsed = JSON.parse(cause) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof parsed === "object" && parsed !== null && (parsed.errorType || parsed.errorMessage)) {
      text = [parsed.errorType, parsed.errorMessage].filter((x) => typeof x === "string").join(": ");
    }
  } catch {
    // Not JSON (a States.* error's cause is plain text): take it as it is, minus anything stack-like.
    text = cause.split(/\n\s+at /)[0] ?? cause;
  }
  return redact(text, MAX_CAUSE_CHARS);
}
