/**
 * The access table, route by route: every route the app has is in the table (and nothing else
 * is), and over real HTTP every route answers nobody, each role and the admin token as this
 * test's own matrix says. The matrix is written here, not computed from the table, so a change
 * to who may do what has to be made twice, on purpose.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS } from "../../shared/http/access.ts";
import { Client, loginThroughProvider, type Page } from "../dashboard/client.ts";
import { ADMIN_TOKEN, type Harness, startHarness, TEST_USERS } from "../http/harness.ts";

/** A: administrator, E: editor, C: caseworker, V: viewer; `public` needs no login; `api`: admin token only. */
const EXPECTED: Record<string, string> = {
  "GET /login": "public",
  "POST /login": "public",
  "GET /login/oidc": "public",
  "GET /login/callback": "public",
  "GET /language/:language": "public",
  "GET /confirm/:id": "public",
  "POST /confirm/:id": "public",
  "GET /instances/:id/deadlines.ics": "public",
  "POST /logout": "AECV",
  "GET /": "AECV",
  "GET /deadlines.csv": "AECV",
  "GET /deadlines.xlsx": "AECV",
  "GET /instances": "AECV",
  "GET /instances/_new": "AC",
  "POST /instances/_new": "AC",
  "GET /instances/:id": "AECV",
  "GET /instances/:id/report": "AECV",
  "GET /instances/:id/milestones.csv": "AECV",
  "GET /instances/:id/milestones.xlsx": "AECV",
  "GET /instances/:id/audit.csv": "AECV",
  "GET /instances/:id/audit.xlsx": "AECV",
  "GET /instances/:id/cancel": "AC",
  "POST /instances/:id/cancel": "AC",
  "GET /workflows": "AECV",
  "GET /workflows/_new": "AE",
  "POST /workflows/_editor": "AE",
  "GET /workflows/:id": "AECV",
  "GET /workflows/:id/edit": "AE",
  "GET /units": "AECV",
  "GET /units/_new": "AE",
  "POST /units/_new": "AE",
  "GET /units/_import": "AE",
  "POST /units/_import": "AE",
  "GET /units/:id/edit": "AE",
  "POST /units/:id/edit": "AE",
  "GET /units/:id/delete": "AE",
  "POST /units/:id/delete": "AE",
  "GET /units/:id/deputies": "AE",
  "POST /units/:id/deputies": "AE",
  "POST /units/:id/deputies/:deputyId/end": "AE",
  "GET /outbox": "A",
  "GET /outbox/:id": "A",
  "GET /users": "A",
  "GET /users/_new": "A",
  "POST /users/_new": "A",
  "GET /users/:id": "A",
  "POST /users/:id": "A",
  "POST /users/:id/sessions/end": "A",
  "POST /api/workflows": "api",
  "GET /api/workflows": "api",
  "GET /api/workflows/:id": "api",
  "DELETE /api/workflows/:id/versions/:version": "api",
  "POST /api/instances": "api",
  "GET /api/instances": "api",
  "GET /api/instances/:id": "api",
  "POST /api/instances/:id/cancel": "api",
  "GET /api/units": "api",
  "GET /api/units/:id": "api",
  "PUT /api/units/:id": "api",
  "DELETE /api/units/:id": "api",
  "GET /login/saml": "public",
  "POST /login/saml/callback": "public",
  "GET /login/saml/metadata": "public",
  "GET /tokens": "AECV",
  "POST /tokens": "AECV",
  "POST /tokens/:id/revoke": "AECV",
  "GET /users/:id/tokens": "A",
  "POST /users/:id/tokens/:token/revoke": "A",
  "GET /access-log": "A",
  "GET /access-log.csv": "A",
  "GET /mine/:id": "public",
  "GET /mine/:id/deadlines.ics": "public",
  "POST /mine/:id/confirm": "public",
  "POST /mine/:id/deputies": "public",
  "POST /mine/:id/deputies/:deputyId/end": "public",
  "POST /users/:id/grants": "A",
  "GET /instances/:id/change/:action": "AC",
  "POST /instances/:id/change/:action": "AC",
  "POST /api/instances/:id/changes/:action/preview": "api",
  "POST /api/instances/:id/changes/:action": "api",
  "POST /api/workflows/:id/migrate/preview": "api",
  "POST /api/workflows/:id/migrate": "api",
  "GET /workflows/:id/migrate": "A",
  "POST /workflows/:id/migrate": "A",
  "POST /api/instances/_preview": "api",
  "GET /workflows/_reference": "AECV",
  "GET /instances/:id/notice": "AC",
  "POST /instances/:id/notice": "AC",
  "GET /outbox/:id/attachments/:n": "A",
  "GET /tilgaengelighed": "public",
};

const ROLE_LETTER: Record<string, string> = { anna: "A", erik: "E", sara: "C", vera: "V" };

type Outcome = "admitted" | "login" | "forbidden" | "csrf" | "error";

let h: Harness;
const clients = new Map<string, Client>();

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
  for (const user of TEST_USERS) {
    const client = new Client(h);
    await loginThroughProvider(client, h.url, user.email, user.password);
    await client.get("/"); // its forms' CSRF token
    clients.set(user.id, client);
  }
  const token = new Client(h);
  await token.login(ADMIN_TOKEN);
  clients.set("admin-token", token);
}, 120_000);
afterAll(async () => {
  await h.close();
});

/** A concrete address for a pattern: ids that do not exist, so an admitted change changes nothing. */
function concrete(path: string): string {
  const address = path.replace(":language", "en").replace(/:id/g, "zz-none");
  // The feed's own key (wrong here): without one it sends a person to log in, as a page would.
  return address.endsWith(".ics") ? `${address}?key=wrong` : address;
}

function outcomeOf(page: Page): Outcome {
  if (page.status >= 500) return "error";
  if (page.status === 401) return "login";
  // Logging out ends on the login page too, saying so.
  if (page.status === 303 && page.location === "/login?out=1") return "admitted";
  if (page.status === 303 && (page.location ?? "").startsWith("/login")) return "login";
  if (page.status === 403 && page.text.includes("Din rolle giver ikke adgang")) return "forbidden";
  if (page.status === 403 && page.text.includes('"forbidden"')) return "forbidden";
  if (page.status === 403 && page.text.includes("Formularen kunne ikke sendes")) return "csrf";
  return "admitted";
}

async function request(who: string | null, method: string, path: string): Promise<Page> {
  const client = who === null || who === "bearer" ? new Client(h) : (clients.get(who) as Client);
  if (!path.startsWith("/api/")) return method === "GET" ? client.get(path) : client.post(path, {});
  const headers: Record<string, string> = { "content-type": "application/json" };
  for (const [name, value] of client.cookies)
    headers.cookie = `${headers.cookie ? `${headers.cookie}; ` : ""}${name}=${value}`;
  if (who === "bearer") headers.authorization = `Bearer ${ADMIN_TOKEN}`;
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers,
    body: method === "GET" || method === "DELETE" ? null : "{}",
    redirect: "manual",
  });
  return {
    status: response.status,
    location: response.headers.get("location"),
    text: await response.text(),
    headers: response.headers,
  };
}

describe("the access table", () => {
  it("has a rule for every route of the app, and a route for every rule", () => {
    const routes = new Set(
      h.app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`),
    );
    const rules = new Set(ACCESS.map((r) => `${r.method} ${r.path}`));
    expect([...routes].filter((r) => !rules.has(r))).toEqual([]);
    expect([...rules].filter((r) => !routes.has(r))).toEqual([]);
    expect(Object.keys(EXPECTED).sort()).toEqual([...rules].sort());
  });

  it("answers every route, for nobody, each role and the admin token, as the matrix says", async () => {
    const wrong: string[] = [];
    let cells = 0;
    // Logging out last: it ends the session the other cells use.
    const rows = Object.entries(EXPECTED).sort(
      ([a], [b]) => Number(a === "POST /logout") - Number(b === "POST /logout"),
    );
    for (const [route, admitted] of rows) {
      const [method = "", pattern = ""] = route.split(" ");
      const path = concrete(pattern);
      const cases: [string | null, Outcome][] =
        admitted === "public"
          ? [[null, "admitted"]]
          : admitted === "api"
            ? [
                [null, "login"],
                ...TEST_USERS.map((u): [string, Outcome] => [u.id, "login"]),
                ["admin-token", "login"],
                ["bearer", "admitted"],
              ]
            : [
                [null, "login"],
                ...TEST_USERS.map((u): [string, Outcome] => [
                  u.id,
                  admitted.includes(ROLE_LETTER[u.id] ?? "?") ? "admitted" : "forbidden",
                ]),
                ["admin-token", "admitted"],
              ];
      for (const [who, expected] of cases) {
        cells += 1;
        const page = await request(who === "bearer" ? "bearer" : who, method, path);
        const got = outcomeOf(page);
        if (got !== expected)
          wrong.push(`${route} as ${who ?? "nobody"}: ${got} (${page.status}), expected ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(cells).toBeGreaterThan(250);
  }, 120_000);
});

/** The API by personal token: each role's own token, made on the dashboard, on every API route. */
const API_BY_ROLE: Record<string, string> = {
  "POST /api/workflows": "AE",
  "GET /api/workflows": "AECV",
  "GET /api/workflows/:id": "AECV",
  "DELETE /api/workflows/:id/versions/:version": "A",
  "POST /api/instances": "AC",
  "GET /api/instances": "AECV",
  "GET /api/instances/:id": "AECV",
  "POST /api/instances/:id/cancel": "AC",
  "GET /api/units": "AECV",
  "GET /api/units/:id": "AECV",
  "PUT /api/units/:id": "AE",
  "DELETE /api/units/:id": "AE",
  "POST /api/instances/:id/changes/:action/preview": "AC",
  "POST /api/instances/:id/changes/:action": "AC",
  "POST /api/workflows/:id/migrate/preview": "A",
  "POST /api/workflows/:id/migrate": "A",
  "POST /api/instances/_preview": "AC",
};

describe("the API with personal tokens", () => {
  it("answers every API route, for each role's own token, as the matrix says", async () => {
    // Prepare: every person logs in again (the table test logged them out) and makes a token
    const tokens = new Map<string, string>();
    for (const user of TEST_USERS) {
      const client = new Client(h);
      await loginThroughProvider(client, h.url, user.email, user.password);
      await client.get("/tokens");
      const page = await client.post("/tokens", { name: "matrix", days: "30" });
      tokens.set(user.id, /id="new-token" type="text" readonly value="([^"]+)"/.exec(page.text)?.[1] ?? "");
    }
    const apiRoutes = ACCESS.filter((r) => r.area === "api").map((r) => `${r.method} ${r.path}`);
    // Act
    const wrong: string[] = [];
    for (const [route, admitted] of Object.entries(API_BY_ROLE)) {
      const [method = "", pattern = ""] = route.split(" ");
      for (const user of TEST_USERS) {
        const response = await fetch(`${h.url}${concrete(pattern)}`, {
          method,
          headers: { authorization: `Bearer ${tokens.get(user.id)}`, "content-type": "application/json" },
          body: method === "GET" || method === "DELETE" ? null : "{}",
        });
        const page = {
          status: response.status,
          location: null,
          text: await response.text(),
          headers: response.headers,
        };
        const expected: Outcome = admitted.includes(ROLE_LETTER[user.id] ?? "?") ? "admitted" : "forbidden";
        const got = outcomeOf(page);
        if (got !== expected)
          wrong.push(`${route} as ${user.id}'s token: ${got} (${page.status}), expected ${expected}`);
      }
    }
    // Assess
    expect(Object.keys(API_BY_ROLE).sort()).toEqual(apiRoutes.sort());
    expect(wrong).toEqual([]);
  }, 120_000);
});
