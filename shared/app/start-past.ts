/**
 * The preview of a start (POST /api/instances/_preview and the dashboard's preview step): the
 * same checks as the start itself, then what it would send at once under each choice for a
 * start before today, and which deadlines have already passed. Writes nothing.
 */
import type { Workflow } from "../model/schema.ts";
import { BODY_FILE, checkStart, type StartInstanceInput } from "./admin.ts";
import type { AppDeps } from "./ports.ts";
import { previewStart, type StartPreview } from "./start-preview.ts";

/** Stands for the instance's id in the preview: the real one is made when it starts. */
const PREVIEW_ID = "preview";

export async function previewStartInstance(
  deps: Pick<AppDeps, "workflows" | "units" | "clock">,
  input: StartInstanceInput,
  options: { by: string; file?: string },
): Promise<{ preview: StartPreview; definition: Workflow }> {
  const { record, trial } = await checkStart(deps, input, options.file ?? BODY_FILE);
  const instance = { instanceId: PREVIEW_ID, ...trial, createdBy: options.by };
  return {
    preview: previewStart(record.definition, instance, deps.clock.now()),
    definition: record.definition,
  };
}
