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
 *
 * Per socket limit of the stack's DynamoDB client (`--max-sockets=50,200`; default: the stack's
 * own), a fresh stack runs all of it, and the bench prints throughput, latencies, the DynamoDB
 * requests' own time (which includes waiting for a socket) and the server's event-loop delay
 * during the load (monitorEventLoopDelay): the figures the default limit is chosen by. Before the
 * load, a probe counts the DynamoDB requests of one GET, one POST and a repeated POST, one at a
 * time on links of an instance of its own, by command and by the items they touch.
 */
import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import pLimit from "p-limit";
import { LOCAL_DYNAMODB_MAX_SOCKETS, MAX_SOCKETS_ENV } from "../infra/local/dynamodb.ts";
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
  tcpCounters,
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
  /** Each client's first GET, which opens its connection. */
  firstGet: LatencySummary;
  post: LatencySummary;
  errors: number;
  firstErrors: string[];
  statuses: Record<string, number>;
}

/** DynamoDB requests per confirm request, one at a time (before the load), app table. */
export interface ProbeFigures {
  links: number;
  getRequests: number;
  postRequests: number;
  /** A second POST of the same link: "already confirmed". */
  postAgainRequests: number;
  /** By command and the key prefixes of the items touched, per request. */
  getKeys: Record<string, number>;
  postKeys: Record<string, number>;
  postAgainKeys: Record<string, number>;
}

export interface ConfirmRun {
  /** The socket limit of the stack's DynamoDB client in this run. */
  maxSockets: number;
  prepareSeconds: number;
  probe: ProbeFigures;
  fristflow: LoadPhase & {
    confirmed: number;
    already: number;
    otherBodies: number;
    linksConfirmedTwice: number;
    dynamo: {
      requests: number;
      failed: number;
      readUnits: number;
      writeUnits: number;
      /** Per DynamoDB request: waiting for a socket, retries and the round trip. */
      latencyMs: LatencySummary;
      inFlight: { mean: number; max: number };
    };
  };
  baseline: LoadPhase;
  /**
   * Machine-wide TCP counters during each load phase: SYNs dropped by a full listen queue and sent
   * again (a connection that waits 1, 3, 7, 15 s for its first request: the load's worst latencies).
   */
  tcp: {
    baseline: { listenOverflows: number; synRetransmits: number } | null;
    fristflow: { listenOverflows: number; synRetransmits: number } | null;
  };
  /** The server process's event loop during the fristflow load (monitorEventLoopDelay, 10 ms resolution). */
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  eventLoopUtilization: number;
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
  /** Milestones that break "exactly one confirmation" (0 when exactlyOnce). */
  notExactlyOnce: number;
  loopAfterwards: { status: string; transitions: number };
}

export interface ConfirmFigures {
  clients: number;
  links: number;
  instances: number;
  /** The stack's default socket limit (infra/local/dynamodb.ts), and the run made with it. */
  defaultMaxSockets: number;
  defaultRun: ConfirmRun;
  /** The probe of the default run. */
  probe: ProbeFigures;
  runs: ConfirmRun[];
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
    firstGet: summary(result.firstGet ?? []),
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
    "  first GET of each client, ms",
    `p50 ${fmt(p.firstGet.p50)}, p90 ${fmt(p.firstGet.p90)}, p99 ${fmt(p.firstGet.p99)}, max ${fmt(p.firstGet.max)} (${p.firstGet.count} clients)`,
  );
  line(
    "  POST latency ms",
    `p50 ${fmt(p.post.p50)}, p90 ${fmt(p.post.p90)}, p99 ${fmt(p.post.p99)}, max ${fmt(p.post.max)}`,
  );
  if (p.firstErrors.length > 0) for (const e of p.firstErrors) console.log(`    ${e}`);
}

function printRun(run: ConfirmRun, clients: number): void {
  heading(`Confirm links at ${run.maxSockets} DynamoDB sockets, ${clients} clients`);
  const pr = run.probe;
  const shapes = (keys: Record<string, number>) =>
    Object.entries(keys)
      .sort(([, a], [, b]) => b - a)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  line(
    `probe: DynamoDB requests, one at a time (${pr.links} links)`,
    `GET ${pr.getRequests}, POST ${pr.postRequests}, POST again ${pr.postAgainRequests}`,
  );
  line("  GET by command and item", shapes(pr.getKeys));
  line("  POST by command and item", shapes(pr.postKeys));
  line("  POST again by command and item", shapes(pr.postAgainKeys));
  printPhase("baseline: trivial Hono route, same server", run.baseline);
  printPhase("fristflow confirm pages", run.fristflow);
  const f = run.fristflow;
  line(
    "  POST outcomes",
    `${f.confirmed} confirmed, ${f.already} already confirmed, ${f.otherBodies} other; ${f.linksConfirmedTwice} links answered "confirmed" twice`,
  );
  const dy = f.dynamo;
  line(
    "  DynamoDB (app table) during the load",
    `${dy.requests} requests (${fmt(dy.requests / Math.max(1, f.requests), 2)} per HTTP request), ${dy.failed} failed (conditions, transaction conflicts), ${fmt(dy.readUnits)} RRU, ${fmt(dy.writeUnits)} WRU`,
  );
  line(
    "  DynamoDB request ms (socket wait incl.)",
    `p50 ${fmt(dy.latencyMs.p50)}, p90 ${fmt(dy.latencyMs.p90)}, p99 ${fmt(dy.latencyMs.p99)}, max ${fmt(dy.latencyMs.max)}; in flight mean ${fmt(dy.inFlight.mean)}, max ${dy.inFlight.max}`,
  );
  const tcp = (t: ConfirmRun["tcp"]["baseline"]) =>
    t === null ? "?" : `${t.listenOverflows} listen-queue overflows, ${t.synRetransmits} SYN retransmits`;
  line(
    "  TCP (machine-wide) during the loads",
    `fristflow ${tcp(run.tcp.fristflow)}; trivial ${tcp(run.tcp.baseline)}`,
  );
  const e = run.eventLoopDelayMs;
  line(
    "  server event loop during the load",
    `delay p50 ${fmt(e.p50, 2)} ms, p99 ${fmt(e.p99, 2)} ms, max ${fmt(e.max, 2)} ms, mean ${fmt(e.mean, 2)} ms; ${fmt(run.eventLoopUtilization * 100)} % busy`,
  );
  line(
    "  CPU during the load",
    `server process ${fmt(run.cpuSeconds.server)} s, DynamoDB Local JVM ${run.cpuSeconds.java ?? "?"} s, in ${fmt(f.seconds)} s`,
  );
  line(
    "ratio fristflow / trivial",
    `p50 GET ${fmt(run.ratioP50Get)}x, p50 POST ${fmt(run.ratioP50Post)}x, p99 POST ${fmt(run.ratioP99Post)}x, throughput ${fmt(run.ratioThroughput, 3)}x`,
  );
  const st = run.store;
  line(
    "store: exactly one confirmation each",
    `${st.milestonesConfirmed} milestones confirmed, ${st.confirmationEntries} confirmation entries, ${st.milestonesWithMoreThanOneEntry} with more than one -> ${st.exactlyOnce ? "OK" : "MISMATCH"}`,
  );
  line(
    "woken loops run afterwards",
    `${run.loopAfterwards.status}, ${run.loopAfterwards.transitions} transitions`,
  );
}

export async function confirmBench(options: BenchOptions): Promise<ConfirmFigures> {
  const clients = options.clients;
  const instanceCount = Math.max(1, Math.ceil(options.links / UNITS_PER_INSTANCE));
  const links = instanceCount * UNITS_PER_INSTANCE;
  const limits = options.maxSockets.length > 0 ? options.maxSockets : [LOCAL_DYNAMODB_MAX_SOCKETS];
  heading(
    `Confirm links: ${clients} concurrent clients, ${options.seconds} s, GET + POST over ${links} milestones (real HTTP), DynamoDB sockets ${limits.join(", ")} (default ${LOCAL_DYNAMODB_MAX_SOCKETS})`,
  );
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
  const runs: ConfirmRun[] = [];
  try {
    for (const maxSockets of limits) {
      const run = await confirmRun(options, maxSockets, instanceCount, baselineServer.port);
      printRun(run, clients);
      runs.push(run);
    }
  } finally {
    await baselineServer.close();
  }
  if (runs.length > 1) {
    heading(`Confirm throughput by socket limit (${clients} clients)`);
    line(
      "sockets",
      "req/s (x trivial), GET p50/p99 ms, POST p50/p99 ms, DynamoDB ms p50/p99, event-loop delay p50/p99/max ms, errors",
    );
    for (const r of runs) {
      const f = r.fristflow;
      const e = r.eventLoopDelayMs;
      line(
        `${r.maxSockets}${r.maxSockets === LOCAL_DYNAMODB_MAX_SOCKETS ? " (default)" : ""}`,
        `${fmt(f.requestsPerSecond)} (${fmt(r.ratioThroughput, 3)}x), ${fmt(f.get.p50, 0)}/${fmt(f.get.p99, 0)}, ${fmt(f.post.p50, 0)}/${fmt(f.post.p99, 0)}, ${fmt(f.dynamo.latencyMs.p50)}/${fmt(f.dynamo.latencyMs.p99)}, ${fmt(e.p50, 1)}/${fmt(e.p99, 1)}/${fmt(e.max, 1)}, ${f.errors}${r.store.exactlyOnce ? "" : " MISMATCH"}`,
      );
    }
  }
  const defaultRun =
    runs.find((r) => r.maxSockets === LOCAL_DYNAMODB_MAX_SOCKETS) ?? (runs.at(-1) as ConfirmRun);
  return {
    clients,
    links,
    instances: instanceCount,
    defaultMaxSockets: LOCAL_DYNAMODB_MAX_SOCKETS,
    defaultRun,
    probe: defaultRun.probe,
    runs,
  };
}

/** Per request, by counting the app table's requests around each call, one call at a time. */
async function probe(doc: LocalStackDoc, urls: readonly string[]): Promise<ProbeFigures> {
  const counter = countByTable(doc);
  const requests = () => counter.byTable()[TABLE_NAME]?.requests ?? 0;
  const shapes = { get: {}, post: {}, postAgain: {} } as Record<
    "get" | "post" | "postAgain",
    Record<string, number>
  >;
  const totals = { get: 0, post: 0, postAgain: 0 };
  const add = (into: Record<string, number>, before: Record<string, { requests: number }>) => {
    for (const [k, v] of Object.entries(counter.byKey())) {
      if (!k.startsWith(`${TABLE_NAME} `)) continue;
      const delta = v.requests - (before[k]?.requests ?? 0);
      if (delta > 0)
        into[k.slice(TABLE_NAME.length + 1)] = (into[k.slice(TABLE_NAME.length + 1)] ?? 0) + delta;
    }
  };
  const step = async (kind: "get" | "post" | "postAgain", call: () => Promise<Response>) => {
    const before = requests();
    const keys = counter.byKey();
    const res = await call();
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`probe ${kind} answered ${res.status}`);
    totals[kind] += requests() - before;
    add(shapes[kind], keys);
  };
  try {
    for (const url of urls) {
      const sig = new URL(url).searchParams.get("sig") ?? "";
      const post = () =>
        fetch(url.split("?")[0] ?? url, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ sig }).toString(),
        });
      await step("get", () => fetch(url));
      await step("post", post);
      await step("postAgain", post);
    }
  } finally {
    counter.detach();
  }
  const n = Math.max(1, urls.length);
  const per = (m: Record<string, number>) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v / n, 2)]));
  return {
    links: urls.length,
    getRequests: round(totals.get / n, 2),
    postRequests: round(totals.post / n, 2),
    postAgainRequests: round(totals.postAgain / n, 2),
    getKeys: per(shapes.get),
    postKeys: per(shapes.post),
    postAgainKeys: per(shapes.postAgain),
  };
}

function tcpDelta(
  before: ReturnType<typeof tcpCounters>,
  after: ReturnType<typeof tcpCounters>,
): ReturnType<typeof tcpCounters> {
  if (before === null || after === null) return null;
  return {
    listenOverflows: after.listenOverflows - before.listenOverflows,
    synRetransmits: after.synRetransmits - before.synRetransmits,
  };
}

type LocalStackDoc = Awaited<ReturnType<typeof startLocalStack>>["doc"];

/** One fresh stack at one socket limit: prepare, probe, the trivial route's load, fristflow's load, the store check. */
async function confirmRun(
  options: BenchOptions,
  maxSockets: number,
  instanceCount: number,
  baselinePort: number,
): Promise<ConfirmRun> {
  const clients = options.clients;
  const links = instanceCount * UNITS_PER_INSTANCE;
  const socketsBefore = process.env[MAX_SOCKETS_ENV];
  process.env[MAX_SOCKETS_ENV] = String(maxSockets);
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  try {
    stack = await startLocalStack({
      port: 0,
      clockMode: "skip",
      startAt: "2024-03-04T08:00:00Z",
      logLevel: "SILENT",
      seed: false,
    });
  } finally {
    if (socketsBefore === undefined) delete process.env[MAX_SOCKETS_ENV];
    else process.env[MAX_SOCKETS_ENV] = socketsBefore;
  }

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
    // The load's instances, and one more for the probe (kept out of the load and its store check).
    const instanceIds: string[] = [];
    let probeInstance = "";
    for (let i = 0; i <= instanceCount; i++) {
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
      const id = ((await res.json()) as { id: string }).id;
      if (i < instanceCount) instanceIds.push(id);
      else probeInstance = id;
    }
    // Decide once for every instance: milestones written, loops parked until the next reminder.
    await stack.engine.run({ until: stack.clock.now(), maxSteps: 1_000_000 });
    const key = await stack.linkKey.getKey();
    const linksOf = async (instanceId: string) => {
      const out: { url: string; occurrence: string }[] = [];
      for (const m of await stack.stores.instances.listMilestones(instanceId)) {
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
        out.push({ url: `${stack.url}${created.path}`, occurrence: `${instanceId} ${m.occurrenceKey}` });
      }
      return out;
    };
    const urls: string[] = [];
    const occurrenceOfUrl: string[] = [];
    for (const instanceId of instanceIds) {
      for (const l of await linksOf(instanceId)) {
        urls.push(l.url);
        occurrenceOfUrl.push(l.occurrence);
      }
    }
    if (urls.length !== links)
      throw new Error(`expected ${links} milestones with links, made ${urls.length}`);
    const probeUrls = (await linksOf(probeInstance)).map((l) => l.url);
    const prepareSeconds = (performance.now() - prepareStart) / 1000;
    line(
      "prepared",
      `${instanceCount} instances x ${UNITS_PER_INSTANCE} units = ${links} links (+${probeUrls.length} for the probe) in ${fmt(prepareSeconds)} s`,
    );
    const probed = await probe(stack.doc, probeUrls);

    // ---------------------------------------------------------------- the load: baseline, then fristflow
    const baselineUrls = urls.map((u) => u.replace(stack.url, `http://127.0.0.1:${baselinePort}`));
    const tcpBaseline0 = tcpCounters();
    const baselineResult = await runLoadProcess({
      urls: baselineUrls,
      clients,
      seconds: options.seconds,
      seed: 1,
    });
    const tcpBaseline = tcpDelta(tcpBaseline0, tcpCounters());
    const counter = countByTable(stack.doc);
    const endpoint = await stack.doc.config.endpoint?.();
    const javaPid = javaChildPids(endpoint ? Number(endpoint.port) : undefined)[0];
    const javaCpu0 = javaPid === undefined ? null : procCpuSeconds(javaPid);
    const cpu0 = process.cpuUsage();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const elu0 = performance.eventLoopUtilization();
    const tcp0 = tcpCounters();
    delay.enable();
    const result = await runLoadProcess({ urls, clients, seconds: options.seconds, seed: 1 });
    delay.disable();
    const tcpFristflow = tcpDelta(tcp0, tcpCounters());
    const elu = performance.eventLoopUtilization(elu0);
    const cpu = process.cpuUsage(cpu0);
    const javaCpu1 = javaPid === undefined ? null : procCpuSeconds(javaPid);
    const dynamo = sumCounts([counter.byTable()[TABLE_NAME]]);
    const dynamoLatency = summary(counter.latencies());
    const inFlight = counter.concurrency();
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
    const exactlyOnce =
      multi === 0 &&
      twice === 0 &&
      confirmationEntries === confirmedOccurrences.size &&
      confirmedOccurrences.size === result.confirmed &&
      confirmedWithoutResponse === 0 &&
      responsesWithoutConfirmation === 0;
    const ms = (ns: number) => round(ns / 1e6, 2);
    return {
      maxSockets,
      prepareSeconds: round(prepareSeconds, 1),
      probe: probed,
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
          latencyMs: dynamoLatency,
          inFlight: { mean: round(inFlight.mean, 1), max: inFlight.max },
        },
      },
      baseline,
      tcp: { baseline: tcpBaseline, fristflow: tcpFristflow },
      eventLoopDelayMs: {
        p50: ms(delay.percentile(50)),
        p99: ms(delay.percentile(99)),
        max: ms(delay.max),
        mean: ms(delay.mean),
      },
      eventLoopUtilization: round(elu.utilization, 3),
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
        exactlyOnce,
      },
      notExactlyOnce: exactlyOnce
        ? 0
        : Math.max(1, multi + twice + confirmedWithoutResponse + responsesWithoutConfirmation),
      loopAfterwards: { status: after.status, transitions: after.transitions },
    };
  } finally {
    await stack.stop();
  }
}
