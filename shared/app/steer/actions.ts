/**
 * The changes a person can make to a running instance, one entry each. An action is its input
 * schema and a pure `propose`; the API and the dashboard reach every action through the same two
 * calls (preview, save), so adding a change is one module and one line in STEER_ACTIONS.
 */
import type { z } from "zod";
import { parseInput } from "../admin-input.ts";
import { addUnitAction } from "./add-unit.ts";
import {
  applySteer,
  previewSteer,
  SteerCommonSchema,
  type SteerContext,
  type SteerDeps,
  type SteerResult,
} from "./change.ts";
import { confirmForAction } from "./confirm-for.ts";
import { holdAction } from "./hold.ts";
import { migrateAction } from "./migrate.ts";
import { moveDeadlineAction } from "./move-deadline.ts";
import type { ChangePreview, ProposedChange } from "./preview.ts";
import { removeUnitAction } from "./remove-unit.ts";
import { resumeAction } from "./resume.ts";
import { undoConfirmationAction } from "./undo-confirmation.ts";

/** What every action gets besides its own fields. */
export interface SteerMeta {
  reason: string;
  /** Who does it, as the audit trail names them. */
  by: string;
}

export interface SteerAction<Shape extends z.ZodRawShape = z.ZodRawShape> {
  /** In the address: /instances/:id/change/<name>, /api/instances/:id/changes/<name>. */
  name: string;
  /** The action's own fields (reason and expectedRev are added to it). */
  shape: Shape;
  propose(
    context: SteerContext,
    input: z.infer<z.ZodObject<Shape>>,
    meta: SteerMeta,
  ): ProposedChange | Promise<ProposedChange>;
}

/** Every change, by name. */
export const STEER_ACTIONS: readonly SteerAction[] = [
  moveDeadlineAction as unknown as SteerAction,
  migrateAction as unknown as SteerAction,
  addUnitAction as unknown as SteerAction,
  removeUnitAction as unknown as SteerAction,
  confirmForAction as unknown as SteerAction,
  undoConfirmationAction as unknown as SteerAction,
  holdAction as unknown as SteerAction,
  resumeAction as unknown as SteerAction,
];

export function steerAction(name: string): SteerAction | undefined {
  return STEER_ACTIONS.find((a) => a.name === name);
}

function parse(action: SteerAction, body: unknown, file: string | undefined) {
  const schema = SteerCommonSchema.extend(action.shape);
  return parseInput(schema, body, file) as z.infer<typeof SteerCommonSchema> & Record<string, unknown>;
}

/** The preview of an action for a request body; writes nothing. InvalidInputError for bad input. */
export async function previewAction(
  deps: SteerDeps,
  instanceId: string,
  action: SteerAction,
  body: unknown,
  options: { by: string; file?: string },
): Promise<ChangePreview> {
  const input = parse(action, body, options.file);
  const meta = { reason: input.reason, by: options.by };
  const { preview } = await previewSteer(deps, instanceId, (context) =>
    action.propose(context, input as never, meta),
  );
  return preview;
}

/** Saves an action for a request body: refused if the instance moved past `expectedRev`. */
export async function saveAction(
  deps: SteerDeps,
  instanceId: string,
  action: SteerAction,
  body: unknown,
  options: { by: string; file?: string },
): Promise<SteerResult> {
  const input = parse(action, body, options.file);
  const meta = { reason: input.reason, by: options.by };
  return applySteer(deps, instanceId, (context) => action.propose(context, input as never, meta), {
    ...(input.expectedRev === undefined ? {} : { expectedRev: input.expectedRev }),
  });
}
