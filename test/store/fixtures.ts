/** Small builders shared by the store tests; each test still states the values it asserts on. */
import { randomUUID } from "node:crypto";
import { type Workflow, WorkflowSchema } from "../../shared/model/schema.ts";
import type { NewInstance, Stores } from "../../shared/store/index.ts";
import type { Occurrence } from "../../shared/timeline/types.ts";

export function workflow(id: string, title = "Opfølgning"): Workflow {
  return WorkflowSchema.parse({
    id,
    title,
    milestones: [{ id: "status", title: "Status", owner: "unit:forvaltning", due: "P1M" }],
  });
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function occurrence(key: string, dueAt: string | null, extra: Partial<Occurrence> = {}): Occurrence {
  const [milestoneId = key, unit = "-", index = "0"] = key.split("/");
  return {
    key,
    milestoneId,
    unitId: unit === "-" ? null : unit,
    index: Number(index),
    dueAt,
    after: [],
    confirmable: true,
    ...extra,
  };
}

/** A stored workflow (version 1) and a running instance of it with the given occurrences synced. */
export async function runningInstance(
  stores: Stores,
  occurrences: Occurrence[] = [],
  overrides: Partial<NewInstance> = {},
): Promise<string> {
  const workflowId = overrides.workflowId ?? uniqueId("wf");
  if (overrides.workflowId === undefined) {
    await stores.workflows.putVersion({
      workflowId,
      source: "id: x",
      definition: workflow(workflowId),
      createdBy: "admin",
    });
  }
  const instanceId = overrides.instanceId ?? uniqueId("inst");
  await stores.instances.create({
    instanceId,
    workflowId,
    workflowVersion: 1,
    startAt: "2024-01-01T08:00:00Z",
    params: { sag: "S-1" },
    units: [{ id: "skole-a", type: "skole", name: "Skole A" }],
    createdBy: "admin",
    ...overrides,
  });
  if (occurrences.length > 0) await stores.instances.syncOccurrences(instanceId, occurrences);
  return instanceId;
}

/** The error a call fails with; fails the test if it succeeds. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
