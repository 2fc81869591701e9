/**
 * Move every running instance of one version of a workflow to a newer version at once, with one
 * mapping and one reason. Each instance is migrated as its own change (its own preview, its own
 * write, its own audit entry and wake-up), so one refused instance (it cannot be mapped, it changed
 * meanwhile) is reported and leaves the others to go ahead; none is ever half-migrated.
 */
import { z } from "zod";
import { FristflowError } from "../../errors/errors.ts";
import { IdSchema } from "../../model/schema.ts";
import { InvalidInputError, parseInput } from "../admin-input.ts";
import { previewAction, type SteerAction, saveAction } from "./actions.ts";
import { ReasonSchema, type SteerDeps } from "./change.ts";
import { migrateAction } from "./migrate.ts";
import type { ChangePreview } from "./preview.ts";

export const MigrateAllSchema = z.strictObject({
  fromVersion: z.number().int().min(1),
  toVersion: z.number().int().min(1).optional(),
  mapping: z.record(IdSchema, IdSchema.nullable()).optional(),
  reason: ReasonSchema,
});
export type MigrateAllInput = z.infer<typeof MigrateAllSchema>;

export type InstanceMigration =
  | { instanceId: string; outcome: "migrates" | "migrated"; preview: ChangePreview; woken?: boolean }
  | { instanceId: string; outcome: "refused"; message: string /** The same in Danish. */; da: string };

export interface MigrateAllResult {
  workflowId: string;
  fromVersion: number;
  instances: InstanceMigration[];
  counts: { migrates: number; migrated: number; refused: number };
}

/** Why an instance was refused, as its own error says it (located errors joined), in English and Danish. */
function refusal(error: unknown): { message: string; da: string } {
  if (error instanceof InvalidInputError) {
    return {
      message: error.errors.map((e) => (e.path === "" ? e.message : `${e.path}: ${e.message}`)).join("; "),
      da: error.errors.map((e) => e.da ?? e.message).join(" "),
    };
  }
  if (error instanceof FristflowError) {
    // A conflict: the instance changed meanwhile or no longer runs (the store's words are English).
    return {
      message: error.message,
      da: "Forløbet er ændret undervejs eller kører ikke længere. Se forløbet, og prøv igen.",
    };
  }
  throw error;
}

/** Previews (`save: false`) or saves the migration of every running instance of `fromVersion`. */
export async function migrateAll(
  deps: SteerDeps,
  workflowId: string,
  body: unknown,
  options: { by: string; save: boolean },
): Promise<MigrateAllResult> {
  const input = parseInput(MigrateAllSchema, body);
  const running = (await deps.instances.list({ workflowId, status: "running" })).filter(
    (i) => i.workflowVersion === input.fromVersion,
  );
  const actionBody = {
    reason: input.reason,
    ...(input.toVersion === undefined ? {} : { toVersion: input.toVersion }),
    ...(input.mapping === undefined ? {} : { mapping: input.mapping }),
  };
  const migrate = migrateAction as unknown as SteerAction;
  const instances: InstanceMigration[] = [];
  for (const { instanceId } of running) {
    try {
      if (options.save) {
        const saved = await saveAction(deps, instanceId, migrate, actionBody, { by: options.by });
        instances.push({
          instanceId,
          outcome: "migrated",
          preview: saved.preview,
          woken: saved.wake.status === "woken",
        });
      } else {
        const preview = await previewAction(deps, instanceId, migrate, actionBody, {
          by: options.by,
        });
        instances.push({ instanceId, outcome: "migrates", preview });
      }
    } catch (error) {
      instances.push({ instanceId, outcome: "refused", ...refusal(error) });
    }
  }
  const count = (outcome: InstanceMigration["outcome"]) =>
    instances.filter((i) => i.outcome === outcome).length;
  return {
    workflowId,
    fromVersion: input.fromVersion,
    instances,
    counts: { migrates: count("migrates"), migrated: count("migrated"), refused: count("refused") },
  };
}
