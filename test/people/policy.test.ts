/**
 * The pure parts of people and access, and the people use cases on the in-memory stores: the
 * access table's matching, session timeouts and cookies, role changes that end sessions, and how
 * a login is matched to a user. No server, no DynamoDB Local.
 */
import { describe, expect, it } from "vitest";
import { matchLogin, updateUser } from "../../shared/app/people.ts";
import {
  BOOTSTRAP_USER_ID,
  checkSession,
  DEFAULT_SESSION_POLICY,
  nextIdleEnd,
  parseSessionCookie,
  sessionStatus,
  startSession,
  tokenBinding,
} from "../../shared/app/sessions.ts";
import {
  admits,
  areaOfUnknown,
  findRule,
  matchesPattern,
  mayAccess,
  methodsAt,
} from "../../shared/http/access.ts";
import { canonicalRoles, losesRole } from "../../shared/model/people.ts";
import type { SessionRecord } from "../../shared/store/records.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { createMemoryTable } from "../support/memory.ts";

describe("the access table's matching", () => {
  it("matches a pattern segment by segment, literal segments before the pattern that would also match", () => {
    expect(matchesPattern("/instances/:id", "/instances/abc")).toBe(true);
    expect(matchesPattern("/instances/:id", "/instances/abc/report")).toBe(false);
    expect(matchesPattern("/instances/:id", "/instances/")).toBe(false);
    expect(findRule("GET", "/instances/_new")?.who).toEqual(["administrator", "caseworker"]);
    expect(findRule("GET", "/instances/abc")?.who).toHaveLength(4);
    expect(findRule("HEAD", "/units")?.path).toBe("/units");
    expect(findRule("GET", "/units/")?.path).toBe("/units");
    expect(findRule("PATCH", "/units/x")).toBeUndefined();
    expect(findRule("GET", "/nothing-here")).toBeUndefined();
  });

  it("knows which methods an address takes, for a 405 that names them", () => {
    expect(methodsAt("/workflows")).toEqual(["GET"]);
    expect(methodsAt("/units/x/edit/")).toEqual(["GET", "POST"]);
    expect(methodsAt("/logout")).toEqual(["POST"]);
    expect(methodsAt("/nothing-here")).toEqual([]);
  });

  it("admits by audience: public for all, signed-in for anyone logged in, roles by any one of them", () => {
    expect(admits("public", null)).toBe(true);
    expect(admits("signed-in", null)).toBe(false);
    expect(admits("signed-in", [])).toBe(true);
    expect(admits(["administrator", "editor"], ["viewer", "editor"])).toBe(true);
    expect(admits(["administrator"], ["viewer"])).toBe(false);
    expect(mayAccess(["viewer"], "POST", "/instances/x/cancel")).toBe(false);
    expect(mayAccess(["caseworker"], "POST", "/instances/x/cancel")).toBe(true);
    expect(areaOfUnknown("/api/nothing")).toBe("api");
    expect(areaOfUnknown("/apix")).toBe("public");
  });
});

describe("roles", () => {
  it("keeps roles in one order, each once, unknown ones dropped; knows when a change takes one away", () => {
    expect(canonicalRoles(["viewer", "administrator", "viewer", "root"])).toEqual([
      "administrator",
      "viewer",
    ]);
    expect(losesRole(["editor", "viewer"], ["viewer"])).toBe(true);
    expect(losesRole(["viewer"], ["editor", "viewer"])).toBe(false);
  });
});

function stored(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    userId: "anna",
    secretHash: "h",
    createdAt: "2024-05-01T06:00:00Z",
    lastSeenAt: "2024-05-01T06:00:00Z",
    idleUntil: "2024-05-01T07:00:00Z",
    absoluteUntil: "2024-05-01T18:00:00Z",
    method: "oidc",
    ...overrides,
  };
}

describe("sessions", () => {
  it("are valid until the idle end or the absolute end, whichever comes first", () => {
    const at = (t: string) => Temporal.Instant.from(t);
    expect(sessionStatus(stored(), at("2024-05-01T06:59:59Z"))).toBe("valid");
    expect(sessionStatus(stored(), at("2024-05-01T07:00:00Z"))).toBe("idle");
    expect(sessionStatus(stored({ idleUntil: "2024-05-01T19:00:00Z" }), at("2024-05-01T18:00:00Z"))).toBe(
      "expired",
    );
  });

  it("move the idle end on at most once a minute, never past the absolute end", () => {
    const policy = DEFAULT_SESSION_POLICY;
    expect(nextIdleEnd(stored(), Temporal.Instant.from("2024-05-01T06:00:30Z"), policy)).toBeNull();
    expect(nextIdleEnd(stored(), Temporal.Instant.from("2024-05-01T06:10:00Z"), policy)).toBe(
      "2024-05-01T07:10:00Z",
    );
    expect(nextIdleEnd(stored(), Temporal.Instant.from("2024-05-01T17:30:00Z"), policy)).toBe(
      "2024-05-01T18:00:00Z",
    );
  });

  it("bound to an admin token end when the token is rotated", async () => {
    // Prepare
    const clock = new ManualClock("2024-05-01T06:00:00Z");
    const table = await createMemoryTable({ clock });
    const deps = { ...table.stores, clock };
    const { cookie } = await startSession(deps, BOOTSTRAP_USER_ID, "admin-token", {
      binding: tokenBinding("old-token"),
    });
    // Act
    const before = await checkSession(deps, cookie, { binding: async () => tokenBinding("old-token") });
    const rotated = await checkSession(deps, cookie, { binding: async () => tokenBinding("new-token") });
    const back = await checkSession(deps, cookie, { binding: async () => tokenBinding("old-token") });
    // Assess
    expect(before?.principal.kind).toBe("admin-token");
    expect(rotated).toBeNull();
    expect(back).toBeNull();
  });

  it("read only cookies of their own shape, and keep only the secret's hash", async () => {
    // Prepare
    const clock = new ManualClock("2024-05-01T06:00:00Z");
    const table = await createMemoryTable({ clock });
    // Act
    const { cookie, record } = await startSession({ ...table.stores, clock }, "anna", "oidc");
    // Assess
    const parsed = parseSessionCookie(cookie);
    expect(parsed?.userId).toBe("anna");
    expect(record.secretHash).not.toContain(parsed?.secret ?? "?");
    expect(record.absoluteUntil).toBe("2024-05-01T18:00:00Z");
    expect(parseSessionCookie(`${cookie}x`)).toBeNull();
    expect(parseSessionCookie(cookie.replace("anna", "Anna"))).toBeNull();
    expect(parseSessionCookie(`s1.~root.${parsed?.secret}`)).toBeNull();
    expect(parseSessionCookie(undefined)).toBeNull();
  });
});

describe("people", () => {
  async function setup() {
    const clock = new ManualClock("2024-05-01T06:00:00Z");
    const table = await createMemoryTable({ clock });
    const deps = { ...table.stores, clock };
    await deps.users.create({
      userId: "sara",
      name: "Sara",
      email: "sara@kommune.example.dk",
      roles: ["caseworker", "viewer"],
      active: true,
      updatedBy: "test",
    });
    return deps;
  }

  it("ends every session when a role is taken away or the user is deactivated, none when a role is added", async () => {
    // Prepare
    const deps = await setup();
    for (let i = 0; i < 2; i += 1) await startSession(deps, "sara", "oidc");
    const base = { userId: "sara", name: "Sara", email: "sara@kommune.example.dk", updatedBy: "test" };
    // Act
    const added = await updateUser(deps, {
      ...base,
      roles: ["caseworker", "viewer", "editor"],
      active: true,
    });
    const removed = await updateUser(deps, { ...base, roles: ["viewer"], active: true });
    await startSession(deps, "sara", "oidc");
    const deactivated = await updateUser(deps, { ...base, roles: ["viewer"], active: false });
    // Assess
    expect(added.sessionsEnded).toBe(0);
    expect(added.user.roles).toEqual(["editor", "caseworker", "viewer"]);
    expect(removed.sessionsEnded).toBe(2);
    expect(deactivated.sessionsEnded).toBe(1);
    expect(await deps.sessions.list("sara")).toEqual([]);
  });

  it("matches a login by linked account, else by e-mail (then links it), and refuses the inactive and the roleless", async () => {
    // Prepare
    const deps = await setup();
    const claims = { issuer: "https://login.example/t", subject: "abc", email: "SARA@kommune.example.dk" };
    // Act
    const first = await matchLogin(deps, claims);
    const second = await matchLogin(deps, { ...claims, email: "renamed@kommune.example.dk" });
    const unverified = await matchLogin(deps, { ...claims, subject: "other", emailVerified: false });
    const stranger = await matchLogin(deps, { issuer: "https://login.example/t", subject: "zzz" });
    await deps.users.update({
      userId: "sara",
      name: "Sara",
      email: "sara@kommune.example.dk",
      roles: [],
      active: true,
      updatedBy: "t",
    });
    const roleless = await matchLogin(deps, claims);
    await deps.users.update({
      userId: "sara",
      name: "Sara",
      email: "sara@kommune.example.dk",
      roles: ["viewer"],
      active: false,
      updatedBy: "t",
    });
    const inactive = await matchLogin(deps, claims);
    // Assess
    expect(first.ok && first.user.userId).toBe("sara");
    expect(second.ok && second.user.userId).toBe("sara");
    expect(unverified).toEqual({ ok: false, reason: "unknown" });
    expect(stranger).toEqual({ ok: false, reason: "unknown" });
    expect(roleless).toEqual({ ok: false, reason: "no-role" });
    expect(inactive).toEqual({ ok: false, reason: "inactive" });
  });
});
