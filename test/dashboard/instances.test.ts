import * as nodeIcal from "node-ical";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadWorkflow } from "../../shared/model/load.ts";
import { type Harness, instanceWithLinks, snapshot, startHarness, UNITS } from "../http/harness.ts";
import { Client, visibleText } from "./client.ts";

let h: Harness;
let admin: Client;

/** A case workflow with every parameter type, titled, to start from the form. */
const CASE_YAML = `id: sag
title: Børnefaglig undersøgelse
parameters:
  sagsnummer:
    type: string
    title: Sagsnummer
    pattern: "SAG-\\\\d+"
  sagsbehandler:
    type: email
    title: Sagsbehandlerens e-mail
  modtaget:
    type: date
    title: Modtaget
    required: false
  haster:
    type: boolean
    title: Haster
    required: false
milestones:
  - id: undersoegelse
    title: Undersøgelsen er afsluttet
    owner: param:sagsbehandler
    due: P4M
    escalation: false
`;

beforeAll(async () => {
  h = await startHarness();
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  const loaded = loadWorkflow(CASE_YAML, "sag.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  await h.table.stores.workflows.putVersion({
    workflowId: "sag",
    source: CASE_YAML,
    definition: loaded.value,
    createdBy: "test",
  });
  admin = new Client(h);
  await admin.login();
});
afterAll(async () => {
  await h.close();
});

describe("starting an instance", () => {
  it("names the unit types to fan out over in Danish on the Danish page, by their code on the English", async () => {
    // Prepare: a workflow over daycares and schools, and one of each in the directory
    const yaml = `id: enheder
title: Over enhedstyper
milestones:
  - id: plan
    title: Plan
    forEach: [daycare, school]
    due: P1M
`;
    const loaded = loadWorkflow(yaml, "enheder.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    await h.table.stores.workflows.putVersion({
      workflowId: "enheder",
      source: yaml,
      definition: loaded.value,
      createdBy: "test",
    });
    for (const [id, type] of [
      ["solsikken", "daycare"],
      ["vejleaa", "school"],
    ] as const) {
      await h.table.stores.units.put({
        id,
        name: id,
        type,
        leader: { name: "L", email: `${id}@example.dk` },
      });
    }
    // Act
    const danish = await admin.get("/instances/_new?workflow=enheder");
    await admin.get("/language/en");
    const english = await admin.get("/instances/_new?workflow=enheder");
    await admin.get("/language/da");
    // Assess
    expect(visibleText(danish.text)).toMatch(/dagtilbud.*skole/s);
    expect(danish.text).toMatch(/<label for="f-unitTypes-daycare">dagtilbud/);
    expect(english.text).toMatch(/<label for="f-unitTypes-daycare">daycare/);
  });

  it("renders the definition's typed parameters with their titles", async () => {
    // Act
    const page = await admin.get("/instances/_new?workflow=sag");
    // Assess
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<label for="f-param-sagsnummer">Sagsnummer<\/label>/);
    expect(page.text).toMatch(
      /<label for="f-param-sagsbehandler">Sagsbehandlerens e-mail<\/label>[\s\S]*?type="email"/,
    );
    expect(page.text).toMatch(
      /<label for="f-param-modtaget">Modtaget \(valgfri\)<\/label>[\s\S]*?type="date"/,
    );
    expect(page.text).toMatch(/type="checkbox" id="f-param-haster-yes" name="param.haster" value="true"/);
    expect(page.text).toContain('<label for="f-startDate">Startdato</label>');
    // No unit choice: nothing in the definition fans out.
    expect(page.text).not.toContain('name="unitMode"');
  });

  it("refuses a CPR number with a clear message, stores nothing and does not show the number again", async () => {
    // Arrange
    const before = await snapshot(h.table);
    // Act
    const page = await admin.post("/instances/_new", {
      workflowId: "sag",
      version: "1",
      startDate: "2024-05-01",
      startTime: "",
      "param.sagsnummer": "010203-1234",
      "param.sagsbehandler": "cb@example.dk",
    });
    // Assess
    expect(page.status).toBe(400);
    expect(visibleText(page.text)).toContain(
      "Sagsnummer: Det ligner et CPR-nummer. fristflow gemmer aldrig CPR-numre – brug et sagsnummer i stedet.",
    );
    expect(page.text).toMatch(/id="f-param-sagsnummer" name="param.sagsnummer" value=""/);
    expect(page.text).not.toContain("010203");
    expect(page.text).toContain('aria-invalid="true"');
    expect(h.starts).toEqual([]);
    expect(await snapshot(h.table)).toEqual(before);
  });

  it("puts the use case's errors on their fields, in Danish", async () => {
    const page = await admin.post("/instances/_new", {
      workflowId: "sag",
      version: "1",
      startDate: "2024-02-30",
      "param.sagsnummer": "123",
      "param.sagsbehandler": "ikke-en-adresse",
    });
    const text = visibleText(page.text);
    expect(page.status).toBe(400);
    expect(text).toContain("Startdato: den dato eller det tidspunkt findes ikke");
    expect(text).toContain("Sagsnummer: har ikke det krævede format");
    expect(text).toContain("Sagsbehandlerens e-mail: ugyldig e-mail");
    expect(page.text).toContain('<a href="#f-startDate">');
  });

  it("starts an instance with its parameters, then shows its page", async () => {
    // Act
    const started = await admin.post("/instances/_new", {
      workflowId: "sag",
      version: "1",
      startDate: "2024-05-01",
      startTime: "09:30",
      "param.sagsnummer": "SAG-42",
      "param.sagsbehandler": "cb@example.dk",
      "param.haster": "true",
    });
    // Assess
    expect(started.status).toBe(303);
    const id = /^\/instances\/(sag-[0-9a-f]{16})\?started=1$/.exec(started.location ?? "")?.[1];
    expect(id).toBeDefined();
    expect(h.starts).toEqual([id]);
    const instance = await h.table.stores.instances.get(id ?? "");
    expect(instance?.params).toEqual({ sagsnummer: "SAG-42", sagsbehandler: "cb@example.dk", haster: true });
    expect(instance?.startAt).toBe("2024-05-01T07:30:00Z");
    expect(instance?.createdBy).toBe("admin-dashboard");
    const page = await admin.get(started.location ?? "");
    expect(page.text).toContain("Forløbet er startet.");
    expect(page.text).toContain("SAG-42");
    // The caseworker's address is personal data the page does not need to show.
    expect(page.text).not.toContain("cb@example.dk");
    expect(page.text).toContain("(e-mailadresse, skjult)");
  });

  it("starts a fan-out instance over chosen units only", async () => {
    await instanceWithLinks(h); // stores the school workflow
    const started = await admin.post("/instances/_new", {
      workflowId: "skoleopfoelgning",
      version: "1",
      startDate: "2024-05-01",
      unitMode: "ids",
      units: ["skole-b"],
      unitTypes: ["skole"],
    });
    expect(started.status).toBe(303);
    const id = /^\/instances\/([a-z0-9-]+)\?/.exec(started.location ?? "")?.[1] ?? "";
    expect((await h.table.stores.instances.get(id))?.units.map((u) => u.id)).toEqual(["skole-b"]);
  });
});

describe("an instance's page", () => {
  it("shows the Gantt, the milestones per unit, and the audit trail without addresses", async () => {
    // Arrange: one school confirmed through its link, one reminder sent
    const { instanceId, links } = await instanceWithLinks(h);
    const link = links.get("status/skole-a/0");
    await h.table.stores.instances.recordConfirmation({
      instanceId,
      occurrenceKey: "status/skole-a/0",
      at: "2024-05-02T10:00:00Z",
      by: `unitLeader:skole-a via link ${link?.id}`,
      linkId: link?.id ?? "",
    });
    await h.table.stores.audit.append(instanceId, {
      action: "notification.sent",
      by: "system",
      details: {
        kind: "reminder",
        occurrenceKey: "status/skole-b/0",
        recipient: "unitLeader:skole-b",
        notificationKey: "k",
        level: null,
      },
    });
    // Act
    const page = await admin.get(`/instances/${instanceId}`);
    // Assess
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    expect(page.text).toContain('<svg xmlns="http://www.w3.org/2000/svg" role="img"');
    expect(page.text).toContain('<g class="today">');
    // The group row spans every column: five, and the changes column an administrator sees.
    expect(page.text).toContain('<th colspan="6" scope="rowgroup">Skole A</th>');
    expect(text).toMatch(
      /Statusrapport bekræftet 01\.06\.2024 23:59 02\.05\.2024 12:00 leder af Skole A \(via link\)/,
    );
    expect(text).toMatch(/Statusrapport åben 01\.06\.2024 23:59/);
    expect(text).toContain("»Statusrapport – Skole A« blev bekræftet via link fra en mail");
    expect(text).toContain("Påmindelse om »Statusrapport – Skole B« sendt til leder af Skole B");
    expect(text).toContain("Forløbet blev startet");
    expect(visibleText(page.text)).not.toContain("@");
    expect(page.text).not.toContain("<script>");
    expect(page.text).toContain("&lt;script&gt;");
  });

  it("serves an .ics feed of the open deadlines with stable UIDs, by session or by signed URL", async () => {
    // Arrange
    const { instanceId } = await instanceWithLinks(h);
    await h.table.stores.instances.recordConfirmation({
      instanceId,
      occurrenceKey: "status/skole-a/0",
      at: "2024-05-02T10:00:00Z",
      by: "admin-dashboard",
    });
    const page = await admin.get(`/instances/${instanceId}`);
    const feedUrl = /id="f-feed"[^>]*value="([^"]+)"/.exec(page.text)?.[1]?.replace(/&amp;/g, "&") ?? "";
    // Act
    const bySession = await admin.get(`/instances/${instanceId}/deadlines.ics`);
    const bySignature = await fetch(feedUrl.replace("http://localhost", h.url));
    const again = await fetch(feedUrl.replace("http://localhost", h.url));
    const forged = await fetch(`${h.url}/instances/${instanceId}/deadlines.ics?key=${"A".repeat(43)}`);
    const anonymous = await fetch(`${h.url}/instances/${instanceId}/deadlines.ics`, { redirect: "manual" });
    // Assess
    expect(bySession.status).toBe(200);
    expect(bySession.headers.get("content-type")).toContain("text/calendar");
    const events = Object.values(nodeIcal.sync.parseICS(bySession.text)).filter((c) => c.type === "VEVENT");
    expect(events).toHaveLength(2);
    const summaries = events.map((e) => (e.type === "VEVENT" ? String(e.summary) : "")).sort();
    // Each event names its instance, so two instances' deadlines tell apart in one calendar
    expect(summaries).toEqual([
      "<script>alert('x')</script> & plan – Opfølgning på skoler",
      "Statusrapport – Skole B – Opfølgning på skoler",
    ]);
    const school = events.find((e) => e.type === "VEVENT" && String(e.summary).includes("Skole B"));
    expect(school?.type === "VEVENT" && school.end?.toISOString()).toBe("2024-06-01T21:59:00.000Z");
    expect(bySignature.status).toBe(200);
    const uids = (text: string) => [...text.matchAll(/^UID:(.+)$/gm)].map((m) => m[1]).sort();
    expect(uids(await bySignature.text())).toEqual(uids(await again.text()));
    expect(uids(bySession.text)).toHaveLength(2);
    expect(forged.status).toBe(403);
    expect(anonymous.status).toBe(303);
  });

  it("prints a status report with the municipality, the workflow, the date, the Gantt and the table", async () => {
    const { instanceId } = await instanceWithLinks(h);
    const page = await admin.get(`/instances/${instanceId}/report`);
    const text = visibleText(page.text);
    expect(page.status).toBe(200);
    expect(page.text).toContain("<h1>Statusrapport: Opfølgning på skoler</h1>");
    expect(text).toContain("Testkommune · udarbejdet 1. maj 2024");
    expect(page.text).toContain('<table class="report cards">');
    expect(text).toMatch(/Statusrapport Skole A åben 01\.06\.2024 23:59/);
    expect(page.text).toContain("<svg");
    expect(page.text).toContain("@page{size:A4");
    expect(page.text).toContain("@media print");
  });

  it("cancels only after the confirmation step, with a reason, and wakes the loop", async () => {
    // Arrange
    const { instanceId } = await instanceWithLinks(h);
    // Act
    const confirm = await admin.get(`/instances/${instanceId}/cancel`);
    const cancelled = await admin.post(`/instances/${instanceId}/cancel`, {
      reason: "Erstattet af ny strategi",
    });
    // Assess
    expect(confirm.text).toContain("Ja, annullér forløbet");
    expect((await h.table.stores.instances.get(instanceId))?.status).toBe("cancelled");
    expect(cancelled.location).toBe(`/instances/${instanceId}?cancelled=1`);
    const page = await admin.get(cancelled.location ?? "");
    expect(page.text).toContain("Forløbet er annulleret.");
    expect(visibleText(page.text)).toContain(
      "Forløbet blev annulleret Begrundelse: Erstattet af ny strategi",
    );
    expect(page.text).not.toContain("Annullér forløbet</a>");
  });

  it("lists instances with status, workflow, version, start and overdue count", async () => {
    h.clock.set("2024-06-03T08:00:00Z");
    try {
      // A session lasts 12 hours of the app's clock: a month later is a new login.
      const later = new Client(h);
      await later.login();
      const page = await later.get("/instances");
      const text = visibleText(page.text);
      expect(page.status).toBe(200);
      expect(text).toMatch(/kører Opfølgning på skoler skoleopfoelgning-test\d+ 1 01\.04\.2024 00:00 2/);
      expect(text).toContain("annulleret");
    } finally {
      h.clock.set("2024-05-01T06:00:00Z");
    }
  });

  it("answers an unknown instance with a 404 page", async () => {
    const page = await admin.get("/instances/findes-ikke-123");
    expect(page.status).toBe(404);
    expect(page.text).toContain("Siden findes ikke");
  });
});

describe("the overview", () => {
  it("lists overdue milestones and those due within 7 days, with links, and the running instances' reports", async () => {
    // Arrange: Wednesday 29 May 2024; the schools' reports are due Saturday 1 June.
    const { instanceId } = await instanceWithLinks(h);
    h.clock.set("2024-05-29T08:00:00Z");
    try {
      // Act
      const client = new Client(h);
      await client.login();
      const week = await client.get("/");
      h.clock.set("2024-06-03T08:00:00Z");
      await client.login();
      const later = await client.get("/");
      // Assess
      const weekText = visibleText(week.text);
      expect(weekText).toContain("Overskredne frister (0)");
      expect(weekText).toMatch(/Frist inden for 7 dage \([1-9]\d*\)/);
      expect(weekText).toContain("Statusrapport – Skole A Opfølgning på skoler 01.06.2024 23:59 frist snart");
      expect(week.text).toContain(`<a href="/instances/${instanceId}">Statusrapport – Skole A</a>`);
      expect(week.text).toContain(`href="/instances/${instanceId}/report"`);
      expect(week.text).not.toContain("<script>");
      const laterText = visibleText(later.text);
      expect(laterText).toMatch(/Overskredne frister \([1-9]\d*\)/);
      expect(laterText).toContain(
        "Statusrapport – Skole B Opfølgning på skoler 01.06.2024 23:59 overskredet",
      );
    } finally {
      h.clock.set("2024-05-01T06:00:00Z");
    }
  });
});
