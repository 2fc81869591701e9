/**
 * The brute-force limits as pure functions: which fixed window an instant falls in, which counters
 * an attempt is counted in (per client address, and per account where one is known), and whether
 * the counts so far still let an attempt through. Only failures are counted; a success neither
 * counts nor resets anything, so guessing between good logins gains nothing.
 */
import { createHash } from "node:crypto";
import { Temporal } from "../time/temporal.ts";

/** What is being tried: the admin token at the login form, the OpenID callback, a bearer token, a confirm link. */
export type AttemptKind = "login" | "oidc" | "saml" | "bearer" | "link";

export interface AttemptLimits {
  windowSeconds: number;
  /** Failures from one address in a window; the next attempt is refused. */
  perAddress: number;
  /** Failures against one account (e-mail, user, token id, link id) in a window. */
  perAccount: number;
}

/** Fixed windows of 15 minutes. */
export const ATTEMPT_WINDOW_SECONDS = 15 * 60;
/** Generous enough for an office behind one address where a few people mistype. */
export const MAX_FAILURES_PER_ADDRESS = 10;
/** Few enough that guessing one account's secret is hopeless. */
export const MAX_FAILURES_PER_ACCOUNT = 5;

export const DEFAULT_ATTEMPT_LIMITS: AttemptLimits = {
  windowSeconds: ATTEMPT_WINDOW_SECONDS,
  perAddress: MAX_FAILURES_PER_ADDRESS,
  perAccount: MAX_FAILURES_PER_ACCOUNT,
};

export type AttemptScope = "address" | "account";

/** One attempt: its kind, where it came from, and the account it was against when that is known. */
export interface AttemptSubject {
  kind: AttemptKind;
  address: string;
  account?: string | undefined;
}

export interface AttemptWindow {
  start: Temporal.Instant;
  end: Temporal.Instant;
}

/** Pure: the fixed window `now` falls in (windows start at multiples of the length since the epoch). */
export function windowOf(now: Temporal.Instant, windowSeconds: number): AttemptWindow {
  const length = windowSeconds * 1000;
  const startMs = Math.floor(now.epochMilliseconds / length) * length;
  return {
    start: Temporal.Instant.fromEpochMilliseconds(startMs),
    end: Temporal.Instant.fromEpochMilliseconds(startMs + length),
  };
}

/** Whole seconds from `now` to the window's end, at least 1: the Retry-After of a refusal. */
export function retryAfterSeconds(now: Temporal.Instant, window: AttemptWindow): number {
  return Math.max(1, Math.ceil((window.end.epochMilliseconds - now.epochMilliseconds) / 1000));
}

/** Digests keep keys short and free of e-mail addresses or addresses typed by anyone. */
function digest(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("base64url").slice(0, 32);
}

export interface AttemptCounter {
  scope: AttemptScope;
  key: string;
  limit: number;
}

/** Pure: the counters an attempt is counted in, the address's first. */
export function countersOf(subject: AttemptSubject, limits: AttemptLimits): AttemptCounter[] {
  const counters: AttemptCounter[] = [
    { scope: "address", key: `${subject.kind}#address#${digest(subject.address)}`, limit: limits.perAddress },
  ];
  if (subject.account !== undefined && subject.account !== "") {
    counters.push({
      scope: "account",
      key: `${subject.kind}#account#${digest(subject.account.toLowerCase())}`,
      limit: limits.perAccount,
    });
  }
  return counters;
}

export type AttemptDecision = { allowed: true } | { allowed: false; scopes: AttemptScope[] };

/** Pure: may another attempt be made, given the failures counted so far (same order as the counters)? */
export function decideAttempt(
  counters: readonly AttemptCounter[],
  counts: readonly number[],
): AttemptDecision {
  const over = counters.filter((counter, i) => (counts[i] ?? 0) >= counter.limit).map((c) => c.scope);
  return over.length === 0 ? { allowed: true } : { allowed: false, scopes: over };
}
