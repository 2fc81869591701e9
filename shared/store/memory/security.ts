/** Personal API tokens and failed-attempt counters in memory, with the DynamoDB adapters' behaviour. */
import { ConflictError } from "../errors.ts";
import { sortableInstant } from "../keys.ts";
import type { ApiTokenStore, AttemptStore } from "../ports.ts";
import type { ApiTokenRecord } from "../records.ts";
import { byKey, copy, type MemoryTable, turn } from "./table.ts";

export class MemoryApiTokenStore implements ApiTokenStore {
  constructor(private readonly table: MemoryTable) {}

  async create(record: ApiTokenRecord): Promise<void> {
    await turn();
    const tokens = this.table.apiTokensOf(record.userId);
    if (tokens.has(record.tokenId)) throw new ConflictError("the API token exists");
    tokens.set(record.tokenId, copy(record));
  }

  async get(userId: string, tokenId: string): Promise<ApiTokenRecord | null> {
    await turn();
    const token = this.table.apiTokensOf(userId).get(tokenId);
    return token === undefined ? null : copy(token);
  }

  async list(userId: string): Promise<ApiTokenRecord[]> {
    await turn();
    return [...this.table.apiTokensOf(userId).values()].sort(byKey((t) => t.createdAt)).map(copy);
  }

  async touch(userId: string, tokenId: string, lastUsedAt: string): Promise<boolean> {
    await turn();
    const token = this.table.apiTokensOf(userId).get(tokenId);
    if (token === undefined) return false;
    token.lastUsedAt = lastUsedAt;
    return true;
  }

  async revoke(userId: string, tokenId: string): Promise<ApiTokenRecord | null> {
    await turn();
    const tokens = this.table.apiTokensOf(userId);
    const token = tokens.get(tokenId);
    tokens.delete(tokenId);
    return token === undefined ? null : copy(token);
  }
}

export class MemoryAttemptStore implements AttemptStore {
  constructor(private readonly table: MemoryTable) {}

  private slot(key: string, windowStart: string): string {
    return `${key}\u0000${sortableInstant(windowStart)}`;
  }

  async add(key: string, windowStart: string, _expiresAt: number): Promise<number> {
    await turn();
    const slot = this.slot(key, windowStart);
    const count = (this.table.attempts.get(slot) ?? 0) + 1;
    this.table.attempts.set(slot, count);
    return count;
  }

  async counts(keys: readonly string[], windowStart: string): Promise<number[]> {
    await turn();
    return keys.map((key) => this.table.attempts.get(this.slot(key, windowStart)) ?? 0);
  }
}
