/**
 * Pending SAML request ids, one item each (`SAMLREQ#<id>`), removed by the table's TTL some time
 * after they end; until then the stored end decides. Taking one is a conditional delete, so of
 * two servers handed the same response at once only one gets it.
 */
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Temporal } from "../../time/temporal.ts";
import { ConflictError } from "../errors.ts";
import { keys, sortableInstant } from "../keys.ts";
import type { SamlRequestStore } from "../ports.ts";
import { ttlAttribute } from "../table.ts";
import { isConditionFailed } from "./sdk-errors.ts";
import type { DynamoTable } from "./table.ts";

export class DynamoSamlRequestStore implements SamlRequestStore {
  constructor(private readonly table: DynamoTable) {}

  private now(): string {
    return sortableInstant(this.table.now());
  }

  async put(requestId: string, until: string): Promise<void> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...keys.samlRequest(requestId),
            entity: "saml-request",
            until: sortableInstant(until),
            [ttlAttribute]: Math.ceil(Temporal.Instant.from(until).epochMilliseconds / 1000),
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) throw new ConflictError(`SAML request ${requestId} exists`, { cause: err });
      throw err;
    }
  }

  async pending(requestId: string): Promise<boolean> {
    const item = await this.table.getItem(keys.samlRequest(requestId));
    return typeof item?.until === "string" && item.until > this.now();
  }

  async take(requestId: string): Promise<boolean> {
    try {
      await this.table.doc.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: keys.samlRequest(requestId),
          // `until` is written in one fixed-width form, so comparing strings compares instants.
          ConditionExpression: "attribute_exists(pk) AND #until > :now",
          ExpressionAttributeNames: { "#until": "until" },
          ExpressionAttributeValues: { ":now": this.now() },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }
}
