/**
 * Confirm bench, the load phases: one fresh stack at one socket limit (prepare the milestones and
 * their links, probe, the trivial route's load, fristflow's load, the store check), and the load
 * client's own process (bench/load-client.ts).
 */
import { spawn } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import pLimit from "p-limit";
import { MAX_SOCKETS_ENV } from "../infra/local/dynamodb.ts";
import { startLocalStack, TABLE_NAME } from "../infra/local/stack.ts";
import { createConfirmLink, linkExpiry } from "../shared/links/confirm-link.ts";
import { type ConfirmRun, phaseOf, probe, summary, tcpDelta } from "./confirm-figures.ts";
import type { LoadConfig, LoadResult } from "./load-client.ts";
import {
  type BenchOptions,
  countByTable,
  fmt,
  javaChildPids,
  line,
  procCpuSeconds,
  round,
  sumCounts,
  tcpCounters,
} from "./support.ts";

export const UNITS_PER_INSTANCE = 10;
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

/** One fresh stack at one socket limit: prepare, probe, the trivial route's load, fristflow's load, the store check. */
export async function confirmRun(
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
