/** The contract of a user's grants: stored sorted on the user, audited with before and after, nothing else changed. */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { NotFoundError } from "../../../shared/store/index.ts";
import { userAuditId } from "../../../shared/store/ports.ts";
import type { UserInput } from "../../../shared/store/records.ts";
import { ManualClock } from "../../../shared/time/clock.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

function caseworker(): UserInput {
  const id = `cw-${randomBytes(4).toString("hex")}`;
  return {
    userId: id,
    name: "Casper Sagsbehandler",
    email: `${id}@kommune.example.dk`,
    roles: ["caseworker"],
    active: true,
    updatedBy: "test",
  };
}

export function userGrantsContract(setup: StoreSetup): void {
  const clock = new ManualClock("2024-05-01T06:00:00Z");
  let table: StoreHarness;

  beforeAll(async () => {
    table = await setup.create(clock);
  });
  afterAll(async () => {
    await table.drop();
  });

  it("a new user has no grants; setting them stores them sorted, each once, and audits before and after", async () => {
    // Prepare
    const input = caseworker();
    const created = await table.stores.users.create(input);
    expect(created.grants ?? []).toEqual([]);
    // Act
    clock.advance("PT1M");
    const first = await table.stores.users.setGrants(
      input.userId,
      ["underretning", "ansoegning", "underretning"],
      "user:anna (Anna)",
    );
    clock.advance("PT1M");
    const second = await table.stores.users.setGrants(input.userId, ["ansoegning"], "user:anna (Anna)");
    // Assess
    expect(first).toMatchObject({ before: [], after: ["ansoegning", "underretning"] });
    expect(second).toMatchObject({ before: ["ansoegning", "underretning"], after: ["ansoegning"] });
    const stored = await table.stores.users.get(input.userId);
    expect(stored).toMatchObject({
      name: input.name,
      email: input.email,
      roles: ["caseworker"],
      active: true,
      grants: ["ansoegning"],
      updatedBy: "user:anna (Anna)",
      updatedAt: "2024-05-01T06:02:00Z",
    });
    const trail = await table.stores.audit.list(userAuditId(input.userId));
    expect(trail.map((e) => [e.action, e.by, e.details])).toEqual([
      ["user.grants.changed", "user:anna (Anna)", { before: [], after: ["ansoegning", "underretning"] }],
      [
        "user.grants.changed",
        "user:anna (Anna)",
        { before: ["ansoegning", "underretning"], after: ["ansoegning"] },
      ],
    ]);
    expect(trail[1]).toEqual(second.entry);
  });

  it("an update of name, roles and e-mail keeps the grants", async () => {
    // Prepare
    const input = caseworker();
    await table.stores.users.create(input);
    await table.stores.users.setGrants(input.userId, ["underretning"], "test");
    // Act
    const { after } = await table.stores.users.update({
      ...input,
      name: "Casper Nyt Navn",
      roles: ["caseworker", "viewer"],
    });
    // Assess
    expect(after.grants).toEqual(["underretning"]);
    expect((await table.stores.users.get(input.userId))?.grants).toEqual(["underretning"]);
  });

  it("refuses grants for an unknown user and writes no audit entry", async () => {
    // Act
    const refused = table.stores.users.setGrants("nobody-here", ["underretning"], "test");
    // Assess
    await expect(refused).rejects.toBeInstanceOf(NotFoundError);
    expect(await table.stores.audit.list(userAuditId("nobody-here"))).toEqual([]);
    expect(await table.stores.users.get("nobody-here")).toBeNull();
  });
}
