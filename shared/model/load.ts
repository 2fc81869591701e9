/**
 * Loading workflow definitions and the unit directory from YAML (JSON is YAML too).
 *
 * Pure: text in, a value or located errors out; never a throw, never a stack trace. Files are
 * written by hand by administrators, so every error names line, column and path, and says what
 * is wrong and what is allowed. The YAML layer is hardened because definitions may come in
 * through the admin API: size, depth and alias expansion are bounded before anything is built.
 */
import { formatPath, type LoadResult, type LocatedError, quote, sortErrors } from "./errors.ts";
import { type Unit, UnitsFileSchema, type Workflow, WorkflowSchema } from "./schema.ts";
import { validateWorkflow } from "./validate.ts";
import { parseSource } from "./yaml-source.ts";
import { DEFAULT_MESSAGE, zodErrors } from "./zod-issues.ts";

export { MAX_SOURCE_BYTES } from "./yaml-source.ts";
export { MAX_DEPTH } from "./yaml-walk.ts";

/**
 * Keys, list items and commas in one workflow definition: the largest shipped template has under
 * 200, so this is five times that; it keeps the parse of any definition within tens of
 * milliseconds (the YAML parser's time is per node), whatever its shape.
 */
export const MAX_WORKFLOW_ENTRIES = 1000;

/** Beyond this a reader stops reading; the rest is summarised in one line. */
const MAX_ERRORS = 200;

export function loadWorkflow(text: string, file: string): LoadResult<Workflow> {
  return guarded(file, () => {
    const source = parseSource(text, file, "mapping", "a workflow: a mapping with id, title and milestones", {
      maxEntries: MAX_WORKFLOW_ENTRIES,
    });
    if (!source.ok) return fail(source.errors);
    const { data, locate, contentErrors } = source;
    const parsed = WorkflowSchema.safeParse(data, { error: () => DEFAULT_MESSAGE });
    const errors = [...contentErrors];
    if (!parsed.success) {
      errors.push(...zodErrors(parsed.error.issues, data, WorkflowSchema, file, locate));
      return fail(errors);
    }
    errors.push(...validateWorkflow(parsed.data, { file, locate, checkCpr: false }));
    return errors.length > 0 ? fail(errors) : { ok: true, value: parsed.data };
  });
}

export function loadUnits(text: string, file: string): LoadResult<Unit[]> {
  return guarded(file, () => {
    const source = parseSource(text, file, "list", "a list of units, each with id, name, type and leader");
    if (!source.ok) return fail(source.errors);
    const { data, locate, contentErrors } = source;
    const parsed = UnitsFileSchema.safeParse(data, { error: () => DEFAULT_MESSAGE });
    const errors = [...contentErrors];
    if (!parsed.success) {
      errors.push(...zodErrors(parsed.error.issues, data, UnitsFileSchema, file, locate));
      return fail(errors);
    }
    const seen = new Map<string, number>();
    for (const [index, unit] of parsed.data.entries()) {
      const first = seen.get(unit.id);
      if (first === undefined) {
        seen.set(unit.id, index);
        continue;
      }
      const path = [index, "id"];
      errors.push({
        file,
        ...locate(path),
        path: formatPath(path),
        message: `duplicate unit id ${quote(unit.id)}: unit [${first}] (line ${locate([first]).line}) already has it; every unit needs its own id`,
      });
    }
    return errors.length > 0 ? fail(errors) : { ok: true, value: parsed.data };
  });
}

function fail<T>(errors: LocatedError[]): LoadResult<T> {
  const sorted = sortErrors(errors);
  if (sorted.length <= MAX_ERRORS) return { ok: false, errors: sorted };
  const shown = sorted.slice(0, MAX_ERRORS);
  const last = shown[shown.length - 1];
  shown.push({
    file: last?.file ?? "",
    line: last?.line ?? 1,
    column: last?.column ?? 1,
    path: "",
    message: `… and ${sorted.length - MAX_ERRORS} more errors not shown; fix the ones above first`,
  });
  return { ok: false, errors: shown };
}

/**
 * The loaders promise never to throw. Every known failure is reported where it is detected;
 * this is the last line of defence against a bug or an exotic input, reported like any error.
 */
function guarded<T>(file: string, run: () => LoadResult<T>): LoadResult<T> {
  try {
    return run();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, path: "", message: `could not read the definition: ${why}` }],
    };
  }
}
