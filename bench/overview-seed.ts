/**
 * Many open deadlines for the overview's search, written through the store ports as the step
 * writes them (instance, then its milestone states with their context): `instances` instances of
 * one fan-out workflow over `units` units, two milestones per unit, started a few days apart so
 * that at `now` some deadlines are overdue, some due within the week and most still open. Each
 * instance has a name and a case reference (SAG-2024-0001…). Used by bench/overview.ts (2,000
 * milestones across 40 instances) and, small, by the overview's route and browser tests.
 */

import { loadWorkflow } from "../shared/model/load.ts";
import type { Unit } from "../shared/model/schema.ts";
import type { Stores } from "../shared/store/ports.ts";
import type { Temporal } from "../shared/time/temporal.ts";
import { plan } from "../shared/timeline/plan.ts";

export const SEED_WORKFLOW_ID = "institutionsopfoelgning";

export const SEED_YAML = `id: ${SEED_WORKFLOW_ID}
title:
  da: Opfølgning på institutioner
  en: Follow-up on institutions
parameters:
  caseRef:
    type: string
    title: Sagsnummer
milestones:
  - id: handleplan
    title:
      da: Handleplan
      en: Action plan
    due: P30D
    forEach: [institution]
  - id: status
    title:
      da: Status
      en: Status
    due: P75D
    forEach: [institution]
`;

export function seedUnits(count: number): Unit[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(2, "0");
    return {
      id: `inst-${n}`,
      name: `Institution ${n}`,
      type: "institution",
      leader: { name: `Leder ${n} Hansen`, email: `leder${n}@inst.example.dk` },
      manager: { name: "Områdechef Møller", email: "chef@example.dk" },
    };
  });
}

export interface Seeded {
  units: Unit[];
  instanceIds: string[];
  milestones: number;
}

/**
 * Instance i (from 0) starts 10 + i * spreadDays days before `now`'s date, so its action plans
 * fall due 20 days after today and `spreadDays` earlier per instance, its status 45 days later.
 */
export async function seedOverview(
  stores: Pick<Stores, "workflows" | "units" | "instances">,
  now: Temporal.Instant,
  sizes: {
    instances: number;
    units: number;
    spreadDays?: number;
    /** Who started them (the audit actor, `user:<id> (<name>)`); default `seed`. */
    createdBy?: string;
    /** The first instance's number (default 1), to seed more beside earlier ones. */
    first?: number;
  },
): Promise<Seeded> {
  const loaded = loadWorkflow(SEED_YAML, "institutionsopfoelgning.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const definition = loaded.value;
  if ((await stores.workflows.get(SEED_WORKFLOW_ID, 1)) === null) {
    await stores.workflows.putVersion({
      workflowId: SEED_WORKFLOW_ID,
      source: SEED_YAML,
      definition,
      createdBy: "seed",
    });
  }
  const units = seedUnits(sizes.units);
  await stores.units.putAll(units);
  const instanceUnits = units.map((u) => ({ id: u.id, type: u.type, name: u.name }));
  const spread = sizes.spreadDays ?? 2;
  const instanceIds: string[] = [];
  let milestones = 0;
  for (let i = 0; i < sizes.instances; i += 1) {
    const n = String(i + (sizes.first ?? 1)).padStart(4, "0");
    const instanceId = `${SEED_WORKFLOW_ID}-seed${n}`;
    const start = now
      .toZonedDateTimeISO(definition.timezone)
      .toPlainDate()
      .subtract({ days: 10 + i * spread })
      .toString();
    const params = { caseRef: `SAG-2024-${n}` };
    const name = `Forløb ${n}`;
    const planned = plan(definition, start, params, instanceUnits);
    await stores.instances.create({
      instanceId,
      workflowId: SEED_WORKFLOW_ID,
      workflowVersion: 1,
      startAt: planned.startAt,
      params,
      units: instanceUnits,
      createdBy: sizes.createdBy ?? "seed",
      name,
    });
    await stores.instances.syncOccurrences(instanceId, planned.occurrences, undefined, {
      workflowId: SEED_WORKFLOW_ID,
      workflowVersion: 1,
      units: instanceUnits,
      instanceName: name,
      instanceRefs: params,
    });
    instanceIds.push(instanceId);
    milestones += planned.occurrences.length;
  }
  return { units, instanceIds, milestones };
}
