/**
 * The in-memory adapters' shared state: plain maps standing in for the table. Every port's
 * in-memory adapter works on one MemoryTable, so an audit entry written with a confirmation shows
 * up in the audit log, as it does in DynamoDB.
 *
 * Atomicity: each operation checks all its conditions and then mutates, with no `await` in
 * between, so concurrent calls interleave only between operations, like DynamoDB's single-item
 * writes and transactions. Records are copied in and out (through JSON, which also drops
 * `undefined` fields as the DynamoDB adapter's marshalling does), so a caller can never change
 * stored state by mutating what it got back.
 */
import type { Unit } from "../../model/schema.ts";
import type { Clock } from "../../time/clock.ts";
import { AuditKeys } from "../keys.ts";
import type {
  AccessLogEntry,
  ApiTokenRecord,
  AuditEntry,
  AuditInput,
  DeputyRecord,
  InstanceRecord,
  MilestoneRecord,
  NotificationRecord,
  OutboxRecord,
  SessionRecord,
  UserRecord,
  WorkflowSummary,
  WorkflowVersionRecord,
} from "../records.ts";

/** A milestone state and, while it is open, confirmable and due, its place in the due index. */
export interface MemoryMilestone {
  record: MilestoneRecord;
  dueSort?: string;
}

/** The data, apart from the clock, so two views with different clocks can share it (two workers). */
class MemoryData {
  readonly workflows = new Map<string, { summary: WorkflowSummary; versions: WorkflowVersionRecord[] }>();
  readonly units = new Map<string, Unit>();
  readonly instances = new Map<string, InstanceRecord>();
  /** By instance id, then occurrence key. */
  readonly milestones = new Map<string, Map<string, MemoryMilestone>>();
  /** By instance id, then notification key. */
  readonly notifications = new Map<string, Map<string, NotificationRecord>>();
  /** By instance id, sorted by id: each entry's id is its sort key, as in the table. */
  readonly audit = new Map<string, AuditEntry[]>();
  readonly outbox = new Map<string, OutboxRecord>();
  readonly users = new Map<string, UserRecord>();
  /** E-mail and linked account to user id: what makes each unique. */
  readonly userEmails = new Map<string, string>();
  readonly userSubjects = new Map<string, string>();
  /** By user id, then secret hash. */
  readonly sessions = new Map<string, Map<string, SessionRecord>>();
  readonly auditKeys = new AuditKeys();
  /** Pending SAML request ids and the instant each ends. */
  readonly samlRequests = new Map<string, string>();
  /** By user id, then token id. */
  readonly apiTokens = new Map<string, Map<string, ApiTokenRecord>>();
  /** By key and window start: the count of failed attempts. */
  readonly attempts = new Map<string, number>();
  /** By partition (as the DynamoDB adapter keys it), in time order. */
  readonly accessLog = new Map<string, AccessLogEntry[]>();
  /** By scope partition (as the table's pk), then deputy id. */
  readonly deputies = new Map<string, Map<string, DeputyRecord>>();
}

export class MemoryTable {
  private readonly data: MemoryData;

  constructor(
    readonly clock: Clock,
    shared?: MemoryTable,
  ) {
    this.data = shared?.data ?? new MemoryData();
  }

  /** The same data, seen with another clock (e.g. a second worker). */
  withClock(clock: Clock): MemoryTable {
    return new MemoryTable(clock, this);
  }

  get workflows() {
    return this.data.workflows;
  }
  get units() {
    return this.data.units;
  }
  get instances() {
    return this.data.instances;
  }
  get milestones() {
    return this.data.milestones;
  }
  get notifications() {
    return this.data.notifications;
  }
  get audit() {
    return this.data.audit;
  }
  get outbox() {
    return this.data.outbox;
  }
  get users() {
    return this.data.users;
  }
  get userEmails() {
    return this.data.userEmails;
  }
  get userSubjects() {
    return this.data.userSubjects;
  }

  get samlRequests() {
    return this.data.samlRequests;
  }

  get accessLog() {
    return this.data.accessLog;
  }

  get deputies() {
    return this.data.deputies;
  }

  sessionsOf(userId: string): Map<string, SessionRecord> {
    let sessions = this.data.sessions.get(userId);
    if (sessions === undefined) {
      sessions = new Map();
      this.data.sessions.set(userId, sessions);
    }
    return sessions;
  }

  now(): string {
    return this.clock.now().toString();
  }

  apiTokensOf(userId: string): Map<string, ApiTokenRecord> {
    let tokens = this.data.apiTokens.get(userId);
    if (tokens === undefined) {
      tokens = new Map();
      this.data.apiTokens.set(userId, tokens);
    }
    return tokens;
  }

  get attempts() {
    return this.data.attempts;
  }

  milestonesOf(instanceId: string): Map<string, MemoryMilestone> {
    let milestones = this.milestones.get(instanceId);
    if (milestones === undefined) {
      milestones = new Map();
      this.milestones.set(instanceId, milestones);
    }
    return milestones;
  }

  notificationsOf(instanceId: string): Map<string, NotificationRecord> {
    let notifications = this.notifications.get(instanceId);
    if (notifications === undefined) {
      notifications = new Map();
      this.notifications.set(instanceId, notifications);
    }
    return notifications;
  }

  /** Appends an audit entry now; call it last in an operation, after every check passed. */
  appendAudit(instanceId: string, input: AuditInput, at: string): AuditEntry {
    const entry: AuditEntry = copy({ instanceId, id: this.data.auditKeys.next(at), at, ...input });
    const trail = this.audit.get(instanceId) ?? [];
    trail.push(entry);
    // Sorted as the table sorts its sort keys (the instant first), whatever order writers came in.
    trail.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.audit.set(instanceId, trail);
    return copy(entry);
  }
}

/** A deep copy of plain data, without `undefined` fields. */
export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Lets other callers run first, as a round trip to DynamoDB would. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function byKey<T>(key: (item: T) => string, descending = false): (a: T, b: T) => number {
  return (a, b) => {
    const [x, y] = [key(a), key(b)];
    const order = x < y ? -1 : x > y ? 1 : 0;
    return descending ? -order : order;
  };
}
