/** Users and their sessions in memory, with the DynamoDB adapters' uniqueness and conflicts. */
import { ConflictError, NotFoundError } from "../errors.ts";
import { grantChange, sortedGrants } from "../grants.ts";
import { type SessionStore, type UserStore, userAuditId } from "../ports.ts";
import type { AuditEntry, SessionRecord, UserInput, UserRecord } from "../records.ts";
import { byKey, copy, type MemoryTable, turn } from "./table.ts";

export class MemoryUserStore implements UserStore {
  constructor(private readonly table: MemoryTable) {}

  private emailFree(email: string, userId: string): boolean {
    const owner = this.table.userEmails.get(email);
    return owner === undefined || owner === userId;
  }

  async create(input: UserInput): Promise<UserRecord> {
    await turn();
    const email = input.email.toLowerCase();
    if (this.table.users.has(input.userId)) throw new ConflictError(`user ${input.userId} exists`);
    if (!this.emailFree(email, input.userId)) {
      throw new ConflictError(`the e-mail of user ${input.userId} belongs to another user`);
    }
    const now = this.table.now();
    const record: UserRecord = { ...input, email, subjects: [], createdAt: now, updatedAt: now };
    this.table.users.set(record.userId, copy(record));
    this.table.userEmails.set(email, record.userId);
    return copy(record);
  }

  async update(input: UserInput): Promise<{ before: UserRecord; after: UserRecord }> {
    await turn();
    const before = this.table.users.get(input.userId);
    if (before === undefined) throw new NotFoundError("user", input.userId);
    const email = input.email.toLowerCase();
    if (!this.emailFree(email, input.userId))
      throw new ConflictError(`the e-mail ${email} belongs to another user`);
    const after: UserRecord = { ...before, ...input, email, updatedAt: this.table.now() };
    if (email !== before.email) this.table.userEmails.delete(before.email);
    this.table.userEmails.set(email, after.userId);
    this.table.users.set(after.userId, copy(after));
    return { before: copy(before), after: copy(after) };
  }

  async get(userId: string): Promise<UserRecord | null> {
    await turn();
    const user = this.table.users.get(userId);
    return user === undefined ? null : copy(user);
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const userId = this.table.userEmails.get(email.toLowerCase());
    if (userId !== undefined) return this.get(userId);
    await turn();
    return null;
  }

  async findBySubject(subject: string): Promise<UserRecord | null> {
    const userId = this.table.userSubjects.get(subject);
    if (userId !== undefined) return this.get(userId);
    await turn();
    return null;
  }

  async linkSubject(userId: string, subject: string): Promise<void> {
    await turn();
    const owner = this.table.userSubjects.get(subject);
    if (owner !== undefined && owner !== userId)
      throw new ConflictError("the account is linked to another user");
    const user = this.table.users.get(userId);
    if (user === undefined) throw new NotFoundError("user", userId);
    this.table.userSubjects.set(subject, userId);
    if (!user.subjects.includes(subject)) user.subjects.push(subject);
  }

  async setGrants(
    userId: string,
    workflowIds: readonly string[],
    by: string,
  ): Promise<{ before: string[]; after: string[]; entry: AuditEntry }> {
    await turn();
    const user = this.table.users.get(userId);
    if (user === undefined) throw new NotFoundError("user", userId);
    const now = this.table.now();
    const before = user.grants ?? [];
    const after = sortedGrants(workflowIds);
    // Synchronous from here: the record and its audit entry land together.
    this.table.users.set(userId, copy({ ...user, grants: after, updatedAt: now, updatedBy: by }));
    const entry = this.table.appendAudit(userAuditId(userId), grantChange(by, before, after), now);
    return { before: [...before], after, entry };
  }

  async list(): Promise<UserRecord[]> {
    await turn();
    return [...this.table.users.values()].sort(byKey((u) => u.userId)).map(copy);
  }
}

export class MemorySessionStore implements SessionStore {
  constructor(private readonly table: MemoryTable) {}

  async create(record: SessionRecord): Promise<void> {
    await turn();
    const sessions = this.table.sessionsOf(record.userId);
    if (sessions.has(record.secretHash)) throw new ConflictError("the session exists");
    sessions.set(record.secretHash, copy(record));
  }

  async get(userId: string, secretHash: string): Promise<SessionRecord | null> {
    await turn();
    const session = this.table.sessionsOf(userId).get(secretHash);
    return session === undefined ? null : copy(session);
  }

  async touch(userId: string, secretHash: string, lastSeenAt: string, idleUntil: string): Promise<boolean> {
    await turn();
    const session = this.table.sessionsOf(userId).get(secretHash);
    if (session === undefined) return false;
    session.lastSeenAt = lastSeenAt;
    session.idleUntil = idleUntil;
    return true;
  }

  async end(userId: string, secretHash: string): Promise<void> {
    await turn();
    this.table.sessionsOf(userId).delete(secretHash);
  }

  async endAll(userId: string): Promise<number> {
    await turn();
    const sessions = this.table.sessionsOf(userId);
    const count = sessions.size;
    sessions.clear();
    return count;
  }

  async list(userId: string): Promise<SessionRecord[]> {
    await turn();
    return [...this.table.sessionsOf(userId).values()].sort(byKey((s) => s.createdAt)).map(copy);
  }
}
