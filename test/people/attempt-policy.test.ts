/**
 * The brute-force policy and personal tokens on their own: the pure window, counter and decision
 * functions, the token format, and the use cases over the in-memory stores (limits reached,
 * audited once; tokens refused when expired, revoked, or their owner deactivated).
 */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  apiTokenStatus,
  checkApiToken,
  createApiToken,
  parseApiToken,
  revokeApiToken,
  tokenAccount,
} from "../../shared/app/api-tokens.ts";
import {
  countersOf,
  DEFAULT_ATTEMPT_LIMITS,
  decideAttempt,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ADDRESS,
  retryAfterSeconds,
  windowOf,
} from "../../shared/app/attempt-policy.ts";
import {
  admitAttempt,
  countFailure,
  SECURITY_AUDIT_ID,
  SECURITY_TRAIL_DAYS,
} from "../../shared/app/attempts.ts";
import { clientAddress, UNKNOWN_ADDRESS } from "../../shared/http/client-address.ts";
import { memoryStores } from "../../shared/store/memory/index.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { Temporal } from "../../shared/time/temporal.ts";

const at = (s: string) => Temporal.Instant.from(s);

describe("the attempt policy", () => {
  it("puts an instant in its fixed 15-minute window and says how long is left of it", () => {
    const window = windowOf(at("2024-05-01T06:07:30Z"), DEFAULT_ATTEMPT_LIMITS.windowSeconds);
    expect(window.start.toString()).toBe("2024-05-01T06:00:00Z");
    expect(window.end.toString()).toBe("2024-05-01T06:15:00Z");
    expect(retryAfterSeconds(at("2024-05-01T06:07:30Z"), window)).toBe(450);
    expect(retryAfterSeconds(at("2024-05-01T06:14:59.900Z"), window)).toBe(1);
    expect(windowOf(at("2024-05-01T06:15:00Z"), 900).start.toString()).toBe("2024-05-01T06:15:00Z");
  });

  it("counts per address always and per account when one is known, keyed by kind, without the raw values", () => {
    const both = countersOf(
      { kind: "login", address: "10.0.0.1", account: "Anna@Example.dk" },
      DEFAULT_ATTEMPT_LIMITS,
    );
    const address = countersOf({ kind: "link", address: "10.0.0.1" }, DEFAULT_ATTEMPT_LIMITS);
    expect(both.map((c) => [c.scope, c.limit])).toEqual([
      ["address", MAX_FAILURES_PER_ADDRESS],
      ["account", MAX_FAILURES_PER_ACCOUNT],
    ]);
    expect(both[0]?.key).toMatch(/^login#address#[A-Za-z0-9_-]{32}$/);
    expect(both.map((c) => c.key).join()).not.toContain("10.0.0.1");
    expect(both.map((c) => c.key).join()).not.toContain("anna");
    // The account's case does not make a new counter.
    expect(
      countersOf({ kind: "login", address: "x", account: "anna@example.dk" }, DEFAULT_ATTEMPT_LIMITS)[1]?.key,
    ).toBe(both[1]?.key);
    expect(address.map((c) => c.scope)).toEqual(["address"]);
    expect(address[0]?.key).not.toBe(both[0]?.key);
  });

  it("lets attempts through below the limits and refuses at them, naming the scope", () => {
    const counters = countersOf({ kind: "bearer", address: "a", account: "b" }, DEFAULT_ATTEMPT_LIMITS);
    expect(decideAttempt(counters, [9, 4])).toEqual({ allowed: true });
    expect(decideAttempt(counters, [10, 0])).toEqual({ allowed: false, scopes: ["address"] });
    expect(decideAttempt(counters, [0, 5])).toEqual({ allowed: false, scopes: ["account"] });
    expect(decideAttempt(counters, [12, 7])).toEqual({ allowed: false, scopes: ["address", "account"] });
  });
});

describe("the attempt limits over a store", () => {
  it("refuses the 11th attempt after ten failures, audits the first refusal once, and opens again in the next window", async () => {
    // Prepare
    const clock = new ManualClock("2024-05-01T06:00:00Z");
    const stores = memoryStores(clock);
    const deps = { ...stores, clock };
    const subject = { kind: "login" as const, address: "192.0.2.7" };
    for (let i = 0; i < 10; i += 1) {
      expect((await admitAttempt(deps, subject)).admitted).toBe(true);
      await countFailure(deps, subject);
    }
    // Act
    clock.advance("PT5M");
    const refused = await admitAttempt(deps, subject, { requestId: "r-11" });
    const again = await admitAttempt(deps, subject);
    const elsewhere = await admitAttempt(deps, { ...subject, address: "192.0.2.8" });
    clock.advance("PT10M");
    const later = await admitAttempt(deps, subject);
    // Assess
    expect(refused).toEqual({ admitted: false, retryAfter: 600, scopes: ["address"] });
    expect(again.admitted).toBe(false);
    expect(elsewhere.admitted).toBe(true);
    expect(later.admitted).toBe(true);
    const trail = await stores.audit.list(SECURITY_AUDIT_ID);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      action: "attempts.limited",
      details: { kind: "login", scopes: ["address"], address: "192.0.2.7", requestId: "r-11" },
      // The address is personal data: the entry goes after the access log's six months.
      expiresAt: Math.ceil(Date.parse(trail[0]?.at ?? "") / 1000) + SECURITY_TRAIL_DAYS * 86_400,
    });
    clock.advance(`P${SECURITY_TRAIL_DAYS + 1}D`);
    expect(await stores.audit.list(SECURITY_AUDIT_ID)).toEqual([]);
  });
});

describe("personal API tokens", () => {
  it("makes a token of the recognisable form that parses back to its owner and id", async () => {
    // Prepare
    const clock = new ManualClock("2024-05-01T06:00:00Z");
    const stores = memoryStores(clock);
    await stores.users.create({
      userId: "anna",
      name: "Anna",
      email: "anna@example.dk",
      roles: ["viewer"],
      active: true,
      updatedBy: "t",
    });
    // Act
    const { token, record } = await createApiToken(
      { ...stores, clock },
      { userId: "anna", name: "CI", days: 30, by: "user:anna (Anna)" },
    );
    // Assess
    expect(token).toMatch(/^ff_anna\.[a-f0-9]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(parseApiToken(token)).toMatchObject({ userId: "anna", tokenId: record.tokenId });
    expect(tokenAccount(token)).toBe(`token:anna.${record.tokenId}`);
    expect(JSON.stringify(await stores.apiTokens.list("anna"))).not.toContain(token.split(".")[2]);
    expect(record.validUntil).toBe("2024-05-31T06:00:00Z");
    expect(apiTokenStatus(record, at("2024-05-31T05:59:59Z"))).toBe("valid");
    expect(apiTokenStatus(record, at("2024-05-31T06:00:00Z"))).toBe("expired");
    for (const bad of ["ff_", "ff_anna.123.abc", `${token}x`, token.replace("ff_", "gh_"), "x".repeat(300)]) {
      expect(parseApiToken(bad)).toBeNull();
    }
  });

  it("acts with the owner's current roles, and refuses a wrong secret, expiry, deactivation and revocation", async () => {
    // Prepare
    const clock = new ManualClock("2024-05-01T06:00:00Z");
    const stores = memoryStores(clock);
    const deps = { ...stores, clock };
    const user = {
      userId: "bo",
      name: "Bo",
      email: "bo@example.dk",
      roles: ["editor" as const],
      active: true,
      updatedBy: "t",
    };
    await stores.users.create(user);
    const { token, record } = await createApiToken(deps, {
      userId: "bo",
      name: "CI",
      days: 90,
      by: "user:bo (Bo)",
    });
    const wrong = `${token.slice(0, -4)}AAAA`;
    // Act and assess
    const ok = await checkApiToken(deps, token);
    expect(ok.ok && ok.principal).toMatchObject({ kind: "user", userId: "bo", roles: ["editor"] });
    expect((await stores.apiTokens.get("bo", record.tokenId))?.lastUsedAt).toBe("2024-05-01T06:00:00Z");
    expect(await checkApiToken(deps, wrong)).toEqual({ ok: false, reason: "unknown" });
    await stores.users.update({ ...user, roles: ["viewer"] });
    const fewer = await checkApiToken(deps, token);
    expect(fewer.ok && fewer.principal.roles).toEqual(["viewer"]);
    await stores.users.update({ ...user, active: false });
    expect(await checkApiToken(deps, token)).toEqual({ ok: false, reason: "inactive" });
    await stores.users.update({ ...user, active: true });
    clock.advance("P90D");
    expect(await checkApiToken(deps, token)).toEqual({ ok: false, reason: "expired" });
    expect(await revokeApiToken(deps, "bo", record.tokenId, "user:bo (Bo)")).toBe(true);
    expect(await revokeApiToken(deps, "bo", record.tokenId, "user:bo (Bo)")).toBe(false);
    expect(await checkApiToken(deps, token)).toEqual({ ok: false, reason: "unknown" });
    const trail = await stores.audit.list("user:bo");
    expect(trail.map((e) => [e.action, e.by])).toEqual([
      ["apiToken.created", "user:bo (Bo)"],
      ["apiToken.revoked", "user:bo (Bo)"],
    ]);
  });
});

describe("the client address", () => {
  const app = (trust: boolean) => {
    const a = new Hono();
    a.get("/", (c) => c.text(clientAddress(c, { trustForwardedFor: trust })));
    return a;
  };
  const ask = async (trust: boolean, env: unknown, headers: Record<string, string> = {}) =>
    (await app(trust).request("/", { headers }, env as Record<string, unknown>)).text();

  it("takes API Gateway's source address (HTTP API and REST) or the socket's, and ignores X-Forwarded-For by default", async () => {
    const forged = { "x-forwarded-for": "198.51.100.1" };
    expect(await ask(false, { requestContext: { http: { sourceIp: "203.0.113.5" } } }, forged)).toBe(
      "203.0.113.5",
    );
    expect(await ask(false, { requestContext: { identity: { sourceIp: "203.0.113.6" } } })).toBe(
      "203.0.113.6",
    );
    expect(await ask(false, { incoming: { socket: { remoteAddress: "127.0.0.9" } } }, forged)).toBe(
      "127.0.0.9",
    );
    expect(await ask(false, {}, forged)).toBe(UNKNOWN_ADDRESS);
  });

  it("takes the last X-Forwarded-For entry only where the deployment trusts its proxy", async () => {
    const env = { incoming: { socket: { remoteAddress: "10.0.0.2" } } };
    expect(await ask(true, env, { "x-forwarded-for": "198.51.100.1, 203.0.113.7" })).toBe("203.0.113.7");
    expect(await ask(true, env)).toBe("10.0.0.2");
  });
});
