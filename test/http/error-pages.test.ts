/**
 * Error pages are pages: over real HTTP, an unknown address, a method a page does not take and a
 * failure inside or before a route answer an HTML page in the reader's language with a way on
 * (the overview when logged in, with the menu; the login without), never JSON or a stack trace;
 * the API keeps answering JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, loginThroughProvider, visibleText } from "../dashboard/client.ts";
import { ADMIN_TOKEN, type Harness, startHarness, TEST_USERS } from "./harness.ts";

let h: Harness;
let anna: Client;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
  anna = new Client(h);
  const user = TEST_USERS[0];
  if (user === undefined) throw new Error("no test user");
  await loginThroughProvider(anna, h.url, user.email, user.password);
}, 120_000);
afterAll(async () => {
  await h.close();
});

async function anonymous(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; type: string; text: string; headers: Headers }> {
  const response = await fetch(`${h.url}${path}`, { redirect: "manual", ...init });
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    text: await response.text(),
    headers: response.headers,
  };
}

/** A page, not an answer for a program, and nothing of the code behind it. */
function expectPage(page: { headers: Headers; text: string }): void {
  expect(page.headers.get("content-type")).toContain("text/html");
  // The dashboard's own policy: its stylesheet by hash, no script at all.
  expect(page.headers.get("content-security-policy")).toMatch(/^default-src 'none'; style-src 'sha256-/);
  expect(page.headers.get("content-security-policy")).not.toContain("script-src");
  expect(page.headers.get("x-frame-options")).toBe("DENY");
  expect(page.text).toMatch(/^<!doctype html>/);
  expect(page.text).not.toContain('"error"');
  expect(page.text).not.toMatch(/\bat .*\.ts:\d+/);
  expect(page.text).not.toContain("TypeError");
}

describe("an unknown address", () => {
  it("without a login: a 404 page in Danish by default, with the way to log in and no menu", async () => {
    const page = await anonymous("/no-such-page");
    expect(page.status).toBe(404);
    expectPage(page);
    expect(page.text).toContain('<html lang="da">');
    expect(visibleText(page.text)).toContain("Siden findes ikke");
    expect(page.text).toContain('<a href="/login">Log ind</a>');
    expect(page.text).not.toContain('aria-label="Hovedmenu"');
  });

  it("without a login: in English for a browser that asks for English, unless the language switch said Danish", async () => {
    const english = await anonymous("/instances/x/y/z", {
      headers: { "accept-language": "en-GB,en;q=0.9,da;q=0.5" },
    });
    const switched = await anonymous("/instances/x/y/z", {
      headers: { "accept-language": "en-GB,en;q=0.9", cookie: "ff_lang=da" },
    });
    expect(english.status).toBe(404);
    expectPage(english);
    expect(english.text).toContain('<html lang="en">');
    expect(visibleText(english.text)).toContain("Page not found");
    expect(english.text).toContain('<a href="/login">Log in</a>');
    expect(switched.text).toContain('<html lang="da">');
  });

  it("logged in: a 404 page in the normal layout with the menu and the way to the overview, in the person's language", async () => {
    const danish = await anna.get("/no-such-page");
    await anna.get(`/language/en?${new URLSearchParams({ next: "/" }).toString()}`);
    const english = await anna.get("/no-such-page");
    await anna.get(`/language/da?${new URLSearchParams({ next: "/" }).toString()}`);
    expect(danish.status).toBe(404);
    expectPage(danish);
    expect(danish.text).toContain('aria-label="Hovedmenu"');
    expect(danish.text).toContain('<a href="/">Gå til overblikket</a>');
    expect(visibleText(danish.text)).toContain("Siden findes ikke");
    expect(english.status).toBe(404);
    expect(english.text).toContain('aria-label="Main menu"');
    expect(visibleText(english.text)).toContain("Page not found");
  });

  it("never repeats a CPR number from the address, logged in or not", async () => {
    for (const page of [await anonymous("/010203-1234"), await anna.get("/instances/x/0102031234")]) {
      expect(page.status).toBe(404);
      expect(page.text).not.toMatch(/010203-?1234/);
      expect(page.text).toContain("XXXXXX-XXXX");
    }
  });

  it("under /api stays JSON: a 401 without a token, a 404 with one", async () => {
    const stranger = await anonymous("/api/unknown");
    const known = await anonymous("/api/unknown", { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(stranger.status).toBe(401);
    expect(stranger.type).toContain("application/json");
    expect(known.status).toBe(404);
    expect(known.type).toContain("application/json");
    expect(JSON.parse(known.text)).toMatchObject({ error: "not_found" });
  });
});

describe("a page the person's role does not reach", () => {
  it("is a 403 page in the normal layout, with the menu and the way to the overview", async () => {
    const vera = new Client(h);
    const viewer = TEST_USERS.find((u) => u.id === "vera");
    if (viewer === undefined) throw new Error("no viewer");
    await loginThroughProvider(vera, h.url, viewer.email, viewer.password);
    const page = await vera.get("/users");
    expect(page.status).toBe(403);
    expectPage(page);
    expect(visibleText(page.text)).toContain("Din rolle giver ikke adgang");
    expect(page.text).toContain('aria-label="Hovedmenu"');
    expect(page.text).not.toContain('<a href="/users"');
    expect(page.text).toContain('<a href="/">Gå til overblikket</a>');
  });
});

describe("a method a page does not take", () => {
  it("is a 405 page that says which methods it takes", async () => {
    const page = await anonymous("/workflows", { method: "PUT" });
    expect(page.status).toBe(405);
    expectPage(page);
    expect(page.headers.get("allow")).toBe("GET, HEAD");
    expect(visibleText(page.text)).toContain("Det kan siden ikke");
  });
});

describe("a failure", () => {
  it("thrown in a route is a 500 page with the request id to quote, no detail of the error", async () => {
    const list = h.table.stores.workflows.list;
    h.table.stores.workflows.list = async () => {
      throw new TypeError("cannot read properties of undefined (reading 'secret')");
    };
    try {
      const page = await anna.get("/workflows");
      expect(page.status).toBe(500);
      expectPage(page);
      expect(page.text).toContain('aria-label="Hovedmenu"');
      expect(visibleText(page.text)).toContain("Noget gik galt");
      expect(visibleText(page.text)).toContain(`Fejl-id: ${page.headers.get("x-request-id")}`);
      expect(page.text).not.toContain("secret");
    } finally {
      h.table.stores.workflows.list = list;
    }
  });

  it("before the dashboard's routes (the session store failing) is a 500 page too, without the menu", async () => {
    const get = h.table.stores.sessions.get;
    h.table.stores.sessions.get = async () => {
      throw new TypeError("the session table is gone (secret)");
    };
    try {
      const page = await anna.get("/workflows");
      expect(page.status).toBe(500);
      expectPage(page);
      expect(visibleText(page.text)).toContain("Noget gik galt");
      expect(visibleText(page.text)).toContain(`Fejl-id: ${page.headers.get("x-request-id")}`);
      expect(page.text).not.toContain("secret");
    } finally {
      h.table.stores.sessions.get = get;
    }
  });
});
