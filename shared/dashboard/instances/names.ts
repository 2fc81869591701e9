/**
 * What each listed instance is called (timeline/instance-name.ts), for the pages that list
 * instances from the list index (the instance list, the overview's running instances). The index
 * projects neither the name nor the parameters, so each shown instance is read once, a few at a
 * time, and each workflow version once.
 */
import pLimit from "p-limit";
import type { HttpDeps } from "../../http/context.ts";
import type { Language } from "../../model/schema.ts";
import type { InstanceRecord, WorkflowVersionRecord } from "../../store/records.ts";
import { type InstanceIdentity, instanceIdentity } from "../../timeline/instance-name.ts";

/** Reads in flight at once: enough to hide latency, few enough not to throttle a page's neighbours. */
const READS = 8;

/** An instance read for a page, with the workflow version it runs. */
export interface InstanceWithVersion {
  instance: InstanceRecord;
  version: WorkflowVersionRecord;
}

/** Each instance and its version once, however many times it is listed; unknown ones left out. */
export async function instancesWithVersions(
  deps: Pick<HttpDeps, "instances" | "workflows">,
  instanceIds: readonly string[],
): Promise<Map<string, InstanceWithVersion>> {
  const limit = pLimit(READS);
  const versions = new Map<string, Promise<WorkflowVersionRecord | null>>();
  const found = new Map<string, InstanceWithVersion>();
  await Promise.all(
    [...new Set(instanceIds)].map((id) =>
      limit(async () => {
        const instance = await deps.instances.get(id);
        if (instance === null) return;
        const key = `${instance.workflowId}@${instance.workflowVersion}`;
        let version = versions.get(key);
        if (version === undefined) {
          version = deps.workflows.get(instance.workflowId, instance.workflowVersion);
          versions.set(key, version);
        }
        const record = await version;
        if (record !== null) found.set(id, { instance, version: record });
      }),
    ),
  );
  return found;
}

export async function instanceNames(
  deps: Pick<HttpDeps, "instances" | "workflows">,
  instanceIds: readonly string[],
  language: Language,
): Promise<Map<string, InstanceIdentity>> {
  const found = await instancesWithVersions(deps, instanceIds);
  return new Map(
    [...found].map(([id, { instance, version }]) => [
      id,
      instanceIdentity(instance, version.definition, language),
    ]),
  );
}
