/**
 * What the store hands out and takes in. These are plain data (ISO instants as strings) so they
 * pass unchanged through Lambda and Step Functions payloads; the DynamoDB keys never leave the store.
 */

import type { Role } from "../model/people.ts";
import type { Params, Text, Unit, Workflow } from "../model/schema.ts";
import type { InstanceState, InstanceUnit, NotificationKind } from "../timeline/types.ts";
import type { AuditAction } from "./audit-actions.ts";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface WorkflowVersionRecord {
  workflowId: string;
  /** 1, 2, 3…: assigned by the store, never reused. */
  version: number;
  /** The definition as the administrator wrote it (YAML or JSON), kept for display and diffing. */
  source: string;
  /** The parsed, validated definition decide() runs. */
  definition: Workflow;
  createdAt: string;
  createdBy: string;
}

export interface NewWorkflowVersion {
  workflowId: string;
  source: string;
  definition: Workflow;
  createdBy: string;
}

export interface WorkflowSummary {
  workflowId: string;
  latestVersion: number;
  title: Text;
  latestAt: string;
  latestBy: string;
}

export type InstanceStatus = "running" | "done" | "cancelled" | "failed";

export interface ExecutionInfo {
  /** The Step Functions execution id (ARN), so a new execution restarts the loop count. */
  id?: string;
  startedAt: string;
  loops: number;
}

export interface InstanceRecord {
  instanceId: string;
  workflowId: string;
  /** A running instance keeps the version it started with. */
  workflowVersion: number;
  status: InstanceStatus;
  startAt: string;
  params: Params;
  /** The units as they were when the instance started: later directory edits do not re-plan it. */
  units: InstanceUnit[];
  /**
   * Bumped by every change from outside the loop (confirmation, deadline move, cancel). decide()
   * reads it with the state; park compares it to tell whether something happened in between.
   */
  rev: number;
  dueOverrides: Record<string, string>;
  createdAt: string;
  createdBy: string;
  updatedAt?: string;
  cancelledAt?: string;
  finishedAt?: string;
  execution: ExecutionInfo;
  /** Put on hold by a person: no reminders until resumed (shared/app/steer/hold.ts). */
  hold?: InstanceHold;
  /** Started with its past as history: see InstanceState.quietUntil. */
  quietUntil?: string;
  /** Set while the execution sleeps; a signaller takes it to wake the execution. */
  taskToken?: string;
  parkedRev?: number;
  parkedAt?: string;
  /** The name given at start; read it through instanceDisplayName (shared/timeline/instance-name.ts). */
  name?: string;
}

/** The fields the instance list shows (what the list index carries). */
export type InstanceSummary = Pick<
  InstanceRecord,
  | "instanceId"
  | "workflowId"
  | "workflowVersion"
  | "status"
  | "startAt"
  | "createdAt"
  | "cancelledAt"
  | "finishedAt"
>;

export interface NewInstance {
  instanceId: string;
  workflowId: string;
  workflowVersion: number;
  startAt: string;
  params: Params;
  units: InstanceUnit[];
  createdBy: string;
  /** A start in the past treated as history: see InstanceState.quietUntil. */
  quietUntil?: string;
  /** How a start in the past was chosen to treat it (shared/app/start-preview.ts): for the audit entry. */
  past?: "catch-up" | "history";
  /** The name a person gave at start (one line); without it the default is computed when read. */
  name?: string;
}

export type MilestoneStatus = "open" | "confirmed";

/** The stored state of one occurrence (one milestone, one unit, one repetition). */
export interface MilestoneRecord {
  instanceId: string;
  occurrenceKey: string;
  milestoneId: string;
  unitId: string | null;
  index: number;
  dueAt: string | null;
  confirmable: boolean;
  status: MilestoneStatus;
  /** When it became active, null while waiting (absent on items written before it was kept). */
  activatedAt?: string | null;
  confirmedAt?: string;
  confirmedBy?: string;
  /** The link a confirmation came through, when it did. */
  linkId?: string;
  /**
   * Copied from the instance when the state is written, so a confirm link needs this item alone
   * (shared/app/confirm.ts); absent on items written before they were kept.
   */
  workflowId?: string;
  workflowVersion?: number;
  unitName?: string | null;
  /** Set on the open milestones when the instance stops (cancelled, failed); absent while it runs. */
  instanceStatus?: InstanceStatus;
  /** Copied like workflowId: the instance's given name and case-identifying parameters, when it has them. */
  instanceName?: string;
  instanceRefs?: Record<string, string>;
  /** The last time a person undid its confirmation: decide() tells the owner once (`reopened` mail). */
  reopened?: ReopenNotice;
  /** The instance's rev at which confirming this one finishes the instance (Occurrence.closesAtRev). */
  closesAtRev?: number;
}

/** Who opened a confirmed occurrence again, when and why (shared/app/steer/undo-confirmation.ts). */
export interface ReopenNotice {
  at: string;
  by: string;
  reason: string;
}

/** What a milestone state carries of its instance (see MilestoneRecord). */
export interface MilestoneContext {
  workflowId: string;
  workflowVersion: number;
  units: readonly InstanceUnit[];
  /** What the confirm page names the instance by (shared/timeline/instance-name.ts); absent: none. */
  instanceName?: string;
  instanceRefs?: Record<string, string>;
}

export interface LoadedInstance {
  instance: InstanceRecord;
  /** What decide() takes. */
  state: InstanceState;
  milestones: MilestoneRecord[];
}

export interface ConfirmationInput {
  instanceId: string;
  occurrenceKey: string;
  at: string;
  /** An opaque reference to who confirmed (a recipient ref or an admin id); never a CPR number. */
  by: string;
  linkId?: string;
  /** Correlates the audit entry with the request's log lines. */
  requestId?: string;
  /** A deputy's confirmation: the reference of the leader it was made for. */
  onBehalfOf?: string;
  /** Where the confirmation was made when not the mailed link itself (`mine`: the Mine frister page). */
  via?: string;
  /**
   * The milestone's closesAtRev as read: finish the instance (done) in the same write if its rev
   * is still this one; otherwise the confirmation is recorded alone and the loop decides.
   */
  closesAtRev?: number;
  /**
   * The parked task token as read with the milestone (null: none parked). Given, the transaction
   * also takes it (only if it is still the one parked), and the result says which it took, for the
   * caller to wake the loop with: no separate take, one write of the instance item.
   */
  parkedToken?: string | null;
}

/** Why the instance is done, in its `instance.done` audit entry (by the loop or by the closing confirmation). */
export const DONE_REASON = "every milestone is complete";

/** `finished`: this confirmation also marked the instance done (see ConfirmationInput.closesAtRev). */
export type ConfirmationResult =
  | { status: "confirmed"; finished: boolean; takenToken?: string | null }
  | { status: "already"; at: string; by?: string };

export type CancelResult = { status: "cancelled" } | { status: "already"; at: string };

export type NotificationStatus = "claimed" | "sent" | "released";

export interface NotificationRecord {
  instanceId: string;
  notificationKey: string;
  status: NotificationStatus;
  attempts: number;
  claimedBy?: string;
  claimedAt?: string;
  releasedAt?: string;
  /** Epoch milliseconds; a claim older than this may be taken over by another worker. */
  leaseUntil?: number;
  sentAt?: string;
  messageId?: string;
  lastError?: string;
  occurrenceKey?: string;
  kind?: NotificationKind;
  level?: number;
  details?: { [key: string]: JsonValue };
}

/**
 * What "sent" records on the notification item, in the one write that marks it sent: the item is
 * also the mail's entry in the audit trail (the audit log shows sent items as `notification.sent`),
 * so a crash can never leave a sent mail the trail does not show.
 */
export interface SentInfo {
  /** When it went out; default: now. */
  at?: string;
  messageId?: string;
  occurrenceKey?: string;
  kind?: NotificationKind;
  level?: number;
  /** What the audit trail shows of the send (recipient reference, transport, attempts, link). */
  details?: { [key: string]: JsonValue };
}

export interface AuditInput {
  /** What happened, e.g. `confirmation.recorded`: one of the list in audit-actions.ts. */
  action: AuditAction;
  /** Who did it: an admin id, a recipient ref, `system`. */
  by: string;
  details?: { [key: string]: JsonValue };
  /**
   * Epoch seconds after which the entry is gone (the table's TTL attribute; lists leave it out from
   * then on, before DynamoDB gets round to deleting it). For entries that carry personal data with
   * a retention of their own, such as the security trail's addresses; left out, an entry stays.
   */
  expiresAt?: number;
}

export interface AuditEntry extends AuditInput {
  instanceId: string;
  /** Unique within the instance and in time order. */
  id: string;
  at: string;
}

export interface OutboxRecord {
  messageId: string;
  at: string;
  to: string[];
  subject: string;
  /** The MIME message; or `path` to an .eml file when it is too large for an item (400 KB). */
  raw?: string;
  path?: string;
  instanceId?: string;
  notificationKey?: string;
}

export type OutboxSummary = Omit<OutboxRecord, "raw">;

/** A member of staff who logs in. Roles and `active` are read on every request, so a change counts at once. */
export interface UserRecord {
  userId: string;
  name: string;
  /** Lower case; unique among users. */
  email: string;
  roles: Role[];
  active: boolean;
  /** The identity provider's accounts linked to this user, as `<issuer> <subject>`. */
  subjects: string[];
  createdAt: string;
  updatedAt: string;
  /** Who made the last change: an audit actor (`user:<id> (<name>)`, `admin-dashboard`, `local-users-file`). */
  updatedBy: string;
  /**
   * The workflows (ids) a caseworker may start and steer instances of, in id order; absent: none.
   * Changed only through UserStore.setGrants (audited), never by an update of the other fields.
   */
  grants?: string[];
}

export type UserInput = Pick<UserRecord, "userId" | "name" | "email" | "roles" | "active" | "updatedBy">;

/**
 * A server-side login session. The cookie holds the user id and a random secret; the store keeps
 * only the secret's hash, so a read of the table gives no one a working cookie.
 */
export interface SessionRecord {
  userId: string;
  /** SHA-256 of the cookie's secret, base64url. */
  secretHash: string;
  createdAt: string;
  lastSeenAt: string;
  /** Instants: the session ends at the earlier of the two; idleUntil moves on with use. */
  idleUntil: string;
  absoluteUntil: string;
  /** How the person logged in: `oidc`, or `admin-token` for the bootstrap login. */
  method: string;
  /**
   * For the admin-token login: a digest of the token it was made with, so rotating the token
   * ends these sessions, as it ends the token's use everywhere else.
   */
  binding?: string;
}

export type { Unit };

/**
 * A personal API token. The token itself (`ff_<userId>.<tokenId>.<secret>`) is shown once, when it
 * is made; the store keeps only the secret's hash, so a read of the table gives no one a token.
 */
export interface ApiTokenRecord {
  userId: string;
  /** Random, unique per user; with the user id it is the token's key (lookup by key, not a scan). */
  tokenId: string;
  /** What the owner called it (which script or system uses it). */
  name: string;
  /** SHA-256 of the token's secret, base64url. */
  secretHash: string;
  createdAt: string;
  /** Who made it: an audit actor (`user:<id> (<name>)`). */
  createdBy: string;
  /** Instant after which the token is refused; also the item's TTL. */
  validUntil: string;
  /** The last request made with it (written at most once a minute). */
  lastUsedAt?: string;
}

/** What an access-log entry says was looked at (see shared/app/access-log.ts). */
export type AccessView =
  | "instance-page"
  | "instance-report"
  | "instance-feed"
  | "api-instance"
  | "api-instance-list"
  | "access-log-export"
  | "instance-milestones-export"
  | "instance-audit-export"
  | "deadline-list-export";

/**
 * Who looked: a user, whoever holds the admin token, or a calendar app holding an instance's
 * feed key (which names no person).
 */
export interface AccessActor {
  kind: "user" | "admin-token" | "calendar-feed";
  /** The user id, `~admin` for the admin token, `calendar-feed` for a feed key. */
  id: string;
  name: string;
}

/** One read of an instance (or of the list, or of the access log itself), apart from the audit trail. */
export interface AccessLogInput {
  at: string;
  /** Epoch seconds: the table's TTL attribute removes the entry some time after. */
  expiresAt: number;
  who: AccessActor;
  view: AccessView;
  instanceId?: string;
  workflowId?: string;
  /** The instance's `params.caseRef`, or what an export asked for: the key a citizen's request finds. */
  caseRef?: string;
  /** The client's address as the server saw it; "" when the runtime does not say. */
  address: string;
  /** Cut short (a user agent can be kilobytes). */
  userAgent: string;
  requestId?: string;
  /** What else the view showed, in a few words (a list's filter and count). */
  detail?: string;
}

export interface AccessLogEntry extends AccessLogInput {
  /** Unique and in time order within its partition. */
  id: string;
}

/** Whose deputy: a leader's own (by their opaque person id, shared/links/mine-link.ts), or a unit's. */
export type DeputyScope = { kind: "person"; personId: string } | { kind: "unit"; unitId: string };

/**
 * A deputy for a period: while in force, reminders and "your turn" mails for the leader go to
 * the deputy with the leader in Cc (shared/app/deputy-routing.ts). Dates are calendar dates
 * (YYYY-MM-DD), both included, in the workflow's timezone.
 */
export interface DeputyRecord {
  scope: DeputyScope;
  /** Random; unique within the scope. */
  deputyId: string;
  name: string;
  /** Lower case. */
  email: string;
  from: string;
  to: string;
  createdAt: string;
  /** An audit actor: the leader (`person:<id>`) or a user (`user:<id> (<name>)`). */
  createdBy: string;
  /** Set when it was ended early; `to` then says the last day it counted. */
  endedAt?: string;
  endedBy?: string;
}

/** Who put an instance on hold, when and why. */
export interface InstanceHold {
  since: string;
  by: string;
  reason: string;
}

/**
 * One change to a running instance from outside the loop (shared/app/steer/): the instance's own
 * fields, the milestone states it touches and its audit entry, written together or not at all, and
 * only if the instance is still at the rev the change was previewed at.
 */
export interface InstanceChange {
  instanceId: string;
  /** The rev the change was worked out from: ConflictError if the instance changed since. */
  expectedRev: number;
  audit: AuditInput;
  /** New values of the instance's fields; a field left out stays. `hold: null` ends a hold. */
  set?: {
    dueOverrides?: Record<string, string>;
    units?: InstanceUnit[];
    workflowVersion?: number;
    hold?: InstanceHold | null;
  };
  /** Open occurrences to confirm (on somebody's behalf; confirmations a migration carries over). */
  confirm?: { occurrenceKey: string; at: string; by: string }[];
  /**
   * Confirmed occurrences to open again (an undone confirmation), with the deadline they go back
   * into the due index with; ConflictError if not confirmed.
   */
  reopen?: { occurrenceKey: string; dueAt: string | null; notice?: ReopenNotice }[];
  /** Milestone states to write as given (a migration's renamed occurrence, a new unit's). */
  put?: MilestoneRecord[];
  /** Occurrences no longer planned (a removed unit's): their states are deleted. */
  remove?: string[];
  /** Notification keys to count as sent without sending (a renamed occurrence's mails went out). */
  markSent?: string[];
}

/** How many milestone states and notification marks one change may touch (one DynamoDB transaction). */
export const MAX_CHANGE_ITEMS = 98;
