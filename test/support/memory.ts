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
  drop(): Promise<void>;
}

export async function createMemoryTable(options: { clock?: Clock } = {}): Promise<MemoryTestTable> {
  const clock = options.clock ?? systemClock;
  const table = new MemoryTable(clock);
  return {
    stores: memoryStores(clock, table),
    storesWith: (other) => memoryStores(other, table.withClock(other)),
    drop: async () => undefined,
  };
}
