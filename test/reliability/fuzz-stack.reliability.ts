/**
 * Fuzzing through the local stack: arbitrary valid definitions (test/timeline/arbitraries.ts) are
 * uploaded through the admin API (they validate), planned, started, and run in skip mode on the
 * real local stack (engine, handlers, DynamoDB Local, HTTP confirmations by a seeded policy) to
 * completion or a six-year horizon. What went out must be exactly what decide()'s pure simulation
 * (shared/timeline/simulate.ts, same policy) says: no notification lost, none duplicated.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ConfirmationPolicy, driveWithConfirmations } from "../../infra/local/scenario.ts";
import { startLocalStack } from "../../infra/local/stack.ts";
import type { Unit, Workflow } from "../../shared/model/schema.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { plan, resolveStart } from "../../shared/timeline/plan.ts";
import { simulate } from "../../shared/timeline/simulate.ts";
import { units as arbitraryUnits, definitionArb, startArb } from "../timeline/arbitraries.ts";

const RUNS = 6;
const HORIZON_YEARS = 6;

/** The arbitraries' units, with people, plus the administration that owns the other milestones. */
const DIRECTORY: Unit[] = [
  ...arbitraryUnits.map((u) => ({
    ...u,
    leader: { name: `Leder ${u.name}`, email: `leder.${u.id}@fuzz.example` },
    manager: { name: "Chef", email: `chef.${u.type}@fuzz.example` },
  })),
  {
    id: "forvaltning",
    name: "Forvaltningen",
    type: "forvaltning",
    leader: { name: "Direktør", email: "direktoer@fuzz.example" },
    manager: { name: "Kommunaldirektør", email: "kd@fuzz.example" },
  },
];

/**
 * A confirmation policy keyed by the occurrence and a seed: one in ten never confirmed, the rest
 * between 30 days early and 10 days late, never before an hour after activation. A pure function,
 * so the simulation and the stack agree on every moment.
 */
function policyFor(seed: number): ConfirmationPolicy {
  return (o) => {
    if (!o.confirmable || o.dueAt === null || o.activatedAt === null) return null;
    const n = createHash("sha256").update(`${seed}|${o.key}`).digest().readUInt32BE(0);
    if (n % 10 === 0) return null;
    const offsetHours = ((n >>> 4) % (40 * 24)) - 30 * 24;
    const at = Temporal.Instant.from(o.dueAt).add({ hours: offsetHours });
    const earliest = Temporal.Instant.from(o.activatedAt).add({ hours: 1 });
    return Temporal.Instant.compare(at, earliest) < 0 ? earliest : at;
  };
}

/** Message-IDs of the .eml files in an outbox folder, with how often each occurs. */
async function outboxMessageIds(dir: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".eml"))) {
    const head = (await readFile(join(dir, file), "utf8")).slice(0, 4_000);
    const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? file;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

interface RunReport {
  milestones: number;
  expected: number;
  sent: number;
  confirmations: number;
  done: boolean;
}

async function runThroughStack(definition: Workflow, start: string, seed: number): Promise<RunReport> {
  const startAt = resolveStart(start, definition.timezone);
  const until = startAt.toZonedDateTimeISO("UTC").add({ years: HORIZON_YEARS }).toInstant();
  const policy = policyFor(seed);
  const instanceUnits = arbitraryUnits.map((u) => ({ id: u.id, type: u.type, name: u.name }));
  const stack = await startLocalStack({ port: 0, clockMode: "skip", startAt, seed: false });
  try {
    // Validate: the definition goes in through the admin API like an administrator's upload.
    for (const unit of DIRECTORY) await stack.stores.units.put(unit);
    const auth = { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" };
    const saved = await fetch(`${stack.url}/api/workflows`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify(definition),
    });
    expect(saved.status, await saved.clone().text()).toBe(201);
    // Plan: every milestone has occurrences.
    const planned = plan(definition, start, {}, instanceUnits);
    expect(new Set(planned.occurrences.map((o) => o.milestoneId)).size).toBe(definition.milestones.length);
    // Start through the API and run.
    const started = await fetch(`${stack.url}/api/instances`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ workflowId: definition.id, start, units: DIRECTORY.map((u) => u.id) }),
    });
    expect(started.status, await started.clone().text()).toBe(201);
    const { id: instanceId } = (await started.json()) as { id: string };
    const { confirmations } = await driveWithConfirmations(stack, {
      instanceIds: [instanceId],
      policy,
      until,
    });

    // What decide() alone, with the same policy, says should have been sent.
    const instance = await stack.stores.instances.get(instanceId);
    const simulated = simulate(
      definition,
      {
        instanceId,
        startAt: startAt.toString(),
        params: {},
        units: instance?.units ?? [],
        confirmations: [],
        sent: [],
        dueOverrides: {},
        execution: { startedAt: startAt.toString(), loops: 0 },
      },
      { confirmAt: policy, until },
    );
    const expected = simulated.sent.map((n) => n.key).sort();
    expect(new Set(expected).size).toBe(expected.length);

    // Assess: the audit trail, the notification items and the outbox all say the same, once each.
    const audit = await stack.stores.audit.list(instanceId);
    const sentKeys = audit
      .filter((e) => e.action === "notification.sent")
      .map((e) => String(e.details?.notificationKey))
      .sort();
    expect(sentKeys).toEqual(expected);
    const sent = (await stack.stores.instances.loadState(instanceId)).state.sent;
    // decide's own once-markers (`marker:…`) are not mails.
    expect(sent.filter((k) => !k.startsWith("marker:")).sort()).toEqual(expected);
    expect(audit.filter((e) => e.action === "notification.failed" || e.action === "loop.failed")).toEqual([]);
    const mails = await outboxMessageIds(stack.outboxDir);
    expect([...mails.values()].every((n) => n === 1)).toBe(true);
    expect(mails.size).toBe(expected.length);
    // The same confirmations, and done exactly when the simulation is done.
    const confirmed = (await stack.stores.instances.listMilestones(instanceId))
      .filter((m) => m.status === "confirmed")
      .map((m) => [m.occurrenceKey, m.confirmedAt])
      .sort();
    expect(confirmed).toEqual(simulated.state.confirmations.map((c) => [c.occurrenceKey, c.at]).sort());
    expect(instance?.status === "done").toBe(simulated.done);
    return {
      milestones: definition.milestones.length,
      expected: expected.length,
      sent: sentKeys.length,
      confirmations,
      done: simulated.done,
    };
  } finally {
    await stack.stop();
  }
}

describe("fuzzing the local stack with arbitrary valid definitions", () => {
  it(`${RUNS} arbitrary definitions run to completion (or ${HORIZON_YEARS} years) in skip mode: what is sent equals decide()'s simulation`, async () => {
    const reports: RunReport[] = [];
    await fc.assert(
      fc.asyncProperty(definitionArb, startArb, fc.nat(), async (definition, start, seed) => {
        reports.push(await runThroughStack(definition, start, seed));
      }),
      { numRuns: RUNS, seed: 4_2024, endOnFailure: true },
    );
    console.info(`fuzz through the stack: ${JSON.stringify(reports)}`);
    expect(reports).toHaveLength(RUNS);
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBeGreaterThan(RUNS * 5);
    expect(reports.some((r) => r.confirmations > 0)).toBe(true);
  }, 900_000);
});
