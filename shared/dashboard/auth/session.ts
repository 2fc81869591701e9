/**
 * The dashboard's credentials, all derived from the admin token: a signed session cookie, a CSRF
 * token bound to the session, and a signature for the calendar feed URL. Nothing is stored on
 * the server, so the dashboard runs unchanged on Lambda; rotating the admin token is what ends
 * every session and every feed URL at once.
 *
 * Each use has its own key (HMAC of the token with a label), so a value made for one purpose can
 * never be replayed as another (a feed signature is not a CSRF token, a CSRF token not a session).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** How long a login lasts: a working day, so a laptop left overnight is logged out. */
export const SESSION_SECONDS = 12 * 60 * 60;
export const SESSION_COOKIE = "ff_session";
/** Double-submit token of the login form, the one form that has no session to bind to. */
export const LOGIN_COOKIE = "ff_login";
export const LANGUAGE_COOKIE = "ff_lang";
export const CSRF_FIELD = "_csrf";

const SESSION_VERSION = "v1";

type Purpose = "session" | "csrf" | "feed";

function derive(adminToken: string, purpose: Purpose): Buffer {
  return createHmac("sha256", adminToken).update(`fristflow/dashboard/${purpose}/v1`, "utf8").digest();
}

function mac(key: Buffer, data: string): string {
  return createHmac("sha256", key).update(data, "utf8").digest("base64url");
}

/** Equal-length digests whatever was sent, so neither content nor length leaks through timing. */
export function sameSecret(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

export interface Session {
  /** Random per login: what the CSRF token is bound to. */
  id: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** `v1.<expires>.<id>.<mac>`: readable by nobody but the server that knows the admin token. */
export function issueSession(adminToken: string, nowSeconds: number): { cookie: string; session: Session } {
  const session = { id: randomBytes(16).toString("base64url"), expiresAt: nowSeconds + SESSION_SECONDS };
  const body = `${SESSION_VERSION}.${session.expiresAt}.${session.id}`;
  return { cookie: `${body}.${mac(derive(adminToken, "session"), body)}`, session };
}

/** The session the cookie proves, or null when it is missing, forged, malformed or expired. */
export function verifySession(
  cookie: string | undefined,
  adminToken: string,
  nowSeconds: number,
): Session | null {
  if (cookie === undefined || cookie.length > 200 || adminToken.length === 0) return null;
  const parts = cookie.split(".");
  if (parts.length !== 4) return null;
  const [version, expires, id, signature] = parts as [string, string, string, string];
  if (version !== SESSION_VERSION || !/^\d{1,12}$/.test(expires) || !/^[A-Za-z0-9_-]{22}$/.test(id)) {
    return null;
  }
  const body = `${version}.${expires}.${id}`;
  if (!sameSecret(signature, mac(derive(adminToken, "session"), body))) return null;
  const expiresAt = Number(expires);
  // A cookie claiming more than a session's length was not made by issueSession.
  if (expiresAt <= nowSeconds || expiresAt > nowSeconds + SESSION_SECONDS) return null;
  return { id, expiresAt };
}

/** The token every form of this session carries; a cross-site page cannot read or compute it. */
export function csrfToken(adminToken: string, session: Session): string {
  return mac(derive(adminToken, "csrf"), session.id);
}

export function verifyCsrf(presented: string | undefined, adminToken: string, session: Session): boolean {
  if (presented === undefined || presented.length > 100) return false;
  return sameSecret(presented, csrfToken(adminToken, session));
}

/**
 * The calendar feed's key. Calendar apps fetch a subscription without cookies, so the URL itself
 * must be the credential: it grants reading one instance's deadlines and nothing else, does not
 * expire (subscriptions live for years) and stops working when the admin token is rotated.
 */
export function feedSignature(adminToken: string, instanceId: string): string {
  return mac(derive(adminToken, "feed"), instanceId);
}

export function verifyFeedSignature(
  presented: string | undefined,
  adminToken: string,
  instanceId: string,
): boolean {
  if (presented === undefined || presented.length > 100 || adminToken.length === 0) return false;
  return sameSecret(presented, feedSignature(adminToken, instanceId));
}

export function newLoginNonce(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * Where to go after logging in: only a path on this server, so a crafted login link cannot
 * send the administrator on to another site (`//evil.example`, `/\evil.example`).
 */
export function safeNext(next: string | undefined): string {
  if (next === undefined || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
    return "/";
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here.
  if (/[\u0000-\u001f\u007f]/.test(next) || next.length > 500) return "/";
  return next;
}
