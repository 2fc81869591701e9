/**
 * Staff log in through the embedded OpenID provider over real HTTP (form posts, as a browser
 * does): the authorization code flow with PKCE through openid-client, matched to a user by
 * e-mail and then by the linked account; server-side sessions that logout and deactivation end.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../shared/dashboard/auth/session.ts";
import { Client, loginThroughProvider, visibleText } from "../dashboard/client.ts";
import {
  type Harness,
  startHarness,
  TEST_USERS,
  testWorkflow,
  UNITS,
  WORKFLOW_YAML,
} from "../http/harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
});
afterAll(async () => {
  await h.close();
});

function user(id: string) {
  const found = TEST_USERS.find((u) => u.id === id);
  if (found === undefined) throw new Error(id);
  return found;
}

describe("logging in through the OpenID provider", () => {
  it("offers the provider on the login page, with the admin token as the bootstrap below it", async () => {
    const page = await new Client(h).get("/login");
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/login/oidc?next=%2F"');
    expect(visibleText(page.text)).toContain("Log ind med den lokale udbyder");
    expect(visibleText(page.text)).toContain("Administratornøgle (opstart og scripts)");
  });

  it("logs a viewer in with PKCE and a server-side session, names them on the page, and links their account", async () => {
    // Prepare
    const client = new Client(h);
    const vera = user("vera");
    // Act
    const callback = await loginThroughProvider(client, h.url, vera.email, vera.password, "/instances");
    const overview = await client.get("/");
    // Assess
    expect(callback.status).toBe(200);
    expect(callback.text).toContain('http-equiv="refresh" content="0;url=/instances"');
    expect(client.cookies.get(SESSION_COOKIE)).toMatch(/^s1\.vera\./);
    expect(overview.status).toBe(200);
    expect(visibleText(overview.text)).toContain("Logget ind som Vera Læser");
    const sessions = await h.table.stores.sessions.list("vera");
    expect(sessions.length).toBeGreaterThanOrEqual(1);
    expect(sessions[0]?.method).toBe("oidc");
    const stored = await h.table.stores.users.get("vera");
    expect(stored?.subjects).toEqual([`${h.url}/oidc vera`]);
  });

  it("refuses a wrong password at the provider and sets no session", async () => {
    const client = new Client(h);
    const page = await loginThroughProvider(client, h.url, "anna", "not-her-password");
    expect(page.status).toBe(401);
    expect(visibleText(page.text)).toContain("adgangskode er forkert");
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("refuses a callback without the browser's pending login (another browser's code, a replay)", async () => {
    // Prepare: a login that reached the provider's answer, then the callback from another browser
    const first = new Client(h);
    const anna = user("anna");
    let page = await first.get("/login/oidc");
    const hops: string[] = [];
    while (page.status === 303 && !(page.location ?? "").includes("/login/callback")) {
      const next = new URL(page.location ?? "", h.url);
      hops.push(next.pathname);
      page = await first.get(`${next.pathname}${next.search}`);
      const form = /<form method="post" action="([^"]+)"/.exec(page.text)?.[1];
      if (form !== undefined)
        page = await first.post(form, { login: anna.id, password: anna.password }, { csrf: null });
    }
    const callback = new URL(page.location ?? "", h.url);
    // Act
    const stranger = new Client(h);
    const refused = await stranger.get(`${callback.pathname}${callback.search}`);
    const owner = await first.get(`${callback.pathname}${callback.search}`);
    const replay = await first.get(`${callback.pathname}${callback.search}`);
    // Assess
    expect(refused.status).toBe(400);
    expect(visibleText(refused.text)).toContain("Login tog for lang tid");
    expect(stranger.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(owner.status).toBe(200);
    expect(replay.status).toBe(400);
  });

  it("refuses someone the provider knows but fristflow does not, and a deactivated user", async () => {
    // Prepare
    h.users.push({
      id: "ukendt",
      name: "Ukendt",
      email: "ukendt@kommune.example.dk",
      roles: [],
      password: "ukendt-password-1",
    });
    const unknown = await loginThroughProvider(new Client(h), h.url, "ukendt", "ukendt-password-1");
    const erik = user("erik");
    await h.table.stores.users.update({ ...(await required(h, "erik")), active: false, updatedBy: "test" });
    // Act
    const deactivated = await loginThroughProvider(new Client(h), h.url, erik.email, erik.password);
    // Assess
    expect(unknown.status).toBe(403);
    expect(visibleText(unknown.text)).toContain("Din konto er ikke oprettet i fristflow");
    expect(deactivated.status).toBe(403);
    expect(visibleText(deactivated.text)).toContain("Din konto er deaktiveret");
    await h.table.stores.users.update({ ...(await required(h, "erik")), active: true, updatedBy: "test" });
  });
});

async function required(harness: Harness, id: string) {
  const found = await harness.table.stores.users.get(id);
  if (found === null) throw new Error(`no user ${id}`);
  return found;
}

describe("sessions end at once", () => {
  it("refuses the old cookie after logout", async () => {
    // Prepare
    const client = new Client(h);
    const anna = user("anna");
    await loginThroughProvider(client, h.url, anna.email, anna.password);
    const old = client.cookies.get(SESSION_COOKIE) ?? "";
    await client.get("/");
    // Act
    const out = await client.post("/logout", {});
    const replay = new Client(h);
    replay.cookies.set(SESSION_COOKIE, old);
    // Assess
    expect(out.status).toBe(303);
    expect((await replay.get("/")).status).toBe(303);
  });

  it("ends a person's every session when an administrator deactivates them or takes a role away", async () => {
    // Prepare: Sara logged in twice, Anna on the users page
    const anna = new Client(h);
    await loginThroughProvider(anna, h.url, user("anna").email, user("anna").password);
    const sara = [new Client(h), new Client(h)];
    for (const c of sara) await loginThroughProvider(c, h.url, user("sara").email, user("sara").password);
    for (const c of sara) expect((await c.get("/instances/_new")).status).toBe(200);
    await anna.get("/users/sara");
    // Act: take the caseworker role away, leaving viewer
    const saved = await anna.post("/users/sara", {
      name: "Sara Sagsbehandler",
      email: user("sara").email,
      roles: "viewer",
      active: "yes",
    });
    // Assess
    expect(saved.status).toBe(303);
    expect(saved.location).toBe("/users?saved=sara&ended=2");
    for (const c of sara) expect((await c.get("/")).status).toBe(303);
    const again = new Client(h);
    await loginThroughProvider(again, h.url, user("sara").email, user("sara").password);
    expect((await again.get("/")).status).toBe(200);
    expect((await again.get("/instances/_new")).status).toBe(403);
    const stored = await h.table.stores.users.get("sara");
    expect(stored?.updatedBy).toBe("user:anna (Anna Administrator)");
  });
});

describe("an administrator ends someone's sessions", () => {
  it("logs the person out everywhere, keeping their roles", async () => {
    // Prepare
    const anna = new Client(h);
    await loginThroughProvider(anna, h.url, user("anna").email, user("anna").password);
    const vera = new Client(h);
    await loginThroughProvider(vera, h.url, user("vera").email, user("vera").password);
    const form = await anna.get("/users/vera");
    // Act
    const ended = await anna.post("/users/vera/sessions/end", {});
    // Assess
    expect(visibleText(form.text)).toMatch(/Åbne sessioner: [1-9]/);
    expect(ended.status).toBe(303);
    expect(ended.location).toMatch(/^\/users\?saved=vera&ended=[1-9]/);
    expect((await vera.get("/")).status).toBe(303);
    expect((await h.table.stores.users.get("vera"))?.roles).toEqual(["viewer"]);
  });
});

describe("the audit trail names the person", () => {
  it("records who started an instance and who cancelled it, by user id and name, and shows their names", async () => {
    // Prepare: the test workflow and the schools, and Sara as a caseworker again
    const definition = testWorkflow();
    if ((await h.table.stores.workflows.get(definition.id)) === null) {
      await h.table.stores.workflows.putVersion({
        workflowId: definition.id,
        source: WORKFLOW_YAML,
        definition,
        createdBy: "test",
      });
    }
    for (const unit of UNITS) await h.table.stores.units.put(unit);
    const anna = new Client(h);
    await loginThroughProvider(anna, h.url, user("anna").email, user("anna").password);
    await anna.get("/");
    // Act
    const started = await anna.post("/instances/_new", {
      workflowId: definition.id,
      startDate: "2024-08-01",
      unitTypes: "skole",
    });
    const instanceId = (started.location ?? "").split("/").pop()?.split("?")[0] ?? "";
    await anna.get(`/instances/${instanceId}/cancel`);
    const cancelled = await anna.post(`/instances/${instanceId}/cancel`, { reason: "test" });
    const page = await anna.get(`/instances/${instanceId}`);
    // Assess
    expect(started.status).toBe(303);
    expect(cancelled.status).toBe(303);
    expect((await h.table.stores.instances.get(instanceId))?.createdBy).toBe(
      "user:anna (Anna Administrator)",
    );
    const trail = await h.table.stores.audit.list(instanceId);
    const byAction = new Map(trail.map((e) => [e.action, e.by]));
    expect(byAction.get("instance.created")).toBe("user:anna (Anna Administrator)");
    expect([...byAction.entries()].find(([a]) => a.includes("cancel"))?.[1]).toBe(
      "user:anna (Anna Administrator)",
    );
    expect(visibleText(page.text)).toContain("Anna Administrator (anna)");
  });
});
