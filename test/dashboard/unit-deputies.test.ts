/**
 * A unit's deputies on the dashboard: an administrator sets one for a period (audited with who),
 * a bad form changes nothing, and ending one takes it off the list. The mail routing that follows
 * from it is tested in test/app/deputy-routing.test.ts and test/e2e/mine-deputy.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deputyAuditId } from "../../shared/store/ports.ts";
import { UNITS } from "../http/app-harness.ts";
import { type MemoryHarness, startMemoryHarness } from "../http/memory-harness.ts";
import { Client, visibleText } from "./client.ts";

let h: MemoryHarness;
let admin: Client;
const unit = UNITS[0];

beforeAll(async () => {
  h = await startMemoryHarness("2024-05-01T06:00:00Z");
  for (const u of UNITS) await h.table.stores.units.put(u);
  admin = new Client(h);
  await admin.login();
});
afterAll(async () => {
  await h.close();
});

describe("a unit's deputies", () => {
  it("are set by an administrator for a period, audited with who, listed, and ended", async () => {
    if (unit === undefined) throw new Error("the harness has sample units");
    const scope = { kind: "unit", unitId: unit.id } as const;
    // Prepare: the page, linked from the unit's edit page
    expect((await admin.get(`/units/${unit.id}/edit`)).text).toContain(`href="/units/${unit.id}/deputies"`);
    const empty = await admin.get(`/units/${unit.id}/deputies`);
    expect(visibleText(empty.text)).toContain("Enheden har ingen stedfortræder nu eller senere.");
    // Act: a period whose last day is before its first, then a good one
    const bad = await admin.post(`/units/${unit.id}/deputies`, {
      name: "Kim Stedfortræder",
      email: "kim@kommune.example.dk",
      from: "2024-05-10",
      to: "2024-05-01",
    });
    const afterBad = await h.table.stores.deputies.list(scope);
    const good = await admin.post(`/units/${unit.id}/deputies`, {
      name: "Kim Stedfortræder",
      email: "Kim@Kommune.example.dk",
      from: "2024-05-01",
      to: "2024-05-31",
    });
    const listed = await admin.get(good.location ?? "");
    // Assess
    expect(bad.status).toBe(400);
    expect(visibleText(bad.text)).toContain("Stedfortræderen blev ikke sat.");
    expect(afterBad).toEqual([]);
    expect(good.status).toBe(303);
    const stored = await h.table.stores.deputies.list(scope);
    expect(stored).toMatchObject([
      { name: "Kim Stedfortræder", email: "kim@kommune.example.dk", from: "2024-05-01", to: "2024-05-31" },
    ]);
    expect(visibleText(listed.text)).toContain("Kim Stedfortræder er sat som stedfortræder.");
    expect(visibleText(listed.text)).toContain("2024-05-01 – 2024-05-31");
    const trail = await h.table.stores.audit.list(deputyAuditId(scope));
    expect(trail.map((e) => [e.action, e.by])).toEqual([["deputy.set", "admin-dashboard"]]);

    // Act: end it today
    const ended = await admin.post(`/units/${unit.id}/deputies/${stored[0]?.deputyId}/end`, {});
    const after = await admin.get(ended.location ?? "");
    // Assess
    expect(ended.status).toBe(303);
    expect(visibleText(after.text)).toContain("Stedfortræderen er afsluttet.");
    expect(visibleText(after.text)).toContain("Enheden har ingen stedfortræder nu eller senere.");
    expect((await h.table.stores.audit.list(deputyAuditId(scope))).map((e) => e.action)).toEqual([
      "deputy.set",
      "deputy.ended",
    ]);
  });

  it("answers an unknown unit with 404 and stores nothing", async () => {
    const page = await admin.get("/units/no-such-unit/deputies");
    const post = await admin.post("/units/no-such-unit/deputies", {
      name: "Kim",
      email: "kim@kommune.example.dk",
      from: "2024-05-01",
      to: "2024-05-31",
    });
    expect(page.status).toBe(404);
    expect(post.status).toBe(404);
    expect(await h.table.stores.deputies.list({ kind: "unit", unitId: "no-such-unit" })).toEqual([]);
  });
});
