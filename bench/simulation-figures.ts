/**
 * Simulation, the figures: what the bench reports (SimulationFigures), the per-phase DynamoDB
 * counts it adds up, the division into per-mail, per-step and per-request figures, and the
 * judgement of what bounds the loop's write rate.
 */
import { round, sumCounts, type TableCount } from "./support.ts";

export interface PerCycle {
  stateTransitions: number;
  lambdaInvocations: number;
  readRequests: number;
  writeRequests: number;
  readUnits: number;
  writeUnits: number;
  emails: number;
}

export interface SimulationFigures {
  cases: number;
  requestedCases: number;
  virtualDays: number;
  wallSeconds: number;
  engineSeconds: number;
  notifications: number;
  mailsByKind: Record<string, number>;
  notificationsPerSecond: number;
  confirmations: number;
  confirmationsAlready: number;
  ishojConfirmations: number;
  /** Mean days a case stays open (start to confirmation, or to its last escalation). */
  caseOpenDaysMean: number;
  /** In-process handler durations (ms), step and recordFailure; HTTP round trips of the app. */
  durationsMs: Record<string, { p50: number; mean: number; count: number }>;
  /**
   * Step Functions history events and their payload bytes, as logged with level ALL;
   * errorLevelEvents: those logged at level ERROR (TaskTimedOut of a timer wake-up, TaskFailed of
   * a loop leaving through Sleep's Catch or of a failed attempt, ExecutionFailed).
   */
  history: { events: number; payloadBytes: number; errorLevelEvents: number };
  /**
   * Step invocations by what started them (the execution's start, Sleep's timer, a signal, a
   * failure's backoff), with how many of them sent at least one mail and how many mails; mails
   * are attributed to an instance by the instance id in their confirm link.
   */
  stepsByWake: Record<string, { steps: number; withMail: number; mails: number }>;
  /** How executions left the loop (Sleep's Catch): done, continue-as-new. */
  loopEnds: Record<string, number>;
  /** Mails without a confirm link to attribute them by (not counted in stepsByWake). */
  unattributedMails: number;
  /** The socket limit of the stack's DynamoDB client during the run. */
  maxSockets: number;
  /**
   * During the engine's runs: the node event loop's utilisation (0..1), CPU seconds of node and
   * of DynamoDB Local's JVM, and what the bench judges bounds the write rate.
   */
  loopPhase: {
    eventLoopUtilization: number;
    nodeCpuSeconds: number;
    javaCpuSeconds: number | null;
    /** CPU of the JVM's SQLite queue thread, through which DynamoDB Local runs every table access in turn. */
    queueCpuSeconds: number | null;
  };
  boundedBy: string;
  casesDone: number;
  ishojMails: number;
  engine: { stateTransitions: number; lambdaInvocations: number; writes: number; executionsStarted: number };
  invocations: Record<string, number>;
  steps: number;
  parks: number;
  retries: number;
  failedExecutions: number;
  /** DynamoDB work of the engine-run phases (the loop), by table. */
  loopDynamo: Record<string, TableCount>;
  /** Opening a confirm link (GET), app table. */
  perConfirmGet: PerUnit;
  /** Per GET and per POST, by command and the key prefixes of the items it touched (app table). */
  getKeys: Record<string, PerUnit>;
  postKeys: Record<string, PerUnit>;
  /** Loop work per mail by DynamoDB command (app table). */
  loopCommandsPerMail: Record<string, PerUnit>;
  postCommands: Record<string, PerUnit>;
  cpuSeconds: { node: number; java: number | null };
  /** One confirmation over HTTP (POST), app table. */
  perConfirmation: { requests: number; reads: number; writes: number; readUnits: number; writeUnits: number };
  /** One instance start over the admin API, app table. */
  perStart: { requests: number; reads: number; writes: number; readUnits: number; writeUnits: number };
  /** The loop's work divided by the mails it sent: the all-in cost of one reminder. */
  perNotification: PerCycle;
  /** Divided by Notify invocations (a cycle that sends ≥ 1 mail). */
  perStep: PerCycle;
  dynamoConcurrency: { mean: number; max: number };
  totalWrites: number;
  writesPerSecond: number;
  baseline: {
    writes: number;
    concurrency: number;
    itemBytes: number;
    seconds: number;
    writesPerSecond: number;
    /** CPU of node, of the JVM and of its SQLite queue thread while the baseline ran. */
    nodeCpuSeconds: number;
    javaCpuSeconds: number | null;
    queueCpuSeconds: number | null;
  };
  ratioWriteRate: number;
  notificationsCeiling: number;
  ratioNotifications: number;
  /** shared/store/metrics.ts countDynamoOps over the whole run, all tables: the cross-check. */
  countDynamoOpsTotal: { requests: number; readUnits: number; writeUnits: number };
  /** The same total from the bench's per-table counter. */
  benchCounterTotal: { requests: number; readUnits: number; writeUnits: number };
  memory: {
    nodePeakRssMiB: number;
    nodeHwmMiB: number | null;
    nodePeakHeapMiB: number;
    javaPid: number | null;
    javaPeakRssMiB: number | null;
    javaHwmMiB: number | null;
  };
}

export type PerUnit = ReturnType<typeof perUnit>;

export function accumulate(
  into: Record<string, TableCount>,
  before: Record<string, TableCount>,
  after: Record<string, TableCount>,
): void {
  for (const [key, a] of Object.entries(after)) {
    const b = before[key];
    into[key] = sumCounts([
      into[key],
      {
        requests: a.requests - (b?.requests ?? 0),
        reads: a.reads - (b?.reads ?? 0),
        writes: a.writes - (b?.writes ?? 0),
        failed: a.failed - (b?.failed ?? 0),
        readUnits: a.readUnits - (b?.readUnits ?? 0),
        writeUnits: a.writeUnits - (b?.writeUnits ?? 0),
      },
    ]);
  }
}

export function perUnit(total: TableCount, divisor: number) {
  const d = Math.max(1, divisor);
  return {
    requests: round(total.requests / d),
    reads: round(total.reads / d),
    writes: round(total.writes / d),
    readUnits: round(total.readUnits / d),
    writeUnits: round(total.writeUnits / d),
  };
}

/**
 * What bounds the loop's write rate, from what the engine's runs used: node's one thread (the
 * handlers, MIME composition and the engine all run on it), the cores (node and DynamoDB Local's
 * JVM share them), or neither: then it is latency, too little work due at each skip-mode instant
 * to keep DynamoDB Local busy.
 */
export function judgeBound(u: {
  eventLoopUtilization: number;
  javaCores: number | null;
  nodeCores: number;
  cores: number;
  inFlight: number;
}): string {
  const elu = `${Math.round(u.eventLoopUtilization * 100)} %`;
  const jvm = u.javaCores === null ? "?" : u.javaCores.toFixed(2);
  const used = u.nodeCores + (u.javaCores ?? 0);
  const facts = `event loop ${elu} busy, node ${u.nodeCores.toFixed(2)} + JVM ${jvm} of ${u.cores} cores, ${u.inFlight.toFixed(1)} DynamoDB requests in flight on average`;
  if (u.eventLoopUtilization >= 0.85) return `node's one thread (${facts})`;
  if (used >= 0.85 * u.cores) return `the machine's cores (${facts})`;
  return `latency, neither node nor DynamoDB Local saturated (${facts})`;
}
