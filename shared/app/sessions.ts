/**
 * Server-side login sessions: the cookie carries `s1.<user id>.<secret>`, the table keeps the
 * secret's SHA-256 with the session's idle and absolute ends, and every request checks both ends
 * and the user's current state (active, roles). So logging out, deactivating a user or taking a
 * role away counts at the next request, on every server, with nothing cached.
 *
 * The CSRF token of a session's forms is derived from its secret, which only the browser holding
 * the cookie and the server seeing it know.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Role } from "../model/people.ts";
import type { SessionStore, UserStore } from "../store/ports.ts";
import type { SessionRecord, UserRecord } from "../store/records.ts";
import type { Clock } from "../time/clock.ts";
import { Temporal } from "../time/temporal.ts";

export interface SessionPolicy {
  /** Without a request for this long, the session ends. */
  idleSeconds: number;
  /** However busy, the session ends this long after the login. */
  absoluteSeconds: number;
  /** The idle end is written at most this often (not on every request). */
  touchAfterSeconds: number;
}

/** An hour idle, a working day at most: a laptop left overnight is logged out. */
export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleSeconds: 60 * 60,
  absoluteSeconds: 12 * 60 * 60,
  touchAfterSeconds: 60,
};

/**
 * Who the bootstrap admin-token login's sessions belong to: not a user id (a user id cannot start
 * with `~`), so no user can ever be mistaken for it.
 */
export const BOOTSTRAP_USER_ID = "~admin";

/** Who is making a request: a user, or whoever holds the admin token (the bootstrap and scripts). */
export interface Principal {
  kind: "user" | "admin-token";
  userId: string;
  name: string;
  roles: readonly Role[];
  /** A user's e-mail (lower case): how instances name them (shared/app/visibility.ts). */
  email?: string;
  /** The workflows a caseworker may start and steer (shared/app/grants.ts); absent: none. */
  grants?: readonly string[];
}

export const ADMIN_TOKEN_PRINCIPAL: Principal = {
  kind: "admin-token",
  userId: BOOTSTRAP_USER_ID,
  name: "admin token",
  roles: ["administrator"],
};

/** What the audit trail names: the person, or for the admin token the given label. */
export function actorOf(principal: Principal, tokenLabel: string): string {
  return principal.kind === "user" ? `user:${principal.userId} (${principal.name})` : tokenLabel;
}

export function principalOf(user: UserRecord): Principal {
  return {
    kind: "user",
    userId: user.userId,
    name: user.name,
    roles: user.roles,
    email: user.email,
    grants: user.grants ?? [],
  };
}

const COOKIE_VERSION = "s1";
const COOKIE_PATTERN = /^s1\.(~admin|[a-z0-9][a-z0-9-]{0,62})\.([A-Za-z0-9_-]{43})$/;

export interface SessionCookie {
  userId: string;
  secret: string;
}

/** The cookie's parts, or null for anything issueSession did not make. */
export function parseSessionCookie(value: string | undefined): SessionCookie | null {
  if (value === undefined || value.length > 200) return null;
  const match = COOKIE_PATTERN.exec(value);
  if (match === null) return null;
  return { userId: match[1] as string, secret: match[2] as string };
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("base64url");
}

export type SessionStatus = "valid" | "idle" | "expired";

/** Pure: is the stored session still good at `now`? */
export function sessionStatus(record: SessionRecord, now: Temporal.Instant): SessionStatus {
  if (Temporal.Instant.compare(now, Temporal.Instant.from(record.absoluteUntil)) >= 0) return "expired";
  if (Temporal.Instant.compare(now, Temporal.Instant.from(record.idleUntil)) >= 0) return "idle";
  return "valid";
}

/** Pure: the idle end to write after a request at `now`, or null when the stored one is recent enough. */
export function nextIdleEnd(
  record: SessionRecord,
  now: Temporal.Instant,
  policy: SessionPolicy,
): string | null {
  const seen = Temporal.Instant.from(record.lastSeenAt);
  if (now.since(seen).total("seconds") < policy.touchAfterSeconds) return null;
  const idle = now.add({ seconds: policy.idleSeconds });
  const absolute = Temporal.Instant.from(record.absoluteUntil);
  return (Temporal.Instant.compare(idle, absolute) < 0 ? idle : absolute).toString();
}

export interface SessionDeps {
  sessions: SessionStore;
  users: UserStore;
  clock: Clock;
}

/** What ties a bootstrap session to the admin token it was made with (never the token itself). */
export function tokenBinding(adminToken: string): string {
  return createHmac("sha256", adminToken).update("fristflow/session-binding/v1", "utf8").digest("base64url");
}

export interface SessionOptions {
  policy?: SessionPolicy;
  /** A session that holds a binding is valid only while this gives the same (see tokenBinding). */
  binding?: () => Promise<string>;
}

/** A new session for a user (or BOOTSTRAP_USER_ID); the cookie value is shown to nobody else. */
export async function startSession(
  deps: Pick<SessionDeps, "sessions" | "clock">,
  userId: string,
  method: string,
  options: { policy?: SessionPolicy; binding?: string } = {},
): Promise<{ cookie: string; record: SessionRecord }> {
  const policy = options.policy ?? DEFAULT_SESSION_POLICY;
  const secret = randomBytes(32).toString("base64url");
  const now = deps.clock.now();
  const record: SessionRecord = {
    userId,
    secretHash: hashSecret(secret),
    createdAt: now.toString(),
    lastSeenAt: now.toString(),
    idleUntil: now.add({ seconds: Math.min(policy.idleSeconds, policy.absoluteSeconds) }).toString(),
    absoluteUntil: now.add({ seconds: policy.absoluteSeconds }).toString(),
    method,
    ...(options.binding === undefined ? {} : { binding: options.binding }),
  };
  await deps.sessions.create(record);
  return { cookie: `${COOKIE_VERSION}.${userId}.${secret}`, record };
}

export interface CheckedSession {
  principal: Principal;
  cookie: SessionCookie;
  record: SessionRecord;
}

/**
 * The session a cookie stands for, or null: unknown, ended, idle or past its absolute end, bound
 * to an admin token that was rotated since, or its user gone or deactivated. A session that is
 * over is deleted on the way.
 */
export async function checkSession(
  deps: SessionDeps,
  value: string | undefined,
  options: SessionOptions = {},
): Promise<CheckedSession | null> {
  const policy = options.policy ?? DEFAULT_SESSION_POLICY;
  const cookie = parseSessionCookie(value);
  if (cookie === null) return null;
  const secretHash = hashSecret(cookie.secret);
  const [record, user] = await Promise.all([
    deps.sessions.get(cookie.userId, secretHash),
    cookie.userId === BOOTSTRAP_USER_ID ? Promise.resolve(null) : deps.users.get(cookie.userId),
  ]);
  if (record === null) return null;
  const now = deps.clock.now();
  const unbound =
    record.binding !== undefined &&
    (options.binding === undefined || record.binding !== (await options.binding()));
  if (unbound || sessionStatus(record, now) !== "valid") {
    await deps.sessions.end(cookie.userId, secretHash);
    return null;
  }
  let principal: Principal;
  if (cookie.userId === BOOTSTRAP_USER_ID) principal = ADMIN_TOKEN_PRINCIPAL;
  else if (user === null || !user.active) return null;
  else principal = principalOf(user);
  const idleUntil = nextIdleEnd(record, now, policy);
  if (idleUntil !== null) {
    const lastSeenAt = now.toString();
    if (!(await deps.sessions.touch(cookie.userId, secretHash, lastSeenAt, idleUntil))) return null;
    return { principal, cookie, record: { ...record, lastSeenAt, idleUntil } };
  }
  return { principal, cookie, record };
}

/** Ends the cookie's session; harmless for an ended or malformed one. */
export async function endSession(
  deps: Pick<SessionDeps, "sessions">,
  value: string | undefined,
): Promise<void> {
  const cookie = parseSessionCookie(value);
  if (cookie !== null) await deps.sessions.end(cookie.userId, hashSecret(cookie.secret));
}

/** The token every form of the session carries; a page on another site can neither read nor compute it. */
export function csrfTokenFor(cookie: SessionCookie): string {
  return createHmac("sha256", cookie.secret)
    .update("fristflow/dashboard/csrf/v2", "utf8")
    .digest("base64url");
}

export function verifyCsrfToken(presented: string | undefined, cookie: SessionCookie): boolean {
  if (presented === undefined || presented.length > 100) return false;
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(csrfTokenFor(cookie), "utf8").digest();
  return timingSafeEqual(a, b);
}
