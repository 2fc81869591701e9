/**
 * Finding 12 of issue 15: a stop and a start on the same data folder must not stall running
 * instances. Before, the engine resumed executions before their functions were registered: the
 * first step failed as Lambda.ResourceNotFoundException, was recorded as loop.failed and waited
 * the 60 s backoff, so a confirmation right after the restart got its next mail a minute late.
 */
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../infra/local/stack.ts";
import { eventually, withDataDir } from "./support.ts";

/**
 * Two steps: the first mailed at once (a reminder with its confirm link), the second "your turn" after it.
 * The first deadline is time-based and the instance starts at the instant now: with a date start and a
 * day-based reminder the first mail waited for notifyTime (08:00 Copenhagen), so the test failed
 * whenever it ran before 08:00 there (the CI run of stop 18 at 04:39).
 */
const WORKFLOW = `
id: restart-check
title: { da: Genstart, en: Restart }
parameters:
  owner: { type: email, title: { da: Ejer, en: Owner } }
defaults:
  escalation: false
milestones:
  - id: first
    title: { da: Første skridt, en: First step }
    owner: param:owner
    due: PT2H
    reminders: [PT2H]
  - id: second
    title: { da: Andet skridt, en: Second step }
    owner: param:owner
    after: [first]
    due: P7D
    reminders: []
`;

const CONFIRM_LINK = /https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+\?sig=[A-Za-z0-9_-]+/;

async function api(stack: LocalStack, path: string, body: string, type: string): Promise<Response> {
  return fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": type },
    body,
  });
}

async function mailTexts(stack: LocalStack): Promise<{ subject: string; text: string }[]> {
  const texts: { subject: string; text: string }[] = [];
  for (const summary of await stack.stores.outbox.list(50)) {
    const stored = await stack.stores.outbox.get(summary.messageId);
    const mail = await simpleParser(stored?.raw ?? "");
    texts.push({ subject: mail.subject ?? "", text: mail.text ?? "" });
  }
  return texts;
}

describe("a restart on the same data folder", () => {
  it("resumes a running instance at once: a confirmation right after it gets its next mail within seconds, no loop.failed", async () => {
    await withDataDir(async (dataDir) => {
      // Prepare: an instance parked on its first step, its reminder (with the confirm link) sent.
      let stack = await startLocalStack({ dataDir, port: 0, seed: false });
      let instanceId: string;
      let confirmPath: string;
      try {
        expect((await api(stack, "/api/workflows", WORKFLOW, "application/yaml")).status).toBe(201);
        const created = await api(
          stack,
          "/api/instances",
          JSON.stringify({
            workflowId: "restart-check",
            start: new Date().toISOString(),
            params: { owner: "leder@kommune.example" },
          }),
          "application/json",
        );
        expect(created.status).toBe(201);
        instanceId = ((await created.json()) as { id: string }).id;
        const link = await eventually(30_000, async () => {
          for (const mail of await mailTexts(stack)) {
            const match = mail.text.match(CONFIRM_LINK);
            if (match) return match[0];
          }
          return undefined;
        });
        const url = new URL(link);
        confirmPath = `${url.pathname}${url.search}`;
        await eventually(30_000, async () => {
          const execution = (await stack.engine.list()).find((e) => e.status === "RUNNING");
          return execution?.state === "Sleep" ? true : undefined;
        });
      } finally {
        await stack.stop();
      }
      // Act: start again and confirm at once.
      stack = await startLocalStack({ dataDir, port: 0, seed: false });
      try {
        const restartedAt = performance.now();
        const confirmed = await fetch(`${stack.url}${confirmPath}`, { method: "POST" });
        expect(confirmed.status).toBe(200);
        const yourTurn = await eventually(20_000, async () =>
          (await mailTexts(stack)).find((mail) => /Andet skridt/.test(mail.subject)),
        );
        const seconds = (performance.now() - restartedAt) / 1000;
        const audit = await stack.stores.audit.list(instanceId);
        // Assess
        console.log(`the "your turn" mail came ${seconds.toFixed(1)} s after the restart`);
        expect(yourTurn.subject).toMatch(/Andet skridt/);
        expect(audit.map((entry) => entry.action)).not.toContain("loop.failed");
        expect(seconds).toBeLessThan(20);
      } finally {
        await stack.stop();
      }
    });
  }, 240_000);
});
