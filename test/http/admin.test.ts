import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  type Harness,
  park,
  postOversized,
  required,
  snapshot,
  startHarness,
  UNITS,
  WORKFLOW_YAML,
} from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  for (const unit of UNITS) await h.table.stores.units.put(unit);
});
afterAll(async () => {
  await h.close();
});

interface ApiOptions {
  method?: string;
  body?: string;
  type?: string;
  token?: string | null;
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by expect(), field by field.
type Json = any;

async function api(
  path: string,
  options: ApiOptions = {},
): Promise<{ status: number; text: string; json: Json }> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["content-type"] = options.type ?? "application/json";
  const response = await fetch(`${h.url}${path}`, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

const ROUTES: [string, string][] = [
  ["POST", "/api/workflows"],
  ["GET", "/api/workflows"],
  ["GET", "/api/workflows/skoleopfoelgning"],
  ["POST", "/api/instances"],
  ["GET", "/api/instances"],
  ["GET", "/api/instances/x-1"],
  ["POST", "/api/instances/x-1/cancel"],
  ["GET", "/api/units"],
  ["GET", "/api/units/skole-a"],
  ["PUT", "/api/units/skole-a"],
  ["DELETE", "/api/units/skole-a"],
  ["GET", "/api/no-such-route"],
];

describe("authentication", () => {
  it("refuses every route without a token with 401 JSON", async () => {
    for (const [method, path] of ROUTES) {
      // Act
      const response = await api(path, { method, token: null, ...(method === "GET" ? {} : { body: "{}" }) });
      // Assess
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.json).toMatchObject({ error: "unauthorized" });
      expect(response.text).not.toContain(ADMIN_TOKEN);
    }
  });

  it("refuses a wrong token with 401 and echoes neither token", async () => {
    // Prepare
    const wrong = "wrong-token-that-must-not-come-back";
    for (const [method, path] of ROUTES) {
      // Act
      const response = await fetch(`${h.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${wrong}`, "content-type": "application/json" },
        ...(method === "GET" ? {} : { body: "{}" }),
      });
      const text = await response.text();
      // Assess
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(ADMIN_TOKEN);
      expect(JSON.stringify([...response.headers])).not.toContain(wrong);
    }
  });

  it("refuses a token of another scheme or a prefix of the right one", async () => {
    // Act
    const basic = await fetch(`${h.url}/api/units`, { headers: { authorization: `Basic ${ADMIN_TOKEN}` } });
    const prefix = await api("/api/units", { token: ADMIN_TOKEN.slice(0, -1) });
    // Assess
    expect(basic.status).toBe(401);
    expect(prefix.status).toBe(401);
  });
});

describe("the refusals' bodies and challenges", () => {
  it("says a token is required, with the realm, when there is none or it is not a bearer token", async () => {
    for (const authorization of [
      undefined,
      `Basic ${ADMIN_TOKEN}`,
      "Bearer ",
      `Bearer ${ADMIN_TOKEN} extra`,
    ]) {
      // Act
      const response = await fetch(`${h.url}/api/units`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      const body = await response.json();
      // Assess
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="fristflow-admin"');
      expect(body).toEqual({
        error: "unauthorized",
        message: "a bearer token is required",
        requestId: response.headers.get("x-request-id"),
      });
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    }
  });

  it("says the token is not valid, with error=invalid_token, for a wrong one", async () => {
    // Act
    const response = await fetch(`${h.url}/api/units`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}x` },
    });
    const body = await response.json();
    // Assess
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      'Bearer realm="fristflow-admin", error="invalid_token"',
    );
    expect(body).toMatchObject({ error: "unauthorized", message: "the bearer token is not valid" });
  });

  it("takes the scheme in any case and the token after more than one space", async () => {
    // Act
    const response = await fetch(`${h.url}/api/units`, {
      headers: { authorization: `bearer   ${ADMIN_TOKEN}` },
    });
    // Assess
    expect(response.status).toBe(200);
  });
});

describe("request ids and security headers", () => {
  it("gives every request a fresh id of its own and never takes the client's", async () => {
    // Act
    const forged = "forged-id-0000";
    const first = await fetch(`${h.url}/api/nothing-here`, { headers: { "x-request-id": forged } });
    const second = await fetch(`${h.url}/api/nothing-here`, { headers: { "x-request-id": forged } });
    const firstId = required(first.headers.get("x-request-id"), "request id");
    const secondId = required(second.headers.get("x-request-id"), "request id");
    // Assess
    expect(firstId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(firstId).not.toBe(forged);
    expect(secondId).not.toBe(firstId);
    expect(((await first.json()) as { requestId?: string }).requestId).toBe(firstId);
    expect(await second.text()).not.toContain(forged);
  });

  it("sends JSON, refusals included, with a policy that allows nothing and the fixed headers", async () => {
    for (const response of [
      await fetch(`${h.url}/api/units`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
      await fetch(`${h.url}/api/units`),
      // An unknown address outside the API is a page with the dashboard's policy (error-pages.test.ts).
      await fetch(`${h.url}/api/nothing-here`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
    ]) {
      // Assess
      expect(response.headers.get("content-security-policy")).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      await response.arrayBuffer();
    }
  });
});

describe("workflows", () => {
  it("stores a YAML definition as version 1, then 2, and serves them", async () => {
    // Act
    const first = await api("/api/workflows", { body: WORKFLOW_YAML, type: "application/yaml" });
    const second = await api("/api/workflows", {
      body: WORKFLOW_YAML,
      type: "application/yaml; charset=utf-8",
    });
    const list = await api("/api/workflows");
    const latest = await api("/api/workflows/skoleopfoelgning");
    const one = await api("/api/workflows/skoleopfoelgning?version=1");
    const missing = await api("/api/workflows/skoleopfoelgning?version=9");
    // Assess
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ id: "skoleopfoelgning", version: 1 });
    expect(second.json).toEqual({ id: "skoleopfoelgning", version: 2 });
    expect(list.json.workflows).toEqual([
      expect.objectContaining({ workflowId: "skoleopfoelgning", latestVersion: 2 }),
    ]);
    expect(latest.json).toMatchObject({ workflowId: "skoleopfoelgning", version: 2, source: WORKFLOW_YAML });
    expect(latest.json.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(one.json.version).toBe(1);
    expect(missing.status).toBe(404);
  });

  it("takes JSON too, and refuses other media types with 415", async () => {
    // Prepare
    const definition = {
      id: "json-flow",
      title: "JSON",
      milestones: [{ id: "a", title: "A", owner: "unit:forvaltning", due: "P1M" }],
    };
    // Act
    const json = await api("/api/workflows", { body: JSON.stringify(definition, null, 2) });
    const html = await api("/api/workflows", { body: "<p>x</p>", type: "text/html" });
    // Assess
    expect(json.status).toBe(201);
    expect(json.json).toEqual({ id: "json-flow", version: 1 });
    expect(html.status).toBe(415);
  });

  it("answers an invalid definition with located errors, like fristflow validate, and stores nothing", async () => {
    // Prepare
    const broken = WORKFLOW_YAML.replace("id: skoleopfoelgning", "id: broken-flow").replace(
      'due: "2024-06-01"',
      "due: next tuesday",
    );
    const before = await snapshot(h.table);
    // Act
    const response = await api("/api/workflows", { body: broken, type: "application/yaml" });
    // Assess
    expect(response.status).toBe(400);
    const line = broken.split("\n").findIndex((l) => l.includes("next tuesday")) + 1;
    expect(response.json.errors).toEqual([
      expect.objectContaining({
        file: "<request body>",
        line,
        column: 10,
        path: "milestones[0].due",
        message: expect.stringContaining("not a valid due"),
      }),
    ]);
    expect(await snapshot(h.table)).toEqual(before);
    expect((await api("/api/workflows/broken-flow")).status).toBe(404);
  });
});

describe("instances", () => {
  it("refuses a CPR-looking parameter with 400, without repeating it, and stores nothing", async () => {
    // Prepare
    await api("/api/workflows", { body: WORKFLOW_YAML, type: "application/yaml" });
    const before = await snapshot(h.table);
    const starts = h.starts.length;
    // Act
    const response = await api("/api/instances", {
      body: JSON.stringify({
        workflowId: "skoleopfoelgning",
        start: "2024-04-01",
        params: { sag: "010203-1234" },
      }),
    });
    // Assess
    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([
      expect.objectContaining({ path: "params.sag", message: expect.stringContaining("CPR") }),
    ]);
    expect(response.text).not.toContain("010203");
    expect(await snapshot(h.table)).toEqual(before);
    expect(h.starts).toHaveLength(starts);
  });

  it("answers other bad input with located errors: unknown workflow, bad date, unknown unit", async () => {
    // Act
    const unknown = await api("/api/instances", {
      body: JSON.stringify({ workflowId: "nope", start: "2024-04-01" }),
    });
    const badDate = await api("/api/instances", {
      body: JSON.stringify({ workflowId: "skoleopfoelgning", start: "2024-02-30", units: ["skole-x"] }),
    });
    const shape = await api("/api/instances", { body: JSON.stringify({ workflowId: 7, extra: true }) });
    const notJson = await api("/api/instances", { body: "{not json" });
    // Assess
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors).toEqual([expect.objectContaining({ path: "workflowId" })]);
    expect(badDate.status).toBe(400);
    expect(badDate.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(["start", "units[0]"]);
    expect(shape.status).toBe(400);
    expect(shape.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "extra",
      "start",
      "workflowId",
    ]);
    expect(notJson.status).toBe(400);
  });

  it("starts an instance over the directory's schools: 201, loop started once, milestones per unit", async () => {
    // Prepare
    await api("/api/workflows", { body: WORKFLOW_YAML, type: "application/yaml" });
    const starts = h.starts.length;
    // Act
    const created = await api("/api/instances", {
      body: JSON.stringify({
        workflowId: "skoleopfoelgning",
        start: "2024-04-01",
        params: { sag: "S-2024-17" },
      }),
    });
    const id = created.json.id as string;
    const detail = await api(`/api/instances/${id}`);
    const list = await api("/api/instances?workflowId=skoleopfoelgning&status=running");
    // Assess
    expect(created.status).toBe(201);
    expect(id).toMatch(/^skoleopfoelgning-[0-9a-f]{16}$/);
    expect(h.starts.slice(starts)).toEqual([id]);
    expect(detail.status).toBe(200);
    expect(detail.json.instance).toMatchObject({
      instanceId: id,
      status: "running",
      params: { sag: "S-2024-17" },
    });
    expect(detail.json.instance.units.map((u: { id: string }) => u.id)).toEqual(["skole-a", "skole-b"]);
    const groups = detail.json.units as {
      unit: { id: string } | null;
      milestones: { key: string; status: string }[];
    }[];
    expect(groups.map((g) => g.unit?.id ?? null)).toEqual([null, "skole-a", "skole-b"]);
    expect(groups[1]?.milestones).toEqual([
      expect.objectContaining({
        key: "status/skole-a/0",
        status: "open",
        title: "Statusrapport",
        unitName: "Skole A",
      }),
    ]);
    expect(groups[0]?.milestones[0]).toMatchObject({
      key: "plan/-/0",
      title: "<script>alert('x')</script> & plan",
    });
    expect(list.json.instances.map((i: { instanceId: string }) => i.instanceId)).toContain(id);
  });

  it("cancels an instance and wakes its parked loop so it finishes; cancelling again is 'already'", async () => {
    // Prepare
    const created = await api("/api/instances", {
      body: JSON.stringify({ workflowId: "skoleopfoelgning", start: "2024-04-01", units: ["skole-a"] }),
    });
    const id = created.json.id as string;
    await park(h, id, "cancel-token");
    h.wakes.length = 0;
    // Act
    const cancelled = await api(`/api/instances/${id}/cancel`, {
      body: JSON.stringify({ reason: "lukket" }),
    });
    const again = await api(`/api/instances/${id}/cancel`, { method: "POST" });
    const unknown = await api("/api/instances/skoleopfoelgning-0000/cancel", { method: "POST" });
    // Assess
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toEqual({ id, status: "cancelled", woken: true });
    expect(h.wakes).toEqual([{ token: "cancel-token", payload: { reason: "cancelled" } }]);
    expect(again.json).toMatchObject({ id, status: "already", woken: false });
    expect((await api(`/api/instances/${id}`)).json.instance.status).toBe("cancelled");
    expect(unknown.status).toBe(404);
  });
});

describe("units", () => {
  it("puts and gets a unit", async () => {
    // Prepare
    const unit = {
      id: "dagtilbud-sol",
      name: "Dagtilbud Solen",
      type: "dagtilbud",
      leader: { name: "Sara Sol", email: "sara@example.dk" },
    };
    // Act
    const put = await api("/api/units/dagtilbud-sol", { method: "PUT", body: JSON.stringify(unit) });
    const got = await api("/api/units/dagtilbud-sol");
    const byType = await api("/api/units?type=dagtilbud");
    // Assess
    expect(put.status).toBe(200);
    expect(got.json).toEqual(unit);
    expect(byType.json.units).toEqual([unit]);
  });

  it("refuses a bad e-mail with 400 and its path, and an id that differs from the address", async () => {
    // Prepare
    const before = await snapshot(h.table);
    const unit = {
      id: "skole-c",
      name: "Skole C",
      type: "skole",
      leader: { name: "C", email: "not-an-address" },
    };
    // Act
    const badEmail = await api("/api/units/skole-c", { method: "PUT", body: JSON.stringify(unit) });
    const mismatch = await api("/api/units/skole-d", {
      method: "PUT",
      body: JSON.stringify({ ...unit, leader: { name: "C", email: "c@example.dk" } }),
    });
    // Assess
    expect(badEmail.status).toBe(400);
    expect(badEmail.json.errors).toEqual([expect.objectContaining({ path: "leader.email" })]);
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.errors).toEqual([expect.objectContaining({ path: "id" })]);
    expect(await snapshot(h.table)).toEqual(before);
  });

  it("answers an unknown unit with 404 and deletes a known one", async () => {
    // Act
    const unknown = await api("/api/units/skole-zz");
    const removed = await api("/api/units/dagtilbud-sol", { method: "DELETE" });
    const gone = await api("/api/units/dagtilbud-sol");
    // Assess
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: "not_found" });
    expect(removed.status).toBe(204);
    expect(gone.status).toBe(404);
  });
});

describe("limits and unknown routes", () => {
  it("refuses a body over 512 KiB with 413", async () => {
    // Prepare
    const body = `# ${"x".repeat(512 * 1024)}\n${WORKFLOW_YAML}`;
    // Act: on a connection of its own, since the server answers before reading it all and closes it.
    const response = await postOversized(h, "/api/workflows", body, "application/yaml");
    // Assess
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text)).toMatchObject({ error: "too_large" });
  });

  it("answers unknown routes with 404: JSON in the API, a page outside it (test/http/error-pages.test.ts)", async () => {
    // Act
    const inApi = await api("/api/nothing-here");
    const outside = await fetch(`${h.url}/nothing-here`, { redirect: "manual" });
    // Assess
    expect(inApi.status).toBe(404);
    expect(inApi.json).toMatchObject({ error: "not_found" });
    expect(required(inApi.json.requestId, "request id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(outside.status).toBe(404);
    expect(outside.headers.get("content-type")).toContain("text/html");
    expect(outside.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
