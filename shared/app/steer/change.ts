/**
 * The one path every change to a running instance takes (move a deadline, add a unit, migrate,
 * confirm on someone's behalf, undo, hold, resume): load the instance, let the use case propose
 * the change, preview it, and — when saving — write it with its audit entry in one store write,
 * conditional on the rev the person previewed, then wake the loop so the next mail follows the
 * change at once. A use case is a pure `propose` function; this module does the I/O.
 */
import { z } from "zod";
import type { Workflow } from "../../model/schema.ts";
import { LineSchema } from "../../model/schema.ts";
import { changedSincePreview } from "../../store/changes.ts";
import { NotFoundError } from "../../store/errors.ts";
import type { AuditEntry, LoadedInstance, WorkflowVersionRecord } from "../../store/records.ts";
import { type WakeResult, wakeParked } from "../confirm.ts";
import type { AppDeps } from "../ports.ts";
import { type ChangePreview, type ProposedChange, previewChange } from "./preview.ts";

export type SteerDeps = Pick<AppDeps, "instances" | "workflows" | "tokens" | "signaller" | "clock" | "units">;

/** Every change says why: the reason goes into the audit trail (and, where told, to the owner). */
export const ReasonSchema = LineSchema.min(3, "say why (at least 3 characters)").max(500);

/** What every change request carries besides its own fields. */
export const SteerCommonSchema = z.strictObject({
  reason: ReasonSchema,
  /** The rev the preview was made at; left out, the change is made on the state as it is. */
  expectedRev: z.number().int().min(0).optional(),
});

/** What a use case sees to propose its change. */
export interface SteerContext {
  loaded: LoadedInstance;
  definition: Workflow;
  now: ReturnType<AppDeps["clock"]["now"]>;
  /** Another version of the instance's workflow (a migration's target); null if there is none. */
  version(version?: number): Promise<WorkflowVersionRecord | null>;
  /** The unit directory (a unit added to a running fan-out is looked up in it). */
  directory: Pick<AppDeps["units"], "get">;
}

export type Propose = (context: SteerContext) => ProposedChange | Promise<ProposedChange>;

async function load(deps: SteerDeps, instanceId: string): Promise<SteerContext> {
  const loaded = await deps.instances.loadState(instanceId);
  const { instance } = loaded;
  const record = await deps.workflows.get(instance.workflowId, instance.workflowVersion);
  if (record === null) {
    throw new NotFoundError("workflow version", `${instance.workflowId}@${instance.workflowVersion}`);
  }
  return {
    loaded,
    definition: record.definition,
    now: deps.clock.now(),
    version: (version) => deps.workflows.get(instance.workflowId, version),
    directory: deps.units,
  };
}

function preview(context: SteerContext, proposed: ProposedChange): ChangePreview {
  return previewChange({
    instanceId: context.loaded.instance.instanceId,
    rev: context.loaded.instance.rev,
    definition: context.definition,
    state: context.loaded.state,
    proposed,
    now: context.now,
  });
}

/** Works the change out on the instance as it is now and says what it would do; writes nothing. */
export async function previewSteer(
  deps: SteerDeps,
  instanceId: string,
  propose: Propose,
): Promise<{ preview: ChangePreview; proposed: ProposedChange }> {
  const context = await load(deps, instanceId);
  const proposed = await propose(context);
  return { preview: preview(context, proposed), proposed };
}

export interface SteerResult {
  preview: ChangePreview;
  entry: AuditEntry;
  wake: WakeResult;
}

/**
 * Works the change out again on fresh state and saves it, refusing (ConflictError) if the instance
 * is no longer at `expectedRev`; then wakes the loop. The preview returned is what was saved.
 */
export async function applySteer(
  deps: SteerDeps,
  instanceId: string,
  propose: Propose,
  options: { expectedRev?: number },
): Promise<SteerResult> {
  const context = await load(deps, instanceId);
  const rev = context.loaded.instance.rev;
  if (options.expectedRev !== undefined && options.expectedRev !== rev) {
    throw changedSincePreview(instanceId, options.expectedRev, rev);
  }
  const proposed = await propose(context);
  const result = preview(context, proposed);
  const entry = await deps.instances.applyChange({ ...proposed.change, instanceId, expectedRev: rev });
  const wake = await wakeParked(deps, instanceId, proposed.change.audit.action);
  return { preview: result, entry, wake };
}
