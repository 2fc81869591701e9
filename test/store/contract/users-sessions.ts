/** The contract of the users and sessions ports: uniqueness, conflicts, and sessions ended at once. */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../../shared/store/index.ts";
import type { SessionRecord, UserInput } from "../../../shared/store/records.ts";
import { ManualClock } from "../../../shared/time/clock.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

let counter = 0;
function newUser(overrides: Partial<UserInput> = {}): UserInput {
  counter += 1;
  const id = `user-${counter}-${randomBytes(3).toString("hex")}`;
  return {
    userId: id,
    name: `Person ${counter}`,
    email: `${id}@Kommune.example.dk`,
    roles: ["viewer"],
    active: true,
    updatedBy: "test",
    ...overrides,
  };
}

function session(userId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    userId,
    secretHash: randomBytes(32).toString("base64url"),
    createdAt: "2024-05-01T06:00:00Z",
    lastSeenAt: "2024-05-01T06:00:00Z",
    idleUntil: "2024-05-01T07:00:00Z",
    absoluteUntil: "2024-05-01T18:00:00Z",
    method: "oidc",
    ...overrides,
  };
}

export function userSessionContract(setup: StoreSetup): void {
  const clock = new ManualClock("2024-05-01T06:00:00Z");
  let table: StoreHarness;

  beforeAll(async () => {
    table = await setup.create(clock);
  });
  afterAll(async () => {
    await table.drop();
  });

  describe("users", () => {
    it("creates a user with the e-mail in lower case, found by id and by e-mail in any case", async () => {
      // Prepare
      const input = newUser({ roles: ["editor", "viewer"] });
      // Act
      const created = await table.stores.users.create(input);
      // Assess
      expect(created).toMatchObject({ userId: input.userId, email: input.email.toLowerCase(), subjects: [] });
      expect(await table.stores.users.get(input.userId)).toEqual(created);
      expect(await table.stores.users.findByEmail(input.email.toUpperCase())).toEqual(created);
      expect(await table.stores.users.get("nobody-at-all")).toBeNull();
      expect(await table.stores.users.findByEmail("nobody@example.dk")).toBeNull();
    });

    it("refuses a second user with the same id or the same e-mail", async () => {
      // Prepare
      const first = await table.stores.users.create(newUser());
      // Act and assess
      await expect(table.stores.users.create(newUser({ userId: first.userId }))).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(
        table.stores.users.create(newUser({ email: first.email.toUpperCase() })),
      ).rejects.toBeInstanceOf(ConflictError);
    });

    it("updates roles, active flag and e-mail, giving the record before and after; the old e-mail is free again", async () => {
      // Prepare
      const user = await table.stores.users.create(newUser({ roles: ["administrator", "viewer"] }));
      clock.advance("PT1M");
      // Act
      const { before, after } = await table.stores.users.update({
        userId: user.userId,
        name: "Ny Navn",
        email: `new-${user.email}`,
        roles: ["viewer"],
        active: false,
        updatedBy: "user:anna (Anna)",
      });
      // Assess
      expect(before.roles).toEqual(["administrator", "viewer"]);
      expect(after).toMatchObject({
        roles: ["viewer"],
        active: false,
        name: "Ny Navn",
        updatedBy: "user:anna (Anna)",
      });
      expect(after.updatedAt).not.toBe(before.updatedAt);
      expect((await table.stores.users.findByEmail(`new-${user.email}`))?.userId).toBe(user.userId);
      expect(await table.stores.users.findByEmail(user.email)).toBeNull();
      const reuse = await table.stores.users.create(newUser({ email: user.email }));
      expect(reuse.email).toBe(user.email);
    });

    it("refuses to update an unknown user, or to take another user's e-mail", async () => {
      // Prepare
      const a = await table.stores.users.create(newUser());
      const b = await table.stores.users.create(newUser());
      // Act and assess
      await expect(table.stores.users.update(newUser())).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        table.stores.users.update({ ...b, email: a.email, updatedBy: "test" }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect((await table.stores.users.get(b.userId))?.email).toBe(b.email);
    });

    it("links an identity provider's account to one user only", async () => {
      // Prepare
      const a = await table.stores.users.create(newUser());
      const b = await table.stores.users.create(newUser());
      const subject = `https://login.example/tenant ${randomBytes(6).toString("hex")}`;
      // Act
      await table.stores.users.linkSubject(a.userId, subject);
      await table.stores.users.linkSubject(a.userId, subject);
      // Assess
      expect((await table.stores.users.findBySubject(subject))?.userId).toBe(a.userId);
      expect((await table.stores.users.get(a.userId))?.subjects).toEqual([subject]);
      await expect(table.stores.users.linkSubject(b.userId, subject)).rejects.toBeInstanceOf(ConflictError);
      expect(await table.stores.users.findBySubject("https://other unknown")).toBeNull();
    });

    it("lists every user by id, including one created just before", async () => {
      // Prepare
      const created = await table.stores.users.create(newUser());
      // Act
      const listed = await table.stores.users.list();
      // Assess
      const ids = listed.map((u) => u.userId);
      expect(ids).toContain(created.userId);
      expect(ids).toEqual([...ids].sort());
    });
  });

  describe("sessions", () => {
    it("stores a session and gives it back by user and hash; another user's hash finds nothing", async () => {
      // Prepare
      const record = session("sess-a");
      // Act
      await table.stores.sessions.create(record);
      // Assess
      expect(await table.stores.sessions.get("sess-a", record.secretHash)).toEqual(record);
      expect(await table.stores.sessions.get("sess-b", record.secretHash)).toBeNull();
      await expect(table.stores.sessions.create(record)).rejects.toBeInstanceOf(ConflictError);
    });

    it("moves the idle end on, and says so when the session is gone", async () => {
      // Prepare
      const record = session("sess-touch");
      await table.stores.sessions.create(record);
      // Act
      const touched = await table.stores.sessions.touch(
        "sess-touch",
        record.secretHash,
        "2024-05-01T06:30:00Z",
        "2024-05-01T07:30:00Z",
      );
      await table.stores.sessions.end("sess-touch", record.secretHash);
      const afterEnd = await table.stores.sessions.touch(
        "sess-touch",
        record.secretHash,
        "2024-05-01T06:31:00Z",
        "2024-05-01T07:31:00Z",
      );
      // Assess
      expect(touched).toBe(true);
      expect(afterEnd).toBe(false);
      expect(await table.stores.sessions.get("sess-touch", record.secretHash)).toBeNull();
      await table.stores.sessions.end("sess-touch", record.secretHash);
    });

    it("ends every session of one user at once, and only theirs", async () => {
      // Prepare
      const mine = [session("sess-many", { createdAt: "2024-05-01T06:00:01Z" }), session("sess-many")];
      const other = session("sess-other");
      for (const s of [...mine, other]) await table.stores.sessions.create(s);
      // Act
      const listed = await table.stores.sessions.list("sess-many");
      const ended = await table.stores.sessions.endAll("sess-many");
      // Assess
      expect(listed.map((s) => s.createdAt)).toEqual(["2024-05-01T06:00:00Z", "2024-05-01T06:00:01Z"]);
      expect(ended).toBe(2);
      for (const s of mine) expect(await table.stores.sessions.get("sess-many", s.secretHash)).toBeNull();
      expect(await table.stores.sessions.list("sess-many")).toEqual([]);
      expect(await table.stores.sessions.get("sess-other", other.secretHash)).toEqual(other);
    });
  });
}
