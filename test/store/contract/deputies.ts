/** The contract of the deputies port: per scope by key, conflicts, ending early, audited. */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../../shared/store/index.ts";
import { deputyAuditId } from "../../../shared/store/ports.ts";
import type { DeputyRecord, DeputyScope } from "../../../shared/store/records.ts";
import { ManualClock } from "../../../shared/time/clock.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

function deputy(scope: DeputyScope, overrides: Partial<DeputyRecord> = {}): DeputyRecord {
  return {
    scope,
    deputyId: randomBytes(6).toString("hex"),
    name: "Dorte Stedfortræder",
    email: "dorte@skole-a.example.dk",
    from: "2024-05-01",
    to: "2024-05-31",
    createdAt: "2024-05-01T06:00:00Z",
    createdBy: "person:abc",
    ...overrides,
  };
}

const fresh = (): DeputyScope => ({ kind: "person", personId: randomBytes(16).toString("base64url") });

export function deputyContract(setup: StoreSetup): void {
  const clock = new ManualClock("2024-05-01T06:00:00Z");
  let table: StoreHarness;

  beforeAll(async () => {
    table = await setup.create(clock);
  });
  afterAll(async () => {
    await table.drop();
  });

  it("keeps deputies per scope, by first day, and audits who set them", async () => {
    // Prepare
    const scope = fresh();
    const unit: DeputyScope = { kind: "unit", unitId: `skole-${randomBytes(3).toString("hex")}` };
    const later = deputy(scope, { from: "2024-07-01", to: "2024-07-31" });
    const sooner = deputy(scope);
    const forUnit = deputy(unit, { createdBy: "user:anna (Anna Administrator)" });
    // Act
    await table.stores.deputies.put(later);
    await table.stores.deputies.put(sooner);
    await table.stores.deputies.put(forUnit);
    // Assess
    expect(await table.stores.deputies.list(scope)).toEqual([sooner, later]);
    expect(await table.stores.deputies.list(unit)).toEqual([forUnit]);
    expect(await table.stores.deputies.list(fresh())).toEqual([]);
    const trail = await table.stores.audit.list(deputyAuditId(unit));
    expect(trail.map((e) => [e.action, e.by, e.details?.deputyName])).toEqual([
      ["deputy.set", "user:anna (Anna Administrator)", "Dorte Stedfortræder"],
    ]);
  });

  it("refuses a second deputy with the same id, writing nothing", async () => {
    // Prepare
    const scope = fresh();
    const first = deputy(scope);
    await table.stores.deputies.put(first);
    // Act
    const second = table.stores.deputies.put({ ...first, name: "Another" });
    // Assess
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    expect(await table.stores.deputies.list(scope)).toEqual([first]);
    expect(await table.stores.audit.list(deputyAuditId(scope))).toHaveLength(1);
  });

  it("ends a deputy early, never later than planned, audited by whom", async () => {
    // Prepare
    const scope = fresh();
    const planned = deputy(scope);
    await table.stores.deputies.put(planned);
    // Act
    const ended = await table.stores.deputies.end(scope, planned.deputyId, "2024-05-10", "person:abc");
    const again = await table.stores.deputies.end(scope, planned.deputyId, "2024-06-30", "person:abc");
    // Assess
    expect(ended).toMatchObject({ to: "2024-05-10", endedBy: "person:abc", endedAt: clock.now().toString() });
    expect(again.to).toBe("2024-05-10");
    expect(await table.stores.deputies.list(scope)).toEqual([again]);
    const actions = (await table.stores.audit.list(deputyAuditId(scope))).map((e) => e.action);
    expect(actions).toEqual(["deputy.set", "deputy.ended", "deputy.ended"]);
  });

  it("says NotFound for ending a deputy that is not there", async () => {
    // Act
    const ending = table.stores.deputies.end(fresh(), "nobody", "2024-05-10", "person:abc");
    // Assess
    await expect(ending).rejects.toBeInstanceOf(NotFoundError);
  });
}
