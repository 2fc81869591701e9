/**
 * What the store contract suite runs on: a fresh set of stores (all ports) per suite, from one of
 * the adapters. The suite is the same for both; only the setup differs.
 */
import type { Stores } from "../../../shared/store/ports.ts";
import type { Clock } from "../../../shared/time/clock.ts";

export interface StoreHarness {
  stores: Stores;
  /** The same data seen with another clock (e.g. a second worker). */
  storesWith(clock: Clock): Stores;
  drop(): Promise<void>;
}

export interface StoreSetup {
  create(clock: Clock): Promise<StoreHarness>;
}
