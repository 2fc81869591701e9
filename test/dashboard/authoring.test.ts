/**
 * Authoring aids over real HTTP: the editor's starting points (the commented skeleton, a copy of a
 * stored template under a new id), the grammar reference page with its anchors, every editor
 * error linking to its section, unit types by Danish name, and the save warning for a fan-out
 * over a type no unit has (on the page and in the admin API's answer).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SKELETON } from "../../shared/dashboard/workflows/starting-points.ts";
import { loadWorkflow } from "../../shared/model/load.ts";
import { ADMIN_TOKEN, type Harness, WORKFLOW_YAML } from "../http/harness.ts";
import { type Client, visibleText } from "./client.ts";
import { adminHarness } from "./fixtures.ts";

let h: Harness;
let admin: Client;

beforeAll(async () => {
  ({ h, admin } = await adminHarness());
  await h.table.stores.units.put({
    id: "solsikken",
    name: "Solsikken",
    type: "daycare",
    leader: { name: "Dorte Dagtilbud", email: "dorte@example.dk" },
  });
  const loaded = loadWorkflow(WORKFLOW_YAML, "test.yaml");
  if (!loaded.ok) throw new Error("the test workflow is invalid");
  await h.table.stores.workflows.putVersion({
    workflowId: loaded.value.id,
    source: WORKFLOW_YAML,
    definition: loaded.value,
    createdBy: "test",
  });
});
afterAll(async () => {
  await h.close();
});

/** The page's HTML with its entities decoded enough to read YAML in a textarea. */
function textareaOf(markup: string): string {
  const m = /<textarea[^>]*name="source"[^>]*>([\s\S]*?)<\/textarea>/.exec(markup);
  return (m?.[1] ?? "")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

describe("the editor's starting point", () => {
  it("opens a new workflow with the commented skeleton, which is itself valid", async () => {
    const page = await admin.get("/workflows/_new");
    expect(page.status).toBe(200);
    const source = textareaOf(page.text);
    expect(source).toBe(SKELETON);
    expect(source).toContain("# id: små bogstaver");
    expect(source).toContain("# id: lower-case letters");
    expect(loadWorkflow(source, "skeleton.yaml").ok).toBe(true);
    // The choice offers the stored template as a copy.
    expect(page.text).toContain(
      '<option value="skoleopfoelgning">En kopi af »Opfølgning på skoler« (skoleopfoelgning)</option>',
    );
  });

  it("offers a copy of a stored template under a new id, so saving it never adds a version to the original", async () => {
    const page = await admin.get("/workflows/_new?from=skoleopfoelgning");
    const source = textareaOf(page.text);
    expect(source.split("\n")[0]).toBe(
      "# Kopi af skoleopfoelgning. Giv den et nyt id og en ny titel, før du gemmer.",
    );
    expect(source).toContain("\nid: skoleopfoelgning-kopi\n");
    expect(source).not.toMatch(/^id: skoleopfoelgning$/m);
    const saved = await admin.post("/workflows/_editor", {
      action: "save",
      source,
      previewStart: "2024-08-01",
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe("/workflows/skoleopfoelgning-kopi?saved=1");
    expect((await h.table.stores.workflows.get("skoleopfoelgning"))?.version).toBe(1);
  });

  it("falls back to the skeleton for a template that does not exist", async () => {
    const page = await admin.get("/workflows/_new?from=findes-ikke");
    expect(textareaOf(page.text)).toBe(SKELETON);
  });
});

describe("the grammar reference", () => {
  it("is a page in Danish with an anchor per section, and in English on the English page", async () => {
    const da = await admin.get("/workflows/_reference");
    expect(da.status).toBe(200);
    for (const id of [
      "workflow-keys",
      "milestone-keys",
      "time",
      "reminders",
      "fan-out",
      "recurrence",
      "cpr",
    ]) {
      expect(da.text).toContain(`<section id="${id}"`);
      expect(da.text).toContain(`<a href="#${id}">`);
    }
    expect(visibleText(da.text)).toContain("Gentagelse");
    await admin.get("/language/en?next=/workflows/_reference");
    const en = await admin.get("/workflows/_reference");
    await admin.get("/language/da?next=/");
    expect(visibleText(en.text)).toContain("Recurrence");
    expect(visibleText(en.text)).not.toContain("Gentagelse");
  });

  it("is linked from every error of the editor, at the section of the rule", async () => {
    const broken = WORKFLOW_YAML.replace("    due: P2M", "    due: P2X").replace(
      "    forEach: [skole]",
      "    forEach: [skole]\n    recurrence: { every: P1Y }",
    );
    const page = await admin.post("/workflows/_editor", {
      action: "check",
      source: broken,
      previewStart: "2024-08-01",
    });
    expect(page.status).toBe(400);
    const items = [...page.text.matchAll(/<li>(?:(?!<\/li>).)*<\/li>/gs)].map((m) => m[0]);
    const errors = items.filter((li) => li.includes("milestones["));
    expect(errors.length).toBeGreaterThanOrEqual(2);
    for (const li of errors)
      expect(li).toMatch(/<a class="reference" href="\/workflows\/_reference#[a-z-]+">Se vejledningen: /);
    expect(errors.find((li) => li.includes("milestones[1].due"))).toContain(
      'href="/workflows/_reference#time"',
    );
    expect(errors.find((li) => li.includes("recurrence"))).toContain(
      'href="/workflows/_reference#recurrence"',
    );
  });
});

describe("validator messages in the page's language", () => {
  it("are Danish on the Danish page and stay English on the English page", async () => {
    const broken = WORKFLOW_YAML.replace('    due: "2024-06-01"', '    dew: "2024-06-01"');
    const da = await admin.post("/workflows/_editor", {
      action: "check",
      source: broken,
      previewStart: "2024-08-01",
    });
    expect(visibleText(da.text)).toContain("ukendt nøgle 'dew'; mente du 'due'?");
    expect(visibleText(da.text)).not.toContain("unknown key");
    await admin.get("/language/en?next=/workflows");
    const en = await admin.post("/workflows/_editor", {
      action: "check",
      source: broken,
      previewStart: "2024-08-01",
    });
    await admin.get("/language/da?next=/");
    expect(visibleText(en.text)).toContain("unknown key 'dew'; did you mean 'due'?");
    expect(en.text).toContain(">See the reference: Milestone keys</a>");
  });
});

describe("unit types", () => {
  it("are offered by their Danish names with the code beside them", async () => {
    const page = await admin.get("/workflows/_new");
    expect(visibleText(page.text)).toContain("dagtilbud (daycare)");
    // An unknown type is shown as it is.
    expect(page.text).toMatch(/value="skole"[^>]*><label for="[^"]+">skole <span/);
  });

  it("are chosen in a unit's form from the directory's types and those the workflows fan out over", async () => {
    const page = await admin.get("/units/_new");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<input type="text" id="f-type" name="type"[^>]* list="unit-types">/);
    expect(page.text).toContain('<option value="daycare" label="dagtilbud"></option>');
    // skole is the stored workflow's fan-out type (and the sample units'), shown as it is.
    expect(page.text).toContain('<option value="skole" label="skole"></option>');
    expect(page.text).toContain('<option value="forvaltning" label="forvaltning"></option>');
  });

  it("warn at save for a fan-out over a type no unit has: saved anyway, the warning on the page", async () => {
    const source = WORKFLOW_YAML.replace("id: skoleopfoelgning", "id: advarsel").replace(
      "forEach: [skole]",
      "forEach: [school]",
    );
    const checked = await admin.post("/workflows/_editor", {
      action: "check",
      source,
      previewStart: "2024-08-01",
    });
    expect(checked.status).toBe(200);
    expect(visibleText(checked.text)).toContain(
      "Ingen enhed i kataloget har typen skole, så milepælen status",
    );
    const saved = await admin.post("/workflows/_editor", {
      action: "save",
      source,
      previewStart: "2024-08-01",
    });
    expect(saved.status).toBe(303);
    const after = await admin.get(saved.location ?? "");
    expect(visibleText(after.text)).toContain("Gemt som version 1 af advarsel.");
    expect(visibleText(after.text)).toContain("Ingen enhed i kataloget har typen skole");
  });

  it("warn in the admin API's answer as warnings, and say nothing when every type has units", async () => {
    const post = (body: string) =>
      fetch(`${h.url}/api/workflows`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/yaml" },
        body,
      });
    const warned = await post(
      WORKFLOW_YAML.replace("id: skoleopfoelgning", "id: api-advarsel").replace(
        "forEach: [skole]",
        "forEach: [scool]",
      ),
    );
    expect(warned.status).toBe(201);
    expect(await warned.json()).toEqual({
      id: "api-advarsel",
      version: 1,
      warnings: [
        {
          code: "unknown-unit-type",
          path: "milestones[0].forEach[0]",
          milestoneId: "status",
          unitType: "scool",
          message:
            "no unit in the directory has the type 'scool'; the milestone 'status' has no occurrences until one has",
        },
      ],
    });
    const clean = await post(WORKFLOW_YAML.replace("id: skoleopfoelgning", "id: api-ren"));
    expect(await clean.json()).toEqual({ id: "api-ren", version: 1 });
  });
});
