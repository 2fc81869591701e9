/** Deputies in memory, by scope, with the DynamoDB adapter's conflicts and audit entries. */
import { auditDetails, compareDeputies, endedRecord } from "../deputies.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { type DeputyStore, deputyAuditId } from "../ports.ts";
import type { DeputyRecord, DeputyScope } from "../records.ts";
import { copy, type MemoryTable, turn } from "./table.ts";

export class MemoryDeputyStore implements DeputyStore {
  constructor(private readonly table: MemoryTable) {}

  private scopeMap(scope: DeputyScope): Map<string, DeputyRecord> {
    const id = deputyAuditId(scope);
    let map = this.table.deputies.get(id);
    if (map === undefined) {
      map = new Map();
      this.table.deputies.set(id, map);
    }
    return map;
  }

  async put(record: DeputyRecord): Promise<void> {
    await turn();
    const map = this.scopeMap(record.scope);
    if (map.has(record.deputyId)) throw new ConflictError(`deputy ${record.deputyId} exists`);
    map.set(record.deputyId, copy(record));
    this.table.appendAudit(
      deputyAuditId(record.scope),
      { action: "deputy.set", by: record.createdBy, details: auditDetails(record) },
      this.table.now(),
    );
  }

  async list(scope: DeputyScope): Promise<DeputyRecord[]> {
    await turn();
    const map = this.table.deputies.get(deputyAuditId(scope));
    return map === undefined ? [] : [...map.values()].map(copy).sort(compareDeputies);
  }

  async end(scope: DeputyScope, deputyId: string, lastDay: string, by: string): Promise<DeputyRecord> {
    await turn();
    const before = this.table.deputies.get(deputyAuditId(scope))?.get(deputyId);
    if (before === undefined) throw new NotFoundError("deputy", deputyId);
    const after = endedRecord(before, lastDay, by, this.table.now());
    this.scopeMap(scope).set(deputyId, copy(after));
    this.table.appendAudit(
      deputyAuditId(scope),
      { action: "deputy.ended", by, details: auditDetails(after) },
      this.table.now(),
    );
    return copy(after);
  }
}
