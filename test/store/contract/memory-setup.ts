import { createMemoryTable } from "../../support/memory.ts";
import type { StoreSetup } from "./setup.ts";

export const memorySetup: StoreSetup = { create: (clock) => createMemoryTable({ clock }) };
