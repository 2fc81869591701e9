import YAML from "yaml";
import { type Workflow, WorkflowSchema } from "../../shared/model/schema.ts";
import { resolveStart } from "../../shared/timeline/plan.ts";
import type { InstanceState, InstanceUnit } from "../../shared/timeline/types.ts";

export function workflow(yaml: string): Workflow {
  return WorkflowSchema.parse(YAML.parse(yaml));
}

export const schools: InstanceUnit[] = [
  { id: "s1", type: "school", name: "Skole 1" },
  { id: "s2", type: "school", name: "Skole 2" },
  { id: "d1", type: "daycare", name: "Børnehus 1" },
];

export function initialState(def: Workflow, start: string, units: InstanceUnit[] = schools): InstanceState {
  const startAt = resolveStart(start, def.timezone).toString();
  return {
    instanceId: "i1",
    startAt,
    params: {},
    units,
    confirmations: [],
    sent: [],
    dueOverrides: {},
    execution: { startedAt: startAt, loops: 0 },
  };
}

/** Copenhagen local wall time to the instant string decide() reports. */
export function local(dateTime: string): string {
  return resolveStart(dateTime, "Europe/Copenhagen").toString();
}
