/** What both deputy adapters do alike: order, ending, and what the audit entry shows. */
import type { DeputyRecord, JsonValue } from "./records.ts";

/** By first day, then id: the order `list` gives. */
export function compareDeputies(a: DeputyRecord, b: DeputyRecord): number {
  const x = `${a.from}#${a.deputyId}`;
  const y = `${b.from}#${b.deputyId}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Both adapters end a deputy the same way: never later than planned. */
export function endedRecord(before: DeputyRecord, lastDay: string, by: string, at: string): DeputyRecord {
  return { ...before, to: lastDay < before.to ? lastDay : before.to, endedAt: at, endedBy: by };
}

/** The audit entry names the deputy by name only: the address is in the record, not the trail. */
export function auditDetails(record: DeputyRecord): { [key: string]: JsonValue } {
  return {
    deputyId: record.deputyId,
    scope: record.scope.kind,
    ...(record.scope.kind === "unit" ? { unitId: record.scope.unitId } : {}),
    deputyName: record.name,
    from: record.from,
    to: record.to,
  };
}
