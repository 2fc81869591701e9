/**
 * Writes to milestone states: bringing them in line with the plan, a confirmation, a moved
 * deadline. An open, confirmable milestone with a deadline sits in the due index (its gsi1 keys);
 * confirming or cancelling takes it out.
 */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import pLimit from "p-limit";
import type { Occurrence } from "../../timeline/types.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { DUE_PARTITION, dueIndexSortKey, keys } from "../keys.ts";
import type {
  ConfirmationInput,
  ConfirmationResult,
  InstanceStatus,
  MilestoneContext,
  MilestoneRecord,
} from "../records.ts";
import { DONE_REASON } from "../records.ts";
import { confirmationDetails, finishedAudit, occurrenceChanged, occurrenceFields } from "../state.ts";
import { isConditionFailed, retryOnContention, transactionOutcomes } from "./sdk-errors.ts";
import { type DynamoTable, strip, type TransactItem, WRITE_CONCURRENCY } from "./table.ts";

/** Writes only what is new or changed; never reopens a confirmed milestone. */
export async function syncOccurrences(
  table: DynamoTable,
  instanceId: string,
  occurrences: readonly Occurrence[],
  known: readonly MilestoneRecord[],
  context: MilestoneContext | undefined,
): Promise<{ written: number }> {
  const current = new Map(known.map((m) => [m.occurrenceKey, m]));
  const changed = occurrences.filter((o) => occurrenceChanged(current.get(o.key), o, context));
  const limit = pLimit(WRITE_CONCURRENCY);
  await Promise.all(
    changed.map((o) =>
      limit(() =>
        writeOccurrence(
          table,
          instanceId,
          o,
          occurrenceFields(o, context),
          current.get(o.key)?.status === "confirmed",
        ),
      ),
    ),
  );
  return { written: changed.length };
}

async function writeOccurrence(
  table: DynamoTable,
  instanceId: string,
  o: Occurrence,
  context: Record<string, unknown>,
  knownConfirmed: boolean,
): Promise<void> {
  const key = keys.occurrence(instanceId, o.key);
  const contextNames = Object.keys(context);
  const setContext = contextNames.map((name) => `, ${name} = :${name}`).join("");
  const contextValues = Object.fromEntries(contextNames.map((name) => [`:${name}`, context[name]]));
  if (!knownConfirmed) {
    const indexed = o.confirmable && o.dueAt !== null;
    try {
      await table.doc.send(
        new UpdateCommand({
          TableName: table.name,
          Key: key,
          UpdateExpression:
            "SET entity = :entity, instanceId = :instanceId, occurrenceKey = :key, milestoneId = :milestoneId, " +
            "unitId = :unitId, #index = :index, dueAt = :dueAt, confirmable = :confirmable, " +
            "#status = if_not_exists(#status, :open)" +
            setContext +
            (o.closesAtRev === undefined ? "" : ", closesAtRev = :closesAtRev") +
            (indexed ? ", gsi1pk = :duePartition, gsi1sk = :dueSort" : "") +
            removeClause([
              ...(indexed ? [] : ["gsi1pk", "gsi1sk"]),
              ...(o.closesAtRev === undefined ? ["closesAtRev"] : []),
            ]),
          ConditionExpression: "attribute_not_exists(pk) OR #status = :open",
          ExpressionAttributeNames: { "#index": "index", "#status": "status" },
          ExpressionAttributeValues: {
            ":entity": "milestone",
            ":instanceId": instanceId,
            ":key": o.key,
            ":milestoneId": o.milestoneId,
            ":unitId": o.unitId,
            ":index": o.index,
            ":dueAt": o.dueAt,
            ":confirmable": o.confirmable,
            ":open": "open",
            ...contextValues,
            ...(o.closesAtRev === undefined ? {} : { ":closesAtRev": o.closesAtRev }),
            ...(indexed && o.dueAt !== null
              ? { ":duePartition": DUE_PARTITION, ":dueSort": dueIndexSortKey(o.dueAt, instanceId, o.key) }
              : {}),
          },
        }),
      );
      return;
    } catch (err) {
      // Confirmed since we looked: fall through and only record the new due date.
      if (!isConditionFailed(err)) throw err;
    }
  }
  await table.doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: key,
      UpdateExpression: `SET dueAt = :dueAt, confirmable = :confirmable${setContext}`,
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":dueAt": o.dueAt, ":confirmable": o.confirmable, ...contextValues },
    }),
  );
}

function removeClause(names: readonly string[]): string {
  return names.length === 0 ? "" : ` REMOVE ${names.join(", ")}`;
}

/** The milestone and the instance's parked token in one request (BatchGetItem, consistent). */
export async function readForConfirmation(
  table: DynamoTable,
  instanceId: string,
  occurrenceKey: string,
): Promise<{ milestone: MilestoneRecord | null; parkedToken: string | null }> {
  const occurrence = keys.occurrence(instanceId, occurrenceKey);
  const instance = keys.instance(instanceId);
  const items = await table.getItems([occurrence, instance]);
  const at = (key: { pk: string; sk: string }) => items.find((i) => i.pk === key.pk && i.sk === key.sk);
  const milestone = at(occurrence);
  const token = at(instance)?.taskToken;
  return {
    milestone: milestone === undefined ? null : strip<MilestoneRecord>(milestone),
    parkedToken: typeof token === "string" ? token : null,
  };
}

/**
 * In one transaction: the milestone becomes confirmed (only if open and confirmable) and leaves
 * the due index, the instance's rev goes up (so a park in flight notices), the audit gets an entry.
 * With `closesAtRev` (the step marked this milestone as the one that finishes the instance), the
 * same transaction marks the instance done, if its rev is still that one, with its own audit entry;
 * with `parkedToken`, it takes the parked token if it is still that one. When the instance item's
 * condition fails for either (the loop parked or stepped meanwhile, another confirmation took the
 * token), the instance is read again and the confirmation tried with what it holds now.
 */
export function recordConfirmation(
  table: DynamoTable,
  input: ConfirmationInput,
  attempt = 1,
): Promise<ConfirmationResult> {
  const { instanceId, occurrenceKey } = input;
  return retryOnContention("recordConfirmation", async () => {
    const now = table.now();
    const finishing = input.closesAtRev !== undefined;
    const audit = table.auditItem(
      instanceId,
      { action: "confirmation.recorded", by: input.by, details: confirmationDetails(input) },
      now,
    );
    try {
      await table.transact([
        {
          Update: {
            TableName: table.name,
            Key: keys.occurrence(instanceId, occurrenceKey),
            UpdateExpression: `SET #status = :confirmed, confirmedAt = :at, confirmedBy = :by${
              input.linkId === undefined ? "" : ", linkId = :linkId"
            } REMOVE gsi1pk, gsi1sk, closesAtRev`,
            ConditionExpression: "#status = :open AND confirmable = :true",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":confirmed": "confirmed",
              ":open": "open",
              ":true": true,
              ":at": input.at,
              ":by": input.by,
              ...(input.linkId === undefined ? {} : { ":linkId": input.linkId }),
            },
          },
        },
        instanceUpdate(table, input, now),
        { Put: audit.put },
        ...(finishing
          ? [{ Put: table.auditItem(instanceId, finishedAudit("done", DONE_REASON), now).put }]
          : []),
      ]);
      return {
        status: "confirmed",
        finished: finishing,
        ...(input.parkedToken === undefined ? {} : { takenToken: input.parkedToken }),
      } as const;
    } catch (err) {
      const outcomes = transactionOutcomes(err);
      if (!outcomes?.includes("condition")) throw err;
      const conditional = finishing || input.parkedToken !== undefined;
      if (conditional && outcomes[0] === "ok" && outcomes[1] === "condition") {
        const again = await retriedInput(table, input, attempt);
        if (again !== null) return recordConfirmation(table, again, attempt + 1);
      }
      return explainFailedConfirmation(table, instanceId, occurrenceKey, err);
    }
  });
}

/** Attempts with a fresh read of the instance before the confirmation gives up its extras. */
const FRESH_READ_ATTEMPTS = 5;

/**
 * The instance item refused the transaction: read it again and keep what still holds (the closing
 * mark if the rev is still the marked one, the token now parked). Null when it has stopped, so the
 * failure is explained. Past FRESH_READ_ATTEMPTS (a storm on one instance), the confirmation is
 * written without either: the caller takes the token on its own, and the loop decides.
 */
async function retriedInput(
  table: DynamoTable,
  input: ConfirmationInput,
  attempt: number,
): Promise<ConfirmationInput | null> {
  const { closesAtRev, parkedToken, ...plain } = input;
  if (attempt >= FRESH_READ_ATTEMPTS) return plain;
  const item = await table.getItem(keys.instance(input.instanceId));
  if (item === undefined || item.status !== "running") return null;
  return {
    ...plain,
    ...(closesAtRev !== undefined && item.rev === closesAtRev ? { closesAtRev } : {}),
    ...(parkedToken === undefined
      ? {}
      : { parkedToken: typeof item.taskToken === "string" ? item.taskToken : null }),
  };
}

/**
 * The instance item's part of a confirmation: the rev bump; with closesAtRev also done, only at
 * that rev; with parkedToken also the token taken, only if it is still the one parked.
 */
function instanceUpdate(table: DynamoTable, input: ConfirmationInput, now: string): TransactItem {
  const { closesAtRev, parkedToken } = input;
  return table.bumpRev(input.instanceId, now, {
    set: closesAtRev === undefined ? [] : ["#status = :done", "finishedAt = :now"],
    remove: parkedToken === undefined ? [] : ["taskToken", "parkedRev", "parkedAt"],
    conditions: [
      ...(closesAtRev === undefined ? [] : ["rev = :rev"]),
      ...(parkedToken === null ? ["attribute_not_exists(taskToken)"] : []),
      ...(typeof parkedToken === "string" ? ["taskToken = :token"] : []),
    ],
    values: {
      ...(closesAtRev === undefined ? {} : { ":done": "done", ":rev": closesAtRev }),
      ...(typeof parkedToken === "string" ? { ":token": parkedToken } : {}),
    },
  });
}

async function explainFailedConfirmation(
  table: DynamoTable,
  instanceId: string,
  occurrenceKey: string,
  cause: unknown,
): Promise<ConfirmationResult> {
  const occurrence = await table.getItem(keys.occurrence(instanceId, occurrenceKey));
  // "Already" wins over "instance stopped": a late click on a finished timeline is not an error.
  if (occurrence?.status === "confirmed") {
    return {
      status: "already",
      at: String(occurrence.confirmedAt),
      ...(typeof occurrence.confirmedBy === "string" ? { by: occurrence.confirmedBy } : {}),
    };
  }
  await table.requireRunning(instanceId, "confirmations", cause);
  if (occurrence === undefined)
    throw new NotFoundError("occurrence", `${instanceId} ${occurrenceKey}`, { cause });
  throw new ConflictError(`occurrence ${occurrenceKey} of ${instanceId} is not confirmable`, { cause });
}

/**
 * The override lives on the instance (decide() applies it when it re-plans); the milestone state
 * shows the new due date at once; rev goes up and the audit trail says who did it.
 */
export async function moveDeadline(
  table: DynamoTable,
  instanceId: string,
  occurrenceKey: string,
  newDueAt: string,
  by: string,
): Promise<void> {
  const dueSort = dueIndexSortKey(newDueAt, instanceId, occurrenceKey);
  await retryOnContention("moveDeadline", async () => {
    const occurrence = await table.getItem(keys.occurrence(instanceId, occurrenceKey));
    if (occurrence?.status === "confirmed") {
      throw new ConflictError(`occurrence ${occurrenceKey} of ${instanceId} is already confirmed`);
    }
    const now = table.now();
    const audit = table.auditItem(
      instanceId,
      {
        action: "deadline.moved",
        by,
        details: {
          occurrenceKey,
          from: (occurrence?.dueAt as string | null | undefined) ?? null,
          to: newDueAt,
        },
      },
      now,
    );
    const actions: TransactItem[] = [
      {
        Update: {
          TableName: table.name,
          Key: keys.instance(instanceId),
          UpdateExpression: "SET rev = rev + :one, updatedAt = :now, dueOverrides.#occurrence = :due",
          ConditionExpression: "#status = :running",
          ExpressionAttributeNames: { "#status": "status", "#occurrence": occurrenceKey },
          ExpressionAttributeValues: { ":one": 1, ":now": now, ":due": newDueAt, ":running": "running" },
        },
      },
      { Put: audit.put },
    ];
    // Not synced yet: decide() writes it with the override when it next plans.
    if (occurrence !== undefined) {
      const indexed = occurrence.confirmable === true;
      actions.push({
        Update: {
          TableName: table.name,
          Key: keys.occurrence(instanceId, occurrenceKey),
          UpdateExpression: `SET dueAt = :due${indexed ? ", gsi1pk = :duePartition, gsi1sk = :dueSort" : ""}`,
          ConditionExpression: "#status = :open",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":due": newDueAt,
            ":open": "open",
            ...(indexed ? { ":duePartition": DUE_PARTITION, ":dueSort": dueSort } : {}),
          },
        },
      });
    }
    try {
      await table.transact(actions);
    } catch (err) {
      const outcomes = transactionOutcomes(err);
      if (outcomes?.[0] === "condition") await table.requireRunning(instanceId, "deadline moves", err);
      if (outcomes?.[2] === "condition") {
        throw new ConflictError(`occurrence ${occurrenceKey} of ${instanceId} was confirmed meanwhile`, {
          cause: err,
        });
      }
      throw err;
    }
  });
}

/**
 * An open milestone of an instance that stopped: out of the due index (it is due to nobody), and
 * marked with the instance's status, so its confirm links say why they no longer work.
 */
export async function markStopped(
  table: DynamoTable,
  instanceId: string,
  occurrenceKey: string,
  status: InstanceStatus,
): Promise<void> {
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.occurrence(instanceId, occurrenceKey),
        UpdateExpression: "SET instanceStatus = :status REMOVE gsi1pk, gsi1sk",
        ConditionExpression: "#status = :open",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":status": status, ":open": "open" },
      }),
    );
  } catch (err) {
    // Confirmed meanwhile: a confirmed milestone is not due, and its links say so.
    if (!isConditionFailed(err)) throw err;
  }
}
