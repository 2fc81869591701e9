/**
 * What an administrator does through the admin API: save workflow versions, start, inspect and
 * cancel instances, keep the unit directory. Input is checked here the way `fristflow validate`
 * checks files, so the API answers with the same located errors; nothing is written unless all
 * of it is valid, and no CPR number passes, not even into an error message. Starting an instance
 * has its own module (./start-instance.ts), exported from here as well.
 */
import { z } from "zod";
import { type ErrorCategory, FristflowError } from "../errors/errors.ts";
import { quote } from "../model/errors.ts";
import { loadWorkflow } from "../model/load.ts";
import { IdSchema, LineSchema, type Unit, type Workflow } from "../model/schema.ts";
import { NotFoundError } from "../store/errors.ts";
import type {
  CancelResult,
  InstanceRecord,
  InstanceStatus,
  InstanceSummary,
  WorkflowSummary,
  WorkflowVersionRecord,
} from "../store/records.ts";
import { type OccurrenceStatus, occurrenceStatus } from "../timeline/decide.ts";
import { pickText } from "../timeline/format.ts";
import { type InstanceIdentity, instanceIdentity } from "../timeline/instance-name.ts";
import { countStatuses, type OccurrenceStatusName } from "../timeline/status.ts";
import type { InstanceUnit } from "../timeline/types.ts";
import { BODY_FILE, InvalidInputError, located } from "./admin-input.ts";
import { type WakeResult, wakeParked } from "./confirm.ts";
import type { AppDeps } from "./ports.ts";
import { ceilingError } from "./start-instance.ts";
import { fanOutWarnings, type WorkflowWarning } from "./workflow-warnings.ts";

// Where callers have always found them.
export {
  BODY_FILE,
  InvalidInputError,
  MAX_INPUT_DEPTH,
  nestedDeeperThan,
  parseInput,
  TOO_DEEP,
} from "./admin-input.ts";
export {
  checkStart,
  LoopStartError,
  type StartInstanceInput,
  StartInstanceSchema,
  startInstance,
} from "./start-instance.ts";

// ------------------------------------------------------------------------------- workflows

/** Validates a definition (YAML or JSON text) and stores it as the workflow's next version. */
export async function saveWorkflow(
  deps: Pick<AppDeps, "workflows" | "clock" | "units">,
  input: { source: string; file?: string; by: string },
): Promise<{ id: string; version: number; warnings?: WorkflowWarning[] }> {
  const file = input.file ?? BODY_FILE;
  const loaded = loadWorkflow(input.source, file);
  if (!loaded.ok) throw new InvalidInputError(loaded.errors);
  // A trial plan started today with one unit of each fan-out type: a repetition or a deadline
  // over the plan's ceilings is refused now, not at every start.
  const types = [...new Set(loaded.value.milestones.flatMap((m) => m.forEach ?? []))];
  const trial = ceilingError(
    loaded.value,
    deps.clock.now().toString(),
    types.map((type) => ({ id: `trial-${type}`, type, name: type })),
    file,
  );
  if (trial !== undefined) {
    throw new InvalidInputError([{ ...trial, message: `${trial.message} (when started today)` }]);
  }
  const saved = await deps.workflows.putVersion({
    workflowId: loaded.value.id,
    source: input.source,
    definition: loaded.value,
    createdBy: input.by,
  });
  // Saved anyway (the units may be imported next), but said: the answer carries the warnings.
  const warnings = fanOutWarnings(loaded.value, await deps.units.list());
  return warnings.length === 0
    ? { id: saved.workflowId, version: saved.version }
    : { id: saved.workflowId, version: saved.version, warnings };
}

export function listWorkflows(deps: Pick<AppDeps, "workflows">): Promise<WorkflowSummary[]> {
  return deps.workflows.list();
}

export interface WorkflowDetail extends WorkflowVersionRecord {
  versions: { version: number; createdAt: string; createdBy: string }[];
}

/** A version (the latest when none is given) and the list of all versions. NotFoundError if missing. */
export async function getWorkflow(
  deps: Pick<AppDeps, "workflows">,
  workflowId: string,
  version?: number,
): Promise<WorkflowDetail> {
  const [record, versions] = await Promise.all([
    deps.workflows.get(workflowId, version),
    deps.workflows.listVersions(workflowId),
  ]);
  if (record === null) {
    throw new NotFoundError(
      "workflow",
      version === undefined ? workflowId : `${workflowId} version ${version}`,
    );
  }
  return {
    ...record,
    versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt, createdBy: v.createdBy })),
  };
}

export const DeleteVersionSchema = z.strictObject({
  /** Why, for the audit trail (e.g. "a CPR number in a comment"); checked for CPR numbers like any text. */
  reason: LineSchema.max(500).optional(),
});

/**
 * Deletes a stored version for good (what got in before the checks that now refuse it), with an
 * audit entry. Refused (ConflictError) while a running instance uses the version, and for the
 * latest version (save a corrected one first). NotFoundError if there is no such version.
 */
export async function deleteWorkflowVersion(
  deps: Pick<AppDeps, "workflows" | "instances">,
  workflowId: string,
  version: number,
  options: { by: string; reason?: string },
): Promise<{ workflowId: string; version: number; auditId: string }> {
  if ((await deps.workflows.get(workflowId, version)) === null) {
    throw new NotFoundError("workflow version", `${workflowId} version ${version}`);
  }
  const running = (await deps.instances.list({ workflowId, status: "running" })).filter(
    (i) => i.workflowVersion === version,
  );
  if (running.length > 0) {
    const shown = running.slice(0, 5).map((i) => i.instanceId);
    throw new VersionInUseError(
      `version ${version} of workflow ${workflowId} is used by ${running.length} running instance(s) ` +
        `(${shown.join(", ")}${running.length > shown.length ? ", …" : ""}); cancel or finish them first`,
    );
  }
  const entry = await deps.workflows.deleteVersion(workflowId, version, options.by, options.reason);
  return { workflowId, version, auditId: entry.id };
}

/** A version a running instance uses stays: the instance reads its definition on every step. */
export class VersionInUseError extends FristflowError {
  readonly category: ErrorCategory = "conflict";
}

// ------------------------------------------------------------------------------- instances

export const InstanceFilterSchema = z.strictObject({
  workflowId: IdSchema.optional(),
  status: z.enum(["running", "done", "cancelled", "failed"]).optional(),
});

export function listInstances(
  deps: Pick<AppDeps, "instances">,
  filter: { workflowId?: string; status?: InstanceStatus } = {},
): Promise<InstanceSummary[]> {
  return deps.instances.list(filter);
}

export interface MilestoneView extends OccurrenceStatus {
  title: string;
  unitName: string | null;
  confirmedBy: string | null;
}

export interface UnitMilestones {
  /** null for the milestones that belong to the instance as a whole. */
  unit: InstanceUnit | null;
  milestones: MilestoneView[];
}

export interface InstanceDetail {
  /** Without the parked task token: it is a capability to drive the execution. */
  instance: Omit<InstanceRecord, "taskToken">;
  workflowTitle: string;
  timezone: string;
  /** Instance-wide milestones first, then one group per unit in the instance's order. */
  units: UnitMilestones[];
  /** How many occurrences have each status (timeline/status.ts): what every page counts. */
  counts: Record<OccurrenceStatusName, number>;
  /** What the instance is called and what identifies its case (timeline/instance-name.ts). */
  identity: InstanceIdentity;
}

/** The instance with every milestone occurrence and its status as of now. NotFoundError if missing. */
export async function getInstance(
  deps: Pick<AppDeps, "instances" | "workflows" | "clock">,
  instanceId: string,
  language: "da" | "en" = "da",
): Promise<InstanceDetail> {
  const { instance, state, milestones } = await deps.instances.loadState(instanceId);
  const record = await deps.workflows.get(instance.workflowId, instance.workflowVersion);
  if (record === null) {
    throw new NotFoundError("workflow version", `${instance.workflowId}@${instance.workflowVersion}`);
  }
  const definition = record.definition;
  const titles = new Map(definition.milestones.map((m) => [m.id, pickText(m.title, language)]));
  const stored = new Map(milestones.map((m) => [m.occurrenceKey, m]));
  const names = new Map(instance.units.map((u) => [u.id, u.name]));
  const views: MilestoneView[] = statusOf(definition, state, deps.clock.now(), instanceId).map((o) => ({
    ...o,
    title: titles.get(o.milestoneId) ?? o.milestoneId,
    unitName: o.unitId === null ? null : (names.get(o.unitId) ?? o.unitId),
    confirmedBy: stored.get(o.key)?.confirmedBy ?? null,
  }));
  const groups: UnitMilestones[] = [
    { unit: null, milestones: views.filter((v) => v.unitId === null) },
    ...instance.units.map((unit) => ({ unit, milestones: views.filter((v) => v.unitId === unit.id) })),
  ].filter((g) => g.unit !== null || g.milestones.length > 0);
  const { taskToken: _capability, ...visible } = instance;
  return {
    instance: visible,
    workflowTitle: pickText(definition.title, language),
    timezone: definition.timezone,
    units: groups,
    counts: countStatuses(views.map((v) => v.status)),
    identity: instanceIdentity(instance, definition, language),
  };
}

/**
 * The occurrences' status. A definition saved before the plan ceilings existed may hold a
 * deadline no calendar can compute (`due: P999999999Y`): that is said, not a 500 on every view.
 */
function statusOf(
  definition: Workflow,
  state: Parameters<typeof occurrenceStatus>[1],
  now: ReturnType<AppDeps["clock"]["now"]>,
  instanceId: string,
): OccurrenceStatus[] {
  try {
    return occurrenceStatus(definition, state, now);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new UncomputablePlanError(
      `instance ${instanceId} has a deadline beyond what can be computed (its definition predates the ` +
        "50-year plan horizon); cancel it and start it again on a corrected version",
      { cause: err },
    );
  }
}

/** An old instance whose plan cannot be computed: the caller can only cancel it. */
export class UncomputablePlanError extends FristflowError {
  readonly category: ErrorCategory = "conflict";
}

/**
 * Cancels the instance and wakes its loop so the execution finishes now instead of at its next
 * timer. Cancelling twice is `already`, and still wakes a loop a crashed first call left asleep.
 */
export async function cancelInstance(
  deps: Pick<AppDeps, "instances" | "tokens" | "signaller">,
  instanceId: string,
  options: { by: string; reason?: string },
): Promise<CancelResult & { wake: WakeResult }> {
  const result = await deps.instances.cancel(instanceId, options.by, options.reason);
  const wake = await wakeParked(deps, instanceId, "cancelled");
  return { ...result, wake };
}

// ------------------------------------------------------------------------------- directory

export function listUnits(deps: Pick<AppDeps, "units">, type?: string): Promise<Unit[]> {
  return deps.units.list(type);
}

export async function getUnit(deps: Pick<AppDeps, "units">, unitId: string): Promise<Unit> {
  const unit = await deps.units.get(unitId);
  if (unit === null) throw new NotFoundError("unit", unitId);
  return unit;
}

/** Creates or replaces a unit; the id in the body must be the one in the address. */
export async function putUnit(
  deps: Pick<AppDeps, "units">,
  unitId: string,
  unit: Unit,
  file = BODY_FILE,
): Promise<Unit> {
  if (unit.id !== unitId) {
    throw new InvalidInputError([
      located(file, ["id"], `the id ${quote(unit.id)} differs from the address's ${quote(unitId)}`),
    ]);
  }
  await deps.units.put(unit);
  return unit;
}

/** NotFoundError if there is no such unit. Running instances keep their copy of it. */
export function deleteUnit(deps: Pick<AppDeps, "units">, unitId: string): Promise<void> {
  return deps.units.delete(unitId);
}
