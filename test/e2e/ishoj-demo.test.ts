/**
 * End to end: the Ishøj template from 2023-11-01 to completion in skip mode, through the real
 * instance loop on the local engine, real DynamoDB Local, the real handlers, and confirmations
 * made by opening and POSTing the real links from the outbox over HTTP.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type DemoResult, runDemo } from "../../infra/local/demo.ts";

let result: DemoResult;
let auditActions: { action: string; details?: Record<string, unknown> }[];

beforeAll(async () => {
  const reportDir = await mkdtemp(join(tmpdir(), "fristflow-e2e-"));
  const audit: typeof auditActions = [];
  result = await runDemo({
    seed: 7,
    reportDir,
    onFinished: async (stack, instanceId) => {
      for (const entry of await stack.stores.audit.list(instanceId)) {
        audit.push({ action: entry.action, ...(entry.details ? { details: entry.details } : {}) });
      }
    },
  });
  auditActions = audit;
}, 240_000);

describe("the Ishøj timeline on the local stack", () => {
  it("runs to completion: every confirmable milestone confirmed over HTTP, none refused", () => {
    expect(result.done).toBe(true);
    // 1 adoption + 1 municipal plan + 19 local plans + presentation + 3 annual statuses + anchoring.
    expect(result.actions).toHaveLength(26);
    expect(result.actions.every((a) => a.outcome === "confirmed")).toBe(true);
  });

  it("sends every notification exactly once (the audit trail counts each key once)", () => {
    const sent = auditActions
      .filter((a) => a.action === "notification.sent")
      .map((a) => String(a.details?.notificationKey));
    expect(sent.length).toBe(result.mails.length);
    expect(new Set(sent).size).toBe(sent.length);
  });

  it("escalates to the manager of the daycare whose leader never answers, three times, before the manager confirms", () => {
    const silent = result.mails.filter((m) => m.occurrenceKey === "lokal-handleplan/dagplejen/0");
    const escalations = silent.filter((m) => m.kind === "escalation");
    const byManager = result.actions.find((a) => a.occurrenceKey === "lokal-handleplan/dagplejen/0");

    expect(escalations).toHaveLength(3);
    expect(new Set(escalations.flatMap((m) => m.to)).size).toBe(1);
    expect(escalations[0]?.to).not.toEqual(silent.find((m) => m.kind === "reminder")?.to);
    expect(byManager?.who).toBe("manager");
    expect(byManager?.daysFromDeadline).toBeGreaterThan(14);
  });

  it("leaders who confirm before the deadline get no escalation; those a day or more late do", () => {
    const leaders = result.actions.filter((a) => a.who === "leader");
    const escalated = (key: string) =>
      result.mails.some((m) => m.occurrenceKey === key && m.kind === "escalation");
    const onTime = leaders.filter((a) => Date.parse(a.at) <= Date.parse(a.dueAt));
    const late = leaders.filter((a) => Date.parse(a.at) > Date.parse(a.dueAt) + 86_400_000);

    expect(onTime.length).toBeGreaterThan(10);
    expect(late.length).toBeGreaterThan(2);
    expect(onTime.filter((a) => escalated(a.occurrenceKey))).toEqual([]);
    expect(late.filter((a) => !escalated(a.occurrenceKey))).toEqual([]);
  });

  it("is a chain of executions, each visible in the audit trail (continue-as-new)", () => {
    const started = auditActions.filter((a) => a.action === "loop.execution-started");

    expect(result.engine.executionsStarted).toBeGreaterThanOrEqual(5);
    expect(started).toHaveLength(result.engine.executionsStarted);
    for (let i = 1; i < started.length; i++) {
      expect(started[i]?.details?.previousExecutionId).toBe(started[i - 1]?.details?.executionId);
    }
  });

  it("writes an HTML report with the timeline picture", async () => {
    const report = await readFile(result.reportPath, "utf8");

    expect(report).toContain("<svg");
    expect(report).toContain("Stærke fællesskaber for alle børn og unge");
    expect(report.match(/<tr><td>/g)).toHaveLength(26);
  });
});
