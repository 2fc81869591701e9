/**
 * Users in one partition (`USERS`), with an item per e-mail and per linked account that makes
 * each unique: a user and its lookup items are written in one transaction, so two users can never
 * end up with the same e-mail or account, whatever the timing.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { ConflictError, ContentionError, NotFoundError } from "../errors.ts";
import { grantChange, sortedGrants } from "../grants.ts";
import { keys } from "../keys.ts";
import { type Consistency, type UserStore, userAuditId } from "../ports.ts";
import type { AuditEntry, UserInput, UserRecord } from "../records.ts";
import { isConditionFailed, retryOnContention, transactionOutcomes } from "./sdk-errors.ts";
import { type DynamoTable, strip, type TransactItem } from "./table.ts";

/** Reads and conditional writes of one user's grants before giving up (others kept changing it). */
const SET_GRANTS_ATTEMPTS = 5;

export class DynamoUserStore implements UserStore {
  constructor(private readonly table: DynamoTable) {}

  private userPut(record: UserRecord, condition: string, values: Record<string, unknown> = {}): TransactItem {
    return {
      Put: {
        TableName: this.table.name,
        Item: { ...keys.user(record.userId), entity: "user", ...record },
        ConditionExpression: condition,
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
      },
    };
  }

  private emailPut(email: string, userId: string): TransactItem {
    return {
      Put: {
        TableName: this.table.name,
        Item: { ...keys.userEmail(email), entity: "user-email", userId },
        // Free, or already this user's.
        ConditionExpression: "attribute_not_exists(pk) OR userId = :userId",
        ExpressionAttributeValues: { ":userId": userId },
      },
    };
  }

  async create(input: UserInput): Promise<UserRecord> {
    const now = this.table.now();
    const record: UserRecord = {
      ...input,
      email: input.email.toLowerCase(),
      subjects: [],
      createdAt: now,
      updatedAt: now,
    };
    try {
      await retryOnContention("createUser", () =>
        this.table.transact([
          this.userPut(record, "attribute_not_exists(pk)"),
          this.emailPut(record.email, record.userId),
        ]),
      );
    } catch (err) {
      const outcomes = transactionOutcomes(err);
      if (outcomes?.[0] === "condition")
        throw new ConflictError(`user ${input.userId} exists`, { cause: err });
      if (outcomes?.[1] === "condition")
        throw new ConflictError(`the e-mail of user ${input.userId} belongs to another user`, { cause: err });
      throw err;
    }
    return record;
  }

  async update(input: UserInput): Promise<{ before: UserRecord; after: UserRecord }> {
    const before = await this.get(input.userId);
    if (before === null) throw new NotFoundError("user", input.userId);
    const after: UserRecord = {
      ...before,
      ...input,
      email: input.email.toLowerCase(),
      updatedAt: this.table.now(),
    };
    const actions: TransactItem[] = [
      // Only over the version read, so a concurrent change is not silently undone.
      this.userPut(after, "updatedAt = :seen", { ":seen": before.updatedAt }),
    ];
    if (after.email !== before.email) {
      actions.push(this.emailPut(after.email, after.userId), {
        Delete: { TableName: this.table.name, Key: keys.userEmail(before.email) },
      });
    }
    try {
      await this.table.transact(actions);
    } catch (err) {
      const outcomes = transactionOutcomes(err);
      if (outcomes?.[0] === "condition" || outcomes?.[0] === "conflict") {
        throw new ConflictError(`user ${input.userId} was changed at the same time; try again`, {
          cause: err,
        });
      }
      if (outcomes?.[1] === "condition") {
        throw new ConflictError(`the e-mail ${after.email} belongs to another user`, { cause: err });
      }
      throw err;
    }
    return { before, after };
  }

  async get(userId: string, consistency: Consistency = "strong"): Promise<UserRecord | null> {
    const item = await this.table.getItem(keys.user(userId), consistency);
    return item === undefined ? null : strip<UserRecord>(item);
  }

  private async viaLookup(
    key: ReturnType<typeof keys.userEmail>,
    consistency: Consistency = "strong",
  ): Promise<UserRecord | null> {
    const lookup = await this.table.getItem(key, consistency);
    return typeof lookup?.userId === "string" ? this.get(lookup.userId, consistency) : null;
  }

  findByEmail(email: string, consistency: Consistency = "strong"): Promise<UserRecord | null> {
    return this.viaLookup(keys.userEmail(email), consistency);
  }

  findBySubject(subject: string): Promise<UserRecord | null> {
    return this.viaLookup(keys.userSubject(subject));
  }

  async linkSubject(userId: string, subject: string): Promise<void> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...keys.userSubject(subject), entity: "user-subject", userId, subject },
          ConditionExpression: "attribute_not_exists(pk) OR userId = :userId",
          ExpressionAttributeValues: { ":userId": userId },
        }),
      );
    } catch (err) {
      if (isConditionFailed(err))
        throw new ConflictError("the account is linked to another user", { cause: err });
      throw err;
    }
    // The user's own list, for the dashboard; the lookup item above is what makes it unique.
    const user = await this.get(userId);
    if (user === null) throw new NotFoundError("user", userId);
    if (user.subjects.includes(subject)) return;
    await this.table.doc
      .send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...keys.user(userId), entity: "user", ...user, subjects: [...user.subjects, subject] },
          ConditionExpression: "updatedAt = :seen",
          ExpressionAttributeValues: { ":seen": user.updatedAt },
        }),
      )
      .catch((err: unknown) => {
        // Changed in between: the lookup item is written, the list catches up on the next login.
        if (!isConditionFailed(err)) throw err;
      });
  }

  async setGrants(
    userId: string,
    workflowIds: readonly string[],
    by: string,
  ): Promise<{ before: string[]; after: string[]; entry: AuditEntry }> {
    const after = sortedGrants(workflowIds);
    // Read, then write over the version read: a change in between means read again.
    for (let attempt = 0; attempt < SET_GRANTS_ATTEMPTS; attempt += 1) {
      const user = await this.get(userId);
      if (user === null) throw new NotFoundError("user", userId);
      const now = this.table.now();
      const before = user.grants ?? [];
      const audit = this.table.auditItem(userAuditId(userId), grantChange(by, before, after), now);
      const record: UserRecord = { ...user, grants: after, updatedAt: now, updatedBy: by };
      try {
        await this.table.transact([
          this.userPut(record, "updatedAt = :seen", { ":seen": user.updatedAt }),
          { Put: audit.put },
        ]);
        return { before, after, entry: audit.entry };
      } catch (err) {
        const outcomes = transactionOutcomes(err);
        if (outcomes === undefined || outcomes.includes("other")) throw err;
      }
    }
    throw new ContentionError(
      `user ${userId}: changed at the same time ${SET_GRANTS_ATTEMPTS} times in a row`,
    );
  }

  async list(): Promise<UserRecord[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :user)",
      ExpressionAttributeValues: { ":pk": keys.usersPartition, ":user": "USER#" },
      ConsistentRead: true,
    });
    return items.map((item) => strip<UserRecord>(item));
  }
}
