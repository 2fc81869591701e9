/** Confirm links in the table, each its own item with a TTL. */
import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ConflictError, NotFoundError } from "../errors.ts";
import { keys } from "../keys.ts";
import type { LinkStore } from "../ports.ts";
import type { LinkUseResult, StoredLink } from "../records.ts";
import { isConditionFailed } from "./sdk-errors.ts";
import { type DynamoTable, strip } from "./table.ts";

export class DynamoLinkStore implements LinkStore {
  constructor(private readonly table: DynamoTable) {}

  async put(link: StoredLink): Promise<StoredLink> {
    const record: StoredLink = { ...link, createdAt: link.createdAt ?? this.table.now() };
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...keys.link(link.id), entity: "link", ...record },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) throw new ConflictError(`link ${link.id} already exists`, { cause: err });
      throw err;
    }
    return record;
  }

  /** TTL deletion lags (up to days), so an expired link can still be returned. */
  async get(linkId: string): Promise<StoredLink | null> {
    const item = await this.table.getItem(keys.link(linkId));
    return item === undefined ? null : strip<StoredLink>(item);
  }

  async markUsed(linkId: string, at: string = this.table.now()): Promise<LinkUseResult> {
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.link(linkId),
          UpdateExpression: "SET usedAt = :at",
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(usedAt)",
          ExpressionAttributeValues: { ":at": at },
        }),
      );
      return { status: "used" };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const link = await this.get(linkId);
      if (link === null) throw new NotFoundError("link", linkId, { cause: err });
      return { status: "already", at: String(link.usedAt) };
    }
  }
}
