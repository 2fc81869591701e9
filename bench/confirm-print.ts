/** Confirm bench, printing: one run at one socket limit, and the runs side by side. */
import { LOCAL_DYNAMODB_MAX_SOCKETS } from "../infra/local/dynamodb.ts";
import type { ConfirmRun, LoadPhase } from "./confirm-figures.ts";
import { fmt, heading, line } from "./support.ts";

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

export function printRun(run: ConfirmRun, clients: number): void {
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

/** With more than one socket limit: the runs side by side. */
export function printByLimit(runs: readonly ConfirmRun[], clients: number): void {
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
}
