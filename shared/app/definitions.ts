/**
 * Workflow definitions by id and version, remembered for the life of the process. A stored version
 * never changes (an edit is a new version), so caching it is always correct, and a warm Lambda
 * container then reads only the instance partition per loop.
 */
import type { Workflow } from "../model/schema.ts";
import { NotFoundError } from "../store/errors.ts";
import type { WorkflowStore } from "../store/ports.ts";

/** Plenty for one municipality's workflows; bounds memory if many versions pass through one container. */
const DEFAULT_LIMIT = 64;

export class DefinitionCache {
  private readonly entries = new Map<string, Promise<Workflow>>();

  constructor(private readonly limit = DEFAULT_LIMIT) {}

  get(workflowId: string, version: number, load: () => Promise<Workflow>): Promise<Workflow> {
    const key = `${workflowId}@${version}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const loading = load();
    // A failed read (throttling) must not be remembered.
    loading.catch(() => this.entries.delete(key));
    this.entries.set(key, loading);
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return loading;
  }
}

/** The definition an instance runs; NotFoundError if its version is gone (a permanent failure). */
export function loadDefinition(
  deps: { workflows: Pick<WorkflowStore, "get">; definitions?: DefinitionCache },
  workflowId: string,
  version: number,
): Promise<Workflow> {
  const load = async () => {
    const record = await deps.workflows.get(workflowId, version);
    if (record === null) throw new NotFoundError("workflow version", `${workflowId}@${version}`);
    return record.definition;
  };
  return deps.definitions ? deps.definitions.get(workflowId, version, load) : load();
}
