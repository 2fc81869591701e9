/**
 * Failed-attempt counters: one item per key and fixed window (`ATTEMPTS#<key>` / window start),
 * counted with one atomic ADD, so every Lambda container counts into the same number. The TTL
 * attribute is set on the first attempt of the window and removes the counter after it.
 */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "../keys.ts";
import type { AttemptStore } from "../ports.ts";
import { ttlAttribute } from "../table.ts";
import type { DynamoTable } from "./table.ts";

export class DynamoAttemptStore implements AttemptStore {
  constructor(private readonly table: DynamoTable) {}

  async add(key: string, windowStart: string, expiresAt: number): Promise<number> {
    const result = await this.table.doc.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.attempt(key, windowStart),
        UpdateExpression: "ADD #count :one SET #ttl = if_not_exists(#ttl, :ttl), entity = :entity",
        ExpressionAttributeNames: { "#count": "count", "#ttl": ttlAttribute },
        ExpressionAttributeValues: { ":one": 1, ":ttl": expiresAt, ":entity": "attempts" },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    const count = result.Attributes?.count;
    return typeof count === "number" ? count : 1;
  }

  async counts(wanted: readonly string[], windowStart: string): Promise<number[]> {
    if (wanted.length === 0) return [];
    const unique = [...new Set(wanted)];
    const items = await this.table.getItems(
      unique.map((key) => keys.attempt(key, windowStart)),
      { expression: "pk, #count", names: { "#count": "count" } },
    );
    const found = new Map<string, number>();
    for (const item of items) {
      if (typeof item.count === "number") found.set(String(item.pk), item.count);
    }
    return wanted.map((key) => found.get(keys.attempt(key, windowStart).pk) ?? 0);
  }
}
