/**
 * First-run content for the local stack: the bundled workflow templates and an Ishøj-like sample
 * directory, so a newcomer sees something real at once. Seeding never overwrites: a template is
 * stored only under an id that does not exist yet (an administrator's edits win), and sample
 * units only go into an empty directory.
 */
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { formatErrors } from "../../shared/model/errors.ts";
import { loadUnits, loadWorkflow } from "../../shared/model/load.ts";
import type { Stores } from "../../shared/store/ports.ts";

export const WORKFLOWS_DIR = fileURLToPath(new URL("../../workflows/", import.meta.url));
export const SAMPLE_UNITS = fileURLToPath(
  new URL("../../workflows/samples/ishoj-units.yaml", import.meta.url),
);
const SEEDED_BY = "fristflow (bundled template)";

export async function seedTemplates(
  stores: Pick<Stores, "workflows">,
  dir = WORKFLOWS_DIR,
): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort();
  const added: string[] = [];
  for (const file of files) {
    const text = await readFile(`${dir}${file}`, "utf8");
    const loaded = loadWorkflow(text, `workflows/${file}`);
    // The template tests keep these valid; a broken one must not stop the stack from starting.
    if (!loaded.ok) throw new Error(`bundled template is invalid:\n${formatErrors(loaded.errors)}`);
    if (await stores.workflows.get(loaded.value.id)) continue;
    await stores.workflows.putVersion({
      workflowId: loaded.value.id,
      source: text,
      definition: loaded.value,
      createdBy: SEEDED_BY,
    });
    added.push(loaded.value.id);
  }
  return added;
}

export async function seedDirectory(stores: Pick<Stores, "units">, file = SAMPLE_UNITS): Promise<number> {
  if ((await stores.units.list()).length > 0) return 0;
  const loaded = loadUnits(await readFile(file, "utf8"), file);
  if (!loaded.ok) throw new Error(`sample directory is invalid:\n${formatErrors(loaded.errors)}`);
  for (const unit of loaded.value) await stores.units.put(unit);
  return loaded.value.length;
}
