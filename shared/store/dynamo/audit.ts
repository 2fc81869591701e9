/** The audit trail in the table: a partition per instance, apart from the instance's own, so it never slows loading one. */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "../keys.ts";
import type { AuditLog } from "../ports.ts";
import type { AuditEntry, AuditInput } from "../records.ts";
import { type DynamoTable, strip } from "./table.ts";

export class DynamoAuditLog implements AuditLog {
  constructor(private readonly table: DynamoTable) {}

  /** Entries are never changed or removed. */
  async append(instanceId: string, input: AuditInput): Promise<AuditEntry> {
    const audit = this.table.auditItem(instanceId, input, this.table.now());
    await this.table.doc.send(new PutCommand(audit.put));
    return audit.entry;
  }

  async list(instanceId: string): Promise<AuditEntry[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.auditPartition(instanceId) },
    });
    return items.map((item) => ({ ...strip<Omit<AuditEntry, "id">>(item), id: String(item.sk) }));
  }
}
