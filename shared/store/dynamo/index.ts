/** The DynamoDB adapters of every port, on one table. */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Clock } from "../../time/clock.ts";
import type { Stores } from "../ports.ts";
import { DynamoAccessLogStore } from "./access-log.ts";
import { DynamoApiTokenStore } from "./api-tokens.ts";
import { DynamoAttemptStore } from "./attempts.ts";
import { DynamoAuditLog } from "./audit.ts";
import { DynamoDeputyStore } from "./deputies.ts";
import { DynamoDueIndex } from "./due-index.ts";
import { DynamoInstanceStore } from "./instances.ts";
import { DynamoNotificationStore } from "./notifications.ts";
import { DynamoOutboxStore } from "./outbox.ts";
import { DynamoSamlRequestStore } from "./saml-requests.ts";
import { DynamoSessionStore } from "./sessions.ts";
import { DynamoTable } from "./table.ts";
import { DynamoTaskTokenStore } from "./tokens.ts";
import { DynamoUnitStore } from "./units.ts";
import { DynamoUserStore } from "./users.ts";
import { DynamoWorkflowStore } from "./workflows.ts";

export { DynamoTable } from "./table.ts";

export function dynamoStores(doc: DynamoDBDocumentClient, tableName: string, clock: Clock): Stores {
  const table = new DynamoTable(doc, tableName, clock);
  return {
    workflows: new DynamoWorkflowStore(table),
    units: new DynamoUnitStore(table),
    instances: new DynamoInstanceStore(table),
    tokens: new DynamoTaskTokenStore(table),
    dueIndex: new DynamoDueIndex(table),
    notifications: new DynamoNotificationStore(table),
    audit: new DynamoAuditLog(table),
    outbox: new DynamoOutboxStore(table),
    users: new DynamoUserStore(table),
    sessions: new DynamoSessionStore(table),
    samlRequests: new DynamoSamlRequestStore(table),
    apiTokens: new DynamoApiTokenStore(table),
    attempts: new DynamoAttemptStore(table),
    accessLog: new DynamoAccessLogStore(table),
    deputies: new DynamoDeputyStore(table),
  };
}
