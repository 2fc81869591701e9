/**
 * 1,000 POSTs of the same confirm link over real HTTP (100 sockets at a time, as a busy proxy or a
 * mail scanner farm would send them) against the app on DynamoDB Local: one confirmation is
 * recorded, every other answer is "already confirmed", and nothing is a server error.
 */
import { Agent, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Harness,
  instanceWithLinks,
  park,
  required,
  snapshot,
  startHarness,
  UNITS,
} from "../http/harness.ts";

const POSTS = 1_000;
const SOCKETS = 100;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  for (const unit of UNITS) await h.table.stores.units.put(unit);
});
afterAll(async () => {
  await h.close();
});

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function post(agent: Agent, url: URL, body: string): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

describe("the same confirm link POSTed 1,000 times at once", () => {
  it("records one confirmation, answers the rest 'already confirmed', and never a 5xx", async () => {
    // Prepare
    const { instanceId, links } = await instanceWithLinks(h);
    const key = "status/skole-a/0";
    const link = required(links.get(key), "link");
    await park(h, instanceId, "task-token-storm");
    h.wakes.length = 0;
    const agent = new Agent({ keepAlive: true, maxSockets: SOCKETS });
    const url = new URL(`${h.url}/confirm/${link.id}`);
    const body = new URLSearchParams({ sig: link.sig }).toString();

    // Act
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: POSTS }, () => post(agent, url, body)));
    const wallMs = performance.now() - started;
    agent.destroy();

    // Assess: every answer is a page, one receipt and 999 "already confirmed".
    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    const latencies = answers.map((a) => a.ms).sort((a, b) => a - b);
    console.info(
      `confirm storm: ${POSTS} POSTs over ${SOCKETS} sockets in ${Math.round(wallMs)} ms; ` +
        `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; ` +
        `statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(Object.fromEntries(statuses)).toEqual({ 200: POSTS });
    const receipts = answers.filter((a) => a.body.includes("er registreret som bekræftet"));
    const already = answers.filter((a) => a.body.includes("Allerede bekræftet"));
    expect(receipts).toHaveLength(1);
    expect(already).toHaveLength(POSTS - 1);

    // Assess: the store holds exactly one confirmation, and the parked loop was woken once.
    const milestone = (await h.table.stores.instances.listMilestones(instanceId)).find(
      (m) => m.occurrenceKey === key,
    );
    expect(milestone?.status).toBe("confirmed");
    const audit = await h.table.stores.audit.list(instanceId);
    expect(audit.filter((e) => e.action === "confirmation.recorded")).toHaveLength(1);
    expect(h.wakes).toEqual([{ token: "task-token-storm", payload: { reason: "confirmed" } }]);
    expect(h.logs.filter((l) => l.level === "error")).toEqual([]);

    // Assess: a second wave changes nothing at all.
    const before = await snapshot(h.table);
    const again = new Agent({ keepAlive: true, maxSockets: SOCKETS });
    const second = await Promise.all(Array.from({ length: 100 }, () => post(again, url, body)));
    again.destroy();
    expect(second.every((a) => a.status === 200 && a.body.includes("Allerede bekræftet"))).toBe(true);
    expect(await snapshot(h.table)).toEqual(before);
  }, 120_000);
});
