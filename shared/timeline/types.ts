/**
 * Types shared by the planner, decide() and everything that stores or acts on their output.
 * Instants are ISO 8601 UTC strings (`2024-10-31T22:59:00Z`) so state serialises as-is to
 * DynamoDB and Step Functions payloads.
 */
import type { Language, Params } from "../model/schema.ts";

/** Who a notification goes to; resolved to an address at send time, from the directory. */
export type RecipientRef =
  | { kind: "unitLeader"; unitId: string }
  | { kind: "unitManager"; unitId: string }
  | { kind: "param"; name: string };

/** The units an instance fans out over: only what the timeline needs, no addresses. */
export interface InstanceUnit {
  id: string;
  type: string;
  name: string;
}

/** One due date of one milestone for one unit (fan-out) and one repetition (recurrence). */
export interface Occurrence {
  /** `${milestoneId}/${unitId or "-"}/${index}`: stable across re-planning. */
  key: string;
  milestoneId: string;
  unitId: string | null;
  /** 0-based repetition number; 0 for milestones without recurrence. */
  index: number;
  /** When the occurrence's deadline is (instant). Null while it waits for a confirmation it is relative to. */
  dueAt: string | null;
  /** Milestone ids whose confirmation must come first. */
  after: string[];
  /** Whether somebody confirms it (false for period markers). */
  confirmable: boolean;
  /**
   * When it becomes active (the instance start, an earlier milestone's confirmation, the previous
   * repetition's); null while it waits for a confirmation. Left out where it is not known.
   */
  activatedAt?: string | null;
  /**
   * Set on the one open occurrence whose confirmation finishes the instance (./closing.ts), with
   * the instance's rev it was worked out at: the store finishes the instance with that
   * confirmation only while the rev is still this one.
   */
  closesAtRev?: number;
}

export type NotificationKind = "activated" | "reminder" | "escalation" | "notice" | "reopened";

export interface ScheduledNotification {
  /** Stable idempotency key: the same notification always gets the same key. */
  key: string;
  kind: NotificationKind;
  occurrenceKey: string;
  milestoneId: string;
  unitId: string | null;
  index: number;
  dueAt: string;
  /** When it is meant to go out. */
  at: string;
  recipient: RecipientRef;
  /** The offset from the definition (`P14D`), for reminders and notices. */
  offset?: string;
  /** 1-based escalation level: which step of the escalation plan (part of the key). */
  level?: number;
  /**
   * 1-based: how many escalations of this occurrence have gone out, this one included. After
   * downtime or a late start only the latest level is sent, so the first escalation anybody gets
   * may be level 3; it is still their first ("rykker 1"), and mails say this number.
   */
  ordinal?: number;
  /** A "reopened" mail: who undid the owner's confirmation, and why (the mail says both). */
  reopened?: { by: string; reason: string };
}

export interface PlannedOccurrence extends Occurrence {
  /** The deadline the plan assumes (dependencies confirmed on their own deadline). */
  plannedDueAt: string;
  owner: RecipientRef | null;
  notifications: ScheduledNotification[];
}

export interface Plan {
  workflowId: string;
  timezone: string;
  language: Language;
  startAt: string;
  occurrences: PlannedOccurrence[];
}

export interface Confirmation {
  occurrenceKey: string;
  at: string;
  /** An opaque reference to who confirmed (a link id or admin id), never a CPR number. */
  by?: string;
}

/** Everything decide() needs to know about one instance; all of it lives in DynamoDB. */
export interface InstanceState {
  instanceId: string;
  startAt: string;
  params: Params;
  units: InstanceUnit[];
  confirmations: Confirmation[];
  /** Idempotency keys of notifications already sent. */
  sent: string[];
  /** Deadlines moved by an administrator: occurrence key to new due instant. */
  dueOverrides: Record<string, string>;
  cancelledAt?: string;
  /** On hold since this instant: nothing is sent until it is resumed (shared/app/steer/). */
  hold?: { since: string };
  /**
   * Started with its past as history: nothing that fell due up to this instant is sent, and no
   * deadline up to it is reminded or escalated (they show as overdue, nobody is mailed).
   */
  quietUntil?: string;
  /** The current Step Functions execution, for continue-as-new. */
  execution: { startedAt: string; loops: number };
  /** Open occurrences whose confirmation a person undid: the owner is told once (a "reopened" mail). */
  reopenings?: Reopening[];
}

export interface Reopening {
  occurrenceKey: string;
  at: string;
  by: string;
  reason: string;
}

export interface Decision {
  notifications: ScheduledNotification[];
  /** The next instant decide() has something to do; null only when done. */
  nextWakeAt: string | null;
  done: boolean;
  continueAsNew: boolean;
  /** Confirmations whose occurrence does not exist in this definition (audit them, change nothing). */
  ignoredConfirmations: string[];
}
