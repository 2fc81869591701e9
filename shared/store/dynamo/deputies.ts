/**
 * Deputies in their scope's partition: `DEPUTIES#person#<personId>` or `DEPUTIES#unit#<unitId>`,
 * sort key `DEPUTY#<deputyId>`. What the notify step needs of a recipient (their own deputies and
 * their unit's) is two strongly consistent Queries by key, never a scan. Each write carries its
 * audit entry in one transaction.
 */
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { auditDetails, compareDeputies, endedRecord } from "../deputies.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import type { ItemKey } from "../keys.ts";
import { type Consistency, type DeputyStore, deputyAuditId } from "../ports.ts";
import type { DeputyRecord, DeputyScope } from "../records.ts";
import { transactionOutcomes } from "./sdk-errors.ts";
import { type DynamoTable, strip } from "./table.ts";

const SK_PREFIX = "DEPUTY#";

function partition(scope: DeputyScope): string {
  return scope.kind === "person" ? `DEPUTIES#person#${scope.personId}` : `DEPUTIES#unit#${scope.unitId}`;
}

function key(scope: DeputyScope, deputyId: string): ItemKey {
  return { pk: partition(scope), sk: `${SK_PREFIX}${deputyId}` };
}

export class DynamoDeputyStore implements DeputyStore {
  constructor(private readonly table: DynamoTable) {}

  async put(record: DeputyRecord): Promise<void> {
    const { table } = this;
    const audit = table.auditItem(
      deputyAuditId(record.scope),
      { action: "deputy.set", by: record.createdBy, details: auditDetails(record) },
      table.now(),
    );
    try {
      await table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table.name,
                Item: { ...key(record.scope, record.deputyId), entity: "deputy", ...record },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            { Put: audit.put },
          ],
        }),
      );
    } catch (err) {
      if (transactionOutcomes(err)?.[0] === "condition") {
        throw new ConflictError(`deputy ${record.deputyId} exists`, { cause: err });
      }
      throw err;
    }
  }

  async list(scope: DeputyScope, consistency: Consistency = "strong"): Promise<DeputyRecord[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": partition(scope), ":prefix": SK_PREFIX },
      ConsistentRead: consistency === "strong",
    });
    return items.map((item) => strip<DeputyRecord>(item)).sort(compareDeputies);
  }

  async end(scope: DeputyScope, deputyId: string, lastDay: string, by: string): Promise<DeputyRecord> {
    const { table } = this;
    const item = await table.getItem(key(scope, deputyId));
    if (item === undefined) throw new NotFoundError("deputy", deputyId);
    const before = strip<DeputyRecord>(item);
    const after = endedRecord(before, lastDay, by, table.now());
    const audit = table.auditItem(
      deputyAuditId(scope),
      { action: "deputy.ended", by, details: auditDetails(after) },
      table.now(),
    );
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table.name,
              Item: { ...key(scope, deputyId), entity: "deputy", ...after },
              // Ended by a write in between: that one's `to` stands only if it is earlier.
              ConditionExpression: "attribute_exists(pk) AND #to = :before",
              ExpressionAttributeNames: { "#to": "to" },
              ExpressionAttributeValues: { ":before": before.to },
            },
          },
          { Put: audit.put },
        ],
      }),
    );
    return after;
  }
}
