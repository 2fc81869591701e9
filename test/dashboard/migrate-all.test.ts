/**
 * Issue 11, change 3 from the workflow's page, over real HTTP and DynamoDB Local: an administrator
 * moves every running instance of version 1 to version 2 (choose, map, preview, save), sees what
 * happened to each instance, and a mapping that cannot work is shown at its milestone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadWorkflow } from "../../shared/model/load.ts";
import { type Harness, instanceWithLinks, snapshot, WORKFLOW_YAML } from "../http/harness.ts";
import { type Client, visibleText } from "./client.ts";
import { adminHarness } from "./fixtures.ts";

let h: Harness;
let admin: Client;

const VERSION_2 = WORKFLOW_YAML.replace("  - id: status\n", "  - id: halvaarsstatus\n").replace(
  "da: Statusrapport",
  "da: Halvårsstatus",
);

beforeAll(async () => {
  ({ h, admin } = await adminHarness());
});
afterAll(async () => {
  await h.close();
});

async function saveVersion2(): Promise<void> {
  const loaded = loadWorkflow(VERSION_2, "v2.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  await h.table.stores.workflows.putVersion({
    workflowId: loaded.value.id,
    source: VERSION_2,
    definition: loaded.value,
    createdBy: "test",
  });
}

describe("moving every running instance to the latest version from the workflow's page", () => {
  it("offers it, previews per instance without writing, and saves each", async () => {
    // Prepare: two running instances on version 1, then version 2
    const first = await instanceWithLinks(h);
    const second = await instanceWithLinks(h);
    await saveVersion2();
    // Act
    const workflowPage = await admin.get("/workflows/skoleopfoelgning");
    const form = await admin.get("/workflows/skoleopfoelgning/migrate");
    const fields = {
      from: "1",
      "map-status": "halvaarsstatus",
      "map-plan": "plan",
      reason: "Udvalget omdøbte statusrapporten",
    };
    const before = await snapshot(h.table);
    const preview = await admin.post("/workflows/skoleopfoelgning/migrate", { ...fields, step: "preview" });
    const unchanged = await snapshot(h.table);
    const saved = await admin.post("/workflows/skoleopfoelgning/migrate", { ...fields, step: "save" });
    // Assess
    expect(workflowPage.text).toContain('href="/workflows/skoleopfoelgning/migrate"');
    expect(visibleText(form.text)).toContain("Version 1 (2 kørende forløb)");
    expect(form.text).toMatch(/<option value="-" selected>Fjernes/);
    expect(preview.status).toBe(200);
    expect(unchanged).toEqual(before);
    const previewText = visibleText(preview.text);
    expect(previewText).toContain(first.instanceId);
    expect(previewText).toContain(second.instanceId);
    expect(previewText).toContain("Flyt forløbene");
    expect(visibleText(saved.text)).toContain("2 forløb er flyttet.");
    for (const { instanceId } of [first, second]) {
      const loaded = await h.table.stores.instances.loadState(instanceId);
      expect(loaded.instance.workflowVersion).toBe(2);
      expect(loaded.milestones.map((m) => m.milestoneId)).toContain("halvaarsstatus");
      const trail = await h.table.stores.audit.list(instanceId);
      expect(trail.find((e) => e.action === "instance.migrated")?.details).toMatchObject({
        reason: "Udvalget omdøbte statusrapporten",
      });
    }
  });

  it("names the instance a mapping cannot move, and moves none of them", async () => {
    // Prepare: a running instance on the version before the latest
    await saveVersion2();
    const { instanceId } = await instanceWithLinks(h);
    const latest = (await h.table.stores.workflows.get("skoleopfoelgning"))?.version ?? 0;
    // Act: the per-school status mapped onto the whole instance's plan
    const preview = await admin.post("/workflows/skoleopfoelgning/migrate", {
      from: "1",
      "map-status": "plan",
      "map-plan": "-",
      reason: "Forkert kortlægning",
      step: "preview",
    });
    // Assess
    const text = visibleText(preview.text);
    expect(text).toContain(instanceId);
    expect(text).toMatch(/Kan ikke flyttes: .*»status« gælder .*kan ikke føres over/);
    expect(preview.text).not.toContain('value="save"');
    expect((await h.table.stores.instances.get(instanceId))?.workflowVersion).toBe(1);
    expect(latest).toBeGreaterThan(1);
  });
});
