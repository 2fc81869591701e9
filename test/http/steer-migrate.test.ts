/**
 * Issue 11, change 3, over real HTTP and DynamoDB Local: one instance moved to a newer version
 * through the change API, and every running instance of a version at once, where one that cannot
 * be moved is named and the others go ahead.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadWorkflow } from "../../shared/model/load.ts";
import {
  ADMIN_TOKEN,
  type Harness,
  instanceWithLinks,
  snapshot,
  startHarness,
  UNITS,
  WORKFLOW_YAML,
} from "./harness.ts";

let h: Harness;

/** Version 2 of the harness workflow: the status report renamed, an evaluation added. */
const VERSION_2 = WORKFLOW_YAML.replace(
  "  - id: status\n",
  "  - id: statusrapport\n",
).concat(`  - id: evaluering
    title: Evaluering
    owner: unit:forvaltning
    due: P4M
`);

beforeAll(async () => {
  h = await startHarness();
  for (const unit of UNITS) await h.table.stores.units.put(unit);
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
  return { status: response.status, json: (await response.json()) as Json };
}

async function saveVersion2(): Promise<void> {
  const loaded = loadWorkflow(VERSION_2, "v2.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  if ((await h.table.stores.workflows.get(loaded.value.id, 2)) !== null) return;
  await h.table.stores.workflows.putVersion({
    workflowId: loaded.value.id,
    source: VERSION_2,
    definition: loaded.value,
    createdBy: "test",
  });
}

describe("migrating through the API", () => {
  it("moves one instance with a mapping, keeping the school's confirmation under the new name", async () => {
    // Prepare
    const { instanceId } = await instanceWithLinks(h);
    await saveVersion2();
    await h.table.stores.instances.recordConfirmation({
      instanceId,
      occurrenceKey: "status/skole-a/0",
      at: "2024-05-01T06:00:00Z",
      by: "unitLeader:skole-a",
    });
    // Act
    const saved = await post(`/api/instances/${instanceId}/changes/migrate`, {
      toVersion: 2,
      mapping: { status: "statusrapport" },
      reason: "Ny version vedtaget",
    });
    // Assess
    expect(saved.status).toBe(200);
    expect(saved.json.preview.audit.details).toMatchObject({
      milestones: [
        { from: "status", fate: "renamed", to: "statusrapport" },
        { from: "plan", fate: "kept", to: "plan" },
      ],
      added: ["evaluering"],
    });
    const loaded = await h.table.stores.instances.loadState(instanceId);
    expect(loaded.instance.workflowVersion).toBe(2);
    expect(loaded.state.confirmations.map((c) => c.occurrenceKey)).toEqual(["statusrapport/skole-a/0"]);
  });

  it("previews and then moves every running instance of version 1, leaving one cancelled meanwhile alone", async () => {
    // Prepare: two instances on version 1; one is past saving (cancelled after the preview)
    await saveVersion2();
    const first = await instanceWithLinks(h);
    const second = await instanceWithLinks(h);
    const body = { fromVersion: 1, mapping: { status: "statusrapport" }, reason: "Ny version vedtaget" };
    const before = await snapshot(h.table);
    // Act
    const preview = await post("/api/workflows/skoleopfoelgning/migrate/preview", body);
    const unchanged = await snapshot(h.table);
    await h.table.stores.instances.cancel(second.instanceId, "test");
    const saved = await post("/api/workflows/skoleopfoelgning/migrate", body);
    // Assess
    expect(unchanged).toEqual(before);
    const previewed = new Map(
      (preview.json.instances as { instanceId: string; outcome: string }[]).map((i) => [
        i.instanceId,
        i.outcome,
      ]),
    );
    expect(previewed.get(first.instanceId)).toBe("migrates");
    expect(previewed.get(second.instanceId)).toBe("migrates");
    const outcomes = new Map(
      (saved.json.instances as { instanceId: string; outcome: string }[]).map((i) => [
        i.instanceId,
        i.outcome,
      ]),
    );
    expect(outcomes.get(first.instanceId)).toBe("migrated");
    expect(outcomes.has(second.instanceId)).toBe(false);
    expect((await h.table.stores.instances.get(first.instanceId))?.workflowVersion).toBe(2);
    expect((await h.table.stores.instances.get(second.instanceId))?.workflowVersion).toBe(1);
  });

  it("reports a mapping that cannot work for each instance, and moves none", async () => {
    // Prepare
    await saveVersion2();
    const { instanceId } = await instanceWithLinks(h);
    // Act
    const saved = await post("/api/workflows/skoleopfoelgning/migrate", {
      fromVersion: 1,
      mapping: { status: "plan" },
      reason: "Forkert kortlægning",
    });
    // Assess
    expect(saved.status).toBe(200);
    const mine = (saved.json.instances as { instanceId: string; outcome: string; message?: string }[]).find(
      (i) => i.instanceId === instanceId,
    );
    expect(mine).toMatchObject({
      outcome: "refused",
      message: expect.stringMatching(/mapping\.status: .*per skole/),
    });
    expect(saved.json.counts.migrated).toBe(0);
    expect((await h.table.stores.instances.get(instanceId))?.workflowVersion).toBe(1);
  });
});
