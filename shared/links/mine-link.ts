/**
 * Personal "Mine frister" links: `/mine/{id}?sig=…`, stateless like the confirm links
 * (confirm-link.ts), signed with the same link key but under a layout tag of their own, so a
 * confirm link can never pass for a personal link or the other way round.
 *
 * The id carries the purpose, the person and the expiry. The person is an opaque id: an HMAC of
 * the lower-cased address under a key derived from the link key, never the address itself (URLs
 * end up in mail archives, proxies and scanner logs). The server recognises the person by
 * computing the same HMAC of each owner's address; nobody without the key can go from an
 * address to its id or back.
 */
import { createHmac } from "node:crypto";
import { Temporal } from "../time/temporal.ts";
import { assertLinkKey, checkSignedId, encodeId, signId } from "./signed-id.ts";

export type MineLinkPurpose = "mine";

export interface MineLinkClaims {
  purpose: MineLinkPurpose;
  /** personIdOf(address): the person, opaque. */
  personId: string;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface CreatedMineLink {
  id: string;
  sig: string;
  claims: MineLinkClaims;
  /** Relative path; the caller prefixes its public base URL. */
  path: string;
}

export type MineVerifyResult =
  | { ok: true; claims: MineLinkClaims }
  | { ok: false; reason: "unknown" | "tampered" | "expired" };

/** A personal link is mailed again with every reminder, so a long life is not needed. */
export const MINE_LINK_DAYS = 60;

const FORMAT = "fristflow-mine-link-v1";
/** Domain separation: the person-id key is derived, never the link key itself. */
const PERSON_KEY_LABEL = "fristflow-person-id-v1";
/** 128 bits: no two staff addresses collide. */
const PERSON_ID_BYTES = 16;
const PERSON_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const MAX_ID_CHARS = 256;

/** The opaque id of the person with this address (case does not matter). */
export function personIdOf(email: string, key: Buffer): string {
  assertLinkKey(key);
  const personKey = createHmac("sha256", key).update(PERSON_KEY_LABEL, "utf8").digest();
  return createHmac("sha256", personKey)
    .update(email.trim().toLowerCase(), "utf8")
    .digest()
    .subarray(0, PERSON_ID_BYTES)
    .toString("base64url");
}

/** When a personal link mailed at `now` stops working. */
export function mineLinkExpiry(now: Temporal.Instant): Temporal.Instant {
  return now.add({ hours: MINE_LINK_DAYS * 24 });
}

export function createMineLink(
  input: { email: string; expiresAt: Temporal.Instant | string },
  key: Buffer,
): CreatedMineLink {
  assertLinkKey(key);
  if (typeof input.email !== "string" || !input.email.includes("@")) {
    throw new TypeError("createMineLink: email must be an e-mail address");
  }
  const claims: MineLinkClaims = {
    purpose: "mine",
    personId: personIdOf(input.email, key),
    expiresAt: Math.floor(Temporal.Instant.from(input.expiresAt).epochMilliseconds / 1000),
  };
  const id = encodeId([claims.purpose, claims.personId, claims.expiresAt]);
  const sig = signId(FORMAT, id, key);
  return { id, sig, claims, path: `/mine/${id}?sig=${sig}` };
}

/**
 * Checks a personal link as presented. Never throws on what a browser sends; the signature is
 * checked before the content is read, so only genuine links get "expired".
 */
export function verifyMineLink(
  id: string,
  sig: string,
  key: Buffer,
  now: Temporal.Instant,
): MineVerifyResult {
  const checked = checkSignedId(FORMAT, id, sig, key, MAX_ID_CHARS);
  if (checked.verdict !== "signed") return { ok: false, reason: checked.verdict };
  const claims = decodeClaims(checked.values);
  if (claims === null) return { ok: false, reason: "tampered" };
  if (now.epochMilliseconds >= claims.expiresAt * 1000) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}

function decodeClaims(parsed: unknown[] | null): MineLinkClaims | null {
  if (parsed === null || parsed.length !== 3) return null;
  const [purpose, personId, expiresAt] = parsed;
  if (purpose !== "mine") return null;
  if (typeof personId !== "string" || !PERSON_ID_PATTERN.test(personId)) return null;
  if (typeof expiresAt !== "number" || !Number.isSafeInteger(expiresAt)) return null;
  return { purpose, personId, expiresAt };
}
