/**
 * Starting an instance: the start body's schema, every check against the chosen workflow version
 * (start time, parameters, units, the plan's ceilings), writing the instance and starting its loop
 * with the first step already run (./first-step.ts). The admin API, the dashboard's start form and
 * the demo all start instances here.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { type ErrorCategory, FristflowError } from "../errors/errors.ts";
import { type LocatedError, type PathSegment, quote } from "../model/errors.ts";
import { validateParams } from "../model/params.ts";
import { IdSchema, LineSchema, type Unit, type Workflow } from "../model/schema.ts";
import type { NewInstance, WorkflowVersionRecord } from "../store/records.ts";
import { PlanLimitError } from "../timeline/ceilings.ts";
import { pickText } from "../timeline/format.ts";
import { MAX_INSTANCE_NAME } from "../timeline/instance-name.ts";
import { checkPlanCeilings, resolveStart } from "../timeline/plan.ts";
import type { InstanceUnit } from "../timeline/types.ts";
import { BODY_FILE, InvalidInputError, located } from "./admin-input.ts";
import type { DefinitionCache } from "./definitions.ts";
import { firstStep } from "./first-step.ts";
import type { AppDeps } from "./ports.ts";
import { PAST_CHOICES, pastOfStart } from "./start-preview.ts";

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
export function ceilingError(
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
