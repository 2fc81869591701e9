import { ConflictError } from "../errors.ts";
import { sortableInstant } from "../keys.ts";
import type { AuditLog, OutboxStore } from "../ports.ts";
import type { AuditEntry, AuditInput, OutboxRecord, OutboxSummary } from "../records.ts";
import { expired, mergeTrail, onceAuditId, onceAuditSuffix, ttlSeconds } from "../state.ts";
import { byKey, copy, type MemoryTable, turn } from "./table.ts";

const DEFAULT_OUTBOX_PAGE = 50;

export class MemoryAuditLog implements AuditLog {
  constructor(private readonly table: MemoryTable) {}

  async append(instanceId: string, input: AuditInput): Promise<AuditEntry> {
    await turn();
    return this.table.appendAudit(instanceId, input, this.table.now());
  }

  async appendOnce(instanceId: string, onceKey: string, at: string, input: AuditInput): Promise<void> {
    await turn();
    const id = onceAuditId(at, onceKey);
    const trail = this.table.audit.get(instanceId) ?? [];
    if (trail.some((e) => e.id === id)) return;
    trail.push(copy({ instanceId, id, at, ...input }));
    trail.sort(byKey((e) => e.id));
    this.table.audit.set(instanceId, trail);
  }

  async onceDate(instanceId: string, onceKey: string): Promise<string | null> {
    await turn();
    const suffix = onceAuditSuffix(onceKey);
    const entry = (this.table.audit.get(instanceId) ?? []).find((e) => e.id.endsWith(suffix));
    return entry?.at ?? null;
  }

  async list(instanceId: string): Promise<AuditEntry[]> {
    await turn();
    const now = ttlSeconds(this.table.clock.now());
    const written = (this.table.audit.get(instanceId) ?? [])
      .filter((e) => !expired(e.expiresAt, now))
      .map(copy);
    return mergeTrail(written, [...this.table.notificationsOf(instanceId).values()].map(copy));
  }
}

export class MemoryOutboxStore implements OutboxStore {
  constructor(private readonly table: MemoryTable) {}

  async put(record: OutboxRecord): Promise<void> {
    await turn();
    if (this.table.outbox.has(record.messageId))
      throw new ConflictError(`outbox message ${record.messageId} exists`);
    this.table.outbox.set(record.messageId, copy(record));
  }

  async list(limit: number = DEFAULT_OUTBOX_PAGE): Promise<OutboxSummary[]> {
    await turn();
    return [...this.table.outbox.values()]
      .sort(byKey((m) => `${sortableInstant(m.at)}#${m.messageId}`, true))
      .slice(0, limit)
      .map(({ raw: _raw, ...summary }) => copy(summary));
  }

  async get(messageId: string): Promise<OutboxRecord | null> {
    await turn();
    const record = this.table.outbox.get(messageId);
    return record === undefined ? null : copy(record);
  }
}
