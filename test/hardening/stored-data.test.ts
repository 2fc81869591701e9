/**
 * What was stored before today's checks (issue 15): a workflow version holding a CPR number the
 * checks of its day let through is deleted, with an audit entry, while the latest version and one
 * a running instance uses are kept; an instance whose plan reaches past the horizon is answered
 * with a 409 that says what to do. Served like the bad-input suite (support.ts).
 */
import { describe, expect, it } from "vitest";
import { createConfirmLink, linkExpiry } from "../../shared/links/confirm-link.ts";
import { LINK_KEY, WORKFLOW_YAML } from "../http/app-harness.ts";
import { api, app, plain, useHarness } from "./support.ts";

useHarness();

describe("deleting a stored workflow version", () => {
  it("removes an old version with an audit entry, refuses the latest and one a running instance uses", async () => {
    const { h, runningId } = app();
    // Prepare: version 1 carries an old CPR number the checks of its day let through.
    const base = await h.table.stores.workflows.get("skoleopfoelgning", 1);
    if (base === null) throw new Error("the setup saved skoleopfoelgning");
    const leaked = await h.table.stores.workflows.putVersion({
      workflowId: "gammel",
      source: "id: gammel # 010203-1234 (from before)\n",
      definition: {
        ...base.definition,
        id: "gammel",
      },
      createdBy: "test",
    });
    await api(
      "POST",
      "/api/workflows",
      WORKFLOW_YAML.replace("id: skoleopfoelgning", "id: gammel"),
      "application/yaml",
    );
    const stored = JSON.stringify(await h.snapshot());

    // Act
    const latest = await api("DELETE", "/api/workflows/gammel/versions/2");
    const inUse = await api("DELETE", "/api/workflows/skoleopfoelgning/versions/1");
    const missing = await api("DELETE", "/api/workflows/gammel/versions/9");
    const deleted = await api(
      "DELETE",
      "/api/workflows/gammel/versions/1",
      JSON.stringify({ reason: "CPR-nummer i en kommentar" }),
    );
    const again = await api("DELETE", "/api/workflows/gammel/versions/1");

    // Assess
    expect(leaked.version).toBe(1);
    expect(stored, "the dump shows what is stored").toContain("010203-1234");
    expect(latest.status).toBe(409);
    expect(JSON.parse(latest.text).message).toContain("latest version");
    expect(inUse.status).toBe(409);
    expect(JSON.parse(inUse.text).message).toContain("running instance");
    expect(missing.status).toBe(404);
    expect(deleted.status).toBe(200);
    expect(again.status).toBe(404);
    expect(await h.table.stores.workflows.get("gammel", 1)).toBeNull();
    expect((await h.table.stores.workflows.get("gammel", 2))?.version).toBe(2);
    const trail = await h.table.stores.audit.list("workflow:gammel");
    expect(trail).toMatchObject([
      {
        action: "workflow.version.deleted",
        by: "admin-api",
        details: { version: 1, reason: "CPR-nummer i en kommentar" },
      },
    ]);
    expect(JSON.stringify(await h.snapshot())).not.toContain("010203-1234");
    // The link key keeps working for what remains (nothing else was touched).
    const link = createConfirmLink(
      {
        instanceId: runningId,
        occurrenceKey: "status/skole-a/0",
        recipient: "unitLeader:skole-a",
        expiresAt: linkExpiry("2024-06-01T21:59:00Z", h.clock.now()),
      },
      LINK_KEY,
    );
    expect((await plain(`/confirm/${link.id}?sig=${link.sig}`)).status).toBe(200);
  });
});

describe("an instance saved before the plan horizon existed", () => {
  it("is answered with a 409 that says what to do, not a 500 on every view", async () => {
    const { h } = app();
    // Prepare: what the old checks let through, stored directly: a deadline 999,999,999 years away.
    const base = await h.table.stores.workflows.get("skoleopfoelgning", 1);
    if (base === null) throw new Error("the setup saved skoleopfoelgning");
    const definition = {
      ...base.definition,
      id: "evig",
      milestones: base.definition.milestones.map((m) => ({ ...m, due: "P999999999Y" })),
    };
    await h.table.stores.workflows.putVersion({
      workflowId: "evig",
      source: "id: evig\n",
      definition,
      createdBy: "test",
    });
    await h.table.stores.instances.create({
      instanceId: "evig-0001",
      workflowId: "evig",
      workflowVersion: 1,
      startAt: "2024-05-01T06:00:00Z",
      params: {},
      units: [{ id: "skole-a", type: "skole", name: "Skole A" }],
      createdBy: "test",
    });

    // Act
    const viewed = await api("GET", "/api/instances/evig-0001");

    // Assess
    expect(viewed.status).toBe(409);
    expect(JSON.parse(viewed.text).message).toContain("cancel it");
  });
});
