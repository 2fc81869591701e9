/**
 * What the fault tests share (test/reliability/faults-*.test.ts): worlds closed after each test,
 * the units and the busy workflow they run, and the checks that no notification was lost or sent
 * twice (the keys marked sent, the mails in the outbox, the keys decide()'s simulation expects).
 *
 * The faults are injected at the SDK boundary while the real instance loop runs (loop-world.ts:
 * local engine, real handlers, DynamoDB Local); each file tests one kind of fault.
 */
import { afterEach } from "vitest";
import { type Unit, type Workflow, WorkflowSchema } from "../../shared/model/schema.ts";
import type { Stores } from "../../shared/store/ports.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { resolveStart } from "../../shared/timeline/plan.ts";
import { simulate } from "../../shared/timeline/simulate.ts";
import { LEADER, MANAGER } from "../app/fixtures.ts";
import { type LoopWorld, type LoopWorldOptions, loopWorld } from "./loop-world.ts";

/** A loopWorld maker for one test file: every world it made is closed after each test. */
export function worldsClosedAfterEach(): (options: LoopWorldOptions) => Promise<LoopWorld> {
  const worlds: LoopWorld[] = [];
  afterEach(async () => {
    for (const world of worlds.splice(0)) await world.close();
  });
  return async (options) => {
    const made = await loopWorld(options);
    worlds.push(made);
    return made;
  };
}

export const FORVALTNING: Unit = {
  id: "forvaltning",
  name: "Forvaltningen",
  type: "forvaltning",
  leader: LEADER,
  manager: MANAGER,
};
export const SCHOOLS: Unit[] = ["a", "b", "c"].map((x) => ({
  id: `skole-${x}`,
  name: `Skole ${x.toUpperCase()}`,
  type: "school",
  leader: { name: `Leder ${x}`, email: `leder-${x}@skole.example` },
  manager: MANAGER,
}));

/** Keys of the mails sent (decide's own once-markers, `marker:…`, are not mails). */
export async function sentKeys(stores: Stores, instanceId: string): Promise<string[]> {
  return (await stores.instances.loadState(instanceId)).state.sent
    .filter((k) => !k.startsWith("marker:"))
    .sort();
}

/** Three schools and the administration, reminders and escalations, nobody confirms. */
export function busyWorkflow(id: string): Workflow {
  return WorkflowSchema.parse({
    id,
    title: "Travl tidsplan",
    defaults: { reminders: ["P14D", "P3D", "P0D"], escalation: { after: "P1D", every: "P7D", max: 2 } },
    milestones: [
      { id: "plan", title: "Lokal plan", forEach: ["school"], owner: "leader", due: "2024-03-15" },
      { id: "status", title: "Status", forEach: ["school"], owner: "leader", due: "2024-05-31" },
      {
        id: "samlet",
        title: "Samlet status",
        owner: "unit:forvaltning",
        due: "2024-06-28",
        reminders: ["P7D", "P0D"],
      },
    ],
  });
}

export const BUSY_START = "2024-02-01T07:00:00Z";
export const BUSY_UNTIL = "2024-08-01T00:00:00Z";

/** The notification keys decide()'s simulation sends from BUSY_START to BUSY_UNTIL, nobody confirming. */
export function expectedKeys(definition: Workflow, instanceId: string, units: Unit[]): string[] {
  const startAt = resolveStart(BUSY_START, definition.timezone).toString();
  const result = simulate(
    definition,
    {
      instanceId,
      startAt,
      params: {},
      units: units.map((u) => ({ id: u.id, type: u.type, name: u.name })),
      confirmations: [],
      sent: [],
      dueOverrides: {},
      execution: { startedAt: startAt, loops: 0 },
    },
    { confirmAt: () => null, until: Temporal.Instant.from(BUSY_UNTIL) },
  );
  return result.sent.map((n) => n.key).sort();
}

/** How often each Message-ID is in the outbox folder. */
export async function outboxCounts(w: LoopWorld): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const mail of await w.outbox.mails()) {
    const id = mail.messageId ?? "?";
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** One injected DynamoDB failure, as the middleware that threw it saw it. */
export interface DynamoFault {
  command: string;
  attempt: number;
  error: string;
}
