/**
 * The overview's view of open deadlines: one sparse GSI partition of every open, confirmable
 * milestone, sorted by due instant (see DUE_PARTITION in ../keys.ts for why one partition).
 */
import { DUE_PARTITION, sortableInstant } from "../keys.ts";
import type { DueIndex } from "../ports.ts";
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
}
