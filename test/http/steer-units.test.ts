/**
 * Issue 11, change 2 through the real admin API over DynamoDB Local: a school added to a running
 * fan-out and one removed, each previewed and saved (POST /api/instances/:id/changes/:action and
 * …/preview), and a refusal that names the field and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Harness, instanceWithLinks, park, startHarness, UNITS } from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  await h.table.stores.units.put({
    id: "skole-c",
    name: "Skole C",
    type: "skole",
    leader: { name: "Cille Leder", email: "cille@skole-c.example.dk" },
  });
});
afterAll(async () => {
  await h.close();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by expect(), field by field.
type Json = any;

async function post(path: string, body: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${h.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

describe("units of a running fan-out through the API", () => {
  it("adds a school and removes one, each previewed and saved, and refuses a unit of another type", async () => {
    // Prepare: a running instance over skole-a and skole-b, its states written, its loop parked
    const { instanceId } = await instanceWithLinks(h);
    await park(h, instanceId, "token-add");
    const base = `/api/instances/${instanceId}/changes`;

    // Act: preview, then save the new school
    const preview = await post(`${base}/add-unit/preview`, { unitId: "skole-c", reason: "Ny skole" });
    const added = await post(`${base}/add-unit`, {
      unitId: "skole-c",
      reason: "Ny skole",
      expectedRev: preview.json.preview.rev,
    });
    // Assess
    expect(preview.status).toBe(200);
    expect(preview.json.preview.addedOccurrences).toEqual(["status/skole-c/0"]);
    expect(preview.json.preview.addedNotifications.length).toBeGreaterThan(0);
    expect(added.status).toBe(200);
    expect(added.json).toMatchObject({ action: "add-unit", woken: true });
    expect(h.wakes.at(-1)).toEqual({ token: "token-add", payload: { reason: "unit.added" } });
    const afterAdd = await h.table.stores.instances.get(instanceId);
    expect(afterAdd?.units.map((u) => u.id)).toEqual(["skole-a", "skole-b", "skole-c"]);

    // Act: a refusal, then the removal of skole-a
    const before = await h.snapshot();
    const refused = await post(`${base}/add-unit`, { unitId: "forvaltning", reason: "Forkert type" });
    const unchanged = await h.snapshot();
    const removePreview = await post(`${base}/remove-unit/preview`, {
      unitId: "skole-a",
      reason: "Lagt sammen med Skole B",
    });
    const removed = await post(`${base}/remove-unit`, {
      unitId: "skole-a",
      reason: "Lagt sammen med Skole B",
      expectedRev: removePreview.json.preview.rev,
    });
    // Assess
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toMatch(
      /unitId.*forvaltning is of type forvaltning; this workflow fans out over skole/,
    );
    expect(unchanged).toEqual(before);
    expect(removePreview.json.preview.removedOccurrences).toEqual(["status/skole-a/0"]);
    expect(removed.status).toBe(200);
    const afterRemove = await h.table.stores.instances.loadState(instanceId);
    expect(afterRemove.instance.units.map((u) => u.id)).toEqual(["skole-b", "skole-c"]);
    expect(afterRemove.milestones.some((m) => m.unitId === "skole-a")).toBe(false);
    const trail = await h.table.stores.audit.list(instanceId);
    expect(
      trail.filter((e) => e.action.startsWith("unit.")).map((e) => [e.action, e.details?.unitId]),
    ).toEqual([
      ["unit.added", "skole-c"],
      ["unit.removed", "skole-a"],
    ]);
  });
});
