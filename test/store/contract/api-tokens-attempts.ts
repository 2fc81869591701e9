/** The contract of the API tokens and attempts ports: tokens by key per user, revocation, counters per window. */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError } from "../../../shared/store/index.ts";
import type { ApiTokenRecord } from "../../../shared/store/records.ts";
import { ManualClock } from "../../../shared/time/clock.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

function token(userId: string, overrides: Partial<ApiTokenRecord> = {}): ApiTokenRecord {
  return {
    userId,
    tokenId: randomBytes(8).toString("hex"),
    name: "Indberetning",
    secretHash: randomBytes(32).toString("base64url"),
    createdAt: "2024-05-01T06:00:00Z",
    createdBy: "user:anna (Anna)",
    validUntil: "2024-07-30T06:00:00Z",
    ...overrides,
  };
}

export function apiTokenAttemptContract(setup: StoreSetup): void {
  const clock = new ManualClock("2024-05-01T06:00:00Z");
  let table: StoreHarness;

  beforeAll(async () => {
    table = await setup.create(clock);
  });
  afterAll(async () => {
    await table.drop();
  });

  describe("API tokens", () => {
    it("stores a token under its user and id, lists a user's tokens oldest first, and no one else's", async () => {
      // Prepare
      const later = token("anna", { createdAt: "2024-05-02T06:00:00Z" });
      const first = token("anna");
      const other = token("bo");
      // Act
      for (const t of [later, first, other]) await table.stores.apiTokens.create(t);
      // Assess
      expect(await table.stores.apiTokens.get("anna", first.tokenId)).toEqual(first);
      expect(await table.stores.apiTokens.get("bo", first.tokenId)).toBeNull();
      expect(await table.stores.apiTokens.list("anna")).toEqual([first, later]);
      expect(await table.stores.apiTokens.list("nobody")).toEqual([]);
    });

    it("refuses a second token with the same id for the same user", async () => {
      const t = token("cecilie");
      await table.stores.apiTokens.create(t);
      await expect(table.stores.apiTokens.create({ ...t, name: "other" })).rejects.toBeInstanceOf(
        ConflictError,
      );
    });

    it("notes the last use, and says false for a token that is gone", async () => {
      // Prepare
      const t = token("dorte");
      await table.stores.apiTokens.create(t);
      // Act
      const touched = await table.stores.apiTokens.touch("dorte", t.tokenId, "2024-05-01T07:00:00Z");
      const missing = await table.stores.apiTokens.touch("dorte", "0000000000000000", "2024-05-01T07:00:00Z");
      // Assess
      expect(touched).toBe(true);
      expect(missing).toBe(false);
      expect((await table.stores.apiTokens.get("dorte", t.tokenId))?.lastUsedAt).toBe("2024-05-01T07:00:00Z");
      expect(await table.stores.apiTokens.get("dorte", "0000000000000000")).toBeNull();
    });

    it("revokes a token, giving what it was; revoking again gives null", async () => {
      // Prepare
      const t = token("emil");
      await table.stores.apiTokens.create(t);
      // Act
      const revoked = await table.stores.apiTokens.revoke("emil", t.tokenId);
      const again = await table.stores.apiTokens.revoke("emil", t.tokenId);
      // Assess
      expect(revoked).toEqual(t);
      expect(again).toBeNull();
      expect(await table.stores.apiTokens.get("emil", t.tokenId)).toBeNull();
      expect(await table.stores.apiTokens.list("emil")).toEqual([]);
    });
  });

  describe("attempts", () => {
    const windowA = "2024-05-01T06:00:00Z";
    const windowB = "2024-05-01T06:15:00Z";

    it("counts per key and window, from zero, and reads several keys at once in the order asked", async () => {
      // Prepare
      const key = `login#address#${randomBytes(4).toString("hex")}`;
      const other = `login#account#${randomBytes(4).toString("hex")}`;
      // Act
      const counts = [
        await table.stores.attempts.add(key, windowA, 1714545000),
        await table.stores.attempts.add(key, windowA, 1714545000),
        await table.stores.attempts.add(other, windowA, 1714545000),
      ];
      // Assess
      expect(counts).toEqual([1, 2, 1]);
      expect(await table.stores.attempts.counts([other, key, "never#seen"], windowA)).toEqual([1, 2, 0]);
      expect(await table.stores.attempts.counts([key], windowB)).toEqual([0]);
      expect(await table.stores.attempts.counts([], windowA)).toEqual([]);
    });

    it("reads the same instant written in another form as the same window", async () => {
      const key = `bearer#address#${randomBytes(4).toString("hex")}`;
      await table.stores.attempts.add(key, "2024-05-01T06:15:00.000Z", 1714546000);
      expect(await table.stores.attempts.counts([key], windowB)).toEqual([1]);
    });

    it("counts every one of 25 concurrent attempts exactly once", async () => {
      // Prepare
      const key = `link#address#${randomBytes(4).toString("hex")}`;
      // Act
      const after = await Promise.all(
        Array.from({ length: 25 }, () => table.stores.attempts.add(key, windowA, 1714545000)),
      );
      // Assess
      expect([...after].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(await table.stores.attempts.counts([key], windowA)).toEqual([25]);
    });
  });
}
