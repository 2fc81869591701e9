/** Workflow definitions in the table: a head item per workflow (the latest version) and one item per version. */
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { type ErrorCategory, FristflowError } from "../../errors/errors.ts";
import { retry } from "../../retry/retry.ts";
import { ContentionError, NotFoundError } from "../errors.ts";
import { keys, LIST, SK_VERSION_PREFIX } from "../keys.ts";
import {
  latestVersionStays,
  type WorkflowStore,
  type WorkflowVersionSummary,
  workflowAuditId,
} from "../ports.ts";
import type { AuditEntry, NewWorkflowVersion, WorkflowSummary, WorkflowVersionRecord } from "../records.ts";
import { LIST_INDEX } from "../table.ts";
import { transactionOutcomes } from "./sdk-errors.ts";
import { type DynamoTable, strip } from "./table.ts";

const VERSION_ATTEMPTS = 8;

/** Another save took the number this one read: read again and take the next. */
class VersionTaken extends FristflowError {
  readonly category: ErrorCategory = "busy";
}

export class DynamoWorkflowStore implements WorkflowStore {
  constructor(private readonly table: DynamoTable) {}

  /**
   * The version item is written only if absent and the head only if it still names the version
   * this save read, in one transaction; the loser of two concurrent saves reads again.
   */
  async putVersion(input: NewWorkflowVersion): Promise<WorkflowVersionRecord> {
    return retry(() => this.tryPutVersion(input), {
      attempts: VERSION_ATTEMPTS,
      retryIf: (err) => err instanceof VersionTaken,
      baseDelayMs: 10,
      maxDelayMs: 640,
      giveUp: (err, attempts) =>
        new ContentionError(`workflow ${input.workflowId}: ${attempts} concurrent saves in a row`, {
          cause: err instanceof Error ? err.cause : err,
        }),
    });
  }

  private async tryPutVersion(input: NewWorkflowVersion): Promise<WorkflowVersionRecord> {
    const { table } = this;
    const head = await table.getItem(keys.workflowHead(input.workflowId));
    const previous = typeof head?.latestVersion === "number" ? head.latestVersion : 0;
    const record: WorkflowVersionRecord = {
      workflowId: input.workflowId,
      version: previous + 1,
      source: input.source,
      definition: input.definition,
      createdAt: table.now(),
      createdBy: input.createdBy,
    };
    const summary: WorkflowSummary = {
      workflowId: input.workflowId,
      latestVersion: record.version,
      title: input.definition.title,
      latestAt: record.createdAt,
      latestBy: record.createdBy,
    };
    try {
      await table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table.name,
                Item: {
                  ...keys.workflowVersion(record.workflowId, record.version),
                  entity: "workflowVersion",
                  ...record,
                },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              Put: {
                TableName: table.name,
                Item: {
                  ...keys.workflowHead(record.workflowId),
                  entity: "workflow",
                  gsi2pk: LIST.workflows,
                  gsi2sk: record.workflowId,
                  ...summary,
                },
                ...(previous === 0
                  ? { ConditionExpression: "attribute_not_exists(pk)" }
                  : {
                      ConditionExpression: "latestVersion = :previous",
                      ExpressionAttributeValues: { ":previous": previous },
                    }),
              },
            },
          ],
        }),
      );
      return record;
    } catch (err) {
      const outcomes = transactionOutcomes(err);
      // Losing to another save shows up as a false condition or a transaction conflict; both mean "read again".
      if (outcomes === undefined || outcomes.includes("other")) throw err;
      throw new VersionTaken(`version ${record.version} of ${input.workflowId} was taken`, { cause: err });
    }
  }

  async get(workflowId: string, version?: number): Promise<WorkflowVersionRecord | null> {
    if (version !== undefined) {
      const item = await this.table.getItem(keys.workflowVersion(workflowId, version));
      return item === undefined ? null : strip<WorkflowVersionRecord>(item);
    }
    const [item] = await this.table.queryPage({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": keys.workflowHead(workflowId).pk, ":prefix": SK_VERSION_PREFIX },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    });
    return item === undefined ? null : strip<WorkflowVersionRecord>(item);
  }

  async list(): Promise<WorkflowSummary[]> {
    const items = await this.table.queryAll({
      IndexName: LIST_INDEX,
      KeyConditionExpression: "gsi2pk = :kind",
      ExpressionAttributeValues: { ":kind": LIST.workflows },
    });
    return items.map((item) => strip<WorkflowSummary>(item));
  }

  async listVersions(workflowId: string): Promise<WorkflowVersionSummary[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": keys.workflowHead(workflowId).pk, ":prefix": SK_VERSION_PREFIX },
      ProjectionExpression: "workflowId, version, createdAt, createdBy",
    });
    return items as unknown as WorkflowVersionSummary[];
  }

  /**
   * One transaction: the version item goes (it must exist), the head must name a later version
   * (the latest stays, so numbers are never reused), and the audit entry is written.
   */
  async deleteVersion(workflowId: string, version: number, by: string, reason?: string): Promise<AuditEntry> {
    const { table } = this;
    const audit = table.auditItem(
      workflowAuditId(workflowId),
      {
        action: "workflow.version.deleted",
        by,
        details: { workflowId, version, ...(reason === undefined ? {} : { reason }) },
      },
      table.now(),
    );
    try {
      await table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: table.name,
                Key: keys.workflowVersion(workflowId, version),
                ConditionExpression: "attribute_exists(pk)",
              },
            },
            {
              ConditionCheck: {
                TableName: table.name,
                Key: keys.workflowHead(workflowId),
                ConditionExpression: "latestVersion > :version",
                ExpressionAttributeValues: { ":version": version },
              },
            },
            { Put: audit.put },
          ],
        }),
      );
      return audit.entry;
    } catch (err) {
      const outcomes = transactionOutcomes(err);
      if (outcomes === undefined || outcomes.includes("other")) throw err;
      if (outcomes[0] === "condition")
        throw new NotFoundError("workflow version", `${workflowId}@${version}`);
      if (outcomes[1] === "condition") throw latestVersionStays(workflowId, version);
      throw new ContentionError(
        `workflow ${workflowId}: another change of version ${version} at the same time`,
        {
          cause: err,
        },
      );
    }
  }
}
