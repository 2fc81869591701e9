/**
 * Confirm links under concurrency: `clients` concurrent clients on real HTTP for `seconds`
 * against the local stack's server, each opening (GET) and confirming (POST) links picked at
 * random from `links` milestones, so many links are confirmed by several clients at about the
 * same moment. The clients run in their own process (bench/load-client.ts).
 *
 * Preparation: a fan-out workflow (one milestone per unit) saved through the admin API, 10
 * units per instance, instances started through the admin API and run by the engine once (so
 * their milestones exist and their loops are parked, as in production); then one signed link
 * per milestone, created with createConfirmLink and stored, as notify would.
 *
 * Checked afterwards in the store: every milestone a client saw "confirmed" for is confirmed,
 * exactly one confirmation entry exists per confirmed milestone, no other milestone changed.
 *
 * Baseline: the same load against a trivial Hono app (GET returns a page, POST parses the form
 * and returns "ok") served the same way (@hono/node-server, same process as the stack).
 */
import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import pLimit from "p-limit";
import { startLocalStack, TABLE_NAME } from "../infra/local/stack.ts";
import { createConfirmLink, linkExpiry } from "../shared/links/confirm-link.ts";
import type { LoadConfig, LoadResult } from "./load-client.ts";
import {
  type BenchOptions,
  countByTable,
  fmt,
  heading,
  javaChildPids,
  line,
  percentile,
  procCpuSeconds,
  round,
  sumCounts,
} from "./support.ts";

const UNITS_PER_INSTANCE = 10;
const WORKFLOW_ID = "bench-confirm";
const WORKFLOW = `id: ${WORKFLOW_ID}
title: { da: "Benchmark: lokale handleplaner", en: "Benchmark: local action plans" }
timezone: Europe/Copenhagen
language: da
calendar: { holidays: DK }
milestones:
  - id: handleplan
    title: { da: Lokal handleplan, en: Local action plan }
    forEach: [benchunit]
    owner: leader
    due: P1M
`;

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadPhase {
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  get: LatencySummary;
  post: LatencySummary;
  errors: number;
  firstErrors: string[];
  statuses: Record<string, number>;
}

export interface ConfirmFigures {
  clients: number;
  links: number;
  instances: number;
  prepareSeconds: number;
  fristflow: LoadPhase & {
    confirmed: number;
    already: number;
    otherBodies: number;
    linksConfirmedTwice: number;
    dynamo: { requests: number; failed: number; readUnits: number; writeUnits: number };
  };
  baseline: LoadPhase;
  /** CPU during the fristflow load: the server process (HTTP app, store) and DynamoDB Local's JVM. */
  cpuSeconds: { server: number; java: number | null };
  ratioP50Get: number;
  ratioP50Post: number;
  ratioP99Post: number;
  ratioThroughput: number;
  store: {
    milestonesConfirmed: number;
    confirmationEntries: number;
    milestonesWithMoreThanOneEntry: number;
    confirmedWithoutResponse: number;
    responsesWithoutConfirmation: number;
    exactlyOnce: boolean;
  };
  loopAfterwards: { status: string; transitions: number };
}

function summary(samples: number[]): LatencySummary {
  return {
    count: samples.length,
    p50: round(percentile(samples, 50), 1),
    p90: round(percentile(samples, 90), 1),
    p99: round(percentile(samples, 99), 1),
    max: round(percentile(samples, 100), 1),
  };
}

function phaseOf(result: LoadResult): LoadPhase {
  const requests = result.get.length + result.post.length;
  return {
    seconds: round(result.seconds, 2),
    requests,
    requestsPerSecond: round(requests / result.seconds, 1),
    get: summary(result.get),
    post: summary(result.post),
    errors: result.errors.length,
    firstErrors: result.errors.slice(0, 5),
    statuses: result.statuses,
  };
}

/** Runs bench/load-client.ts in its own Node process and returns what it measured. */
export function runLoadProcess(config: LoadConfig): Promise<LoadResult> {
  const script = fileURLToPath(new URL("./load-client.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      out += chunk;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !last.startsWith("{")) {
        reject(new Error(`load client exited with ${code}: ${out.slice(-500)}`));
        return;
      }
      resolve(JSON.parse(last) as LoadResult);
    });
    child.stdin.end(JSON.stringify(config));
  });
}

function printPhase(label: string, p: LoadPhase): void {
  line(
    label,
    `${p.requests} requests in ${fmt(p.seconds)} s = ${fmt(p.requestsPerSecond)} req/s, ${p.errors} errors`,
  );
  line(
    "  GET  latency ms",
    `p50 ${fmt(p.get.p50)}, p90 ${fmt(p.get.p90)}, p99 ${fmt(p.get.p99)}, max ${fmt(p.get.max)}`,
  );
  line(
    "  POST latency ms",
    `p50 ${fmt(p.post.p50)}, p90 ${fmt(p.post.p90)}, p99 ${fmt(p.post.p99)}, max ${fmt(p.post.max)}`,
  );
  if (p.firstErrors.length > 0) for (const e of p.firstErrors) console.log(`    ${e}`);
}

export async function confirmBench(options: BenchOptions): Promise<ConfirmFigures> {
  const clients = options.clients;
  const instanceCount = Math.max(1, Math.ceil(options.links / UNITS_PER_INSTANCE));
  const links = instanceCount * UNITS_PER_INSTANCE;
  heading(
    `Confirm links: ${clients} concurrent clients, ${options.seconds} s, GET + POST over ${links} milestones (real HTTP)`,
  );

  const stack = await startLocalStack({
    port: 0,
    clockMode: "skip",
    startAt: "2024-03-04T08:00:00Z",
    logLevel: "SILENT",
    seed: false,
  });
  const trivial = new Hono();
  trivial.get("/confirm/:id", (c) =>
    c.html("<!doctype html><title>ok</title><form method=post><button>ok</button></form>"),
  );
  trivial.post("/confirm/:id", async (c) => {
    await c.req.parseBody();
    return c.html("ok");
  });
  const baselineServer = await new Promise<{ close: () => Promise<void>; port: number }>((resolve) => {
    const server = serve({ fetch: trivial.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });

  try {
    // ---------------------------------------------------------------- prepare milestones and links
    const prepareStart = performance.now();
    const auth = { authorization: `Bearer ${stack.adminToken}` };
    const saved = await fetch(`${stack.url}/api/workflows`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/yaml" },
      body: WORKFLOW,
    });
    if (saved.status !== 201)
      throw new Error(`saving the bench workflow: ${saved.status} ${await saved.text()}`);
    const instanceIds: string[] = [];
    for (let i = 0; i < instanceCount; i++) {
      const type = `benchunit`;
      // Each instance fans out over its own ten units (unit ids are per directory, so name them apart).
      const unitIds = Array.from(
        { length: UNITS_PER_INSTANCE },
        (_, u) => `b${String(i).padStart(4, "0")}-u${u}`,
      );
      for (const [u, id] of unitIds.entries()) {
        await stack.stores.units.put({
          id,
          name: `Enhed ${i}-${u}`,
          type,
          leader: { name: `Leder ${i}-${u}`, email: `leder.${i}.${u}@bench.ishoj.example` },
        });
      }
      const res = await fetch(`${stack.url}/api/instances`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ workflowId: WORKFLOW_ID, start: "2024-03-04", units: unitIds }),
      });
      if (res.status !== 201) throw new Error(`starting an instance: ${res.status} ${await res.text()}`);
      instanceIds.push(((await res.json()) as { id: string }).id);
    }
    // Decide once for every instance: milestones written, loops parked until the next reminder.
    await stack.engine.run({ until: stack.clock.now(), maxSteps: 1_000_000 });
    const key = await stack.linkKey.getKey();
    const urls: string[] = [];
    const occurrenceOfUrl: string[] = [];
    for (const instanceId of instanceIds) {
      const milestones = await stack.stores.instances.listMilestones(instanceId);
      for (const m of milestones) {
        if (!m.confirmable || !m.dueAt) continue;
        const created = createConfirmLink(
          {
            instanceId,
            occurrenceKey: m.occurrenceKey,
            recipient: `unitLeader:${m.unitId}`,
            expiresAt: linkExpiry(m.dueAt, stack.clock.now()),
          },
          key,
        );
        urls.push(`${stack.url}${created.path}`);
        occurrenceOfUrl.push(`${instanceId} ${m.occurrenceKey}`);
      }
    }
    if (urls.length !== links)
      throw new Error(`expected ${links} milestones with links, made ${urls.length}`);
    const prepareSeconds = (performance.now() - prepareStart) / 1000;
    line(
      "prepared",
      `${instanceCount} instances x ${UNITS_PER_INSTANCE} units = ${links} links in ${fmt(prepareSeconds)} s`,
    );

    // ---------------------------------------------------------------- the load: baseline, then fristflow
    const baselineUrls = urls.map((u) => u.replace(stack.url, `http://127.0.0.1:${baselineServer.port}`));
    const baselineResult = await runLoadProcess({
      urls: baselineUrls,
      clients,
      seconds: options.seconds,
      seed: 1,
    });
    const counter = countByTable(stack.doc);
    const endpoint = await stack.doc.config.endpoint?.();
    const javaPid = javaChildPids(endpoint ? Number(endpoint.port) : undefined)[0];
    const javaCpu0 = javaPid === undefined ? null : procCpuSeconds(javaPid);
    const cpu0 = process.cpuUsage();
    const result = await runLoadProcess({ urls, clients, seconds: options.seconds, seed: 1 });
    const cpu = process.cpuUsage(cpu0);
    const javaCpu1 = javaPid === undefined ? null : procCpuSeconds(javaPid);
    const dynamo = sumCounts([counter.byTable()[TABLE_NAME]]);
    counter.detach();

    // ---------------------------------------------------------------- exactly once, from the store
    const confirmedOccurrences = new Set<string>();
    let confirmationEntries = 0;
    let multi = 0;
    await pLimit(8).map(instanceIds, async (instanceId) => {
      for (const m of await stack.stores.instances.listMilestones(instanceId)) {
        if (m.confirmedAt) confirmedOccurrences.add(`${instanceId} ${m.occurrenceKey}`);
      }
      const perOccurrence = new Map<string, number>();
      for (const entry of await stack.stores.audit.list(instanceId)) {
        if (entry.action !== "confirmation.recorded") continue;
        const occ = String((entry.details as { occurrenceKey?: unknown } | undefined)?.occurrenceKey ?? "");
        perOccurrence.set(occ, (perOccurrence.get(occ) ?? 0) + 1);
        confirmationEntries++;
      }
      for (const n of perOccurrence.values()) if (n > 1) multi++;
    });
    const answeredConfirmed = new Set(
      Object.keys(result.confirmedByUrl).map((i) => occurrenceOfUrl[Number(i)] ?? ""),
    );
    const twice = Object.values(result.confirmedByUrl).filter((n) => n > 1).length;
    const confirmedWithoutResponse = [...confirmedOccurrences].filter(
      (o) => !answeredConfirmed.has(o),
    ).length;
    const responsesWithoutConfirmation = [...answeredConfirmed].filter(
      (o) => !confirmedOccurrences.has(o),
    ).length;

    // The loops the confirmations woke run now, as they would have right away on AWS.
    const after = await stack.engine.run({ until: stack.clock.now(), maxSteps: 1_000_000 });

    const fristflow = phaseOf(result);
    const baseline = phaseOf(baselineResult);
    const figures: ConfirmFigures = {
      clients,
      links,
      instances: instanceCount,
      prepareSeconds: round(prepareSeconds, 1),
      fristflow: {
        ...fristflow,
        confirmed: result.confirmed,
        already: result.already,
        otherBodies: result.otherBodies,
        linksConfirmedTwice: twice,
        dynamo: {
          requests: dynamo.requests,
          failed: dynamo.failed,
          readUnits: round(dynamo.readUnits, 1),
          writeUnits: round(dynamo.writeUnits, 1),
        },
      },
      baseline,
      cpuSeconds: {
        server: round((cpu.user + cpu.system) / 1e6, 1),
        java: javaCpu0 === null || javaCpu1 === null ? null : round(javaCpu1 - javaCpu0, 1),
      },
      ratioP50Get: round(fristflow.get.p50 / baseline.get.p50, 1),
      ratioP50Post: round(fristflow.post.p50 / baseline.post.p50, 1),
      ratioP99Post: round(fristflow.post.p99 / baseline.post.p99, 1),
      ratioThroughput: round(fristflow.requestsPerSecond / baseline.requestsPerSecond, 3),
      store: {
        milestonesConfirmed: confirmedOccurrences.size,
        confirmationEntries,
        milestonesWithMoreThanOneEntry: multi,
        confirmedWithoutResponse,
        responsesWithoutConfirmation,
        exactlyOnce:
          multi === 0 &&
          twice === 0 &&
          confirmationEntries === confirmedOccurrences.size &&
          confirmedOccurrences.size === result.confirmed &&
          confirmedWithoutResponse === 0 &&
          responsesWithoutConfirmation === 0,
      },
      loopAfterwards: { status: after.status, transitions: after.transitions },
    };

    printPhase("baseline: trivial Hono route, same server", baseline);
    printPhase("fristflow confirm pages", fristflow);
    line(
      "  POST outcomes",
      `${result.confirmed} confirmed, ${result.already} already confirmed, ${result.otherBodies} other; ${twice} links answered "confirmed" twice`,
    );
    line(
      "  DynamoDB (app table) during the load",
      `${dynamo.requests} requests, ${dynamo.failed} failed (conditions, transaction conflicts), ${fmt(dynamo.readUnits)} RRU, ${fmt(dynamo.writeUnits)} WRU`,
    );
    line(
      "  CPU during the load",
      `server process ${fmt(figures.cpuSeconds.server)} s, DynamoDB Local JVM ${figures.cpuSeconds.java ?? "?"} s, in ${fmt(fristflow.seconds)} s`,
    );
    line(
      "ratio fristflow / trivial",
      `p50 GET ${fmt(figures.ratioP50Get)}x, p50 POST ${fmt(figures.ratioP50Post)}x, p99 POST ${fmt(figures.ratioP99Post)}x, throughput ${fmt(figures.ratioThroughput, 3)}x`,
    );
    line(
      "store: exactly one confirmation each",
      `${confirmedOccurrences.size} milestones confirmed, ${confirmationEntries} confirmation entries, ${multi} with more than one -> ${figures.store.exactlyOnce ? "OK" : "MISMATCH"}`,
    );
    line("woken loops run afterwards", `${after.status}, ${after.transitions} transitions`);
    return figures;
  } finally {
    await baselineServer.close();
    await stack.stop();
  }
}
