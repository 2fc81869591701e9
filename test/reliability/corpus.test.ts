/**
 * The bad-input corpus (test/reliability/corpus/): every bad workflow definition and bad API body
 * is sent to the admin API over real HTTP and must be refused with the right 4xx and an error
 * that says where (line:column for a file, a JSON path for a parsed body) and what; nothing may be
 * stored. Added here, because they cannot be files: bodies over 512 KiB, forged admin tokens,
 * forged, tampered and expired confirm links, and markup in titles (accepted as text, escaped
 * where a page shows it).
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConfirmLink, linkExpiry } from "../../shared/links/confirm-link.ts";
import { loadWorkflow, MAX_SOURCE_BYTES } from "../../shared/model/load.ts";
import { plan } from "../../shared/timeline/plan.ts";
import {
  ADMIN_TOKEN,
  type Harness,
  instanceWithLinks,
  LINK_KEY,
  postOversized,
  pressConfirm,
  required,
  snapshot,
  startHarness,
  UNITS,
  WORKFLOW_YAML,
} from "../http/harness.ts";

interface Case {
  file: string;
  request: string;
  type: string;
  status: number;
  error: { at: string | null; path: string; message: string };
}

interface ApiError {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

const CORPUS = new URL("./corpus/", import.meta.url);
const cases = (JSON.parse(readFileSync(new URL("cases.json", CORPUS), "utf8")) as { cases: Case[] }).cases;
const CPR_LIKE = /\b\d{6}-?\d{4}\b/g;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  const saved = await send("POST", "/api/workflows", WORKFLOW_YAML, "application/yaml");
  expect(saved.status).toBe(201);
});
afterAll(async () => {
  await h.close();
});

async function send(
  method: string,
  path: string,
  body: string | Buffer,
  type: string,
  token: string | null = ADMIN_TOKEN,
): Promise<{ status: number; text: string; headers: Headers }> {
  const headers: Record<string, string> = { "content-type": type };
  if (token !== null) headers.authorization = token.includes(" ") ? token : `Bearer ${token}`;
  const response = await fetch(`${h.url}${path}`, { method, headers, body });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

describe("the corpus", () => {
  it("has at least 40 cases, each a file that exists", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const c of cases) expect(readFileSync(new URL(c.file, CORPUS)).length).toBeGreaterThan(0);
  });

  it.each(cases)("$file: $status with a located error, nothing stored", async (c) => {
    // Prepare
    const body = readFileSync(new URL(c.file, CORPUS));
    const [method = "", path = ""] = c.request.split(" ");
    const before = await snapshot(h.table);
    const starts = h.starts.length;

    // Act
    const response = await send(method, path, body, c.type);

    // Assess: the status, and an error where the case says, saying what it says.
    expect(response.status).toBe(c.status);
    const json = JSON.parse(response.text) as { error: string; errors?: ApiError[] };
    expect(json.error).toBe("invalid");
    const errors = json.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    const match = errors.find((e) => e.path === c.error.path && e.message.includes(c.error.message));
    expect(match, `${c.file}: ${JSON.stringify(errors, null, 1)}`).toBeDefined();
    if (c.error.at === null) {
      // A parsed JSON body has no positions: the path is the location.
      expect(match?.line).toBe(0);
    } else {
      expect(`${match?.line}:${match?.column}`).toBe(c.error.at);
      // A file: every error has its line and column.
      expect(errors.filter((e) => e.line < 1 || e.column < 1)).toEqual([]);
    }
    expect(errors.every((e) => e.file === "<request body>")).toBe(true);
    // A CPR number in the input is never repeated, not even in the refusal.
    for (const cpr of body.toString("utf8").match(CPR_LIKE) ?? []) {
      expect(response.text).not.toContain(cpr);
      expect(response.text).not.toContain(cpr.replace("-", ""));
    }
    // Nothing stored: no workflow version, instance, unit or audit entry.
    expect(await snapshot(h.table)).toEqual(before);
    expect(h.starts).toHaveLength(starts);
  });
});

describe("inputs too large or of the wrong kind", () => {
  const hugeWorkflow = () =>
    `id: stor\ntitle: Stor\ndescription: ${"Stærke fællesskaber ".repeat(Math.ceil((MAX_SOURCE_BYTES + 64 * 1024) / 21))}\nmilestones:\n  - id: plan\n    title: Plan\n    owner: unit:forvaltning\n    due: 2024-10-31\n`;

  it("a definition over 512 KiB: 413 from the API, and the loader locates it at 1:1 before parsing", async () => {
    // Prepare
    const text = hugeWorkflow();
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_SOURCE_BYTES);
    const before = await snapshot(h.table);

    // Act
    const response = await postOversized(h, "/api/workflows", text, "application/yaml");
    const loaded = loadWorkflow(text, "workflows/stor.yaml");

    // Assess
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text)).toMatchObject({ error: "too_large" });
    expect(loaded.ok).toBe(false);
    const error = loaded.ok ? undefined : loaded.errors[0];
    expect(error).toMatchObject({ file: "workflows/stor.yaml", line: 1, column: 1, path: "" });
    expect(error?.message).toContain("at most 512 KiB");
    expect(await snapshot(h.table)).toEqual(before);
  });

  it("a JSON body over 512 KiB is refused with 413 before it is parsed", async () => {
    // Prepare
    const body = JSON.stringify({
      workflowId: "skoleopfoelgning",
      start: "2024-09-01",
      params: { sag: "x".repeat(MAX_SOURCE_BYTES + 1) },
    });
    const before = await snapshot(h.table);
    const starts = h.starts.length;

    // Act
    const response = await postOversized(h, "/api/instances", body, "application/json");

    // Assess
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text)).toMatchObject({ error: "too_large" });
    expect(await snapshot(h.table)).toEqual(before);
    expect(h.starts).toHaveLength(starts);
  });

  it.each([
    { method: "POST", path: "/api/workflows", body: WORKFLOW_YAML, type: "text/html" },
    { method: "POST", path: "/api/workflows", body: WORKFLOW_YAML, type: "multipart/form-data; boundary=x" },
    {
      method: "POST",
      path: "/api/instances",
      body: '{"workflowId":"skoleopfoelgning","start":"2024-09-01"}',
      type: "text/plain",
    },
    {
      method: "PUT",
      path: "/api/units/skole-z",
      body: JSON.stringify(UNITS[0]),
      type: "application/x-www-form-urlencoded",
    },
  ])("$method $path as $type: 415, nothing stored", async ({ method, path, body, type }) => {
    // Prepare
    const before = await snapshot(h.table);

    // Act
    const response = await send(method, path, body, type);

    // Assess
    expect(response.status).toBe(415);
    expect(JSON.parse(response.text)).toMatchObject({ error: "unsupported_media_type" });
    expect(await snapshot(h.table)).toEqual(before);
  });
});

describe("forged and missing admin tokens", () => {
  const forged = randomBytes(24).toString("base64url");
  it.each([
    ["no Authorization header", null],
    ["a forged bearer token", forged],
    ["the right token one character short", ADMIN_TOKEN.slice(0, -1)],
    ["the right token with a character more", `${ADMIN_TOKEN}x`],
    [
      "the right token as Basic credentials",
      `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString("base64")}`,
    ],
    ["an empty bearer token", "Bearer "],
  ])("%s: 401 with a challenge, the token not echoed, a valid definition not stored", async (_, token) => {
    // Prepare
    const before = await snapshot(h.table);

    // Act
    const response = await send("POST", "/api/workflows", WORKFLOW_YAML, "application/yaml", token);

    // Assess
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="fristflow-admin"/);
    expect(JSON.parse(response.text)).toMatchObject({ error: "unauthorized" });
    expect(response.text).not.toContain(ADMIN_TOKEN.slice(0, 12));
    expect(response.text).not.toContain(forged);
    expect(await snapshot(h.table)).toEqual(before);
  });
});

describe("forged, tampered and expired confirm links", () => {
  type Mutation = (link: { id: string; sig: string }, other: { id: string; sig: string }) => [string, string];
  const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === "A" ? "B" : "A"}${s.slice(i + 1)}`;
  const mutations: [string, number, Mutation][] = [
    ["a forged signature", 403, (l) => [l.id, randomBytes(32).toString("base64url")]],
    ["one character of the signature changed", 403, (l) => [l.id, flip(l.sig, 20)]],
    ["the signature's last character changed", 403, (l) => [l.id, flip(l.sig, l.sig.length - 1)]],
    ["the signature cut short", 403, (l) => [l.id, l.sig.slice(0, -3)]],
    ["no signature", 403, (l) => [l.id, ""]],
    ["an oversized signature", 403, (l) => [l.id, l.sig.repeat(5)]],
    ["another milestone's link id with this signature", 403, (l, o) => [o.id, l.sig]],
    ["a link id nobody issued", 403, (l) => [randomBytes(16).toString("base64url"), l.sig]],
    ["a malformed link id", 404, (l) => ["..%2F..%2Fadmin", l.sig]],
  ];

  it.each(mutations)("%s: GET and POST answer %i and change nothing", async (_, status, mutate) => {
    // Prepare
    const { links } = await instanceWithLinks(h);
    const link = required(links.get("status/skole-a/0"), "link");
    const other = required(links.get("status/skole-b/0"), "link");
    const [id, sig] = mutate(link, other);
    const before = await snapshot(h.table);
    const wakes = h.wakes.length;

    // Act
    const get = await fetch(`${h.url}/confirm/${id}?sig=${encodeURIComponent(sig)}`);
    const post = await pressConfirm(h, { id, sig });
    const pages = [await get.text(), await post.text()];

    // Assess
    expect([get.status, post.status]).toEqual([status, status]);
    for (const page of pages) {
      expect(page).toContain("<!doctype html>");
      if (sig.length > 10) expect(page).not.toContain(sig);
    }
    expect(await snapshot(h.table)).toEqual(before);
    expect(h.wakes).toHaveLength(wakes);
  });

  it("an expired link: 410 for GET and POST, nothing changed", async () => {
    // Prepare
    const { links } = await instanceWithLinks(h);
    const link = required(links.get("status/skole-a/0"), "link");
    const before = await snapshot(h.table);
    h.clock.set(new Date(link.expiresAt * 1000 + 1000).toISOString());
    try {
      // Act
      const get = await fetch(`${h.url}/confirm/${link.id}?sig=${link.sig}`);
      const post = await pressConfirm(h, link);

      // Assess
      expect([get.status, post.status]).toEqual([410, 410]);
      expect(await post.text()).toContain("Linket er udløbet");
      expect(await snapshot(h.table)).toEqual(before);
    } finally {
      h.clock.set("2024-05-01T06:00:00Z");
    }
  });
});

describe("markup in titles", () => {
  it("is accepted as text and escaped on the confirm page and its receipt", async () => {
    // Prepare: a definition whose titles and description carry markup, uploaded through the API.
    const yaml = [
      "id: markup",
      "title: \"<script>alert('wf')</script> Stærke & trygge\"",
      "milestones:",
      "  - id: plan",
      "    title: '<img src=x onerror=alert(1)> Plan <b>fed</b>'",
      "    description: '</p><iframe src=https://evil.example></iframe>'",
      "    owner: unit:forvaltning",
      "    due: 2024-10-31",
      "",
    ].join("\n");
    const saved = await send("POST", "/api/workflows", yaml, "application/yaml");
    expect(saved.status).toBe(201);
    const started = await send(
      "POST",
      "/api/instances",
      JSON.stringify({ workflowId: "markup", start: "2024-09-01" }),
      "application/json",
    );
    expect(started.status).toBe(201);
    const { id: instanceId } = JSON.parse(started.text) as { id: string };
    // What the loop's first decide would write: the milestone states.
    const loaded = loadWorkflow(yaml, "markup.yaml");
    if (!loaded.ok) throw new Error("the markup definition must load");
    await h.table.stores.instances.syncOccurrences(
      instanceId,
      plan(loaded.value, "2024-09-01", {}, []).occurrences,
    );
    const link = createConfirmLink(
      {
        instanceId,
        occurrenceKey: "plan/-/0",
        recipient: "unitLeader:forvaltning",
        expiresAt: linkExpiry("2024-10-31T22:59:00Z", h.clock.now()),
      },
      LINK_KEY,
    );

    // Act
    const page = await (await fetch(`${h.url}/confirm/${link.id}?sig=${link.sig}`)).text();
    const receipt = await (await pressConfirm(h, { id: link.id, sig: link.sig })).text();

    // Assess: the text is there, as text; no tag from the input survives as a tag.
    for (const html of [page, receipt]) {
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; Plan &lt;b&gt;fed&lt;/b&gt;");
      expect(html).not.toContain("<img");
      expect(html).not.toContain("<b>fed");
      expect(html).not.toContain("<script");
      expect(html).not.toContain("<iframe");
    }
    expect(page).toContain("&lt;script&gt;alert(");
    expect(page).toContain("&lt;/p&gt;&lt;iframe src=https://evil.example&gt;&lt;/iframe&gt;");
    // The API stores and returns the title unchanged: JSON is not HTML.
    const detail = await fetch(`${h.url}/api/workflows/markup`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(((await detail.json()) as { definition: { title: string } }).definition.title).toBe(
      "<script>alert('wf')</script> Stærke & trygge",
    );
  });
});
