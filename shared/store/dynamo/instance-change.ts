/**
 * InstanceStore.applyChange in DynamoDB: one transaction of the instance's update (conditional on
 * its status and rev), the audit entry, and one action per milestone state and notification mark.
 * A refused transaction is explained by reading what stood in the way.
 */
import { changedSincePreview, checkChangeShape } from "../changes.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { DUE_PARTITION, dueIndexSortKey, keys } from "../keys.ts";
import type { AuditEntry, InstanceChange, MilestoneRecord } from "../records.ts";
import { retryOnContention, transactionOutcomes } from "./sdk-errors.ts";
import type { DynamoTable, TransactItem } from "./table.ts";

function instanceUpdate(table: DynamoTable, change: InstanceChange, now: string): TransactItem {
  const sets = ["rev = rev + :one", "updatedAt = :now"];
  const removes: string[] = [];
  const values: Record<string, unknown> = {
    ":one": 1,
    ":now": now,
    ":running": "running",
    ":rev": change.expectedRev,
  };
  const names: Record<string, string> = { "#status": "status" };
  const set = change.set ?? {};
  for (const name of ["dueOverrides", "units", "workflowVersion", "hold"] as const) {
    const value = set[name];
    if (value === undefined) continue;
    // Names by placeholder: some (hold) are reserved words.
    names[`#${name}`] = name;
    if (value === null) removes.push(`#${name}`);
    else {
      sets.push(`#${name} = :${name}`);
      values[`:${name}`] = value;
    }
  }
  return {
    Update: {
      TableName: table.name,
      Key: keys.instance(change.instanceId),
      UpdateExpression: `SET ${sets.join(", ")}${removes.length > 0 ? ` REMOVE ${removes.join(", ")}` : ""}`,
      ConditionExpression: "#status = :running AND rev = :rev",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

function milestoneItem(record: MilestoneRecord) {
  const inIndex = record.status === "open" && record.confirmable && record.dueAt !== null;
  return {
    ...keys.occurrence(record.instanceId, record.occurrenceKey),
    entity: "milestone",
    ...record,
    ...(inIndex && record.dueAt !== null
      ? {
          gsi1pk: DUE_PARTITION,
          gsi1sk: dueIndexSortKey(record.dueAt, record.instanceId, record.occurrenceKey),
        }
      : {}),
  };
}

/** The actions after the instance's update and the audit entry, in the order conditions are explained. */
function milestoneActions(table: DynamoTable, change: InstanceChange, now: string): TransactItem[] {
  const { instanceId } = change;
  const actions: TransactItem[] = [];
  for (const c of change.confirm ?? []) {
    actions.push({
      Update: {
        TableName: table.name,
        Key: keys.occurrence(instanceId, c.occurrenceKey),
        UpdateExpression:
          "SET #status = :confirmed, confirmedAt = :at, confirmedBy = :by REMOVE gsi1pk, gsi1sk",
        ConditionExpression: "#status = :open AND confirmable = :true",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":confirmed": "confirmed",
          ":open": "open",
          ":true": true,
          ":at": c.at,
          ":by": c.by,
        },
      },
    });
  }
  for (const { occurrenceKey, dueAt, notice } of change.reopen ?? []) {
    // Back in the due index when it has a deadline (only confirmable occurrences are confirmed).
    const index = dueAt === null ? "" : ", gsi1pk = :duePartition, gsi1sk = :dueSort";
    // Who reopened it, for the owner's "reopened" mail (decide() reads it from the state).
    const reopened = notice === undefined ? "" : ", reopened = :notice";
    actions.push({
      Update: {
        TableName: table.name,
        Key: keys.occurrence(instanceId, occurrenceKey),
        UpdateExpression: `SET #status = :open, dueAt = :dueAt${index}${reopened} REMOVE confirmedAt, confirmedBy, linkId`,
        ConditionExpression: "#status = :confirmed",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":open": "open",
          ":confirmed": "confirmed",
          ":dueAt": dueAt,
          ...(notice === undefined ? {} : { ":notice": notice }),
          ...(dueAt === null
            ? {}
            : {
                ":duePartition": DUE_PARTITION,
                ":dueSort": dueIndexSortKey(dueAt, instanceId, occurrenceKey),
              }),
        },
      },
    });
  }
  for (const record of change.put ?? []) {
    actions.push({ Put: { TableName: table.name, Item: milestoneItem(record) } });
  }
  for (const key of change.remove ?? []) {
    actions.push({ Delete: { TableName: table.name, Key: keys.occurrence(instanceId, key) } });
  }
  for (const key of change.markSent ?? []) {
    actions.push({
      Put: {
        TableName: table.name,
        Item: {
          ...keys.notification(instanceId, key),
          entity: "notification",
          instanceId,
          notificationKey: key,
          status: "sent",
          attempts: 0,
          sentAt: now,
          details: { carriedOver: true },
        },
        // A mark never replaces a real send's record.
        ConditionExpression: "attribute_not_exists(pk) OR #status <> :sent",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":sent": "sent" },
      },
    });
  }
  return actions;
}

export async function applyChange(table: DynamoTable, change: InstanceChange): Promise<AuditEntry> {
  checkChangeShape(change);
  const { instanceId } = change;
  return retryOnContention("applyChange", async () => {
    const now = table.now();
    const audit = table.auditItem(instanceId, change.audit, now);
    const actions = [
      instanceUpdate(table, change, now),
      { Put: audit.put },
      ...milestoneActions(table, change, now),
    ];
    try {
      await table.transact(actions);
      return audit.entry;
    } catch (err) {
      const outcomes = transactionOutcomes(err);
      if (outcomes === undefined) throw err;
      if (outcomes[0] === "condition") {
        const item = await table.getItem(keys.instance(instanceId));
        if (item === undefined) throw new NotFoundError("instance", instanceId, { cause: err });
        if (item.status !== "running") {
          throw new ConflictError(
            `instance ${instanceId} is ${String(item.status)}; changes need a running instance`,
            { cause: err },
          );
        }
        throw changedSincePreview(instanceId, change.expectedRev, Number(item.rev));
      }
      const failed = outcomes.findIndex((o, i) => i >= 2 && o === "condition");
      if (failed === -1) throw err;
      const confirms = change.confirm?.length ?? 0;
      const index = failed - 2;
      if (index < confirms) {
        throw new ConflictError(
          `occurrence ${change.confirm?.[index]?.occurrenceKey} of ${instanceId} is not open to confirm`,
          { cause: err },
        );
      }
      const reopen = change.reopen?.[index - confirms];
      if (reopen !== undefined) {
        throw new ConflictError(`occurrence ${reopen.occurrenceKey} of ${instanceId} is not confirmed`, {
          cause: err,
        });
      }
      // A markSent that found a real send: the mail went out, which is what the mark says anyway.
      throw err;
    }
  });
}
