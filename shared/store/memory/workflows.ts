import type { Unit } from "../../model/schema.ts";
import { NotFoundError } from "../errors.ts";
import type { UnitStore, WorkflowStore, WorkflowVersionSummary } from "../ports.ts";
import type { NewWorkflowVersion, WorkflowSummary, WorkflowVersionRecord } from "../records.ts";
import { byKey, copy, type MemoryTable, turn } from "./table.ts";

export class MemoryWorkflowStore implements WorkflowStore {
  constructor(private readonly table: MemoryTable) {}

  async putVersion(input: NewWorkflowVersion): Promise<WorkflowVersionRecord> {
    await turn();
    const existing = this.table.workflows.get(input.workflowId);
    const record: WorkflowVersionRecord = copy({
      workflowId: input.workflowId,
      version: (existing?.versions.length ?? 0) + 1,
      source: input.source,
      definition: input.definition,
      createdAt: this.table.now(),
      createdBy: input.createdBy,
    });
    const summary: WorkflowSummary = {
      workflowId: record.workflowId,
      latestVersion: record.version,
      title: record.definition.title,
      latestAt: record.createdAt,
      latestBy: record.createdBy,
    };
    this.table.workflows.set(input.workflowId, {
      summary,
      versions: [...(existing?.versions ?? []), record],
    });
    return copy(record);
  }

  async get(workflowId: string, version?: number): Promise<WorkflowVersionRecord | null> {
    await turn();
    const versions = this.table.workflows.get(workflowId)?.versions ?? [];
    const found = version === undefined ? versions.at(-1) : versions.find((v) => v.version === version);
    return found === undefined ? null : copy(found);
  }

  async list(): Promise<WorkflowSummary[]> {
    await turn();
    return [...this.table.workflows.values()].map((w) => copy(w.summary)).sort(byKey((w) => w.workflowId));
  }

  async listVersions(workflowId: string): Promise<WorkflowVersionSummary[]> {
    await turn();
    return (this.table.workflows.get(workflowId)?.versions ?? []).map((v) => ({
      workflowId: v.workflowId,
      version: v.version,
      createdAt: v.createdAt,
      createdBy: v.createdBy,
    }));
  }
}

export class MemoryUnitStore implements UnitStore {
  constructor(private readonly table: MemoryTable) {}

  async put(unit: Unit): Promise<void> {
    await turn();
    this.table.units.set(unit.id, copy(unit));
  }

  async get(unitId: string): Promise<Unit | null> {
    await turn();
    const unit = this.table.units.get(unitId);
    return unit === undefined ? null : copy(unit);
  }

  async list(type?: string): Promise<Unit[]> {
    await turn();
    return [...this.table.units.values()]
      .filter((u) => type === undefined || u.type === type)
      .sort(byKey((u) => `${u.type}#${u.id}`))
      .map(copy);
  }

  async delete(unitId: string): Promise<void> {
    await turn();
    if (!this.table.units.delete(unitId)) throw new NotFoundError("unit", unitId);
  }
}
