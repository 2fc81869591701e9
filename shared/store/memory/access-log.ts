/** The access log in memory, keyed and filtered as the DynamoDB adapter does. */
import { AuditKeys, accessLogPartition, accessLogPartitionOf } from "../keys.ts";
import type { AccessLogStore } from "../ports.ts";
import type { AccessLogEntry, AccessLogInput } from "../records.ts";
import { expired, ttlSeconds } from "../state.ts";
import { copy, type MemoryTable, turn } from "./table.ts";

export class MemoryAccessLogStore implements AccessLogStore {
  private readonly ids = new AuditKeys();

  constructor(private readonly table: MemoryTable) {}

  async record(input: AccessLogInput): Promise<AccessLogEntry> {
    await turn();
    const entry: AccessLogEntry = copy({ id: this.ids.next(input.at), ...input });
    const pk = accessLogPartitionOf(input);
    const entries = this.table.accessLog.get(pk) ?? [];
    entries.push(entry);
    entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.table.accessLog.set(pk, entries);
    return copy(entry);
  }

  forCase(caseRef: string): Promise<AccessLogEntry[]> {
    return this.read(accessLogPartition.case(caseRef));
  }

  forInstance(instanceId: string): Promise<AccessLogEntry[]> {
    return this.read(accessLogPartition.instance(instanceId));
  }

  forDay(day: string): Promise<AccessLogEntry[]> {
    return this.read(accessLogPartition.day(day));
  }

  private async read(pk: string): Promise<AccessLogEntry[]> {
    await turn();
    const now = ttlSeconds(this.table.clock.now());
    return (this.table.accessLog.get(pk) ?? []).filter((e) => !expired(e.expiresAt, now)).map(copy);
  }
}
