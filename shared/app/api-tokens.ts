/**
 * Personal API tokens: a person makes one for a script, sees it once, and it acts as them on the
 * JSON API with their roles of the moment (the user is read on every request, as for sessions:
 * a role taken away, or a deactivation, counts at the next request). The token is
 * `ff_<user id>.<token id>.<secret>`: the ids make the lookup one read by key, the table keeps only
 * the secret's SHA-256, and an expiry of at most a year is both checked here and the item's TTL.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { type ApiTokenStore, type AuditLog, type UserStore, userAuditId } from "../store/ports.ts";
import type { ApiTokenRecord } from "../store/records.ts";
import type { Clock } from "../time/clock.ts";
import { Temporal } from "../time/temporal.ts";
import { hashSecret, type Principal, principalOf } from "./sessions.ts";

/** Recognisable in a script, a log or a secret scanner's rules. */
export const API_TOKEN_PREFIX = "ff_";
/** The lifetimes a person may choose; a year at most. */
export const API_TOKEN_DAYS = [30, 90, 365] as const;
export type ApiTokenDays = (typeof API_TOKEN_DAYS)[number];
/** A use is written at most this often (not on every request). */
export const TOUCH_AFTER_SECONDS = 60;

const TOKEN_PATTERN = /^ff_([a-z0-9][a-z0-9-]{0,62})\.([a-f0-9]{16})\.([A-Za-z0-9_-]{43})$/;
export const TOKEN_ID_PATTERN = /^[a-f0-9]{16}$/;

export interface ApiTokenDeps {
  apiTokens: ApiTokenStore;
  users: UserStore;
  audit: AuditLog;
  clock: Clock;
}

export interface ParsedApiToken {
  userId: string;
  tokenId: string;
  secret: string;
}

/** Pure: does it look like one of our tokens (before anything is read)? */
export function looksLikeApiToken(value: string): boolean {
  return value.startsWith(API_TOKEN_PREFIX);
}

/** Pure: the token's parts, or null for anything createApiToken did not make. */
export function parseApiToken(value: string): ParsedApiToken | null {
  if (value.length > 200) return null;
  const match = TOKEN_PATTERN.exec(value);
  if (match === null) return null;
  return { userId: match[1] as string, tokenId: match[2] as string, secret: match[3] as string };
}

/** Pure: the account a token names, for the per-account attempt limit (null for a malformed one). */
export function tokenAccount(value: string): string | null {
  const parsed = parseApiToken(value);
  return parsed === null ? null : `token:${parsed.userId}.${parsed.tokenId}`;
}

export type ApiTokenStatus = "valid" | "expired";

/** Pure: is a stored token still good at `now`? */
export function apiTokenStatus(record: ApiTokenRecord, now: Temporal.Instant): ApiTokenStatus {
  return Temporal.Instant.compare(now, Temporal.Instant.from(record.validUntil)) >= 0 ? "expired" : "valid";
}

/** A new token for a person; the returned `token` is the only time anyone sees it. */
export async function createApiToken(
  deps: ApiTokenDeps,
  input: { userId: string; name: string; days: ApiTokenDays; by: string },
): Promise<{ token: string; record: ApiTokenRecord }> {
  const now = deps.clock.now();
  const tokenId = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  const record: ApiTokenRecord = {
    userId: input.userId,
    tokenId,
    name: input.name,
    secretHash: hashSecret(secret),
    createdAt: now.toString(),
    createdBy: input.by,
    validUntil: now.add({ hours: 24 * input.days }).toString(),
  };
  await deps.apiTokens.create(record);
  await deps.audit.append(userAuditId(input.userId), {
    action: "apiToken.created",
    by: input.by,
    details: { tokenId, name: input.name, validUntil: record.validUntil },
  });
  return { token: `${API_TOKEN_PREFIX}${input.userId}.${tokenId}.${secret}`, record };
}

/** Removes a token, audited; false when there was none. */
export async function revokeApiToken(
  deps: Pick<ApiTokenDeps, "apiTokens" | "audit">,
  userId: string,
  tokenId: string,
  by: string,
): Promise<boolean> {
  const revoked = await deps.apiTokens.revoke(userId, tokenId);
  if (revoked === null) return false;
  await deps.audit.append(userAuditId(userId), {
    action: "apiToken.revoked",
    by,
    details: { tokenId, name: revoked.name },
  });
  return true;
}

export type ApiTokenCheck =
  | { ok: true; principal: Principal; record: ApiTokenRecord }
  | { ok: false; reason: "malformed" | "unknown" | "expired" | "inactive" };

/**
 * Who a presented token acts as, or why not: malformed, unknown (or revoked, or a wrong secret),
 * expired, or its owner gone, deactivated or without a role. Roles are the user's now.
 */
export async function checkApiToken(deps: ApiTokenDeps, value: string): Promise<ApiTokenCheck> {
  const parsed = parseApiToken(value);
  if (parsed === null) return { ok: false, reason: "malformed" };
  const [record, user] = await Promise.all([
    deps.apiTokens.get(parsed.userId, parsed.tokenId),
    deps.users.get(parsed.userId),
  ]);
  if (record === null || !sameHash(record.secretHash, hashSecret(parsed.secret))) {
    return { ok: false, reason: "unknown" };
  }
  const now = deps.clock.now();
  if (apiTokenStatus(record, now) !== "valid") return { ok: false, reason: "expired" };
  if (user === null || !user.active || user.roles.length === 0) return { ok: false, reason: "inactive" };
  const seen = record.lastUsedAt === undefined ? null : Temporal.Instant.from(record.lastUsedAt);
  if (seen === null || now.since(seen).total("seconds") >= TOUCH_AFTER_SECONDS) {
    if (!(await deps.apiTokens.touch(parsed.userId, parsed.tokenId, now.toString()))) {
      return { ok: false, reason: "unknown" };
    }
  }
  return { ok: true, principal: principalOf(user), record };
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
