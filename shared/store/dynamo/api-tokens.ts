/**
 * Personal API tokens in their user's partition (`APITOKENS#<userId>`, one item per token id): a
 * request's lookup is one strongly consistent GetItem by key, a user's list one Query. The TTL
 * attribute is the token's end; until DynamoDB removes the item, the caller's check of
 * `validUntil` refuses it.
 */
import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { Temporal } from "../../time/temporal.ts";
import { ConflictError } from "../errors.ts";
import { keys } from "../keys.ts";
import type { ApiTokenStore } from "../ports.ts";
import type { ApiTokenRecord } from "../records.ts";
import { ttlAttribute } from "../table.ts";
import { isConditionFailed } from "./sdk-errors.ts";
import { type DynamoTable, type Item, strip } from "./table.ts";

function recordOf(item: Item): ApiTokenRecord {
  const { [ttlAttribute]: _ttl, ...rest } = item;
  return strip<ApiTokenRecord>(rest);
}

export class DynamoApiTokenStore implements ApiTokenStore {
  constructor(private readonly table: DynamoTable) {}

  async create(record: ApiTokenRecord): Promise<void> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...keys.apiToken(record.userId, record.tokenId),
            entity: "apiToken",
            ...record,
            [ttlAttribute]: Math.ceil(Temporal.Instant.from(record.validUntil).epochMilliseconds / 1000),
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) throw new ConflictError("the API token exists", { cause: err });
      throw err;
    }
  }

  async get(userId: string, tokenId: string): Promise<ApiTokenRecord | null> {
    const item = await this.table.getItem(keys.apiToken(userId, tokenId));
    return item === undefined ? null : recordOf(item);
  }

  async list(userId: string): Promise<ApiTokenRecord[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.apiTokensPartition(userId) },
      ConsistentRead: true,
    });
    return items
      .map(recordOf)
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  }

  async touch(userId: string, tokenId: string, lastUsedAt: string): Promise<boolean> {
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.apiToken(userId, tokenId),
          UpdateExpression: "SET lastUsedAt = :used",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":used": lastUsedAt },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async revoke(userId: string, tokenId: string): Promise<ApiTokenRecord | null> {
    const result = await this.table.doc.send(
      new DeleteCommand({
        TableName: this.table.name,
        Key: keys.apiToken(userId, tokenId),
        ReturnValues: "ALL_OLD",
      }),
    );
    return result.Attributes === undefined ? null : recordOf(result.Attributes);
  }
}
