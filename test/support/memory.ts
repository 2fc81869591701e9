/**
 * Unit-test stores: every port on the in-memory adapters, which pass the same contract suite as
 * the DynamoDB ones (test/store/contract/). Same shape as the DynamoDB test table, without Java.
 */
import { MemoryTable, memoryStores } from "../../shared/store/memory/index.ts";
import type { Stores } from "../../shared/store/ports.ts";
import { type Clock, systemClock } from "../../shared/time/clock.ts";

export interface MemoryTestTable {
  stores: Stores;
  /** The same data seen with another clock (e.g. a second worker). */
  storesWith(clock: Clock): Stores;
  /**
   * Everything stored, one row per record in key order, deep-copied: "nothing changed" means this
   * is equal before and after, as a full scan is for the DynamoDB table.
   */
  snapshot(): Promise<MemoryRow[]>;
  drop(): Promise<void>;
}

/** One stored record: which map it is in and under which keys (the item's pk and sk, so to say). */
export interface MemoryRow {
  key: string[];
  value: unknown;
}

export async function createMemoryTable(options: { clock?: Clock } = {}): Promise<MemoryTestTable> {
  const clock = options.clock ?? systemClock;
  const table = new MemoryTable(clock);
  return {
    stores: memoryStores(clock, table),
    storesWith: (other) => memoryStores(other, table.withClock(other)),
    snapshot: async () => memorySnapshot(table),
    drop: async () => undefined,
  };
}

/**
 * Every map of the table, flattened to rows: a nested map (milestones and notifications by
 * instance) gives one row per record, so an empty one a read left behind counts as nothing, as
 * in DynamoDB, where there is no item for it.
 */
export function memorySnapshot(table: MemoryTable): MemoryRow[] {
  const maps = {
    workflows: table.workflows,
    units: table.units,
    instances: table.instances,
    milestones: table.milestones,
    notifications: table.notifications,
    audit: table.audit,
    outbox: table.outbox,
    deputies: table.deputies,
  } satisfies Record<string, Map<string, unknown>>;
  const rows: MemoryRow[] = [];
  const flatten = (key: string[], value: unknown): void => {
    if (value instanceof Map) {
      for (const [k, v] of value) flatten([...key, String(k)], v);
    } else {
      rows.push({ key, value: JSON.parse(JSON.stringify(value)) as unknown });
    }
  };
  for (const [name, map] of Object.entries(maps)) flatten([name], map);
  const sortKey = (row: MemoryRow) => row.key.join("\u0000");
  return rows.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}
