/**
 * What an administrator does through the admin API: save workflow versions, start, inspect and
 * cancel instances, keep the unit directory. Input is checked here the way `fristflow validate`
 * checks files, so the API answers with the same located errors; nothing is written unless all
 * of it is valid, and no CPR number passes, not even into an error message.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { type ErrorCategory, FristflowError } from "../errors/errors.ts";
import { type LocatedError, type PathSegment, quote } from "../model/errors.ts";
import { loadWorkflow } from "../model/load.ts";
import { validateParams } from "../model/params.ts";
import { IdSchema, LineSchema, type Unit, type Workflow } from "../model/schema.ts";
import { NotFoundError } from "../store/errors.ts";
import type {
  CancelResult,
  InstanceRecord,
  InstanceStatus,
  InstanceSummary,
  NewInstance,
  WorkflowSummary,
  WorkflowVersionRecord,
} from "../store/records.ts";
import { PlanLimitError } from "../timeline/ceilings.ts";
import { type OccurrenceStatus, occurrenceStatus } from "../timeline/decide.ts";
import { pickText } from "../timeline/format.ts";
import { type InstanceIdentity, instanceIdentity, MAX_INSTANCE_NAME } from "../timeline/instance-name.ts";
import { checkPlanCeilings, resolveStart } from "../timeline/plan.ts";
import { countStatuses, type OccurrenceStatusName } from "../timeline/status.ts";
import type { InstanceUnit } from "../timeline/types.ts";
import { BODY_FILE, InvalidInputError, located } from "./admin-input.ts";
import { type WakeResult, wakeParked } from "./confirm.ts";
import type { DefinitionCache } from "./definitions.ts";
import { firstStep } from "./first-step.ts";
import type { AppDeps } from "./ports.ts";
import { PAST_CHOICES, pastOfStart } from "./start-preview.ts";
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

/** The instance is stored but its loop did not start; starting it again is safe. */
export class LoopStartError extends FristflowError {
  readonly category: ErrorCategory = "unavailable";

  constructor(
    readonly instanceId: string,
    options?: ErrorOptions,
  ) {
    super(`instance ${instanceId} was created but its loop did not start`, options);
  }
}

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

const StartSchema = z.string().regex(
  // A date, a local date-time, or an instant with its offset; the calendar check is resolveStart's.
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/,
  "must be a date YYYY-MM-DD, a local date-time YYYY-MM-DDTHH:MM, or an instant such as 2024-03-30T11:00:00Z",
);

export const StartInstanceSchema = z
  .strictObject({
    workflowId: IdSchema,
    version: z.number().int().min(1).optional(),
    start: StartSchema,
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    /** Unit ids from the directory to fan out over. */
    units: z.array(IdSchema).max(1000).optional(),
    /** Or every unit of these types. Neither: every unit of the types the definition fans out over. */
    unitTypes: z.array(IdSchema).max(50).optional(),
    /** A start before today: send what the past has due ("catch-up") or not ("history"); start-preview.ts. */
    past: z.enum(PAST_CHOICES).optional(),
    /** What people see the instance called; default: the case reference, else the workflow title. */
    name: LineSchema.max(MAX_INSTANCE_NAME, `must be at most ${MAX_INSTANCE_NAME} characters`).optional(),
  })
  .refine((b) => b.units === undefined || b.unitTypes === undefined, {
    message: "give either units (ids) or unitTypes, not both",
    path: ["unitTypes"],
  });
export type StartInstanceInput = z.infer<typeof StartInstanceSchema>;

/** 8 random bytes: ids are unguessable, and `<workflow id>-<16 hex>` stays within 80 characters. */
function newInstanceId(workflowId: string): string {
  return `${workflowId}-${randomBytes(8).toString("hex")}`;
}

/**
 * Validates everything against the chosen version, writes the instance, then starts its loop.
 * Throws InvalidInputError (nothing written) or LoopStartError (written, not started).
 */
export async function startInstance(
  deps: Pick<AppDeps, "instances" | "workflows" | "units" | "starter" | "clock" | "audit"> & {
    definitions?: DefinitionCache;
  },
  input: StartInstanceInput,
  options: { by: string; file?: string; newId?: (workflowId: string) => string },
): Promise<{ id: string; workflowId: string; version: number }> {
  const file = options.file ?? BODY_FILE;
  const { record, trial } = await checkStart(deps, input, file);
  const id = (options.newId ?? newInstanceId)(record.workflowId);
  const instance = { instanceId: id, ...trial, createdBy: options.by };
  // A start before today: what it sends at once is the administrator's choice (start-preview.ts).
  const past = pastOfStart(record.definition, instance, deps.clock.now(), input.past, file);
  await deps.instances.create({ ...instance, ...past });
  try {
    // The first step runs here, so the execution starts asleep (shared/app/first-step.ts).
    await deps.starter.start(id, firstStep(deps, id));
  } catch (err) {
    throw new LoopStartError(id, { cause: err });
  }
  return { id, workflowId: record.workflowId, version: record.version };
}

/**
 * Everything a start is checked for, against the chosen version, and the instance it would create
 * (without its id and creator). Throws InvalidInputError with every located error. Writes nothing.
 */
export async function checkStart(
  deps: Pick<AppDeps, "workflows" | "units">,
  input: StartInstanceInput,
  file: string,
): Promise<{
  record: WorkflowVersionRecord;
  trial: Omit<NewInstance, "instanceId" | "createdBy" | "quietUntil" | "past">;
}> {
  const record = await deps.workflows.get(input.workflowId, input.version);
  if (record === null) {
    const error =
      input.version === undefined
        ? located(file, ["workflowId"], `unknown workflow ${quote(input.workflowId)}`)
        : located(file, ["version"], `workflow ${quote(input.workflowId)} has no version ${input.version}`);
    throw new InvalidInputError([error]);
  }
  const definition = record.definition;
  const errors: LocatedError[] = [];

  let startAt: string | undefined;
  try {
    startAt = resolveStart(input.start, definition.timezone).toString();
  } catch {
    errors.push(located(file, ["start"], `${quote(input.start)} is not a date or time that exists`));
  }

  const params = validateParams(definition, input.params ?? {}, file);
  if (!params.ok) {
    // validateParams speaks of the definition's `parameters`; the body calls them `params`.
    errors.push(...params.errors.map((e) => ({ ...e, path: e.path.replace(/^parameters\./, "params.") })));
  }

  const units = await chooseUnits(deps, definition, input, file);
  errors.push(...units.errors);

  if (errors.length === 0 && startAt !== undefined) {
    // Before anything is stored: the plan must stay under its ceilings (cheap: no notifications).
    const ceiling = ceilingError(definition, startAt, units.value, file);
    if (ceiling !== undefined) errors.push(ceiling);
  }

  if (errors.length > 0 || startAt === undefined || !params.ok) throw new InvalidInputError(errors);
  return {
    record,
    trial: {
      workflowId: record.workflowId,
      workflowVersion: record.version,
      startAt,
      params: params.value,
      units: units.value,
      ...(input.name?.trim() ? { name: input.name.trim() } : {}),
    },
  };
}

/** The plan's ceiling an instance would exceed, as a located error naming the milestone; else undefined. */
function ceilingError(
  definition: Workflow,
  startAt: string,
  units: InstanceUnit[],
  file: string,
): LocatedError | undefined {
  try {
    checkPlanCeilings(definition, startAt, units);
    return undefined;
  } catch (err) {
    if (!(err instanceof PlanLimitError)) throw err;
    const path: PathSegment[] =
      err.field === "forEach" ? ["units"] : ["milestones", err.milestoneIndex, err.field];
    return located(file, path, err.message);
  }
}

async function chooseUnits(
  deps: Pick<AppDeps, "units">,
  definition: Workflow,
  input: StartInstanceInput,
  file: string,
): Promise<{ value: InstanceUnit[]; errors: LocatedError[] }> {
  const errors: LocatedError[] = [];
  const chosen: Unit[] = [];
  const fanOutTypes = [...new Set(definition.milestones.flatMap((m) => m.forEach ?? []))];

  if (input.units !== undefined) {
    const found = await Promise.all(input.units.map((id) => deps.units.get(id)));
    found.forEach((unit, i) => {
      if (unit === null) {
        errors.push(
          located(file, ["units", i], `unknown unit ${quote(input.units?.[i] ?? "")}; see GET /api/units`),
        );
      } else chosen.push(unit);
    });
  } else {
    const types = input.unitTypes ?? fanOutTypes;
    const lists = await Promise.all(types.map((type) => deps.units.list(type)));
    lists.forEach((list, i) => {
      if (list.length === 0 && input.unitTypes !== undefined) {
        errors.push(
          located(file, ["unitTypes", i], `no unit of type ${quote(types[i] ?? "")} in the directory`),
        );
      }
      chosen.push(...list);
    });
  }

  const unique = new Map(chosen.map((u) => [u.id, u]));
  const value: InstanceUnit[] = [...unique.values()]
    .map((u) => ({ id: u.id, type: u.type, name: u.name }))
    .sort((a, b) => (a.type === b.type ? (a.id < b.id ? -1 : 1) : a.type < b.type ? -1 : 1));

  // A fan-out milestone with no unit would silently have no occurrence at all.
  if (errors.length === 0) {
    for (const m of definition.milestones) {
      if (m.forEach === undefined || value.some((u) => m.forEach?.includes(u.type))) continue;
      errors.push(
        located(
          file,
          [input.units !== undefined ? "units" : "unitTypes"],
          `milestone ${quote(m.id)} (${pickText(m.title, "en")}) is repeated for every unit of type ` +
            `${m.forEach.map(quote).join(" or ")}, but no such unit was chosen`,
        ),
      );
    }
  }
  return { value, errors };
}

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
