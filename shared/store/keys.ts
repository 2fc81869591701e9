/**
 * Key layout of the single table. Every item has `pk`/`sk`; two sparse GSIs serve the lists:
 *
 * | item                      | pk                 | sk                     | dueIndex (gsi1)            | listIndex (gsi2)                 |
 * |---------------------------|--------------------|------------------------|----------------------------|----------------------------------|
 * | workflow head (latest)    | WF#<id>            | HEAD                   |                            | WORKFLOW / <id>                  |
 * | workflow version          | WF#<id>            | V#<0000000001>         |                            |                                  |
 * | instance                  | INST#<id>          | META                   |                            | INSTANCE / <createdAt>#<id>      |
 * | milestone state           | INST#<id>          | OCC#<occurrence key>   | DUE / <dueAt>#<id>#<occ>   |                                  |
 * |                           |                    |                        | (only while open and due)  |                                  |
 * | sent notification         | INST#<id>          | NOTE#<notification key>|                            |                                  |
 * | audit entry               | AUDIT#<id>         | <at>#<seq>#<random>    |                            |                                  |
 * | confirm link (TTL)        | LINK#<id>          | LINK                   |                            |                                  |
 * | directory unit            | UNIT#<id>          | UNIT                   |                            | UNIT / <type>#<id>               |
 * | outbox mail               | OUTBOX#<messageId> | OUTBOX                 |                            | OUTBOX / <at>#<messageId>        |
 * | user                      | USERS              | USER#<id>              |                            |                                  |
 * | user's e-mail (unique)    | USEREMAIL#<email>  | USEREMAIL              |                            |                                  |
 * | user's linked account     | USERSUB#<sha256>   | USERSUB                |                            |                                  |
 * | login session (TTL)       | SESSIONS#<userId>  | <secret's sha256>      |                            |                                  |
 * | pending SAML request (TTL)| SAMLREQ#<id>       | SAMLREQ                |                            |                                  |
 * | personal API token (TTL)  | APITOKENS#<userId> | <token id>             |                            |                                  |
 * | failed attempts (TTL)     | ATTEMPTS#<key>     | <window start>         |                            |                                  |
 * | access-log entry (TTL)    | ACCESS#<key>       | <at>#<seq>#<random>    |                            |                                  |
 *
 * Everything decide() needs about one instance shares the partition `INST#<id>`, so loading it is
 * one Query. The audit trail grows without bound, so it has its own partition and never slows
 * that Query down. Users share one partition, so listing them is a strongly consistent Query
 * (a municipality has thousands of staff, not millions); a user's sessions share theirs, so ending
 * them all is a Query and deletes, with no index that could lag behind a login.
 */
import { createHash, randomBytes } from "node:crypto";
import { Temporal } from "../time/temporal.ts";

export interface ItemKey {
  pk: string;
  sk: string;
}

export const SK_META = "META";
export const SK_OCCURRENCE_PREFIX = "OCC#";
export const SK_NOTIFICATION_PREFIX = "NOTE#";
export const SK_VERSION_PREFIX = "V#";

/** Room for ten digits keeps lexicographic order equal to numeric order for any realistic version. */
const VERSION_DIGITS = 10;

export const keys = {
  workflowHead: (workflowId: string): ItemKey => ({ pk: `WF#${workflowId}`, sk: "HEAD" }),
  workflowVersion: (workflowId: string, version: number): ItemKey => ({
    pk: `WF#${workflowId}`,
    sk: `${SK_VERSION_PREFIX}${String(version).padStart(VERSION_DIGITS, "0")}`,
  }),
  instancePartition: (instanceId: string): string => `INST#${instanceId}`,
  instance: (instanceId: string): ItemKey => ({ pk: `INST#${instanceId}`, sk: SK_META }),
  occurrence: (instanceId: string, occurrenceKey: string): ItemKey => ({
    pk: `INST#${instanceId}`,
    sk: `${SK_OCCURRENCE_PREFIX}${occurrenceKey}`,
  }),
  notification: (instanceId: string, notificationKey: string): ItemKey => ({
    pk: `INST#${instanceId}`,
    sk: `${SK_NOTIFICATION_PREFIX}${notificationKey}`,
  }),
  auditPartition: (instanceId: string): string => `AUDIT#${instanceId}`,
  link: (linkId: string): ItemKey => ({ pk: `LINK#${linkId}`, sk: "LINK" }),
  unit: (unitId: string): ItemKey => ({ pk: `UNIT#${unitId}`, sk: "UNIT" }),
  outbox: (messageId: string): ItemKey => ({ pk: `OUTBOX#${messageId}`, sk: "OUTBOX" }),
  usersPartition: "USERS",
  user: (userId: string): ItemKey => ({ pk: "USERS", sk: `USER#${userId}` }),
  userEmail: (email: string): ItemKey => ({ pk: `USEREMAIL#${email.toLowerCase()}`, sk: "USEREMAIL" }),
  // Hashed: a subject can be long (an issuer URL and an opaque id) and any characters.
  userSubject: (subject: string): ItemKey => ({
    pk: `USERSUB#${createHash("sha256").update(subject, "utf8").digest("base64url")}`,
    sk: "USERSUB",
  }),
  sessionsPartition: (userId: string): string => `SESSIONS#${userId}`,
  session: (userId: string, secretHash: string): ItemKey => ({ pk: `SESSIONS#${userId}`, sk: secretHash }),
  samlRequest: (requestId: string): ItemKey => ({ pk: `SAMLREQ#${requestId}`, sk: "SAMLREQ" }),
  apiTokensPartition: (userId: string): string => `APITOKENS#${userId}`,
  apiToken: (userId: string, tokenId: string): ItemKey => ({ pk: `APITOKENS#${userId}`, sk: tokenId }),
  attempt: (key: string, windowStart: string): ItemKey => ({
    pk: `ATTEMPTS#${key}`,
    sk: sortableInstant(windowStart),
  }),
};

/** Partition values of the list index, one per listable kind of item. */
export const LIST = {
  workflows: "WORKFLOW",
  instances: "INSTANCE",
  units: "UNIT",
  outbox: "OUTBOX",
} as const;

/**
 * One partition holds every open, due milestone. A municipality has thousands of open milestones,
 * not millions, and writes to them are rare (a sync when a due date changes, a confirmation), far
 * below a partition's 1,000 writes a second; one partition keeps "overdue" and "due between" a
 * single Query each. Shard the partition value by month if that ever stops being true.
 */
export const DUE_PARTITION = "DUE";

/**
 * Instants as they sort: the same instant can be written `…T08:00:00Z` or `…T08:00:00.000Z`, and
 * `Z` sorts after `.`, so keys always use one fixed-width form (UTC, milliseconds).
 * Throws RangeError for anything that is not an instant.
 */
export function sortableInstant(instant: string): string {
  return Temporal.Instant.from(instant).toString({ fractionalSecondDigits: 3 });
}

export function dueIndexSortKey(dueAt: string, instanceId: string, occurrenceKey: string): string {
  return `${sortableInstant(dueAt)}#${instanceId}#${occurrenceKey}`;
}

/**
 * Sort keys for audit entries: time first, so a Query returns the trail in order; a counter so
 * entries written in the same millisecond by this writer keep the order they were written in; a
 * random tail so two writers in the same millisecond never overwrite each other.
 */
export class AuditKeys {
  private lastAt = "";
  private counter = 0;

  next(at: string): string {
    const sortable = sortableInstant(at);
    if (sortable === this.lastAt) {
      this.counter += 1;
    } else {
      this.lastAt = sortable;
      this.counter = 0;
    }
    return `${sortable}#${String(this.counter).padStart(6, "0")}#${randomBytes(4).toString("hex")}`;
  }
}

/**
 * The access log's partitions: one per case reference (hashed: a case reference is free text of a
 * workflow's own making), one per instance without one, one per UTC day for what names neither
 * (a read of the list). A citizen's access request is then one Query, and no partition is hot (a
 * case is read a few times a day).
 */
export const accessLogPartition = {
  case: (caseRef: string): string =>
    `ACCESS#CASE#${createHash("sha256").update(caseRef, "utf8").digest("base64url")}`,
  instance: (instanceId: string): string => `ACCESS#INST#${instanceId}`,
  day: (day: string): string => `ACCESS#DAY#${day}`,
};

/** Pure: the partition an access-log entry goes to. */
export function accessLogPartitionOf(entry: { caseRef?: string; instanceId?: string; at: string }): string {
  if (entry.caseRef !== undefined) return accessLogPartition.case(entry.caseRef);
  if (entry.instanceId !== undefined) return accessLogPartition.instance(entry.instanceId);
  return accessLogPartition.day(sortableInstant(entry.at).slice(0, 10));
}
