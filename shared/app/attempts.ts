/**
 * Brute-force limits on logins, bearer tokens and confirm links, on counters every server shares
 * (the `attempts` port): before checking a credential, `admitAttempt` refuses when the address
 * or the account has failed too often in the current window; after a failed check,
 * `countFailure` counts it. The first refusal of a window is written to the `security` audit
 * trail (once, however many follow: an attacker cannot fill the trail), with what was tried
 * and from where. Those entries hold an address, personal data: they expire as the access log's do.
 */
import type { AttemptStore, AuditLog } from "../store/ports.ts";
import type { Clock } from "../time/clock.ts";
import { DEFAULT_ACCESS_LOG_DAYS, expiresAtOf } from "./access-log.ts";
import {
  type AttemptLimits,
  type AttemptScope,
  type AttemptSubject,
  countersOf,
  DEFAULT_ATTEMPT_LIMITS,
  decideAttempt,
  retryAfterSeconds,
  windowOf,
} from "./attempt-policy.ts";

/** The audit trail of security events (apart from every instance's: ids never hold ':' or are this word). */
export const SECURITY_AUDIT_ID = "security";

/** How long the security trail keeps an entry (it holds an address): as long as the access log. */
export const SECURITY_TRAIL_DAYS = DEFAULT_ACCESS_LOG_DAYS;

/** Who the audit trail names for what the limits do themselves. */
export const LIMITS_ACTOR = "attempt-limits";

export interface AttemptDeps {
  attempts: AttemptStore;
  audit: AuditLog;
  clock: Clock;
  /** Default: DEFAULT_ATTEMPT_LIMITS (10 per address, 5 per account, in 15 minutes). */
  attemptLimits?: AttemptLimits | undefined;
}

export type Admission = { admitted: true } | { admitted: false; retryAfter: number; scopes: AttemptScope[] };

/** The counter's TTL: a window after its end, so a late read still finds it. */
function expiryOf(end: { epochMilliseconds: number }, windowSeconds: number): number {
  return Math.ceil(end.epochMilliseconds / 1000) + windowSeconds;
}

/**
 * Whether an attempt may be checked at all. A refused attempt is counted too (in the counters that
 * refused it), so the first refusal of a window is known exactly once and audited then.
 */
export async function admitAttempt(
  deps: AttemptDeps,
  subject: AttemptSubject,
  meta: { requestId?: string } = {},
): Promise<Admission> {
  const limits = deps.attemptLimits ?? DEFAULT_ATTEMPT_LIMITS;
  const now = deps.clock.now();
  const window = windowOf(now, limits.windowSeconds);
  const start = window.start.toString();
  const counters = countersOf(subject, limits);
  const counts = await deps.attempts.counts(
    counters.map((c) => c.key),
    start,
  );
  const decision = decideAttempt(counters, counts);
  if (decision.allowed) return { admitted: true };
  const refusing = counters.filter((c) => decision.scopes.includes(c.scope));
  const after = await Promise.all(
    refusing.map((c) => deps.attempts.add(c.key, start, expiryOf(window.end, limits.windowSeconds))),
  );
  const first = refusing.filter((c, i) => after[i] === c.limit + 1).map((c) => c.scope);
  if (first.length > 0) {
    await deps.audit.append(SECURITY_AUDIT_ID, {
      action: "attempts.limited",
      by: LIMITS_ACTOR,
      details: {
        kind: subject.kind,
        scopes: first,
        address: subject.address,
        ...(subject.account === undefined ? {} : { account: subject.account }),
        until: window.end.toString(),
        ...(meta.requestId === undefined ? {} : { requestId: meta.requestId }),
      },
      expiresAt: expiresAtOf(now.toString(), SECURITY_TRAIL_DAYS),
    });
  }
  return { admitted: false, retryAfter: retryAfterSeconds(now, window), scopes: decision.scopes };
}

/** Counts a failed attempt against its address and, where known, its account. */
export async function countFailure(
  deps: Pick<AttemptDeps, "attempts" | "clock" | "attemptLimits">,
  subject: AttemptSubject,
): Promise<void> {
  const limits = deps.attemptLimits ?? DEFAULT_ATTEMPT_LIMITS;
  const window = windowOf(deps.clock.now(), limits.windowSeconds);
  const expiresAt = expiryOf(window.end, limits.windowSeconds);
  await Promise.all(
    countersOf(subject, limits).map((c) => deps.attempts.add(c.key, window.start.toString(), expiresAt)),
  );
}
