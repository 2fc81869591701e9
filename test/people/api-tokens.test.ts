/**
 * Personal API tokens over real HTTP on DynamoDB Local: made on the dashboard by people logged in
 * through the embedded OpenID provider, shown once, then used as the bearer token on /api with
 * their owner's roles of the moment; refused after revocation (by the owner or an administrator),
 * after the owner is deactivated or loses the role a route needs, and after expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countDynamoOps } from "../../shared/store/index.ts";
import { userAuditId } from "../../shared/store/ports.ts";
import { Client, loginThroughProvider, type Page, visibleText } from "../dashboard/client.ts";
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
  const definition = testWorkflow();
  await h.table.stores.workflows.putVersion({
    workflowId: definition.id,
    source: WORKFLOW_YAML,
    definition,
    createdBy: "test",
  });
  for (const unit of UNITS) await h.table.stores.units.put(unit);
});
afterAll(async () => {
  await h.close();
});

async function loggedIn(id: string): Promise<Client> {
  const person = TEST_USERS.find((u) => u.id === id);
  if (person === undefined) throw new Error(id);
  const client = new Client(h);
  await loginThroughProvider(client, h.url, person.email, person.password);
  await client.get("/tokens");
  return client;
}

/** Creates a token on the dashboard and reads it off the one page that shows it. */
async function makeToken(client: Client, name: string, days = "90"): Promise<{ token: string; page: Page }> {
  await client.get("/tokens");
  const page = await client.post("/tokens", { name, days });
  const token = /id="new-token" type="text" readonly value="([^"]+)"/.exec(page.text)?.[1];
  if (page.status !== 201 || token === undefined) throw new Error(`no token: ${page.status}`);
  return { token, page };
}

async function api(token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${h.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function stored(id: string) {
  const user = await h.table.stores.users.get(id);
  if (user === null) throw new Error(id);
  return user;
}

describe("making a token on the dashboard", () => {
  it("shows the token once, then lists it by name and dates without the secret", async () => {
    // Prepare
    const vera = await loggedIn("vera");
    // Act
    const { token, page } = await makeToken(vera, "Rapport-script");
    const list = await vera.get("/tokens");
    // Assess
    expect(token).toMatch(/^ff_vera\.[a-f0-9]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(visibleText(page.text)).toContain("Den bliver ikke vist igen");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(list.status).toBe(200);
    expect(visibleText(list.text)).toContain("Rapport-script");
    expect(visibleText(list.text)).toContain("Aldrig");
    expect(list.text).not.toContain(token);
    expect(list.text).not.toContain(token.split(".")[2]);
    const [record] = await h.table.stores.apiTokens.list("vera");
    expect(JSON.stringify(record)).not.toContain(token.split(".")[2]);
    const trail = await h.table.stores.audit.list(userAuditId("vera"));
    expect(trail.map((e) => [e.action, e.by])).toContainEqual(["apiToken.created", "user:vera (Vera Læser)"]);
  });

  it("refuses a form without a name or with a lifetime that is not offered, and makes nothing", async () => {
    const vera = await loggedIn("vera");
    const before = (await h.table.stores.apiTokens.list("vera")).length;
    const nameless = await vera.post("/tokens", { name: " ", days: "90" });
    const forever = await vera.post("/tokens", { name: "For evigt", days: "36500" });
    expect(nameless.status).toBe(400);
    expect(visibleText(nameless.text)).toContain("Skriv et navn");
    expect(forever.status).toBe(400);
    expect(visibleText(forever.text)).toContain("Vælg, hvor længe nøglen skal gælde");
    expect(await h.table.stores.apiTokens.list("vera")).toHaveLength(before);
  });
});

describe("using a token on the API", () => {
  it("acts as a viewer for a viewer's token: reads work, a POST is 403", async () => {
    const { token } = await makeToken(await loggedIn("vera"), "Læser");
    expect((await api(token, "GET", "/instances")).status).toBe(200);
    expect((await api(token, "GET", "/units")).status).toBe(200);
    const post = await api(token, "POST", "/instances", {
      workflowId: "skoleopfoelgning",
      start: "2024-08-01",
    });
    expect(post.status).toBe(403);
    expect(post.body.error).toBe("forbidden");
  });

  it("names the person in the audit trail, and loses a route at once when the role it needs is taken away", async () => {
    // Prepare: Sara, a caseworker granted the workflow, with a token; Anna on the users page
    await h.table.stores.users.setGrants("sara", ["skoleopfoelgning"], "test");
    const { token } = await makeToken(await loggedIn("sara"), "ESDH");
    const started = await api(token, "POST", "/instances", {
      workflowId: "skoleopfoelgning",
      start: "2024-08-01",
      unitTypes: ["skole"],
    });
    const instanceId = String(started.body.id);
    const anna = await loggedIn("anna");
    await anna.get("/users/sara");
    // Act
    const saved = await anna.post("/users/sara", {
      name: "Sara Sagsbehandler",
      email: "sara@kommune.example.dk",
      roles: "viewer",
      active: "yes",
    });
    const cancel = await api(token, "POST", `/instances/${instanceId}/cancel`, { reason: "test" });
    const read = await api(token, "GET", `/instances/${instanceId}`);
    // Assess
    expect(started.status).toBe(201);
    const trail = await h.table.stores.audit.list(instanceId);
    expect(trail.find((e) => e.action === "instance.created")?.by).toBe("user:sara (Sara Sagsbehandler)");
    expect(saved.status).toBe(303);
    expect(cancel.status).toBe(403);
    expect(read.status).toBe(200);
    await h.table.stores.users.update({
      ...(await stored("sara")),
      roles: ["caseworker"],
      updatedBy: "test",
    });
    expect((await api(token, "POST", `/instances/${instanceId}/cancel`, {})).status).toBe(200);
  });

  it("stops working once its owner is deactivated, and again once they are active", async () => {
    const { token } = await makeToken(await loggedIn("erik"), "Import");
    expect((await api(token, "GET", "/workflows")).status).toBe(200);
    await h.table.stores.users.update({ ...(await stored("erik")), active: false, updatedBy: "test" });
    const refused = await api(token, "GET", "/workflows");
    await h.table.stores.users.update({ ...(await stored("erik")), active: true, updatedBy: "test" });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe("unauthorized");
    expect((await api(token, "GET", "/workflows")).status).toBe(200);
  });

  it("notes when it was last used", async () => {
    const { token } = await makeToken(await loggedIn("vera"), "Brugt");
    await api(token, "GET", "/units");
    const tokenId = token.split(".")[1];
    const record = (await h.table.stores.apiTokens.list("vera")).find((t) => t.tokenId === tokenId);
    expect(record?.lastUsedAt).toBe(h.clock.now().toString());
  });
});

describe("revoking", () => {
  it("refuses a token its owner revoked, and audits the revocation with who", async () => {
    // Prepare
    const erik = await loggedIn("erik");
    const { token } = await makeToken(erik, "Kortlivet");
    const tokenId = token.split(".")[1] ?? "";
    expect((await api(token, "GET", "/units")).status).toBe(200);
    await erik.get("/tokens");
    // Act
    const revoked = await erik.post(`/tokens/${tokenId}/revoke`, {});
    // Assess
    expect(revoked.status).toBe(303);
    expect((await api(token, "GET", "/units")).status).toBe(401);
    expect(visibleText((await erik.get("/tokens?revoked=1")).text)).toContain("Nøglen er tilbagekaldt");
    const trail = await h.table.stores.audit.list(userAuditId("erik"));
    expect(trail.map((e) => [e.action, e.by, e.details?.tokenId])).toContainEqual([
      "apiToken.revoked",
      "user:erik (Erik Redaktør)",
      tokenId,
    ]);
  });

  it("lets an administrator see and revoke someone's token, and no one else revoke it", async () => {
    // Prepare
    const { token } = await makeToken(await loggedIn("vera"), "Glemt på en bærbar");
    const tokenId = token.split(".")[1] ?? "";
    const anna = await loggedIn("anna");
    const erik = await loggedIn("erik");
    // Act
    const list = await anna.get("/users/vera/tokens");
    const stranger = await erik.post(`/tokens/${tokenId}/revoke`, {});
    const stillWorks = (await api(token, "GET", "/units")).status;
    const revoked = await anna.post(`/users/vera/tokens/${tokenId}/revoke`, {});
    // Assess
    expect(list.status).toBe(200);
    expect(visibleText(list.text)).toContain("Glemt på en bærbar");
    expect(list.text).not.toContain(token);
    expect(stranger.status).toBe(404);
    expect(stillWorks).toBe(200);
    expect(revoked.status).toBe(303);
    expect((await api(token, "GET", "/units")).status).toBe(401);
    const trail = await h.table.stores.audit.list(userAuditId("vera"));
    expect(trail.map((e) => [e.action, e.by])).toContainEqual([
      "apiToken.revoked",
      "user:anna (Anna Administrator)",
    ]);
  });
});

describe("expiry", () => {
  it("refuses a token after its lifetime (the clock moved on 31 days)", async () => {
    const { token } = await makeToken(await loggedIn("vera"), "30 dage", "30");
    expect((await api(token, "GET", "/units")).status).toBe(200);
    h.clock.advance("P30D");
    const expired = await api(token, "GET", "/units");
    expect(expired.status).toBe(401);
    const list = await loggedIn("vera");
    expect(visibleText((await list.get("/tokens")).text)).toContain("Udløbet");
  });
});

describe("cost", () => {
  it("reads three items per API request with a personal token (limits, token, user), writing its last use at most once a minute", async () => {
    // Prepare
    const { token } = await makeToken(await loggedIn("vera"), "Målt");
    await api(token, "GET", "/workflows");
    const counter = countDynamoOps(h.table.doc);
    // Act
    await api(token, "GET", "/workflows");
    const warm = counter.byCommand();
    counter.reset();
    h.clock.advance("PT2M");
    await api(token, "GET", "/workflows");
    const touched = counter.byCommand();
    counter.detach();
    // Assess: the route's own read of the workflows aside
    console.log("DynamoDB per API request with a personal token:", JSON.stringify({ warm, touched }));
    expect(warm.BatchGetItem?.requests).toBe(1);
    expect(warm.GetItem?.requests).toBe(2);
    expect(warm.UpdateItem).toBeUndefined();
    expect(touched.UpdateItem?.requests).toBe(1);
  });
});
