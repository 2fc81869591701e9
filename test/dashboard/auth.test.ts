import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../shared/dashboard/auth/session.ts";
import {
  ADMIN_TOKEN,
  type Harness,
  instanceWithLinks,
  snapshot,
  startHarness,
  UNITS,
} from "../http/harness.ts";
import { Client } from "./client.ts";

let h: Harness;
let instanceId: string;

beforeAll(async () => {
  h = await startHarness();
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  ({ instanceId } = await instanceWithLinks(h));
});
afterAll(async () => {
  await h.close();
});

const PAGES = [
  "/",
  "/workflows",
  "/workflows/_new",
  "/workflows/skoleopfoelgning",
  "/instances",
  "/instances/_new",
  "/units",
  "/units/_import",
  "/outbox",
];

describe("the login", () => {
  it("sends every page to the login page without a session, and back after logging in", async () => {
    // Arrange
    const anonymous = new Client(h);
    // Act
    const pages = await Promise.all([...PAGES, `/instances/${instanceId}`].map((p) => anonymous.get(p)));
    // Assess
    for (const page of pages) {
      expect(page.status).toBe(303);
      expect(page.location).toMatch(/^\/login/);
    }
    expect(pages[1]?.location).toBe("/login?next=%2Fworkflows");
  });

  it("refuses a wrong token with a Danish message and sets no session", async () => {
    // Arrange
    const client = new Client(h);
    const form = await client.get("/login");
    const nonce = /name="_login" value="([^"]+)"/.exec(form.text)?.[1] ?? "";
    // Act
    const page = await client.post(
      "/login",
      { _login: nonce, token: "not-the-token", next: "/" },
      { csrf: null },
    );
    // Assess
    expect(page.status).toBe(401);
    expect(page.text).toContain("Nøglen er forkert");
    expect(page.text).toContain('lang="da"');
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(h.logs.some((l) => JSON.stringify(l).includes("not-the-token"))).toBe(false);
  });

  it("refuses a login post without the login form's token", async () => {
    const client = new Client(h);
    const page = await client.post("/login", { token: ADMIN_TOKEN }, { csrf: null });
    expect(page.status).toBe(403);
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("sets an HttpOnly, SameSite=Strict session cookie for at most 12 hours and goes where it was asked", async () => {
    // Arrange
    const client = new Client(h);
    const form = await client.get("/login?next=%2Funits");
    const nonce = /name="_login" value="([^"]+)"/.exec(form.text)?.[1] ?? "";
    // Act
    const page = await client.post(
      "/login",
      { _login: nonce, token: ADMIN_TOKEN, next: "/units" },
      { csrf: null },
    );
    // Assess
    expect(page.status).toBe(303);
    expect(page.location).toBe("/units");
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=43200/);
    expect((await client.get("/units")).status).toBe(200);
  });

  it("never sends the administrator to another site after logging in", async () => {
    const client = new Client(h);
    const form = await client.get("/login");
    const nonce = /name="_login" value="([^"]+)"/.exec(form.text)?.[1] ?? "";
    const page = await client.post(
      "/login",
      { _login: nonce, token: ADMIN_TOKEN, next: "//evil.example/x" },
      { csrf: null },
    );
    expect(page.location).toBe("/");
  });

  it("refuses a session cookie the table does not know, and the old stateless kind", async () => {
    // Prepare
    const secret = randomBytes(32).toString("base64url");
    const real = new Client(h);
    await real.login();
    const issued = real.cookies.get(SESSION_COOKIE) ?? "";
    const forged = `s1.~admin.${secret}`;
    const otherUser = issued.replace("s1.~admin.", "s1.anna.");
    const oldKind = `v1.${Math.floor(h.clock.now().epochMilliseconds / 1000) + 3600}.${"a".repeat(22)}.sig`;
    // Act and assess
    for (const value of [forged, otherUser, oldKind, "garbage"]) {
      const client = new Client(h);
      client.cookies.set(SESSION_COOKIE, value);
      const page = await client.get("/workflows");
      expect(page.status, value).toBe(303);
    }
  });

  it("logs out on POST with the form's token, after which pages need a login again, also with the old cookie", async () => {
    const client = new Client(h);
    await client.login();
    const old = client.cookies.get(SESSION_COOKIE) ?? "";
    const out = await client.post("/logout", {});
    expect(out.status).toBe(303);
    expect(out.location).toBe("/login?out=1");
    expect((await client.get("/")).status).toBe(303);
    expect((await client.get("/login?out=1")).text).toContain("Du er logget ud");
    // The session is gone from the table: the cookie kept from before is worth nothing.
    const replay = new Client(h);
    replay.cookies.set(SESSION_COOKIE, old);
    expect((await replay.get("/")).status).toBe(303);
  });

  it("ends a session after an hour without use, and after 12 hours however busy", async () => {
    // Prepare
    const idle = new Client(h);
    await idle.login();
    const busy = new Client(h);
    await busy.login();
    // Act: the busy one comes back every 50 minutes for 12 hours, the idle one after 70 minutes
    h.clock.advance("PT50M");
    const busyAt50 = (await busy.get("/workflows")).status;
    h.clock.advance("PT20M");
    const idleAt70 = (await idle.get("/workflows")).status;
    const busyStatuses = [(await busy.get("/workflows")).status];
    for (let minutes = 70; minutes + 50 < 12 * 60; minutes += 50) {
      h.clock.advance("PT50M");
      busyStatuses.push((await busy.get("/workflows")).status);
    }
    h.clock.advance("PT50M");
    const busyAfter12h = (await busy.get("/workflows")).status;
    // Assess
    expect(busyAt50).toBe(200);
    expect(idleAt70).toBe(303);
    expect(new Set(busyStatuses)).toEqual(new Set([200]));
    expect(busyAfter12h).toBe(303);
  });
});

describe("CSRF", () => {
  it("refuses every form post without the session's token and changes nothing", async () => {
    // Arrange
    const client = new Client(h);
    await client.login();
    const before = await snapshot(h.table);
    const posts: [string, Record<string, string>][] = [
      [
        "/units/_new",
        { id: "ny-skole", name: "Ny", type: "skole", leader_name: "A", leader_email: "a@example.dk" },
      ],
      ["/units/skole-a/delete", {}],
      [`/instances/${instanceId}/cancel`, {}],
      ["/instances/_new", { workflowId: "skoleopfoelgning", startDate: "2024-08-01", unitTypes: "skole" }],
      [
        "/workflows/_editor",
        {
          action: "save",
          source: "id: x\ntitle: X\nmilestones: [{id: a, title: A, due: P1D, owner: 'unit:forvaltning'}]\n",
        },
      ],
      ["/units/_import", { action: "import", csv: "id,name\n" }],
      ["/logout", {}],
    ];
    for (const [path, fields] of posts) {
      // Act: no token, and a token of another session
      const missing = await client.post(path, fields, { csrf: null });
      const other = await client.post(path, fields, { csrf: "x".repeat(43) });
      // Assess
      expect(missing.status, path).toBe(403);
      expect(other.status, path).toBe(403);
      expect(missing.text).toContain("Formularen kunne ikke sendes");
    }
    expect(await snapshot(h.table)).toEqual(before);
  });
});

describe("language", () => {
  it("is Danish by default and switches to English, remembered in a cookie", async () => {
    const client = new Client(h);
    await client.login();
    expect((await client.get("/workflows")).text).toContain("<h1>Skabeloner</h1>");
    const toggle = await client.get("/language/en?next=%2Fworkflows");
    expect(toggle.status).toBe(303);
    expect(toggle.location).toBe("/workflows");
    const page = await client.get("/workflows");
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain("<h1>Workflows</h1>");
    expect(page.text).toContain('hreflang="da"');
  });

  it("sets the security headers and a script-free policy on every page", async () => {
    const client = new Client(h);
    await client.login();
    const page = await client.get("/");
    const policy = page.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("style-src 'sha256-");
    expect(policy).not.toContain("script-src");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("cache-control")).toBe("no-store");
  });
});
