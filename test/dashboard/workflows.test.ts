import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, WORKFLOW_YAML } from "../http/harness.ts";
import { type Client, visibleText } from "./client.ts";
import { adminHarness } from "./fixtures.ts";

let h: Harness;
let admin: Client;

beforeAll(async () => {
  ({ h, admin } = await adminHarness());
});
afterAll(async () => {
  await h.close();
});

/** The test workflow with its fan-out milestone's due mistyped on line 16 (`dew`). */
const BROKEN = WORKFLOW_YAML.replace('    due: "2024-06-01"', '    dew: "2024-06-01"');

function check(source: string, extra: Record<string, string | string[]> = {}) {
  return admin.post("/workflows/_editor", { action: "check", source, previewStart: "2024-08-01", ...extra });
}

describe("the workflow editor", () => {
  it("shows each located error at its line: the line marked, the message under it, a link to it", async () => {
    // Arrange
    const line = BROKEN.split("\n").findIndex((l) => l.includes("dew:")) + 1;
    // Act
    const page = await check(BROKEN);
    // Assess
    expect(page.status).toBe(400);
    expect(page.text).toMatch(/<h2 id="errors-heading">Definitionen har \d+ fejl<\/h2>/);
    const marked = new RegExp(
      `<li id="line-${line}" class="bad"><span class="ln">${line}</span>    dew: &quot;2024-06-01&quot;<span class="msg">Linje ${line}, kolonne \\d+`,
    );
    expect(page.text).toMatch(marked);
    expect(page.text).toContain(`<a href="#line-${line}">Linje ${line}`);
    // In the page's language: the validator's English is said in Danish on the Danish page.
    expect(page.text).toContain("ukendt nøgle &#39;dew&#39;; mente du &#39;due&#39;?");
    expect(page.text).not.toContain("unknown key");
    // Only the bad line is marked, and nothing can be saved.
    expect(page.text.match(/class="bad"/g)?.length).toBeGreaterThanOrEqual(1);
    expect(page.text).not.toContain('value="save"');
  });

  it("takes the definition from an uploaded file and keeps CRLF line numbers right", async () => {
    const crlf = BROKEN.replace(/\n/g, "\r\n");
    const line = BROKEN.split("\n").findIndex((l) => l.includes("dew:")) + 1;
    const page = await admin.upload(
      "/workflows/_editor",
      { action: "check", source: "", previewStart: "2024-08-01" },
      { field: "file", name: "broken.yaml", bytes: new TextEncoder().encode(crlf) },
    );
    expect(page.status).toBe(400);
    expect(page.text).toContain(`<li id="line-${line}" class="bad">`);
  });

  it("previews the plan of a valid definition for the chosen start and the directory's units", async () => {
    // Act
    const page = await check(WORKFLOW_YAML);
    // Assess
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    expect(text).toContain("Definitionen er gyldig");
    expect(text).toContain("version 1 af skoleopfoelgning");
    expect(text).toContain("Plan");
    // One status report per school (fan-out), the plan milestone two months after 1 August.
    expect(text).toMatch(/Statusrapport Skole A 01\.06\.2024 23:59 leder af Skole A/);
    expect(text).toMatch(/Statusrapport Skole B 01\.06\.2024 23:59 leder af Skole B/);
    expect(text).toContain("01.10.2024 23:59");
    expect(text).toContain("leder af Børne- og Ungeforvaltningen");
    // The fan-out type is chosen by default, and the save button is offered.
    expect(page.text).toMatch(/name="previewTypes" value="skole" checked/);
    expect(page.text).toContain('name="action" value="save"');
    // The milestone titled <script> is text, never markup.
    expect(page.text).not.toContain("<script>");
    expect(page.text).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; plan");
  });

  it("leaves fanned-out milestones out of the preview when no unit type is chosen, and says so", async () => {
    const page = await check(WORKFLOW_YAML, { typesChosen: "1" });
    const text = visibleText(page.text);
    expect(text).toContain("»Statusrapport« gentages for hver enhed af typen skole");
    expect(text).not.toContain("Skole A 01.06.2024");
  });

  it("saves as version 1, then as version 2 from the edit page, and lists both with their YAML", async () => {
    // Act
    const first = await admin.post("/workflows/_editor", { action: "save", source: WORKFLOW_YAML });
    const edited = WORKFLOW_YAML.replace('due: "2024-06-01"', 'due: "2024-06-15"');
    const editPage = await admin.get("/workflows/skoleopfoelgning/edit");
    const second = await admin.post("/workflows/_editor", {
      action: "save",
      source: edited,
      editing: "skoleopfoelgning",
    });
    // Assess
    expect(first.status).toBe(303);
    expect(first.location).toBe("/workflows/skoleopfoelgning?saved=1");
    expect(editPage.text).toContain("Redigér skabelonen skoleopfoelgning");
    expect(editPage.text).toContain("id: skoleopfoelgning");
    expect(second.location).toBe("/workflows/skoleopfoelgning?saved=2");
    const versions = await h.table.stores.workflows.listVersions("skoleopfoelgning");
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions.every((v) => v.createdBy === "admin-dashboard")).toBe(true);
    const page = await admin.get("/workflows/skoleopfoelgning?saved=2");
    expect(page.text).toContain("Gemt som version 2 af skoleopfoelgning.");
    expect(page.text).toContain("Version 2");
    expect(page.text).toContain("Version 1");
    expect(page.text).toContain("2024-06-15");
    expect(page.text).not.toContain("<script>");
  });

  it("refuses to save an invalid definition and shows why, storing nothing", async () => {
    const before = await h.table.stores.workflows.listVersions("skoleopfoelgning");
    const page = await admin.post("/workflows/_editor", { action: "save", source: BROKEN });
    expect(page.status).toBe(400);
    expect(page.text).toContain('class="bad"');
    expect(await h.table.stores.workflows.listVersions("skoleopfoelgning")).toEqual(before);
  });

  it("lists the workflows with id, title, latest version, when and by whom, escaping titles", async () => {
    const existing = await h.table.stores.workflows.get("skoleopfoelgning");
    if (existing === null) throw new Error("the previous test saves the workflow");
    await h.table.stores.workflows.putVersion({
      workflowId: "farlig",
      source: "…",
      definition: {
        ...existing.definition,
        id: "farlig",
        title: "<script>alert(1)</script>",
      },
      createdBy: "admin-api",
    });
    const page = await admin.get("/workflows");
    const text = visibleText(page.text);
    expect(page.status).toBe(200);
    expect(text).toContain("Skabeloner");
    expect(text).toMatch(/skoleopfoelgning Opfølgning på skoler 2 \d\d\.\d\d\.\d{4} \d\d:\d\d administrator/);
    expect(page.text).not.toContain("<script>");
    expect(page.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("answers an unknown workflow with a Danish 404 page", async () => {
    const page = await admin.get("/workflows/findes-ikke");
    expect(page.status).toBe(404);
    expect(page.text).toContain("Siden findes ikke");
  });
});

describe("the plan preview's start date", () => {
  it("says at the field when the start is not a date that exists, and previews from today instead", async () => {
    const page = await check(WORKFLOW_YAML, { previewStart: "2024-02-30" });
    expect(page.status).toBe(200);
    expect(page.text).toMatch(
      /id="f-previewStart" name="previewStart" value="2024-02-30"[^>]*aria-invalid="true"/,
    );
    expect(visibleText(page.text)).toContain("Startdatoen skal være en dato");
    expect(visibleText(page.text)).toContain("med start 1. maj 2024");
  });
});
