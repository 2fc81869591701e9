/**
 * The dashboard's cookies and the credentials it signs with a key derived from the admin token:
 * the pending OpenID login between the redirect and the callback, and the calendar feed URL's
 * signature. Sessions themselves are server-side (shared/app/sessions.ts: the cookie names a
 * stored session, and logout or deactivation ends it at once).
 *
 * Each use has its own key (HMAC of the token with a label), so a value made for one purpose can
 * never be replayed as another (a feed signature is not a pending login).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type CheckedSession, checkSession, tokenBinding } from "../../app/sessions.ts";
import type { HttpDeps } from "../../http/context.ts";
import type { PendingLogin } from "../../http/oidc.ts";

export const SESSION_COOKIE = "ff_session";
/** The pending OpenID login (state, nonce, PKCE verifier), between the redirect and the callback. */
export const OIDC_COOKIE = "ff_oidc";
/** Double-submit token of the login form, the one form that has no session to bind to. */
export const LOGIN_COOKIE = "ff_login";
export const LANGUAGE_COOKIE = "ff_lang";
export const CSRF_FIELD = "_csrf";

type Purpose = "oidc" | "feed";

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

/** What the browser carries between starting an OpenID login and coming back: signed, short-lived. */
export interface PendingOidcLogin extends PendingLogin {
  next: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** Long enough to type a password and a second factor, short enough that an old tab is no use. */
export const PENDING_LOGIN_SECONDS = 10 * 60;

/** `o1.<base64url JSON>.<mac>`: only this server could have written it. */
export function sealPendingLogin(adminToken: string, pending: PendingOidcLogin): string {
  const body = `o1.${Buffer.from(JSON.stringify(pending), "utf8").toString("base64url")}`;
  return `${body}.${mac(derive(adminToken, "oidc"), body)}`;
}

export function openPendingLogin(
  value: string | undefined,
  adminToken: string,
  nowSeconds: number,
): PendingOidcLogin | null {
  if (value === undefined || value.length > 2000 || adminToken.length === 0) return null;
  const parts = value.split(".");
  if (parts.length !== 3 || parts[0] !== "o1") return null;
  const body = `${parts[0]}.${parts[1]}`;
  if (!sameSecret(parts[2] as string, mac(derive(adminToken, "oidc"), body))) return null;
  try {
    const pending = JSON.parse(
      Buffer.from(parts[1] as string, "base64url").toString("utf8"),
    ) as PendingOidcLogin;
    if (typeof pending.expiresAt !== "number" || pending.expiresAt <= nowSeconds) return null;
    if (typeof pending.state !== "string" || typeof pending.nonce !== "string") return null;
    if (typeof pending.verifier !== "string" || typeof pending.next !== "string") return null;
    return { ...pending, next: safeNext(pending.next) };
  } catch {
    return null;
  }
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

/** The dashboard's session check: the stored session, bound to the current admin token if it is a bootstrap one. */
export function checkDashboardSession(
  deps: HttpDeps,
  cookie: string | undefined,
): Promise<CheckedSession | null> {
  return checkSession(deps, cookie, { binding: async () => tokenBinding(await deps.adminToken()) });
}
