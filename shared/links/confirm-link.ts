/**
 * Signed, expiring, single-purpose confirm links: `/confirm/{id}?sig=…`.
 *
 * The id alone finds the link record in the store; the signature binds that record's content
 * (instance, occurrence, recipient, expiry) to the key, so somebody who can write a link record,
 * or guesses an id, still cannot point a link at another milestone or recipient or extend its
 * life. Raw Step Functions task tokens never appear in a URL: they are long-lived capabilities
 * that would end up in mail archives, proxies and scanner logs.
 */
import { createHmac, randomBytes as cryptoRandomBytes, timingSafeEqual } from "node:crypto";
import { Temporal } from "../time/temporal.ts";

export type LinkPurpose = "confirm";

/** What the store keeps for one link; `expiresAt` (epoch seconds) doubles as a DynamoDB TTL. */
export interface LinkRecord {
  id: string;
  purpose: LinkPurpose;
  instanceId: string;
  occurrenceKey: string;
  /** An opaque reference to who the link was sent to (e.g. `unitLeader:skole-a`), never an address. */
  recipient: string;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface CreateConfirmLinkInput {
  instanceId: string;
  occurrenceKey: string;
  recipient: string;
  expiresAt: Temporal.Instant | string;
}

export interface CreatedLink {
  record: LinkRecord;
  sig: string;
  /** Relative path; the caller prefixes its public base URL. */
  path: string;
}

export type VerifyResult = { ok: true } | { ok: false; reason: "unknown" | "tampered" | "expired" };

export type RandomBytes = (n: number) => Buffer;

/** 128 bits: unguessable, and short enough to keep the URL readable on a phone. */
const ID_BYTES = 16;
const SIG_BYTES = 32;
/** HMAC-SHA256 keys shorter than the hash output weaken it; refuse them rather than sign weakly. */
export const MIN_LINK_KEY_BYTES = 32;
/** base64url without padding of 32 bytes is exactly 43 characters. */
const SIG_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

const DAY_HOURS = 24;
/** Escalations go out after the deadline (by default 1, 8 and 15 days after), and each carries the link. */
const AFTER_DUE_DAYS = 60;
/** A link mailed late (a milestone activated close to or after its deadline) must still be usable for a while. */
const MIN_VALID_DAYS = 30;

/**
 * When a confirm link for an occurrence due at `dueAt` and mailed at `now` should stop working:
 * 60 days after the deadline, because escalations to the manager keep arriving for weeks after
 * it and must still be one-click; but never less than 30 days from now, because a reminder or
 * escalation sent long after the deadline (an admin moved it, or escalation runs late) would
 * otherwise arrive already dead. Bounded at all so a forwarded or archived mail stops being a
 * working capability once the milestone is long settled, and so the store's TTL can clean up.
 */
export function linkExpiry(
  dueAt: Temporal.Instant | string,
  now: Temporal.Instant | string,
): Temporal.Instant {
  const afterDue = Temporal.Instant.from(dueAt).add({ hours: AFTER_DUE_DAYS * DAY_HOURS });
  const minimum = Temporal.Instant.from(now).add({ hours: MIN_VALID_DAYS * DAY_HOURS });
  return Temporal.Instant.compare(afterDue, minimum) >= 0 ? afterDue : minimum;
}

/**
 * The exact bytes that are signed. A JSON array is unambiguous (no field can run into the next,
 * whatever characters ids contain) and the version tag lets the format change without an old
 * signature ever verifying against a new layout.
 */
function canonical(record: LinkRecord): string {
  return JSON.stringify([
    "fristflow-link-v1",
    record.id,
    record.purpose,
    record.instanceId,
    record.occurrenceKey,
    record.recipient,
    record.expiresAt,
  ]);
}

function assertKey(key: Buffer): void {
  if (key.length < MIN_LINK_KEY_BYTES) {
    throw new RangeError(`link key must be at least ${MIN_LINK_KEY_BYTES} bytes, got ${key.length}`);
  }
}

function sign(record: LinkRecord, key: Buffer): Buffer {
  return createHmac("sha256", key).update(canonical(record), "utf8").digest();
}

function requireText(name: string, value: string): void {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(`createConfirmLink: ${name} must be a non-empty string`);
  }
}

export function createConfirmLink(
  input: CreateConfirmLinkInput,
  key: Buffer,
  randomBytes: RandomBytes = cryptoRandomBytes,
): CreatedLink {
  assertKey(key);
  requireText("instanceId", input.instanceId);
  requireText("occurrenceKey", input.occurrenceKey);
  requireText("recipient", input.recipient);
  const idBytes = randomBytes(ID_BYTES);
  if (idBytes.length !== ID_BYTES) {
    throw new RangeError(`randomBytes returned ${idBytes.length} bytes, expected ${ID_BYTES}`);
  }
  const record: LinkRecord = {
    id: idBytes.toString("base64url"),
    purpose: "confirm",
    instanceId: input.instanceId,
    occurrenceKey: input.occurrenceKey,
    recipient: input.recipient,
    // Whole seconds: the TTL attribute and the signed value must be the same number.
    expiresAt: Math.floor(Temporal.Instant.from(input.expiresAt).epochMilliseconds / 1000),
  };
  const sig = sign(record, key).toString("base64url");
  return { record, sig, path: `/confirm/${record.id}?sig=${sig}` };
}

/**
 * Checks a link as presented (`sig` from the query string) against its stored record.
 * Never throws on what a browser sends: anything malformed is "tampered". The signature is
 * checked before expiry so that only genuine links get the "expired, ask for a new one" answer.
 */
export function verifyLink(
  record: LinkRecord | null,
  sig: string,
  key: Buffer,
  now: Temporal.Instant,
): VerifyResult {
  assertKey(key);
  if (record === null) return { ok: false, reason: "unknown" };
  if (typeof sig !== "string" || !SIG_PATTERN.test(sig)) return { ok: false, reason: "tampered" };
  // The record comes from storage, so check its shape too: a record of another purpose, or one
  // edited into a non-number expiry, must not verify by accident.
  if (
    record.purpose !== "confirm" ||
    typeof record.id !== "string" ||
    !ID_PATTERN.test(record.id) ||
    !Number.isSafeInteger(record.expiresAt)
  ) {
    return { ok: false, reason: "tampered" };
  }
  const presented = Buffer.from(sig, "base64url");
  // 43 base64url characters carry 258 bits for 256: the last character's two spare bits are
  // dropped by the decoder, so only the canonical spelling is accepted (one link, one URL).
  if (presented.length !== SIG_BYTES || presented.toString("base64url") !== sig) {
    return { ok: false, reason: "tampered" };
  }
  if (!timingSafeEqual(presented, sign(record, key))) {
    return { ok: false, reason: "tampered" };
  }
  if (now.epochMilliseconds >= record.expiresAt * 1000) return { ok: false, reason: "expired" };
  return { ok: true };
}
