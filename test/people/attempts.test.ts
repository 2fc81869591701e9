/**
 * The brute-force limits over real HTTP on DynamoDB Local, with the real limits (10 failures per
 * address, 5 per account, per 15 minutes): bad admin-token logins, bad bearer tokens and confirm
 * links with a bad signature. Other addresses are real source addresses (the server listens on
 * 127.0.0.1; requests come from 127.0.0.2 and on, as Linux lets any loopback address connect).
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../shared/app/api-tokens.ts";
import { DEFAULT_ATTEMPT_LIMITS } from "../../shared/app/attempt-policy.ts";
import { SECURITY_AUDIT_ID } from "../../shared/app/attempts.ts";
import { SESSION_COOKIE } from "../../shared/dashboard/auth/session.ts";
import { createConfirmLink } from "../../shared/links/confirm-link.ts";
import { visibleText } from "../dashboard/client.ts";
import { ADMIN_TOKEN, confirmUrl, type Harness, instanceWithLinks, startHarness } from "../http/harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true, attemptLimits: DEFAULT_ATTEMPT_LIMITS });
});
afterAll(async () => {
  await h.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request from a given loopback source address (fetch cannot choose it). */
function from(
  address: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const url = new URL(path, h.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        localAddress: address,
        headers: options.headers ?? {},
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** The admin-token login form as a browser at `address` fills it in: the form's cookie and field, then the post. */
async function tokenLogin(address: string, token: string): Promise<Answer> {
  const form = await from(address, "GET", "/login");
  const cookie = String(form.headers["set-cookie"]?.[0] ?? "").split(";")[0] ?? "";
  const nonce = /name="_login" value="([^"]+)"/.exec(form.text)?.[1] ?? "";
  return from(address, "POST", "/login", {
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _login: nonce, token, next: "/" }).toString(),
  });
}

async function securityTrail(kind: string) {
  return (await h.table.stores.audit.list(SECURITY_AUDIT_ID)).filter((e) => e.details?.kind === kind);
}

describe("the admin-token login", () => {
  it("refuses the 11th bad login from one address with 429 and Retry-After, audits it, and lets another address log in", async () => {
    // Prepare: ten wrong tokens from 127.0.0.1
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await tokenLogin("127.0.0.1", `wrong-token-${i}`)).status);
    // Act
    const eleventh = await tokenLogin("127.0.0.1", "wrong-token-11");
    const rightButLocked = await tokenLogin("127.0.0.1", ADMIN_TOKEN);
    const elsewhere = await tokenLogin("127.0.0.2", ADMIN_TOKEN);
    // Assess
    expect(statuses).toEqual(Array(10).fill(401));
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(eleventh.headers["retry-after"])).toBeLessThanOrEqual(15 * 60);
    expect(visibleText(eleventh.text)).toContain("for mange mislykkede loginforsøg");
    expect(rightButLocked.status).toBe(429);
    expect(elsewhere.status).toBe(303);
    expect(String(elsewhere.headers["set-cookie"])).toContain(`${SESSION_COOKIE}=s1.~admin.`);
    const trail = await securityTrail("login");
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      action: "attempts.limited",
      by: "attempt-limits",
      details: { kind: "login", scopes: ["address"], address: "127.0.0.1" },
    });
  });
});

describe("the OpenID callback", () => {
  it("refuses the 11th failed callback from one address with 429 on the login page", async () => {
    // Prepare: callbacks without this browser's pending login (a replayed or foreign answer)
    const callback = () => from("127.0.0.60", "GET", "/login/callback?code=stolen&state=guess");
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await callback()).status);
    // Act
    const eleventh = await callback();
    // Assess
    expect(statuses).toEqual(Array(10).fill(400));
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers["retry-after"])).toBeGreaterThan(0);
    expect(visibleText(eleventh.text)).toContain("for mange mislykkede loginforsøg");
    expect((await securityTrail("oidc"))[0]?.details).toMatchObject({
      scopes: ["address"],
      address: "127.0.0.60",
    });
  });
});

describe("bearer tokens on the API", () => {
  it("refuses the 11th bad bearer token from one address with 429 JSON, audits it, and serves another address", async () => {
    // Prepare
    const bad = (address: string, token: string) =>
      from(address, "GET", "/api/units", { headers: { authorization: `Bearer ${token}` } });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await bad("127.0.0.1", `not-the-token-${i}`)).status);
    // Act
    const eleventh = await bad("127.0.0.1", "not-the-token-11");
    const locked = await bad("127.0.0.1", ADMIN_TOKEN);
    const elsewhere = await bad("127.0.0.2", ADMIN_TOKEN);
    // Assess
    expect(statuses).toEqual(Array(10).fill(401));
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers["retry-after"])).toBeGreaterThan(0);
    expect(JSON.parse(eleventh.text)).toMatchObject({ error: "too_many_attempts" });
    expect(eleventh.text).not.toContain("not-the-token");
    expect(locked.status).toBe(429);
    expect(elsewhere.status).toBe(200);
    const trail = await securityTrail("bearer");
    expect(trail).toHaveLength(1);
    expect(trail[0]?.details).toMatchObject({ scopes: ["address"], address: "127.0.0.1" });
  });

  it("locks one personal token after 5 wrong secrets, from any address, and leaves the owner's other tokens alone", async () => {
    // Prepare: two tokens of Vera's, made as the dashboard makes them
    const deps = { ...h.table.stores, clock: h.clock };
    const target = await createApiToken(deps, { userId: "vera", name: "Mål", days: 30, by: "test" });
    const other = await createApiToken(deps, { userId: "vera", name: "Anden", days: 30, by: "test" });
    const wrong = `${target.token.slice(0, -4)}AAAA`;
    const use = (address: string, token: string) =>
      from(address, "GET", "/api/units", { headers: { authorization: `Bearer ${token}` } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await use(`127.0.0.${10 + i}`, wrong)).status);
    // Act
    const locked = await use("127.0.0.20", target.token);
    const otherToken = await use("127.0.0.20", other.token);
    // Assess
    expect(statuses).toEqual(Array(5).fill(401));
    expect(locked.status).toBe(429);
    expect(otherToken.status).toBe(200);
    const trail = await securityTrail("bearer");
    expect(trail.at(-1)?.details).toMatchObject({
      scopes: ["account"],
      account: `token:vera.${target.record.tokenId}`,
    });
  });
});

describe("confirm links with a bad signature", () => {
  it("refuses the 11th bad signature from one address with a 429 page, audits it, and never holds up a genuine link", async () => {
    // Prepare: ten links signed with another key (each its own link id), and one genuine link
    const { instanceId, links } = await instanceWithLinks(h);
    const genuine = [...links.values()][0];
    if (genuine === undefined) throw new Error("no link");
    const forged = () => {
      const link = createConfirmLink(
        {
          instanceId,
          occurrenceKey: "plan",
          recipient: "unitLeader:forvaltning",
          expiresAt: "2025-01-01T00:00:00Z",
        },
        Buffer.alloc(32, 9),
      );
      return `/confirm/${link.id}?sig=${encodeURIComponent(link.sig)}`;
    };
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await from("127.0.0.1", "GET", forged())).status);
    // Act
    const eleventh = await from("127.0.0.1", "GET", forged());
    const posted = await from("127.0.0.1", "POST", forged(), {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    const real = await from("127.0.0.1", "GET", confirmUrl(h, genuine).slice(h.url.length));
    const elsewhere = await from("127.0.0.2", "GET", forged());
    // Assess
    expect(statuses).toEqual(Array(10).fill(403));
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers["retry-after"])).toBeGreaterThan(0);
    expect(visibleText(eleventh.text)).toContain("For mange forsøg");
    expect(posted.status).toBe(429);
    expect(real.status).toBe(200);
    expect(visibleText(real.text)).toContain("Bekræft milepæl");
    expect(elsewhere.status).toBe(403);
    const trail = await securityTrail("link");
    expect(trail).toHaveLength(1);
    expect(trail[0]?.details).toMatchObject({ scopes: ["address"], address: "127.0.0.1" });
  });

  it("refuses a sixth bad signature on one link from anywhere (the per-account limit)", async () => {
    const { links } = await instanceWithLinks(h);
    const link = [...links.values()][0];
    if (link === undefined) throw new Error("no link");
    const bad = `/confirm/${link.id}?sig=${"A".repeat(43)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await from(`127.0.0.${30 + i}`, "GET", bad)).status);
    const sixth = await from("127.0.0.40", "GET", bad);
    const genuine = await from("127.0.0.40", "GET", confirmUrl(h, link).slice(h.url.length));
    expect(statuses).toEqual(Array(5).fill(403));
    expect(sixth.status).toBe(429);
    expect(genuine.status).toBe(200);
  });
});

describe("a success does not count", () => {
  it("lets a person log in with the admin token many times from one address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await tokenLogin("127.0.0.50", ADMIN_TOKEN)).status);
    expect(statuses).toEqual(Array(12).fill(303));
    expect(await securityTrail("login")).toHaveLength(1);
  });
});
