/**
 * What every stateless link shares: its id is a JSON array of its claims, base64url-encoded, and
 * its signature an HMAC-SHA256 of the id under a layout tag of the link kind's own (so a link of
 * one kind or layout can never verify as another). The confirm links (confirm-link.ts) and the
 * personal links (mine-link.ts) each say which claims they carry; this module signs, checks and
 * decodes for both.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** HMAC-SHA256 keys shorter than the hash output weaken it; refuse them rather than sign weakly. */
export const MIN_LINK_KEY_BYTES = 32;

const SIG_BYTES = 32;
/** base64url without padding of 32 bytes is exactly 43 characters. */
const SIG_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

export function assertLinkKey(key: Buffer): void {
  if (key.length < MIN_LINK_KEY_BYTES) {
    throw new RangeError(`link key must be at least ${MIN_LINK_KEY_BYTES} bytes, got ${key.length}`);
  }
}

/** A JSON array: unambiguous whatever characters the claims contain, and compact in a URL. */
export function encodeId(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values), "utf8").toString("base64url");
}

/** The id's signature under the layout tag `format`, base64url. */
export function signId(format: string, id: string, key: Buffer): string {
  return hmac(format, id, key).toString("base64url");
}

/**
 * Checks an id and signature as a browser presents them, and never throws on them: an id that
 * cannot be a link is "unknown", a signature that does not match is "tampered". On "signed", the
 * id's array (null when it is not one): the caller reads its claims only after this.
 */
export function checkSignedId(
  format: string,
  id: string,
  sig: string,
  key: Buffer,
  maxIdChars: number,
): { verdict: "unknown" | "tampered" } | { verdict: "signed"; values: unknown[] | null } {
  assertLinkKey(key);
  if (typeof id !== "string" || id.length === 0 || id.length > maxIdChars || !ID_PATTERN.test(id)) {
    return { verdict: "unknown" };
  }
  if (typeof sig !== "string" || !SIG_PATTERN.test(sig)) return { verdict: "tampered" };
  const presented = Buffer.from(sig, "base64url");
  // 43 base64url characters carry 258 bits for 256: the last character's two spare bits are
  // dropped by the decoder, so only the canonical spelling is accepted (one link, one URL).
  if (presented.length !== SIG_BYTES || presented.toString("base64url") !== sig) {
    return { verdict: "tampered" };
  }
  if (!timingSafeEqual(presented, hmac(format, id, key))) return { verdict: "tampered" };
  return { verdict: "signed", values: decodeId(id) };
}

function decodeId(id: string): unknown[] | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(id, "base64url").toString("utf8"));
    return Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function hmac(format: string, id: string, key: Buffer): Buffer {
  return createHmac("sha256", key).update(`${format}.${id}`, "utf8").digest();
}
