/**
 * The store as ports: one small interface per aggregate of the table, each with a DynamoDB
 * adapter (shared/store/dynamo/) and an in-memory adapter (shared/store/memory/) that pass the same
 * contract suite (test/store/contract/). Use cases name the ports they need (`Pick<Stores, …>`), so
 * a test of a use case runs on the in-memory adapters in milliseconds, and the DynamoDB adapter is
 * tested once, against DynamoDB Local.
 *
 * What every adapter promises, whatever it stores in:
 * - A write that must happen once is conditional (a version number, a confirmation, a notification
 *   claim, a link use), and writes that belong together land together or not at all (one
 *   transaction in DynamoDB): a confirmation, its rev bump and its audit entry, say.
 * - Reads that feed a decision see every write that finished before them (strongly consistent);
 *   list reads over an index (overviews) may lag and are never used to decide anything.
 * - Failures are the store's errors (shared/store/errors.ts): NotFoundError, ConflictError,
 *   ContentionError. Time comes from the injected clock.
 */
import type { Unit } from "../model/schema.ts";
import type { Occurrence } from "../timeline/types.ts";
import { ConflictError } from "./errors.ts";
import type {
  AccessLogEntry,
  AccessLogInput,
  ApiTokenRecord,
  AuditEntry,
  AuditInput,
  CancelResult,
  ConfirmationInput,
  ConfirmationResult,
  DeputyRecord,
  DeputyScope,
  ExecutionInfo,
  InstanceChange,
  InstanceRecord,
  InstanceStatus,
  InstanceSummary,
  LoadedInstance,
  MilestoneContext,
  MilestoneRecord,
  NewInstance,
  NewWorkflowVersion,
  NotificationRecord,
  OutboxRecord,
  OutboxSummary,
  SentInfo,
  SessionRecord,
  UserInput,
  UserRecord,
  WorkflowSummary,
  WorkflowVersionRecord,
} from "./records.ts";

export type WorkflowVersionSummary = Pick<
  WorkflowVersionRecord,
  "workflowId" | "version" | "createdAt" | "createdBy"
>;

/**
 * How fresh a read must be. `strong` (the default) sees every finished write; `eventual` costs half
 * the read units and may miss a write of about the last second: for reads where that is harmless.
 */
export type Consistency = "strong" | "eventual";

/** Workflow definitions, versioned: a version, once stored, never changes. */
export interface WorkflowStore {
  /**
   * Stores a new version and returns it with its number (1 for a new workflow). Concurrent saves
   * of one workflow get consecutive numbers; ContentionError if saves keep colliding.
   */
  putVersion(input: NewWorkflowVersion): Promise<WorkflowVersionRecord>;
  /** A given version, or the latest when `version` is left out; null if there is none. */
  get(workflowId: string, version?: number): Promise<WorkflowVersionRecord | null>;
  /** Every workflow with its latest version, by id. */
  list(): Promise<WorkflowSummary[]>;
  /** The versions of one workflow, oldest first, without their (large) source and definition. */
  listVersions(workflowId: string): Promise<WorkflowVersionSummary[]>;
  /**
   * Removes one stored version (source and definition) together with an audit entry
   * `workflow.version.deleted` in the trail of `workflowAuditId(workflowId)`. The latest version
   * stays (version numbers are never reused; save a corrected version first): ConflictError.
   * NotFoundError if there is no such version. The caller checks that no instance runs on it.
   */
  deleteVersion(workflowId: string, version: number, by: string, reason?: string): Promise<AuditEntry>;
}

/** Why the latest version of a workflow cannot be deleted (both adapters say the same). */
export function latestVersionStays(workflowId: string, version: number): ConflictError {
  return new ConflictError(
    `version ${version} is the latest version of workflow ${workflowId} and cannot be deleted; ` +
      "save a corrected version first, then delete this one",
  );
}

/** The audit trail that workflow-level actions go to (apart from every instance's: ids never hold ':'). */
export function workflowAuditId(workflowId: string): string {
  return `workflow:${workflowId}`;
}

/** The directory of units (daycares, schools, teams) with their leaders and managers. */
export interface UnitStore {
  /** Creates or replaces a unit. */
  put(unit: Unit): Promise<void>;
  /**
   * Creates or replaces all of them in one transaction: all are stored or none, also if the
   * process dies on the way. At most MAX_UNITS_PER_WRITE, with distinct ids (ConflictError
   * otherwise, and nothing written).
   */
  putAll(units: readonly Unit[]): Promise<void>;
  get(unitId: string): Promise<Unit | null>;
  /** All units, or those of one type, ordered by type and id. */
  list(type?: string): Promise<Unit[]>;
  /** NotFoundError if there is no such unit. */
  delete(unitId: string): Promise<void>;
}

/** Running timelines and cases, with the stored state of each of their milestone occurrences. */
export interface InstanceStore {
  /**
   * Creates a running instance of an existing workflow version, with its first audit entry.
   * NotFoundError for an unknown workflow version, ConflictError if the id is taken.
   */
  create(input: NewInstance): Promise<InstanceRecord>;
  get(instanceId: string): Promise<InstanceRecord | null>;
  /** Instances, newest first, optionally only those of one workflow or in one status. */
  list(filter?: { workflowId?: string; status?: InstanceStatus }): Promise<InstanceSummary[]>;
  /** Everything decide() needs, read at once and consistently. NotFoundError. */
  loadState(instanceId: string): Promise<LoadedInstance>;
  /** Milestone states of one instance, by occurrence key. */
  listMilestones(instanceId: string): Promise<MilestoneRecord[]>;
  /**
   * Brings the milestone states in line with the planned occurrences: writes what is new or whose
   * due date or confirmability changed (pass `known`, e.g. from loadState, to save the read);
   * never reopens a confirmed milestone; leaves occurrences no longer planned alone.
   */
  syncOccurrences(
    instanceId: string,
    occurrences: readonly Occurrence[],
    known?: readonly MilestoneRecord[],
    context?: MilestoneContext,
  ): Promise<{ written: number }>;
  /** One milestone state by key (a confirm link's whole read), or null. */
  getMilestone(instanceId: string, occurrenceKey: string): Promise<MilestoneRecord | null>;
  /**
   * A confirmation's read: the milestone state and the instance's parked task token, if any, in
   * one request, so recordConfirmation can take the token in its own transaction.
   */
  getForConfirmation(
    instanceId: string,
    occurrenceKey: string,
  ): Promise<{ milestone: MilestoneRecord | null; parkedToken: string | null }>;
  /**
   * Records a confirmation exactly once, with the rev bump and the audit entry. A second one gets
   * `already` with the first one's time. NotFoundError for an unknown instance or occurrence,
   * ConflictError for a stopped instance or an occurrence nobody confirms.
   */
  recordConfirmation(input: ConfirmationInput): Promise<ConfirmationResult>;
  /**
   * Moves an open occurrence's deadline (an override decide() applies when it re-plans), with the
   * rev bump and the audit entry. ConflictError for a confirmed milestone or a stopped instance.
   */
  moveDeadline(instanceId: string, occurrenceKey: string, newDueAt: string, by: string): Promise<void>;
  /**
   * Stops a running instance (status, rev, audit entry at once); its open milestones leave the
   * due index. Cancelling twice is `already`.
   */
  cancel(instanceId: string, by: string, reason?: string): Promise<CancelResult>;
  /**
   * A person's change to a running instance (shared/app/steer/): the instance's fields, the
   * milestone states and the audit entry in one write, the rev bumped, or nothing at all.
   * ConflictError if the instance is not running or no longer at `expectedRev` (it changed since
   * the change was previewed), if an occurrence to confirm is not open and confirmable or one to
   * reopen is not confirmed, or if it touches more than MAX_CHANGE_ITEMS states and marks.
   * NotFoundError for an unknown instance. A reopened or put open state goes back in the due index.
   */
  applyChange(change: InstanceChange): Promise<AuditEntry>;
  /** The loop reached the end or gave up. Idempotent for the same status; ConflictError otherwise. */
  finish(instanceId: string, status: "done" | "failed", reason?: string): Promise<void>;
}

/** The sleeping execution's task token on the instance: how a signal wakes the loop. */
export interface TaskTokenStore {
  /**
   * Stores the token, and the execution with its loop count, only if the instance's rev is still
   * `seenRev`, in one write. `changed`: a signal landed in between and found no token, so the
   * caller must decide again at once (no lost wake-up).
   */
  park(
    instanceId: string,
    token: string,
    seenRev: number,
    execution: ExecutionInfo,
  ): Promise<"parked" | "changed">;
  /** Removes and returns the token, or null when not parked. Of two takers at most one gets it. */
  take(instanceId: string): Promise<string | null>;
  /**
   * take, but only a token parked at an older rev than the instance has now: one left by a
   * signaller that wrote its change and died before waking the loop. Null otherwise.
   */
  takeIfStale(instanceId: string): Promise<string | null>;
}

/** Open, confirmable milestones by deadline, across all instances (an index: may lag a little). */
export interface DueIndex {
  /** Deadline before `now`, earliest first. */
  overdue(now?: string): Promise<MilestoneRecord[]>;
  /** Deadline in [from, to), earliest first. */
  dueBetween(from: string, to: string): Promise<MilestoneRecord[]>;
  /**
   * Deadline in [from, to) (from null: every one before `to`), earliest first, each with only the
   * fields of DueEntry: what a list of thousands of deadlines (the overview's search) reads, in
   * one range query of about half the bytes of the whole items.
   */
  entries(from: string | null, to: string): Promise<DueEntry[]>;
}

/** The fields of a milestone state that DueIndex.entries returns (a status, a place, a deadline). */
export const DUE_ENTRY_FIELDS = [
  "instanceId",
  "occurrenceKey",
  "milestoneId",
  "unitId",
  "dueAt",
  "confirmable",
  "status",
  "activatedAt",
  "confirmedAt",
  "workflowId",
  "instanceStatus",
] as const satisfies readonly (keyof MilestoneRecord)[];
export type DueEntry = Pick<MilestoneRecord, (typeof DUE_ENTRY_FIELDS)[number]>;

export type ClaimResult = { claimed: true } | { claimed: false; current: NotificationRecord | null };

/** One item per mail the loop sends: the claim that makes each mail go out once. */
export interface NotificationStore {
  /**
   * Claims the right to send one notification: true for exactly one of any number of concurrent
   * callers, and again for the same worker. A claim whose lease ran out may be taken over, a
   * released one claimed again, a sent one never. A refusal says what stands in the way.
   */
  claim(
    instanceId: string,
    notificationKey: string,
    workerId: string,
    leaseSeconds: number,
  ): Promise<ClaimResult>;
  /**
   * Marks a claimed notification sent, for good, with what the audit trail shows of it, in one
   * conditional write. Repeating it is harmless; ConflictError if it was never claimed.
   */
  markSent(instanceId: string, notificationKey: string, info?: SentInfo): Promise<void>;
  /** Gives a claim back after a failed send; ConflictError for a sent one. */
  release(instanceId: string, notificationKey: string, reason: string): Promise<void>;
  get(instanceId: string, notificationKey: string): Promise<NotificationRecord | null>;
}

/** The append-only trail of what happened to an instance, and who did it. */
export interface AuditLog {
  append(instanceId: string, input: AuditInput): Promise<AuditEntry>;
  /**
   * Appends an entry at most once per `onceKey`, dated `at` (a time the caller can repeat, such as
   * an execution's start): a re-run of a step that died after writing it writes nothing.
   */
  appendOnce(instanceId: string, onceKey: string, at: string, input: AuditInput): Promise<void>;
  /**
   * The date of the entry appendOnce wrote under `onceKey`, or null: for a caller whose own date
   * cannot be repeated, to write the same entry again (and so nothing). Reads the whole trail.
   */
  onceDate(instanceId: string, onceKey: string): Promise<string | null>;
  /**
   * The trail in time order: the entries written, and every sent notification as a
   * `notification.sent` entry made from its item (see NotificationStore.markSent).
   */
  list(instanceId: string): Promise<AuditEntry[]>;
}

/** Mail the local stack delivered, for the dashboard's outbox. */
export interface OutboxStore {
  /** ConflictError if a message with this id is there. */
  put(record: OutboxRecord): Promise<void>;
  /** The newest mail first, without the raw message. */
  list(limit?: number): Promise<OutboxSummary[]>;
  get(messageId: string): Promise<OutboxRecord | null>;
}

/** Staff who log in, with their roles; matched to an identity provider's account by subject or e-mail. */
export interface UserStore {
  /** A new user, no subjects linked yet. ConflictError if the id or the e-mail is taken. */
  create(input: UserInput): Promise<UserRecord>;
  /**
   * Changes an existing user's name, e-mail, roles and active flag; gives the record before and
   * after. NotFoundError for an unknown user, ConflictError if the e-mail belongs to another.
   */
  update(input: UserInput): Promise<{ before: UserRecord; after: UserRecord }>;
  get(userId: string): Promise<UserRecord | null>;
  /**
   * By e-mail, whatever its case. `eventual`: may miss a change of the last second, at half the
   * read cost (a mail's greeting; never a login).
   */
  findByEmail(email: string, consistency?: Consistency): Promise<UserRecord | null>;
  /** By a linked identity provider account (`<issuer> <subject>`). */
  findBySubject(subject: string): Promise<UserRecord | null>;
  /** Links an account to the user; again for the same user is harmless, ConflictError for another. */
  linkSubject(userId: string, subject: string): Promise<void>;
  /** Every user, by id (a read that sees every finished write). */
  list(): Promise<UserRecord[]>;
  /**
   * Sets the workflows the user may start and steer as a caseworker (stored sorted, each once),
   * together with an audit entry `user.grants.changed` (by, before, after) in the trail of
   * `userAuditId(userId)`, in one write; the record's updatedAt and updatedBy say so, its name,
   * e-mail, roles and active flag stay. NotFoundError for an unknown user; ContentionError if the
   * user keeps changing meanwhile.
   */
  setGrants(
    userId: string,
    workflowIds: readonly string[],
    by: string,
  ): Promise<{ before: string[]; after: string[]; entry: AuditEntry }>;
}

/**
 * The audit trail of changes to one person's account: grants, roles from groups, API tokens made
 * and revoked (apart from every instance's: instance ids never hold ':').
 */
export function userAuditId(userId: string): string {
  return `user:${userId}`;
}

/**
 * Server-side login sessions, per user, with a TTL on the absolute end. A session the TTL has not
 * removed yet may still be returned: whether it is still valid is the caller's decision (idle and
 * absolute ends, see shared/app/sessions.ts), made on the instants stored here.
 */
export interface SessionStore {
  /** ConflictError if a session with this hash exists (never, for a random secret). */
  create(record: SessionRecord): Promise<void>;
  get(userId: string, secretHash: string): Promise<SessionRecord | null>;
  /** Moves the idle end on; false when the session is gone (ended in between). */
  touch(userId: string, secretHash: string, lastSeenAt: string, idleUntil: string): Promise<boolean>;
  /** Ends one session; ending an ended one is harmless. */
  end(userId: string, secretHash: string): Promise<void>;
  /** Ends every session of a user; the number ended. */
  endAll(userId: string): Promise<number>;
  /** The user's sessions, oldest first. */
  list(userId: string): Promise<SessionRecord[]>;
}

/**
 * The SAML AuthnRequests this server sent and no answer has used yet (ids with an expiry, TTL):
 * what makes a response nobody asked for, or one used before, be refused on every server.
 */
export interface SamlRequestStore {
  /** Remembers a request id until `until` (an instant). ConflictError if it is there already. */
  put(requestId: string, until: string): Promise<void>;
  /** Is the id remembered and not past its end? Changes nothing. */
  pending(requestId: string): Promise<boolean>;
  /** Uses the id up: true for exactly one of any number of callers, false if gone or past its end. */
  take(requestId: string): Promise<boolean>;
}

/** Every port, as one entry point wires them. */
export interface Stores {
  workflows: WorkflowStore;
  units: UnitStore;
  instances: InstanceStore;
  tokens: TaskTokenStore;
  dueIndex: DueIndex;
  notifications: NotificationStore;
  audit: AuditLog;
  outbox: OutboxStore;
  users: UserStore;
  sessions: SessionStore;
  samlRequests: SamlRequestStore;
  apiTokens: ApiTokenStore;
  attempts: AttemptStore;
  accessLog: AccessLogStore;
  deputies: DeputyStore;
}

/**
 * Personal API tokens, per user, with a TTL on their end. As with sessions, a token past its end
 * that the TTL has not removed yet may still be returned: the caller checks `validUntil`.
 */
export interface ApiTokenStore {
  /** ConflictError if the user has a token with this id (never, for a random id). */
  create(record: ApiTokenRecord): Promise<void>;
  get(userId: string, tokenId: string): Promise<ApiTokenRecord | null>;
  /** The user's tokens, oldest first. */
  list(userId: string): Promise<ApiTokenRecord[]>;
  /** Notes a use; false when the token is gone (revoked in between). */
  touch(userId: string, tokenId: string, lastUsedAt: string): Promise<boolean>;
  /** Removes the token and gives what it was; null if there was none (revoking twice is harmless). */
  revoke(userId: string, tokenId: string): Promise<ApiTokenRecord | null>;
}

/**
 * Counters of failed attempts (logins, bearer tokens, link signatures), shared by every server:
 * one counter per key and fixed window, removed by TTL after the window.
 */
export interface AttemptStore {
  /**
   * Adds one to the key's counter in the window starting at `windowStart` (ISO instant), in one
   * atomic write, and gives the count after it. `expiresAt` (epoch seconds) is the counter's TTL.
   */
  add(key: string, windowStart: string, expiresAt: number): Promise<number>;
  /** The counts of these keys in the window (0 for a key without one), in the order given. */
  counts(keys: readonly string[], windowStart: string): Promise<number[]>;
}

/**
 * Who looked at which instance, apart from the audit trail of changes. Each entry is keyed so one
 * Query finds it: by its case reference when it has one, else by its instance, else (a read of
 * the list) by its UTC day. The reads return the entries in time order, without those past their
 * `expiresAt` (which the TTL may not have removed yet), and see every finished write.
 */
export interface AccessLogStore {
  record(input: AccessLogInput): Promise<AccessLogEntry>;
  /** Every entry with this case reference (exactly as written). */
  forCase(caseRef: string): Promise<AccessLogEntry[]>;
  /** The entries of an instance that has no case reference. */
  forInstance(instanceId: string): Promise<AccessLogEntry[]>;
  /** The entries that name no instance and no case, of one UTC day (`YYYY-MM-DD`). */
  forDay(day: string): Promise<AccessLogEntry[]>;
}

/** The audit trail that setting and ending deputies go to (apart from every instance's: ids never hold ':'). */
export function deputyAuditId(scope: DeputyScope): string {
  return scope.kind === "person" ? `deputies:person:${scope.personId}` : `deputies:unit:${scope.unitId}`;
}

/**
 * Deputies, kept per leader and per unit: the notify step reads the two scopes of a recipient by
 * key (no scan). Setting and ending write their audit entry (deputyAuditId) in the same write.
 */
export interface DeputyStore {
  /** Stores a new deputy with a `deputy.set` audit entry by `createdBy`. ConflictError if the id is taken. */
  put(record: DeputyRecord): Promise<void>;
  /**
   * A scope's deputies, ended ones too, by `from` then id; sees every finished write, or with
   * `eventual` possibly not one of the last second, at half the read cost (each reminder's routing).
   */
  list(scope: DeputyScope, consistency?: Consistency): Promise<DeputyRecord[]>;
  /**
   * Ends a deputy early: `to` becomes `lastDay` (never later than it was), with a `deputy.ended`
   * audit entry by `by`. NotFoundError for an unknown deputy.
   */
  end(scope: DeputyScope, deputyId: string, lastDay: string, by: string): Promise<DeputyRecord>;
}
