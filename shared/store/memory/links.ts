import { ConflictError, NotFoundError } from "../errors.ts";
import { sortableInstant } from "../keys.ts";
import type { AuditLog, LinkStore, OutboxStore } from "../ports.ts";
import type {
  AuditEntry,
  AuditInput,
  LinkUseResult,
  OutboxRecord,
  OutboxSummary,
  StoredLink,
} from "../records.ts";
import { byKey, copy, type MemoryTable, turn } from "./table.ts";

const DEFAULT_OUTBOX_PAGE = 50;

export class MemoryLinkStore implements LinkStore {
  constructor(private readonly table: MemoryTable) {}

  async put(link: StoredLink): Promise<StoredLink> {
    await turn();
    if (this.table.links.has(link.id)) throw new ConflictError(`link ${link.id} already exists`);
    const record: StoredLink = copy({ ...link, createdAt: link.createdAt ?? this.table.now() });
    this.table.links.set(link.id, record);
    return copy(record);
  }

  async get(linkId: string): Promise<StoredLink | null> {
    await turn();
    const link = this.table.links.get(linkId);
    return link === undefined ? null : copy(link);
  }

  async markUsed(linkId: string, at: string = this.table.now()): Promise<LinkUseResult> {
    await turn();
    const link = this.table.links.get(linkId);
    if (link === undefined) throw new NotFoundError("link", linkId);
    if (link.usedAt !== undefined) return { status: "already", at: link.usedAt };
    link.usedAt = at;
    return { status: "used" };
  }
}

export class MemoryAuditLog implements AuditLog {
  constructor(private readonly table: MemoryTable) {}

  async append(instanceId: string, input: AuditInput): Promise<AuditEntry> {
    await turn();
    return this.table.appendAudit(instanceId, input, this.table.now());
  }

  async list(instanceId: string): Promise<AuditEntry[]> {
    await turn();
    return (this.table.audit.get(instanceId) ?? []).map(copy);
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
