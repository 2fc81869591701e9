/**
 * The access log in DynamoDB: each entry one Put in the partition its case reference, instance or
 * day gives it (keys.ts), with the table's TTL attribute set to its `expiresAt`. Reading a case is
 * one strongly consistent Query; entries past their expiry that the TTL has not removed yet are
 * filtered out, so an export never shows what should be gone.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { AuditKeys, accessLogPartition, accessLogPartitionOf } from "../keys.ts";
import type { AccessLogStore } from "../ports.ts";
import type { AccessLogEntry, AccessLogInput } from "../records.ts";
import { ttlSeconds } from "../state.ts";
import { ttlAttribute } from "../table.ts";
import { type DynamoTable, type Item, strip } from "./table.ts";

export class DynamoAccessLogStore implements AccessLogStore {
  private readonly ids = new AuditKeys();

  constructor(private readonly table: DynamoTable) {}

  async record(input: AccessLogInput): Promise<AccessLogEntry> {
    const entry: AccessLogEntry = { id: this.ids.next(input.at), ...input };
    const { expiresAt, ...rest } = entry;
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          pk: accessLogPartitionOf(input),
          sk: entry.id,
          entity: "access",
          ...rest,
          [ttlAttribute]: expiresAt,
        },
        // The random tail makes a clash practically impossible; the condition makes it certain.
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    return entry;
  }

  forCase(caseRef: string): Promise<AccessLogEntry[]> {
    return this.query(accessLogPartition.case(caseRef));
  }

  forInstance(instanceId: string): Promise<AccessLogEntry[]> {
    return this.query(accessLogPartition.instance(instanceId));
  }

  forDay(day: string): Promise<AccessLogEntry[]> {
    return this.query(accessLogPartition.day(day));
  }

  private async query(pk: string): Promise<AccessLogEntry[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk",
      FilterExpression: "#ttl > :now",
      ExpressionAttributeNames: { "#ttl": ttlAttribute },
      ExpressionAttributeValues: { ":pk": pk, ":now": ttlSeconds(this.table.clock.now()) },
      ConsistentRead: true,
    });
    return items.map(entryOf);
  }
}

function entryOf(item: Item): AccessLogEntry {
  const { [ttlAttribute]: expiresAt, sk, ...rest } = item;
  return {
    ...strip<Omit<AccessLogEntry, "id" | "expiresAt">>(rest),
    id: String(sk),
    expiresAt: Number(expiresAt),
  };
}
