/**
 * Issue 11, change 2 on the dashboard, over real HTTP and DynamoDB Local: the directory page offers
 * a unit just saved to the running instances that fan out over its type, and the add-unit and
 * remove-unit pages show their form, their preview and save.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, instanceWithLinks } from "../http/harness.ts";
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

const SKOLE_C = {
  name: "Skole C",
  type: "skole",
  leader_name: "Cille Leder",
  leader_email: "cille@skole-c.example.dk",
  manager_name: "",
  manager_email: "",
};

/** The links of the page's offer section, as a browser would follow them. */
function offerLinks(markup: string): string[] {
  const section = /<section[^>]*id="unit-offer"[\s\S]*?<\/section>/.exec(markup)?.[0] ?? "";
  return [...section.matchAll(/<a href="([^"]+)"/g)].map((m) => (m[1] ?? "").replace(/&amp;/g, "&"));
}

describe("units of a running fan-out on the dashboard", () => {
  it("offers a unit just added to the directory to the running instances over its type that lack it", async () => {
    // Prepare: three instances of the school workflow: one running without the new school, one
    // cancelled, and one that has it already
    const { instanceId: running } = await instanceWithLinks(h);
    const { instanceId: cancelled } = await instanceWithLinks(h);
    await h.table.stores.instances.cancel(cancelled, "test", "ikke mere");
    const { instanceId: hasIt } = await instanceWithLinks(h);
    // Act: the administrator creates the school; the form leads to the directory page
    const created = await admin.post("/units/_new", { id: "skole-c", ...SKOLE_C });
    await h.table.stores.instances.applyChange({
      instanceId: hasIt,
      expectedRev: 0,
      audit: { action: "unit.added", by: "test" },
      set: {
        units: [
          { id: "skole-a", type: "skole", name: "Skole A" },
          { id: "skole-b", type: "skole", name: "Skole B" },
          { id: "skole-c", type: "skole", name: "Skole C" },
        ],
      },
    });
    const page = await admin.get(created.location ?? "");
    const plain = await admin.get("/units");
    // Assess
    expect(created.location).toBe("/units?saved=skole-c");
    expect(page.status).toBe(200);
    expect(visibleText(page.text)).toContain("Skal Skole C med i de forløb, der kører?");
    expect(offerLinks(page.text)).toEqual([`/instances/${running}/change/add-unit?unitId=skole-c`]);
    expect(plain.text).not.toContain('id="unit-offer"');
  });

  it("adds a unit through its form and preview, then removes another with its confirmed milestone", async () => {
    // Prepare
    await h.table.stores.units.put({
      id: "skole-d",
      name: "Skole D",
      type: "skole",
      leader: { name: "Dorte Leder", email: "dorte@skole-d.example.dk" },
    });
    const { instanceId } = await instanceWithLinks(h);
    await h.table.stores.instances.recordConfirmation({
      instanceId,
      occurrenceKey: "status/skole-b/0",
      at: h.clock.now().toString(),
      by: "unitLeader:skole-b",
    });
    const base = `/instances/${instanceId}/change`;
    // Act: add skole-d
    const instancePage = await admin.get(`/instances/${instanceId}`);
    const form = await admin.get(`${base}/add-unit?unitId=skole-d`);
    const preview = await admin.post(`${base}/add-unit`, {
      step: "preview",
      unitId: "skole-d",
      reason: "Ny skole",
    });
    const rev = /name="expectedRev" value="(\d+)"/.exec(preview.text)?.[1] ?? "";
    const saved = await admin.post(`${base}/add-unit`, {
      step: "save",
      unitId: "skole-d",
      reason: "Ny skole",
      expectedRev: rev,
    });
    // Assess
    expect(visibleText(instancePage.text)).toContain("Tilføj enhed");
    expect(instancePage.text).toContain(`href="${base}/remove-unit"`);
    expect(form.text).toMatch(/<option value="skole-d" selected>Skole D \(skole\)<\/option>/);
    expect(form.text).not.toContain('<option value="skole-a"');
    expect(form.text).toMatch(/<input type="date" id="f-overdueTo" name="overdueTo" value=""/);
    const previewText = visibleText(preview.text);
    expect(previewText).toContain("tilføjer 1 milepæl");
    expect(previewText).toMatch(/Milepæle, der kommer til Milepæl Enhed Statusrapport Skole D/);
    expect(previewText).toContain("Leder af Skole D");
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`/instances/${instanceId}?changed=add-unit`);
    expect((await h.table.stores.instances.get(instanceId))?.units.map((u) => u.id)).toContain("skole-d");

    // Act: remove skole-b, whose milestone is confirmed
    const removePreview = await admin.post(`${base}/remove-unit`, {
      step: "preview",
      unitId: "skole-b",
      reason: "Lagt sammen",
    });
    const removeRev = /name="expectedRev" value="(\d+)"/.exec(removePreview.text)?.[1] ?? "";
    const removed = await admin.post(`${base}/remove-unit`, {
      step: "save",
      unitId: "skole-b",
      reason: "Lagt sammen",
      expectedRev: removeRev,
    });
    const refused = await admin.post(`${base}/remove-unit`, {
      step: "preview",
      unitId: "skole-b",
      reason: "Igen",
    });
    // Assess
    const removeText = visibleText(removePreview.text);
    expect(removeText).toMatch(/Milepæle, der fjernes .* Statusrapport Skole B Bekræftet/);
    expect(removePreview.text).toContain('id="removed-confirmed"');
    expect(removed.status).toBe(303);
    expect(await h.table.stores.instances.getMilestone(instanceId, "status/skole-b/0")).toBeNull();
    expect(refused.status).toBe(400);
    expect(visibleText(refused.text)).toContain("»skole-b« er ikke med i forløbet.");
  });
});
