/**
 * The overview's view of open deadlines: one sparse GSI partition of every open, confirmable
 * milestone, sorted by due instant (see DUE_PARTITION in ../keys.ts for why one partition).
 */
import { DUE_PARTITION, sortableInstant } from "../keys.ts";
import { DUE_ENTRY_FIELDS, type DueEntry, type DueIndex } from "../ports.ts";
import type { MilestoneRecord } from "../records.ts";
import { DUE_INDEX } from "../table.ts";
import { type DynamoTable, strip } from "./table.ts";

export class DynamoDueIndex implements DueIndex {
  constructor(private readonly table: DynamoTable) {}

  async overdue(now: string = this.table.now()): Promise<MilestoneRecord[]> {
    const items = await this.table.queryAll({
      IndexName: DUE_INDEX,
      KeyConditionExpression: "gsi1pk = :due AND gsi1sk < :now",
      ExpressionAttributeValues: { ":due": DUE_PARTITION, ":now": sortableInstant(now) },
    });
    return items.map((item) => strip<MilestoneRecord>(item));
  }

  async dueBetween(from: string, to: string): Promise<MilestoneRecord[]> {
    const items = await this.table.queryAll({
      IndexName: DUE_INDEX,
      // Sort keys are `<instant>#…`, so BETWEEN from AND to takes `from` itself and stops before `to`.
      KeyConditionExpression: "gsi1pk = :due AND gsi1sk BETWEEN :from AND :to",
      ExpressionAttributeValues: {
        ":due": DUE_PARTITION,
        ":from": sortableInstant(from),
        ":to": sortableInstant(to),
      },
    });
    return items.map((item) => strip<MilestoneRecord>(item));
  }

  async entries(from: string | null, to: string): Promise<DueEntry[]> {
    const range =
      from === null
        ? { condition: "gsi1sk < :to", values: { ":to": sortableInstant(to) } }
        : {
            // As dueBetween: `from` itself in, `to` out (sort keys are `<instant>#…`).
            condition: "gsi1sk BETWEEN :from AND :to",
            values: { ":from": sortableInstant(from), ":to": sortableInstant(to) },
          };
    // Attribute names through placeholders: some (status) are reserved words.
    const names = Object.fromEntries(DUE_ENTRY_FIELDS.map((f, i) => [`#f${i}`, f]));
    const items = await this.table.queryAll({
      IndexName: DUE_INDEX,
      KeyConditionExpression: `gsi1pk = :due AND ${range.condition}`,
      ExpressionAttributeValues: { ":due": DUE_PARTITION, ...range.values },
      ExpressionAttributeNames: names,
      ProjectionExpression: Object.keys(names).join(", "),
    });
    return items.map((item) => strip<DueEntry>(item));
  }
}
