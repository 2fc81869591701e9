/**
 * Signed, expiring, single-purpose confirm links: `/confirm/{id}?sig=…`, stateless.
 *
 * The id is the link's content itself (purpose, instance, occurrence, recipient, expiry and a
 * random nonce, base64url-encoded), and the signature is an HMAC of the id with the link key: the
 * server stores nothing per link and needs no read to know what a link is for, yet nobody without
 * the key can point a link at another milestone or recipient or extend its life.
 *
 * What a stored link gave and this keeps: expiry (in the signed content); single purpose (the
 * purpose is signed, and a confirmation happens once, on the milestone); revocation by instance
 * state (a link of a cancelled or finished instance is refused when it is used). Raw Step
 * Functions task tokens never appear in a URL: they are long-lived capabilities that would end
 * up in mail archives, proxies and scanner logs.
 */
import { createHash, randomBytes as cryptoRandomBytes } from "node:crypto";
import { Temporal } from "../time/temporal.ts";
import { assertLinkKey, checkSignedId, encodeId, signId } from "./signed-id.ts";

export { MIN_LINK_KEY_BYTES } from "./signed-id.ts";

export type LinkPurpose = "confirm";

/** What a link says, once its signature checked out. */
export interface LinkClaims {
  purpose: LinkPurpose;
  instanceId: string;
  occurrenceKey: string;
  /** An opaque reference to who the link was sent to (e.g. `unitLeader:skole-a`), never an address. */
  recipient: string;
  /** Epoch seconds. */
  expiresAt: number;
  /** When mailed to a deputy: the reference of the leader the deputy confirms for. */
  onBehalfOf?: string;
}

export interface CreateConfirmLinkInput {
  instanceId: string;
  occurrenceKey: string;
  recipient: string;
  expiresAt: Temporal.Instant | string;
  onBehalfOf?: string;
}

export interface CreatedLink {
  /** The path segment: the encoded claims. */
  id: string;
  sig: string;
  /** Short and stable: what the audit trail and the milestone record of a confirmation name. */
  linkId: string;
  claims: LinkClaims;
  /** Relative path; the caller prefixes its public base URL. */
  path: string;
}

export type VerifyResult =
  | { ok: true; claims: LinkClaims; linkId: string }
  | { ok: false; reason: "unknown" | "tampered" | "expired" };

export type RandomBytes = (n: number) => Buffer;

/** Two links to the same milestone and recipient differ, so each has its own link id. */
const NONCE_BYTES = 9;
/** Far more than a real link needs (ids are bounded when instances are made), little enough to refuse junk fast. */
const MAX_ID_CHARS = 1024;
/** The layout tag: an old signature can never verify against a new layout. */
const FORMAT = "fristflow-link-v2";

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
 * working capability once the milestone is long settled.
 */
export function linkExpiry(
  dueAt: Temporal.Instant | string,
  now: Temporal.Instant | string,
): Temporal.Instant {
  const afterDue = Temporal.Instant.from(dueAt).add({ hours: AFTER_DUE_DAYS * DAY_HOURS });
  const minimum = Temporal.Instant.from(now).add({ hours: MIN_VALID_DAYS * DAY_HOURS });
  return Temporal.Instant.compare(afterDue, minimum) >= 0 ? afterDue : minimum;
}

/** 128 bits of the id's hash: unique per link, and short enough to quote. */
function linkIdOf(id: string): string {
  return createHash("sha256").update(id, "utf8").digest().subarray(0, 16).toString("base64url");
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
  assertLinkKey(key);
  requireText("instanceId", input.instanceId);
  requireText("occurrenceKey", input.occurrenceKey);
  requireText("recipient", input.recipient);
  const nonce = randomBytes(NONCE_BYTES);
  if (nonce.length !== NONCE_BYTES) {
    throw new RangeError(`randomBytes returned ${nonce.length} bytes, expected ${NONCE_BYTES}`);
  }
  const claims: LinkClaims = {
    purpose: "confirm",
    instanceId: input.instanceId,
    occurrenceKey: input.occurrenceKey,
    recipient: input.recipient,
    // Whole seconds: what is signed is what is checked.
    expiresAt: Math.floor(Temporal.Instant.from(input.expiresAt).epochMilliseconds / 1000),
    ...(input.onBehalfOf === undefined ? {} : { onBehalfOf: input.onBehalfOf }),
  };
  if (input.onBehalfOf !== undefined) requireText("onBehalfOf", input.onBehalfOf);
  const id = encodeId([
    claims.purpose,
    claims.instanceId,
    claims.occurrenceKey,
    claims.recipient,
    claims.expiresAt,
    nonce.toString("base64url"),
    // Only on a deputy's link, so every other link keeps the layout it always had.
    ...(claims.onBehalfOf === undefined ? [] : [claims.onBehalfOf]),
  ]);
  const sig = signId(FORMAT, id, key);
  return { id, sig, linkId: linkIdOf(id), claims, path: `/confirm/${id}?sig=${sig}` };
}

/**
 * Checks a link as presented (the id from the path, `sig` from the query string or the form).
 * Never throws on what a browser sends: an id that cannot be a link is "unknown", a signature
 * that does not match is "tampered". The signature is checked before the content is read and
 * before expiry, so only genuine links get the "expired, ask for a new one" answer.
 */
export function verifyLink(id: string, sig: string, key: Buffer, now: Temporal.Instant): VerifyResult {
  const checked = checkSignedId(FORMAT, id, sig, key, MAX_ID_CHARS);
  if (checked.verdict !== "signed") return { ok: false, reason: checked.verdict };
  const claims = decodeClaims(checked.values);
  // Signed by us but not of this shape: another layout or purpose, never a confirm link.
  if (claims === null) return { ok: false, reason: "tampered" };
  if (now.epochMilliseconds >= claims.expiresAt * 1000) return { ok: false, reason: "expired" };
  return { ok: true, claims, linkId: linkIdOf(id) };
}

/**
 * A link as it stands in a mail (`<base>/confirm/<id>?sig=<sig>`), checked as the confirm page
 * checks it. Null when it is not a confirm link or does not verify: for tools that follow the
 * links they find in the outbox (the demo, the benchmarks).
 */
export function claimsOfLinkUrl(url: string, key: Buffer, now: Temporal.Instant): LinkClaims | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const id = /\/confirm\/([A-Za-z0-9_-]+)$/.exec(parsed.pathname)?.[1] ?? "";
  const verdict = verifyLink(id, parsed.searchParams.get("sig") ?? "", key, now);
  return verdict.ok ? verdict.claims : null;
}

function decodeClaims(parsed: unknown[] | null): LinkClaims | null {
  if (parsed === null || (parsed.length !== 6 && parsed.length !== 7)) return null;
  const [purpose, instanceId, occurrenceKey, recipient, expiresAt, , onBehalfOf] = parsed;
  if (purpose !== "confirm") return null;
  if (typeof instanceId !== "string" || typeof occurrenceKey !== "string" || typeof recipient !== "string") {
    return null;
  }
  if (typeof expiresAt !== "number" || !Number.isSafeInteger(expiresAt)) return null;
  if (parsed.length === 7 && (typeof onBehalfOf !== "string" || onBehalfOf === "")) return null;
  return {
    purpose,
    instanceId,
    occurrenceKey,
    recipient,
    expiresAt,
    ...(typeof onBehalfOf === "string" ? { onBehalfOf } : {}),
  };
}
