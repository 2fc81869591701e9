import type { Unit } from "../../model/schema.ts";
import { checkUnitBatch, NotFoundError } from "../errors.ts";
import {
  latestVersionStays,
  type UnitStore,
  type WorkflowStore,
  type WorkflowVersionSummary,
  workflowAuditId,
} from "../ports.ts";
import type { AuditEntry, NewWorkflowVersion, WorkflowSummary, WorkflowVersionRecord } from "../records.ts";
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

  async deleteVersion(workflowId: string, version: number, by: string, reason?: string): Promise<AuditEntry> {
    await turn();
    const workflow = this.table.workflows.get(workflowId);
    const index = workflow?.versions.findIndex((v) => v.version === version) ?? -1;
    if (workflow === undefined || index < 0)
      throw new NotFoundError("workflow version", `${workflowId}@${version}`);
    if (workflow.summary.latestVersion === version) throw latestVersionStays(workflowId, version);
    workflow.versions.splice(index, 1);
    return this.table.appendAudit(
      workflowAuditId(workflowId),
      {
        action: "workflow.version.deleted",
        by,
        details: { workflowId, version, ...(reason === undefined ? {} : { reason }) },
      },
      this.table.now(),
    );
  }
}

export class MemoryUnitStore implements UnitStore {
  constructor(private readonly table: MemoryTable) {}

  async put(unit: Unit): Promise<void> {
    await turn();
    this.table.units.set(unit.id, copy(unit));
  }

  async putAll(units: readonly Unit[]): Promise<void> {
    checkUnitBatch(units);
    await turn();
    // Synchronous from here: no other caller sees some of them and not the rest.
    for (const unit of units) this.table.units.set(unit.id, copy(unit));
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
