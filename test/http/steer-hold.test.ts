/**
 * Issue 11, change 4 through the real admin API on DynamoDB Local: a person logged in through the
 * embedded OpenID provider makes a personal token, previews and puts an instance on hold, is
 * refused a second hold, and resumes it with the deadlines shifted by the pause. The trail names
 * them, and the parked loop is woken each time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, loginThroughProvider } from "../dashboard/client.ts";
import { type Harness, instanceWithLinks, park, startHarness, TEST_USERS, UNITS } from "./harness.ts";

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  const anna = TEST_USERS.find((u) => u.id === "anna");
  if (anna === undefined) throw new Error("no anna");
  const client = new Client(h);
  await loginThroughProvider(client, h.url, anna.email, anna.password);
  await client.get("/tokens");
  const page = await client.post("/tokens", { name: "Pausescript", days: "30" });
  const made = /id="new-token" type="text" readonly value="([^"]+)"/.exec(page.text)?.[1];
  if (made === undefined) throw new Error(`no token: ${page.status}`);
  token = made;
  // Its first use stamps the token (lastUsedAt): done here, so a snapshot later sees only the change.
  await fetch(`${h.url}/api/instances`, { headers: { authorization: `Bearer ${token}` } });
});
afterAll(async () => {
  await h.close();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by expect(), field by field.
type Json = any;

async function post(path: string, body: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${h.url}/api${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

describe("hold and resume through the API", () => {
  it("holds, refuses a second hold, resumes with shifted deadlines, and names the person in the trail", async () => {
    // Prepare: a running instance with its loop parked
    const { instanceId } = await instanceWithLinks(h);
    await park(h, instanceId, "token-hold");
    const base = `/instances/${instanceId}/changes`;

    // Act 1: preview the hold (nothing written), then hold
    const before = await h.snapshot();
    const preview = await post(`${base}/hold/preview`, { reason: "Afventer byrådets beslutning" });
    expect(preview.status).toBe(200);
    expect(preview.json.preview.cancelledNotifications.length).toBeGreaterThan(0);
    expect(preview.json.preview.sendsNow).toEqual([]);
    expect(await h.snapshot()).toEqual(before);
    const held = await post(`${base}/hold`, {
      reason: "Afventer byrådets beslutning",
      expectedRev: preview.json.preview.rev,
    });

    // Assess 1
    expect(held.status).toBe(200);
    expect(held.json).toMatchObject({ action: "hold", woken: true });
    expect(h.wakes.map((w) => w.payload.reason)).toContain("instance.held");
    const detail = await fetch(`${h.url}/api/instances/${instanceId}`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((r) => r.json() as Promise<Json>);
    expect(detail.instance.hold).toEqual({
      since: "2024-05-01T06:00:00Z",
      by: "user:anna (Anna Administrator)",
      reason: "Afventer byrådets beslutning",
    });
    expect(new Set(detail.units.flatMap((g: Json) => g.milestones.map((m: Json) => m.status)))).toEqual(
      new Set(["on-hold"]),
    );

    // Act 2: a second hold is refused with a located message, nothing written
    const heldState = await h.snapshot();
    const again = await post(`${base}/hold`, { reason: "Igen" });
    expect(again.status).toBe(400);
    expect(JSON.stringify(again.json)).toMatch(/on hold already/);
    expect(JSON.stringify(again.json)).toContain('"path":"hold"');
    expect(await h.snapshot()).toEqual(heldState);

    // Act 3: ten days later, resume with the deadlines shifted
    h.clock.set("2024-05-11T06:00:00Z");
    await park(h, instanceId, "token-resume");
    const resumed = await post(`${base}/resume`, { reason: "Byrådet har besluttet", deadlines: "shift" });

    // Assess 3: the schools' 1 June 23:59 deadlines are now 11 June 23:59 (summer time both)
    expect(resumed.status).toBe(200);
    expect(resumed.json.woken).toBe(true);
    const moved = resumed.json.preview.movedDeadlines as Json[];
    const schools = moved.filter((m) => m.milestoneId === "status").map((m) => [m.unitId, m.from, m.to]);
    expect(schools.sort()).toEqual([
      ["skole-a", "2024-06-01T21:59:00Z", "2024-06-11T21:59:00Z"],
      ["skole-b", "2024-06-01T21:59:00Z", "2024-06-11T21:59:00Z"],
    ]);
    const instance = await h.table.stores.instances.get(instanceId);
    expect(instance?.hold).toBeUndefined();
    expect(instance?.dueOverrides["status/skole-a/0"]).toBe("2024-06-11T21:59:00Z");
    const milestone = await h.table.stores.instances.getMilestone(instanceId, "status/skole-b/0");
    expect(milestone?.dueAt).toBe("2024-06-11T21:59:00Z");
    const trail = await h.table.stores.audit.list(instanceId);
    expect(trail.filter((e) => e.action === "instance.held" || e.action === "instance.resumed")).toEqual([
      expect.objectContaining({
        action: "instance.held",
        by: "user:anna (Anna Administrator)",
        details: expect.objectContaining({ reason: "Afventer byrådets beslutning" }),
      }),
      expect.objectContaining({
        action: "instance.resumed",
        by: "user:anna (Anna Administrator)",
        details: expect.objectContaining({
          reason: "Byrådet har besluttet",
          deadlines: "shift",
          pausedFor: "P10D",
          pausedMs: 10 * 24 * 3_600_000,
        }),
      }),
    ]);
  });
});
