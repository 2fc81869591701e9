/**
 * Listed instances read for a page: the pages that list instances from the list index (the
 * instance list, the overview's running instances and its search) need each shown instance's
 * record (its name, parameters and units, which the index does not project) and the definition it
 * runs. One reader per request reads each instance once however often it is asked for, a few at a
 * time, with each definition from the process's cache (app/definitions.ts).
 */
import pLimit from "p-limit";
import { loadDefinition } from "../../app/definitions.ts";
import type { HttpDeps } from "../../http/context.ts";
import type { Language, Workflow } from "../../model/schema.ts";
import { NotFoundError } from "../../store/errors.ts";
import type { InstanceRecord } from "../../store/records.ts";
import { type InstanceIdentity, instanceIdentity } from "../../timeline/instance-name.ts";

/** Reads in flight at once: enough to hide latency, few enough not to throttle a page's neighbours. */
const READS = 8;

/** An instance read for a list, with the definition of the version it runs. */
export interface ListedInstance {
  instance: InstanceRecord;
  definition: Workflow;
}

/** Reads listed instances, each once per request however often it is asked for; unknown ones left out. */
export type InstanceReader = (instanceIds: readonly string[]) => Promise<Map<string, ListedInstance>>;

export function instanceReader(
  deps: Pick<HttpDeps, "instances" | "workflows" | "definitions">,
): InstanceReader {
  const limit = pLimit(READS);
  const seen = new Map<string, Promise<ListedInstance | null>>();
  const read = async (id: string): Promise<ListedInstance | null> => {
    const instance = await deps.instances.get(id);
    if (instance === null) return null;
    try {
      return {
        instance,
        definition: await loadDefinition(deps, instance.workflowId, instance.workflowVersion),
      };
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  };
  return async (instanceIds) => {
    const ids = [...new Set(instanceIds)];
    for (const id of ids)
      if (!seen.has(id))
        seen.set(
          id,
          limit(() => read(id)),
        );
    const found = new Map<string, ListedInstance>();
    for (const id of ids) {
      const entry = await seen.get(id);
      if (entry) found.set(id, entry);
    }
    return found;
  };
}

export async function instanceNames(
  deps: Pick<HttpDeps, "instances" | "workflows" | "definitions">,
  instanceIds: readonly string[],
  language: Language,
): Promise<Map<string, InstanceIdentity>> {
  const found = await instanceReader(deps)(instanceIds);
  return new Map(
    [...found].map(([id, { instance, definition }]) => [
      id,
      instanceIdentity(instance, definition, language),
    ]),
  );
}
