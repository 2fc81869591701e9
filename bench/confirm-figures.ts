/**
 * Confirm bench, figures: what one run at one socket limit measured, the latency summaries of a
 * load phase, the per-request probe (DynamoDB requests of one GET, one POST and a repeated POST,
 * one at a time) and the machine-wide TCP counters' change over a load.
 */
import type { startLocalStack } from "../infra/local/stack.ts";
import { TABLE_NAME } from "../infra/local/stack.ts";
import type { LoadResult } from "./load-client.ts";
import { countByTable, percentile, round, type tcpCounters } from "./support.ts";

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

export function summary(samples: number[]): LatencySummary {
  return {
    count: samples.length,
    p50: round(percentile(samples, 50), 1),
    p90: round(percentile(samples, 90), 1),
    p99: round(percentile(samples, 99), 1),
    max: round(percentile(samples, 100), 1),
  };
}

export function phaseOf(result: LoadResult): LoadPhase {
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

export type LocalStackDoc = Awaited<ReturnType<typeof startLocalStack>>["doc"];

/** Per request, by counting the app table's requests around each call, one call at a time. */
export async function probe(doc: LocalStackDoc, urls: readonly string[]): Promise<ProbeFigures> {
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

export function tcpDelta(
  before: ReturnType<typeof tcpCounters>,
  after: ReturnType<typeof tcpCounters>,
): ReturnType<typeof tcpCounters> {
  if (before === null || after === null) return null;
  return {
    listenOverflows: after.listenOverflows - before.listenOverflows,
    synRetransmits: after.synRetransmits - before.synRetransmits,
  };
}
