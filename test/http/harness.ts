/**
 * The HTTP app served for real (Node, port 0) over a real DynamoDB Local table, with recording
 * stand-ins for Step Functions (signaller, starter) and the logger. Tests talk to it with fetch.
 * The store-agnostic part (the app, the server, the helpers) is test/http/app-harness.ts; the same
 * app over the in-memory stores, for unit tests, is test/http/memory-harness.ts.
 */

import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { AttemptLimits } from "../../shared/app/attempt-policy.ts";
import type { MailTransport } from "../../shared/mail/transport.ts";
import type { GroupRoles } from "../../shared/model/group-roles.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createTestTable, type TestTable } from "../support/dynamodb.ts";
import { type AppHarness, startAppHarness } from "./app-harness.ts";

export {
  ADMIN_TOKEN,
  confirmUrl,
  instanceWithLinks,
  LINK_KEY,
  type LogEntry,
  park,
  postOversized,
  pressConfirm,
  required,
  TEST_USERS,
  testWorkflow,
  UNITS,
  WORKFLOW_YAML,
} from "./app-harness.ts";

export type Harness = AppHarness<TestTable>;

export async function startHarness(
  start = "2024-05-01T06:00:00Z",
  options: {
    people?: boolean;
    groupRoles?: GroupRoles;
    attemptLimits?: AttemptLimits;
    mailTransport?: MailTransport;
  } = {},
): Promise<Harness> {
  const clock = new ManualClock(start);
  const table = await createTestTable({ clock });
  return startAppHarness(clock, table, snapshot, options);
}

/**
 * Every item in the table, in key order: "nothing changed" means this is equal before and after.
 * Failed-attempt counters are left out: counting a refusal is the one write a refusal makes.
 */
export async function snapshot(table: TestTable): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new ScanCommand({
        TableName: table.tableName,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []).filter((item) => !String(item.pk).startsWith("ATTEMPTS#")));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  const key = (item: Record<string, unknown>) => `${String(item.pk)}\u0000${String(item.sk)}`;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
