/** The in-memory adapters of every port, on one shared MemoryTable: for unit tests and tools without Java. */
import type { Clock } from "../../time/clock.ts";
import type { Stores } from "../ports.ts";
import { MemoryAccessLogStore } from "./access-log.ts";
import { MemoryAuditLog, MemoryOutboxStore } from "./audit-outbox.ts";
import { MemoryDeputyStore } from "./deputies.ts";
import { MemoryDueIndex, MemoryInstanceStore, MemoryTaskTokenStore } from "./instances.ts";
import { MemoryNotificationStore } from "./notifications.ts";
import { MemorySamlRequestStore } from "./saml-requests.ts";
import { MemoryApiTokenStore, MemoryAttemptStore } from "./security.ts";
import { MemoryTable } from "./table.ts";
import { MemorySessionStore, MemoryUserStore } from "./users.ts";
import { MemoryUnitStore, MemoryWorkflowStore } from "./workflows.ts";

export { MemoryTable } from "./table.ts";

export function memoryStores(clock: Clock, table: MemoryTable = new MemoryTable(clock)): Stores {
  return {
    workflows: new MemoryWorkflowStore(table),
    units: new MemoryUnitStore(table),
    instances: new MemoryInstanceStore(table),
    tokens: new MemoryTaskTokenStore(table),
    dueIndex: new MemoryDueIndex(table),
    notifications: new MemoryNotificationStore(table),
    audit: new MemoryAuditLog(table),
    outbox: new MemoryOutboxStore(table),
    users: new MemoryUserStore(table),
    sessions: new MemorySessionStore(table),
    samlRequests: new MemorySamlRequestStore(table),
    apiTokens: new MemoryApiTokenStore(table),
    attempts: new MemoryAttemptStore(table),
    accessLog: new MemoryAccessLogStore(table),
    deputies: new MemoryDeputyStore(table),
  };
}
