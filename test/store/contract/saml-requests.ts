/** The contract of the pending SAML requests port: remembered until their end, used up once. */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ConflictError } from "../../../shared/store/index.ts";
import { ManualClock } from "../../../shared/time/clock.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

function newId(): string {
  return `_${randomBytes(20).toString("hex")}`;
}

export function samlRequestContract(setup: StoreSetup): void {
  const clock = new ManualClock("2024-05-01T06:00:00Z");
  let table: StoreHarness;

  beforeAll(async () => {
    table = await setup.create(clock);
  });
  afterAll(async () => {
    await table.drop();
  });

  it("remembers a request until its end, and refuses the same id twice", async () => {
    // Prepare
    const id = newId();
    // Act
    await table.stores.samlRequests.put(id, "2024-05-01T06:10:00Z");
    // Assess
    expect(await table.stores.samlRequests.pending(id)).toBe(true);
    expect(await table.stores.samlRequests.pending(newId())).toBe(false);
    await expect(table.stores.samlRequests.put(id, "2024-05-01T06:10:00Z")).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it("lets exactly one of many concurrent callers take a request, and nobody after", async () => {
    // Prepare
    const id = newId();
    await table.stores.samlRequests.put(id, "2024-05-01T06:10:00Z");
    // Act
    const taken = await Promise.all(Array.from({ length: 5 }, () => table.stores.samlRequests.take(id)));
    // Assess
    expect(taken.filter((t) => t)).toHaveLength(1);
    expect(await table.stores.samlRequests.take(id)).toBe(false);
    expect(await table.stores.samlRequests.pending(id)).toBe(false);
  });

  it("gives nothing for a request past its end, on any server's clock", async () => {
    // Prepare
    const id = newId();
    await table.stores.samlRequests.put(id, "2024-05-01T06:10:00.000Z");
    const later = table.storesWith(new ManualClock("2024-05-01T06:10:00Z"));
    // Act
    const pendingLater = await later.samlRequests.pending(id);
    const takenLater = await later.samlRequests.take(id);
    // Assess
    expect(pendingLater).toBe(false);
    expect(takenLater).toBe(false);
    expect(await table.stores.samlRequests.take(newId())).toBe(false);
  });
}
