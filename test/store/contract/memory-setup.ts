import { MemoryTable, memoryStores } from "../../../shared/store/memory/index.ts";
import type { StoreSetup } from "./setup.ts";

export const memorySetup: StoreSetup = {
  create: async (clock) => {
    const table = new MemoryTable(clock);
    return {
      stores: memoryStores(clock, table),
      storesWith: (other) => memoryStores(other, table.withClock(other)),
      drop: async () => undefined,
    };
  },
};
