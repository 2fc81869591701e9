/** The local outbox's mail in the table, newest first through the list index. */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { ConflictError } from "../errors.ts";
import { keys, LIST, sortableInstant } from "../keys.ts";
import type { OutboxStore } from "../ports.ts";
import type { OutboxRecord, OutboxSummary } from "../records.ts";
import { LIST_INDEX } from "../table.ts";
import { isConditionFailed } from "./sdk-errors.ts";
import { type DynamoTable, strip } from "./table.ts";

export const DEFAULT_OUTBOX_PAGE = 50;

export class DynamoOutboxStore implements OutboxStore {
  constructor(private readonly table: DynamoTable) {}

  async put(record: OutboxRecord): Promise<void> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...keys.outbox(record.messageId),
            entity: "outbox",
            gsi2pk: LIST.outbox,
            gsi2sk: `${sortableInstant(record.at)}#${record.messageId}`,
            ...record,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (err) {
      if (isConditionFailed(err))
        throw new ConflictError(`outbox message ${record.messageId} exists`, { cause: err });
      throw err;
    }
  }

  async list(limit: number = DEFAULT_OUTBOX_PAGE): Promise<OutboxSummary[]> {
    const items = await this.table.queryPage({
      IndexName: LIST_INDEX,
      KeyConditionExpression: "gsi2pk = :kind",
      ExpressionAttributeValues: { ":kind": LIST.outbox },
      ScanIndexForward: false,
      Limit: limit,
    });
    return items.map((item) => strip<OutboxSummary>(item));
  }

  async get(messageId: string): Promise<OutboxRecord | null> {
    const item = await this.table.getItem(keys.outbox(messageId));
    return item === undefined ? null : strip<OutboxRecord>(item);
  }
}
