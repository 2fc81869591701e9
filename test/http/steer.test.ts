/**
 * Issue 11: the admin API's two calls for every change to a running instance, over real HTTP and
 * DynamoDB Local: POST /api/instances/:id/changes/:action/preview (writes nothing) and
 * POST /api/instances/:id/changes/:action (saves at the previewed rev, wakes the loop).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  type Harness,
  instanceWithLinks,
  park,
  snapshot,
  startHarness,
  UNITS,
} from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  for (const unit of UNITS) await h.table.stores.units.put(unit);
});
afterAll(async () => {
  await h.close();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by expect(), field by field.
type Json = any;

async function post(path: string, body: unknown): Promise<{ status: number; json: Json; text: string }> {
  const response = await fetch(`${h.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Json, text };
}

/** 1 June 2024 23:59 in Copenhagen (CEST), the test workflow's status deadline. */
const STATUS_DUE = "2024-06-01T21:59:00Z";

describe("changing a running instance through the API", () => {
  it("previews moving a milestone's deadline for every unit and writes nothing", async () => {
    // Prepare
    const { instanceId } = await instanceWithLinks(h);
    const before = await snapshot(h.table);
    // Act
    const response = await post(`/api/instances/${instanceId}/changes/move-deadline/preview`, {
      milestoneId: "status",
      to: "2024-06-20",
      reason: "Skolerne fik udsættelse",
    });
    // Assess
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ id: instanceId, action: "move-deadline" });
    const moved = response.json.preview.movedDeadlines as { occurrenceKey: string; to: string }[];
    expect(moved.map((m) => m.occurrenceKey).sort()).toEqual(["status/skole-a/0", "status/skole-b/0"]);
    expect(new Set(moved.map((m) => m.to))).toEqual(new Set(["2024-06-20T21:59:00Z"]));
    expect(response.json.preview.sendsNow).toEqual([]);
    expect(await snapshot(h.table)).toEqual(before);
  });

  it("saves the change at the previewed rev, records who and why, and wakes the parked loop", async () => {
    // Prepare
    const { instanceId } = await instanceWithLinks(h);
    await park(h, instanceId, "steer-token");
    h.wakes.length = 0;
    const preview = await post(`/api/instances/${instanceId}/changes/move-deadline/preview`, {
      occurrenceKey: "status/skole-a/0",
      to: "2024-06-20",
      reason: "Skole A fik udsættelse",
    });
    // Act
    const saved = await post(`/api/instances/${instanceId}/changes/move-deadline`, {
      occurrenceKey: "status/skole-a/0",
      to: "2024-06-20",
      reason: "Skole A fik udsættelse",
      expectedRev: preview.json.preview.rev,
    });
    // Assess
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ id: instanceId, action: "move-deadline", woken: true });
    expect(h.wakes).toEqual([{ token: "steer-token", payload: { reason: "deadline.moved" } }]);
    const detail = await fetch(`${h.url}/api/instances/${instanceId}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }).then((r) => r.json() as Promise<Json>);
    const dues = new Map<string, string>(
      (detail.units as { milestones: { key: string; dueAt: string }[] }[])
        .flatMap((g) => g.milestones)
        .map((m) => [m.key, m.dueAt]),
    );
    expect(dues.get("status/skole-a/0")).toBe("2024-06-20T21:59:00Z");
    expect(dues.get("status/skole-b/0")).toBe(STATUS_DUE);
    const trail = await h.table.stores.audit.list(instanceId);
    const entry = trail.find((e) => e.id === saved.json.auditId);
    expect(entry).toMatchObject({
      action: "deadline.moved",
      details: { reason: "Skole A fik udsættelse", occurrences: [{ occurrenceKey: "status/skole-a/0" }] },
    });
    expect(entry?.by).toBeTruthy();
  });

  it("refuses a save the instance has outrun (409), bad input (400, located) and an unknown change (404), writing nothing", async () => {
    // Prepare: a leader confirms after the preview at rev 0
    const { instanceId } = await instanceWithLinks(h);
    await h.table.stores.instances.recordConfirmation({
      instanceId,
      occurrenceKey: "status/skole-b/0",
      at: "2024-05-01T06:00:00Z",
      by: "unitLeader:skole-b",
    });
    const before = await snapshot(h.table);
    // Act
    const stale = await post(`/api/instances/${instanceId}/changes/move-deadline`, {
      occurrenceKey: "status/skole-a/0",
      to: "2024-06-20",
      reason: "Udsat",
      expectedRev: 0,
    });
    const bad = await post(`/api/instances/${instanceId}/changes/move-deadline`, {
      occurrenceKey: "status/skole-a/0",
      to: "2024-13-40",
      reason: "Udsat",
    });
    const unknown = await post(`/api/instances/${instanceId}/changes/teleport`, { reason: "Hvorfor ikke" });
    // Assess
    expect(stale.status).toBe(409);
    expect(stale.text).toMatch(/changed since/);
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual([
      expect.objectContaining({
        path: "to",
        message: expect.stringContaining("not a date or time that exists"),
      }),
    ]);
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toContain("move-deadline");
    expect(await snapshot(h.table)).toEqual(before);
  });
});
