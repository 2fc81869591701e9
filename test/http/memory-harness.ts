/**
 * The HTTP app served for real (Node, port 0, 127.0.0.1) over the in-memory store adapters, which
 * pass the same contract suite as the DynamoDB ones (test/store/contract/): the harness of
 * test/http/harness.ts without Java, for unit tests of what the app answers and whether it stored
 * anything (`snapshot()` dumps every map of the in-memory table, in key order).
 */
import { ManualClock } from "../../shared/time/clock.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import { type AppHarness, startAppHarness } from "./app-harness.ts";

export type MemoryHarness = AppHarness<MemoryTestTable>;

export async function startMemoryHarness(start = "2024-05-01T06:00:00Z"): Promise<MemoryHarness> {
  const clock = new ManualClock(start);
  const table = await createMemoryTable({ clock });
  return startAppHarness(clock, table, (t) => t.snapshot());
}
