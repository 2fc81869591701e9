/**
 * An instance's name and case reference on every page a staff member sees (issue 11): given at
 * start (API and start form, checked like other text), defaulting to the case reference, and
 * shown on the instance list, the overview, the instance page and the confirm page. Real HTTP
 * over the in-memory stores, logged in through the embedded OpenID provider.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { createConfirmLink, createMineLink, linkExpiry, mineLinkExpiry } from "../../shared/links/index.ts";
import { loadWorkflow } from "../../shared/model/load.ts";
import { ADMIN_TOKEN, confirmUrl, LINK_KEY } from "../http/app-harness.ts";
import { type MemoryHarness, startMemoryHarness } from "../http/memory-harness.ts";
import { Client, visibleText } from "./client.ts";

/** The day after the decision was due (started 2 September 2024, due 28 October). */
const NOW = "2024-10-29T09:00:00Z";
const PARAMS = {
  caseRef: "SAG-2024-117",
  caseworker: "hanne.jensen@ishoj.example",
  teamleader: "teamleder@ishoj.example",
  applicant: "borger@example.dk",
};

let h: MemoryHarness;
let admin: Client;

function api(path: string, body?: unknown): Promise<Response> {
  return fetch(`${h.url}/api${path}`, {
    ...(body === undefined ? {} : { method: "POST", body: JSON.stringify(body) }),
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
  });
}

async function start(name?: string): Promise<string> {
  const response = await api("/instances", {
    workflowId: "ansoegningsfrist",
    start: "2024-09-02",
    // The start is before the harness's today: its reminders go out as catch-up.
    past: "catch-up",
    params: PARAMS,
    ...(name === undefined ? {} : { name }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const { id } = (await response.json()) as { id: string };
  // The loop's step writes the milestone states the overview and the confirm page read.
  await runDecide(
    { ...h.table.stores, clock: h.clock },
    { instanceId: id, execution: { id: `x-${id}`, startedAt: NOW } },
  );
  return id;
}

beforeAll(async () => {
  h = await startMemoryHarness(NOW);
  const source = await readFile(new URL("../../workflows/ansoegningsfrist.yaml", import.meta.url), "utf8");
  const loaded = loadWorkflow(source, "ansoegningsfrist.yaml");
  if (!loaded.ok) throw new Error("the template does not load");
  await h.table.stores.workflows.putVersion({
    workflowId: "ansoegningsfrist",
    source,
    definition: loaded.value,
    createdBy: "test",
  });
  admin = new Client(h);
  await admin.login();
});
afterAll(async () => {
  await h?.close();
});

describe("giving an instance a name at start", () => {
  it("stores a given name; without one the API says the case reference", async () => {
    // Act
    const named = await start("Hjælpemiddel til Ole");
    const unnamed = await start();
    const namedDetail = (await (await api(`/instances/${named}`)).json()) as Record<string, unknown>;
    const unnamedDetail = (await (await api(`/instances/${unnamed}`)).json()) as Record<string, unknown>;
    // Assess
    expect((await h.table.stores.instances.get(named))?.name).toBe("Hjælpemiddel til Ole");
    expect((await h.table.stores.instances.get(unnamed))?.name).toBeUndefined();
    expect(namedDetail.identity).toEqual({
      name: "Hjælpemiddel til Ole",
      identifiers: [{ name: "caseRef", label: "Sagsnummer", value: "SAG-2024-117" }],
    });
    expect(unnamedDetail.identity).toEqual({ name: "SAG-2024-117", identifiers: [] });
  });

  it("refuses a name that is too long, spans lines or holds a CPR number, at its field, storing nothing", async () => {
    // Prepare
    const before = (await h.table.stores.instances.list()).length;
    // Act
    const answers = await Promise.all(
      ["x".repeat(121), "to\nlinjer", "Sag om 010203-1234"].map((name) =>
        api("/instances", {
          workflowId: "ansoegningsfrist",
          start: "2024-09-02",
          past: "catch-up",
          params: PARAMS,
          name,
        }),
      ),
    );
    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      const { errors } = (await answer.json()) as { errors: { path: string; message: string }[] };
      expect(errors.map((e) => e.path)).toEqual(["name"]);
      expect(JSON.stringify(errors)).not.toContain("010203");
    }
    expect((await h.table.stores.instances.list()).length).toBe(before);
  });

  it("the start form has the field, keeps what was typed on an error and stores the name", async () => {
    // Act
    const form = await admin.get("/instances/_new?workflow=ansoegningsfrist");
    const fields = {
      workflowId: "ansoegningsfrist",
      version: "1",
      startDate: "2024-09-02",
      startTime: "",
      "param.caseRef": PARAMS.caseRef,
      "param.caseworker": PARAMS.caseworker,
      "param.teamleader": PARAMS.teamleader,
      "param.applicant": PARAMS.applicant,
      // The start is before today: the past step's choice, made up front.
      pastStep: "start",
      past: "catch-up",
    };
    const tooLong = await admin.post("/instances/_new", { ...fields, name: "y".repeat(121) });
    const cpr = await admin.post("/instances/_new", { ...fields, name: "010203-1234" });
    const started = await admin.post("/instances/_new", { ...fields, name: "  Boligindretning, Vejlebo  " });
    // Assess
    expect(form.text).toMatch(/<label for="f-name">Navn på forløbet \(valgfri\)<\/label>/);
    expect(form.text).toContain('maxlength="120"');
    expect(tooLong.status).toBe(400);
    expect(visibleText(tooLong.text)).toContain("Skriv navnet på én linje med højst 120 tegn.");
    expect(tooLong.text).toContain(`value="${"y".repeat(121)}"`);
    expect(cpr.status).toBe(400);
    expect(cpr.text).not.toContain("010203");
    expect(started.status).toBe(303);
    const id = /^\/instances\/([a-z0-9-]+)\?/.exec(started.location ?? "")?.[1] ?? "";
    expect((await h.table.stores.instances.get(id))?.name).toBe("Boligindretning, Vejlebo");
  });
});

describe("the pages carry the name and the case reference", () => {
  it("instance list, overview, instance page, confirm page, Mine frister and the calendar feed", async () => {
    // Prepare
    const id = await start("Trappelift til Karen");
    const milestone = await h.table.stores.instances.getMilestone(id, "afgoerelse/-/0");
    const link = createConfirmLink(
      {
        instanceId: id,
        occurrenceKey: "afgoerelse/-/0",
        recipient: "param:caseworker",
        expiresAt: linkExpiry(milestone?.dueAt ?? NOW, h.clock.now()),
      },
      LINK_KEY,
    );
    // Act
    const list = visibleText((await admin.get("/instances")).text);
    const overview = (await admin.get("/")).text;
    const page = (await admin.get(`/instances/${id}`)).text;
    const confirm = await (await fetch(confirmUrl(h, link))).text();
    const mineLink = createMineLink(
      { email: PARAMS.caseworker, expiresAt: mineLinkExpiry(h.clock.now()) },
      LINK_KEY,
    );
    const mine = await (await fetch(`${h.url}${mineLink.path}`)).text();
    const feed = (await admin.get(`/instances/${id}/deadlines.ics`)).text;
    // Assess
    expect(list).toContain("Trappelift til Karen");
    expect(list).toContain("Sagsnummer: SAG-2024-117");
    const overdue = overview.split("<h2>").find((section) => section.startsWith("Overskredne")) ?? "";
    expect(overdue).toContain("Trappelift til Karen (Sagsnummer: SAG-2024-117)");
    expect(page).toContain("<h1>Trappelift til Karen</h1>");
    expect(page).toContain("<title>Trappelift til Karen");
    expect(page).toContain("Sagsnummer: SAG-2024-117");
    expect(confirm).toContain(
      "Trappelift til Karen (Ansøgning – afgørelse inden den offentliggjorte frist (8 uger))",
    );
    expect(confirm).toContain("<dt>Sagsnummer</dt><dd>SAG-2024-117</dd>");
    expect(mine).toContain("Trappelift til Karen (Sagsnummer: SAG-2024-117)");
    expect(feed.replace(/\r\n[ \t]/g, "")).toContain(
      "SUMMARY:Afgørelse på ansøgningen – Trappelift til Karen (Sagsnummer: SAG-2024-117)",
    );
    for (const text of [list, overview, page, confirm, mine, feed])
      expect(text).not.toContain(PARAMS.applicant);
  });
});
