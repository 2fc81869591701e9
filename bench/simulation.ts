/**
 * Simulation throughput: a virtual year of a municipality's case deadlines through the whole
 * local stack in skip mode (DynamoDB Local, the local engine running the instance-loop ASL, the
 * real Lambda handlers in-process, the Hono HTTP app, the file outbox).
 *
 * Workload: N børnefaglige undersøgelser (4-month deadline, reminders 30/14/3/0 days before,
 * up to 3 escalations to the team leader), started through the admin API on days spread over the
 * first 7 months of the year (so every case reaches its end inside the year), plus one Ishøj
 * timeline with its 19 fan-out units started on day 0. A simulated caseworker confirms 75 % of the
 * cases over real HTTP (POST of the mailed link) between 25 days before and 5 days after the
 * deadline; 25 % never confirm, so all three escalations go out. Ishøj's leaders confirm three
 * days after their first mail, except the family day care (dagplejen), which never does.
 *
 * Also measured here: DynamoDB units per reminder cycle and per confirmation (app table only;
 * the engine's own table stands in for Step Functions and the outbox for SES), and the peak RSS
 * of this process and of DynamoDB Local's JVM (memory benchmark).
 *
 * Baseline: the raw PutItem rate of the same DynamoDB Local, items of about the size the loop
 * writes, at the concurrency the simulation kept in flight on average, through a client counted
 * the same way. What bounds the ratio is judged from the engine runs' event-loop utilisation and
 * the CPU of node and of the JVM (printed as "bounded by").
 */
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import pLimit from "p-limit";
import {
  createDocumentClient,
  createLocalDynamoDbClient,
  localMaxSockets,
  MAX_SOCKETS_ENV,
} from "../infra/local/dynamodb.ts";
import type { EngineEvent } from "../infra/local/engine/engine.ts";
import { seeded } from "../infra/local/seeded-random.ts";
import { ENGINE_TABLE_NAME, LOCAL_LOOP_ARNS, startLocalStack, TABLE_NAME } from "../infra/local/stack.ts";
import { type LinkClaims, verifyLink } from "../shared/links/index.ts";
import { CONTINUE_AS_NEW_ERROR_NAME, DONE_ERROR_NAME, STATE } from "../shared/loop/asl.ts";
import { dynamoStores } from "../shared/store/dynamo/index.ts";
import { countDynamoOps } from "../shared/store/metrics.ts";
import type { Stores } from "../shared/store/ports.ts";
import { Temporal } from "../shared/time/temporal.ts";
import {
  type BenchOptions,
  countByTable,
  fmt,
  heading,
  javaChildPids,
  line,
  MiB,
  percentile,
  procCpuSeconds,
  round,
  sampleMemory,
  sumCounts,
  type TableCount,
} from "./support.ts";

const ZONE = "Europe/Copenhagen";
const YEAR_START = Temporal.PlainDate.from("2023-11-01");
const YEAR_DAYS = 366;
/** Cases start on days 0..212: the last one (31 May) is done by late October. */
const START_DAYS = 213;
const SILENT_SHARE = 0.25;
const HTTP_CONCURRENCY = 8;
const ISHOJ = "ishoj-staerke-faellesskaber";
const CASE_WORKFLOW = "boernefaglig-undersoegelse";
const SILENT_UNIT_LEADER = "dagplejen";

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
  loopPhase: { eventLoopUtilization: number; nodeCpuSeconds: number; javaCpuSeconds: number | null };
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

type PerUnit = ReturnType<typeof perUnit>;

function accumulate(
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

interface CasePlan {
  index: number;
  startDay: number;
  ref: string;
  caseworker: string;
  teamleader: string;
  /** Day index of the confirmation, null: never. */
  confirmDay: number | null;
  dueDay: number;
  url: string | null;
  confirmed: boolean;
}

interface Action {
  day: number;
  url: string;
  key: string;
  ishoj: boolean;
}

function dayAt(day: number, hour: number): Temporal.Instant {
  return YEAR_START.add({ days: day })
    .toZonedDateTime({ timeZone: ZONE, plainTime: new Temporal.PlainTime(hour) })
    .toInstant();
}

function dayIndexOf(instant: Temporal.Instant): number {
  const date = instant.toZonedDateTimeISO(ZONE).toPlainDate();
  return YEAR_START.until(date, { largestUnit: "days" }).days;
}

function confirmUrlIn(raw: string): string | null {
  // Quoted-printable may break long lines with "=\r\n"; the link is in the text part.
  const text = raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  return text.match(/https?:\/\/[^\s"<>]+\/confirm\/[A-Za-z0-9_-]+\?sig=[A-Za-z0-9_-]+/)?.[0] ?? null;
}

function mailKind(subject: string): string {
  if (/^Frist overskredet|^Overdue/i.test(subject)) return "escalation";
  if (/^Påmindelse|^Reminder/i.test(subject)) return "reminder";
  return "other";
}

const LAMBDA_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(LOCAL_LOOP_ARNS).map(([name, arn]) => [arn, name]),
);

function perUnit(total: TableCount, divisor: number) {
  const d = Math.max(1, divisor);
  return {
    requests: round(total.requests / d),
    reads: round(total.reads / d),
    writes: round(total.writes / d),
    readUnits: round(total.readUnits / d),
    writeUnits: round(total.writeUnits / d),
  };
}

export async function simulationBench(options: BenchOptions): Promise<SimulationFigures> {
  const n = options.cases;
  const random = seeded(20231101);
  heading(
    `Simulation: ${n.toLocaleString("en-US")} case instances + 1 Ishøj timeline (19 units), one virtual year, skip mode`,
  );
  if (n < 5_000)
    console.log(
      `(N = ${n}: smaller than the 5,000 of the full benchmark${options.quick ? " (--quick)" : ""}; figures per case are extrapolated below)`,
    );

  // ------------------------------------------------------------------ the plan of every case
  const cases: CasePlan[] = [];
  for (let i = 0; i < n; i++) {
    const startDay = Math.floor((i * START_DAYS) / n);
    const startDate = YEAR_START.add({ days: startDay });
    const dueDay = YEAR_START.until(startDate.add({ months: 4 }), { largestUnit: "days" }).days;
    const silent = random() < SILENT_SHARE;
    // Confirm between 25 days before and 5 days after the deadline (late ones get one escalation).
    const offset = Math.floor(random() * 31) - 25;
    const num = String(i + 1).padStart(5, "0");
    cases.push({
      index: i,
      startDay,
      ref: `BFU-${startDate.year}-${num}`,
      caseworker: `sagsbehandler.${num}@bench.ishoj.example`,
      teamleader: `teamleder.${String(i % 40).padStart(2, "0")}@bench.ishoj.example`,
      confirmDay: silent ? null : dueDay + offset,
      dueDay,
      url: null,
      confirmed: false,
    });
  }
  const byCaseworker = new Map(cases.map((c) => [c.caseworker, c]));
  const startsByDay = new Map<number, CasePlan[]>();
  for (const c of cases) startsByDay.set(c.startDay, [...(startsByDay.get(c.startDay) ?? []), c]);

  // ------------------------------------------------------------------ the stack and its observers
  const mailsByKind: Record<string, number> = {};
  let notifications = 0;
  let ishojMails = 0;
  const ishojActions: Action[] = [];
  const ishojPlanned = new Set<string>();
  const invocations: Record<string, number> = {};
  let retries = 0;
  let failedExecutions = 0;
  let silentLeader = "";
  let lookup: Stores | null = null;
  let clockNow: () => Temporal.Instant = () => Temporal.Now.instant();
  let linkKey: Buffer | null = null;
  // Links are stateless: what a link is for is in the link, checked with the stack's key.
  const linkOf = async (url: string): Promise<LinkClaims | null> => {
    const parsed = new URL(url);
    const id = /\/confirm\/([A-Za-z0-9_-]+)/.exec(parsed.pathname)?.[1] ?? "";
    if (linkKey === null) return null;
    const verdict = verifyLink(id, parsed.searchParams.get("sig") ?? "", linkKey, clockNow());
    return verdict.ok ? verdict.claims : null;
  };

  // Task durations (step, recordFailure: scheduled to exited, in-process) and the size of what Step
  // Functions would log with level ALL and execution data (each event's payload plus envelope).
  const taskStarts = new Map<string, { name: string; at: number }>();
  const durations: Record<string, number[]> = {};
  let historyEvents = 0;
  let historyPayloadBytes = 0;
  let errorLevelEvents = 0;
  // Why each Step ran, and whether it sent anything: what the Lambda invocations per mail are made of.
  type Wake = "start" | "timer" | "signal" | "after failure" | "other";
  const instanceOf = new Map<string, string>();
  const nextWake = new Map<string, Wake>();
  const openSteps = new Map<string, { wake: Wake; mailsBefore: number }>();
  const mailsOfInstance = new Map<string, number>();
  const stepsByWake: Record<string, { steps: number; withMail: number; mails: number }> = {};
  const loopEnds: Record<string, number> = {};
  let unattributedMails = 0;
  const closeStep = (executionArn: string) => {
    const open = openSteps.get(executionArn);
    if (!open) return;
    openSteps.delete(executionArn);
    const sent = (mailsOfInstance.get(instanceOf.get(executionArn) ?? "") ?? 0) - open.mailsBefore;
    const entry = stepsByWake[open.wake] ?? { steps: 0, withMail: 0, mails: 0 };
    stepsByWake[open.wake] = entry;
    entry.steps++;
    entry.mails += sent;
    if (sent > 0) entry.withMail++;
  };
  const onEvent = (event: EngineEvent) => {
    if (event.type === "ExecutionStarted") {
      const id = (event.input as { instanceId?: unknown } | null)?.instanceId;
      if (typeof id === "string") instanceOf.set(event.executionArn, id);
      nextWake.set(event.executionArn, "start");
    } else if (event.type === "StateEntered" && event.state === STATE.step) {
      openSteps.set(event.executionArn, {
        wake: nextWake.get(event.executionArn) ?? "other",
        mailsBefore: mailsOfInstance.get(instanceOf.get(event.executionArn) ?? "") ?? 0,
      });
    } else if ((event.type === "StateExited" || event.type === "StateCaught") && event.state === STATE.step) {
      closeStep(event.executionArn);
    }
    if (event.type === "StateExited" && event.state === STATE.sleep)
      nextWake.set(event.executionArn, "signal");
    if (event.type === "StateCaught") {
      // Logged at level ERROR: TaskTimedOut (the timer), TaskFailed (leaving the loop, a failure).
      errorLevelEvents++;
      if (event.state === STATE.sleep && event.error === "States.Timeout")
        nextWake.set(event.executionArn, "timer");
      else if (event.state === STATE.sleep && event.error === DONE_ERROR_NAME)
        loopEnds.done = (loopEnds.done ?? 0) + 1;
      else if (event.state === STATE.sleep && event.error === CONTINUE_AS_NEW_ERROR_NAME)
        loopEnds.continueAsNew = (loopEnds.continueAsNew ?? 0) + 1;
      else nextWake.set(event.executionArn, "after failure");
    }
    if (event.type === "StateRetried" || event.type === "ExecutionFailed") errorLevelEvents++;
    if (event.type === "ExecutionSucceeded" || event.type === "ExecutionFailed") {
      instanceOf.delete(event.executionArn);
      nextWake.delete(event.executionArn);
    }
    if (event.type === "TaskScheduled") {
      const name = LAMBDA_NAMES[event.resource] ?? event.resource;
      invocations[name] = (invocations[name] ?? 0) + 1;
      taskStarts.set(`${event.executionArn}|${event.state}`, { name, at: performance.now() });
      historyEvents += 3; // TaskScheduled, TaskStarted, TaskSucceeded (or TaskTimedOut)
    } else if (event.type === "StateRetried") retries++;
    else if (event.type === "ExecutionFailed") failedExecutions++;
    if (event.type === "StateEntered" || event.type === "StateExited") {
      historyEvents++;
      historyPayloadBytes += JSON.stringify(
        event.type === "StateEntered" ? event.input : event.output,
      ).length;
    }
    if (event.type === "StateExited" || event.type === "StateCaught") {
      const key = `${event.executionArn}|${event.state}`;
      const started = taskStarts.get(key);
      if (started && started.name !== "park") {
        const list = durations[started.name] ?? [];
        list.push(performance.now() - started.at);
        durations[started.name] = list;
      }
      taskStarts.delete(key);
    }
  };

  const onMail = async ({ record, raw }: { record: { to: string[]; subject: string }; raw: string }) => {
    notifications++;
    const kind = mailKind(record.subject);
    mailsByKind[kind] = (mailsByKind[kind] ?? 0) + 1;
    const linked = confirmUrlIn(raw);
    const claims = linked === null ? null : await linkOf(linked);
    if (claims) mailsOfInstance.set(claims.instanceId, (mailsOfInstance.get(claims.instanceId) ?? 0) + 1);
    else unattributedMails++;
    const to = record.to[0] ?? "";
    const plan = byCaseworker.get(to);
    if (plan) {
      plan.url ??= confirmUrlIn(raw);
      return;
    }
    if (to.startsWith("teamleder.")) return;
    // The Ishøj timeline: its leaders confirm three days after their first mail of an occurrence.
    ishojMails++;
    const url = confirmUrlIn(raw);
    if (!url || !lookup || to === silentLeader) return;
    const link = await linkOf(url);
    if (!link || ishojPlanned.has(link.occurrenceKey)) return;
    ishojPlanned.add(link.occurrenceKey);
    ishojActions.push({ day: dayIndexOf(clockNow()) + 3, url, key: link.occurrenceKey, ishoj: true });
  };

  const socketsBefore = process.env[MAX_SOCKETS_ENV];
  if (options.maxSockets[0] !== undefined) process.env[MAX_SOCKETS_ENV] = String(options.maxSockets[0]);
  const maxSockets = localMaxSockets();
  const stack = await startLocalStack({
    port: 0,
    clockMode: "skip",
    startAt: dayAt(0, 8),
    logLevel: "SILENT",
    onMail,
    engineHooks: { onEvent },
  });
  // The stack's clients are made: later ones (the bench's own) are given the limit explicitly.
  if (socketsBefore === undefined) delete process.env[MAX_SOCKETS_ENV];
  else process.env[MAX_SOCKETS_ENV] = socketsBefore;
  clockNow = () => stack.clock.now();
  linkKey = await stack.linkKey.getKey();
  const endpoint = await stack.doc.config.endpoint?.();
  const dynamoPort = endpoint ? Number(endpoint.port) : undefined;
  const javaPid = javaChildPids(dynamoPort)[0];
  // The bench's own look-ups go through a separate client, so they are not counted.
  const benchDoc = createDocumentClient(`http://127.0.0.1:${dynamoPort}`, maxSockets);
  lookup = dynamoStores(benchDoc, TABLE_NAME, stack.clock);
  silentLeader = (await lookup.units.get(SILENT_UNIT_LEADER))?.leader?.email ?? "";

  const counter = countByTable(stack.doc);
  const crossCheck = countDynamoOps(stack.doc);
  const memory = sampleMemory(javaPid);
  const api = (path: string, body: unknown) =>
    fetch(`${stack.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const confirm = async (url: string): Promise<"confirmed" | "already"> => {
    const sig = new URL(url).searchParams.get("sig") ?? "";
    const res = await fetch(url.split("?")[0] ?? url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ sig }).toString(),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`confirm ${url} answered ${res.status}: ${text.slice(0, 300)}`);
    return /Allerede|Already/i.test(text) ? "already" : "confirmed";
  };

  // Work per phase (the engine's runs, instance starts, confirm GETs and POSTs), by table and command.
  type Phase = "loop" | "start" | "get" | "post";
  type Counts = Record<string, TableCount>;
  const phases: Record<Phase, { tables: Counts; commands: Counts; keys: Counts }> = {
    loop: { tables: {}, commands: {}, keys: {} },
    start: { tables: {}, commands: {}, keys: {} },
    get: { tables: {}, commands: {}, keys: {} },
    post: { tables: {}, commands: {}, keys: {} },
  };
  // What the engine's runs cost this process and the JVM: what bounds the loop's write rate.
  const loopPhase = { active: 0, idle: 0, nodeCpu: 0, javaCpu: 0 as number | null };
  const measure = async <T>(phase: Phase, work: () => Promise<T>): Promise<T> => {
    const tables = counter.byTable();
    const commands = counter.byCommand();
    const keyed = counter.byKey();
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const java = javaPid === undefined ? null : procCpuSeconds(javaPid);
    const result = await work();
    if (phase === "loop") {
      const used = performance.eventLoopUtilization(elu);
      loopPhase.active += used.active;
      loopPhase.idle += used.idle;
      const c = process.cpuUsage(cpu);
      loopPhase.nodeCpu += (c.user + c.system) / 1e6;
      const javaNow = javaPid === undefined ? null : procCpuSeconds(javaPid);
      loopPhase.javaCpu =
        java === null || javaNow === null || loopPhase.javaCpu === null
          ? null
          : loopPhase.javaCpu + javaNow - java;
    }
    accumulate(phases[phase].tables, tables, counter.byTable());
    accumulate(phases[phase].commands, commands, counter.byCommand());
    accumulate(phases[phase].keys, keyed, counter.byKey());
    return result;
  };

  let confirmations = 0;
  let confirmationsAlready = 0;
  let ishojConfirmations = 0;
  const httpMs: Record<"start" | "get" | "post", number[]> = { start: [], get: [], post: [] };
  let started = 0;
  let engineMs = 0;
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const javaCpuStart = javaPid === undefined ? null : procCpuSeconds(javaPid);
  try {
    for (let day = 0; day < YEAR_DAYS; day++) {
      // Run the loop up to 10:00 of this day, then the day's office work: new cases, confirmations.
      const t = performance.now();
      const result = await measure("loop", () =>
        stack.engine.run({ until: dayAt(day, 10), maxSteps: 10_000_000 }),
      );
      engineMs += performance.now() - t;
      if (result.status === "maxSteps") throw new Error("the engine hit its step guard");

      const starts: { workflowId: string; start: string; params?: Record<string, string> }[] = [];
      if (day === 0) starts.push({ workflowId: ISHOJ, start: YEAR_START.toString() });
      for (const c of startsByDay.get(day) ?? []) {
        starts.push({
          workflowId: CASE_WORKFLOW,
          start: YEAR_START.add({ days: c.startDay }).toString(),
          params: { caseRef: c.ref, caseworker: c.caseworker, teamleader: c.teamleader },
        });
      }
      await measure("start", () =>
        pLimit(HTTP_CONCURRENCY).map(starts, async (body) => {
          const t0 = performance.now();
          const res = await api("/api/instances", body);
          httpMs.start.push(performance.now() - t0);
          if (res.status !== 201) throw new Error(`start answered ${res.status}: ${await res.text()}`);
          await res.arrayBuffer();
        }),
      );
      started += starts.length - (day === 0 ? 1 : 0);

      const due: Action[] = [];
      for (const c of cases) {
        if (c.confirmed || c.confirmDay === null || c.confirmDay > day) continue;
        // No mail yet (cannot happen with the 30-day reminder, but never confirm blind): wait.
        if (c.url === null) continue;
        c.confirmed = true;
        due.push({ day, url: c.url, key: c.ref, ishoj: false });
      }
      for (const a of ishojActions.filter((x) => x.day <= day)) due.push(a);
      ishojActions.splice(0, ishojActions.length, ...ishojActions.filter((x) => x.day > day));
      if (due.length > 0) {
        // The person opens the link (GET: shows, changes nothing), then presses the button (POST).
        await measure("get", () =>
          pLimit(HTTP_CONCURRENCY).map(due, async (a) => {
            const t0 = performance.now();
            const res = await fetch(a.url);
            httpMs.get.push(performance.now() - t0);
            if (res.status !== 200) throw new Error(`GET ${a.url} answered ${res.status}`);
            await res.arrayBuffer();
          }),
        );
        await measure("post", () =>
          pLimit(HTTP_CONCURRENCY).map(due, async (a) => {
            const t0 = performance.now();
            const outcome = await confirm(a.url);
            httpMs.post.push(performance.now() - t0);
            if (outcome === "already") confirmationsAlready++;
            else confirmations++;
            if (a.ishoj) ishojConfirmations++;
          }),
        );
      }
      if (day % 30 === 29) {
        process.stdout.write(
          `  day ${day + 1}/${YEAR_DAYS}: ${started} cases started, ${notifications} mails, ${confirmations} confirmations, ${round((performance.now() - wallStart) / 1000, 1)} s\n`,
        );
      }
    }
  } catch (err) {
    memory.stop();
    counter.detach();
    crossCheck.detach();
    await stack.stop();
    throw err;
  }
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const javaCpuEnd = javaPid === undefined ? null : procCpuSeconds(javaPid);
  const mem = memory.stop();
  const concurrency = counter.concurrency();
  const engineStats = stack.engine.stats();
  const crossTotal = crossCheck.total();
  const ownTotal = sumCounts(Object.values(counter.byTable()));
  counter.detach();
  crossCheck.detach();

  const casesDone = (await lookup.instances.list({ workflowId: CASE_WORKFLOW, status: "done" })).length;

  // ------------------------------------------------------------------ baseline: raw PutItem
  const loopByTable = phases.loop.tables;
  const totalWrites = sumCounts(Object.values(loopByTable)).writes;
  const appLoop = loopByTable[TABLE_NAME] ?? sumCounts([]);
  const engineLoop = loopByTable[ENGINE_TABLE_NAME] ?? sumCounts([]);
  const outboxLoop = loopByTable[`${TABLE_NAME}#outbox`] ?? sumCounts([]);
  const appOnly = (table: Record<string, TableCount>) => table[TABLE_NAME] ?? sumCounts([]);
  const baselineConcurrency = Math.max(1, Math.round(concurrency.mean));
  const baselineWrites = Math.min(totalWrites, options.quick ? 5_000 : 20_000);
  const itemBytes = 700;
  const raw = createLocalDynamoDbClient(`http://127.0.0.1:${dynamoPort}`, maxSockets);
  const rawTable = `bench-raw-${randomBytes(4).toString("hex")}`;
  await raw.send(
    new CreateTableCommand({
      TableName: rawTable,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
    }),
  );
  const payload = "x".repeat(itemBytes - 100);
  const indices = Array.from({ length: baselineWrites }, (_, i) => i);
  // Counted the way the loop's requests were (both counters, consumed capacity asked for), so
  // the ratio compares the work and not the bench's own bookkeeping.
  const rawCounter = countByTable(benchDoc);
  const rawCrossCheck = countDynamoOps(benchDoc);
  const rawStart = performance.now();
  await pLimit(baselineConcurrency).map(indices, async (i) => {
    await benchDoc.send(
      new PutCommand({
        TableName: rawTable,
        Item: { pk: `INSTANCE#bench-${i % 5000}`, sk: `N#${i}`, at: new Date().toISOString(), payload },
      }),
    );
  });
  const rawSeconds = (performance.now() - rawStart) / 1000;
  rawCounter.detach();
  rawCrossCheck.detach();
  await raw.send(new DeleteTableCommand({ TableName: rawTable })).catch(() => undefined);
  raw.destroy();
  benchDoc.destroy();
  await stack.stop();

  // ------------------------------------------------------------------ figures
  const steps = invocations.step ?? 0;
  const parks = invocations.park ?? 0;
  const lambdaTotal = engineStats.lambdaInvocations;
  const per = (d: number): PerCycle => {
    const k = Math.max(1, d);
    return {
      stateTransitions: round(engineStats.stateTransitions / k),
      lambdaInvocations: round(lambdaTotal / k),
      readRequests: round(appLoop.reads / k),
      writeRequests: round(appLoop.writes / k),
      readUnits: round(appLoop.readUnits / k),
      writeUnits: round(appLoop.writeUnits / k),
      emails: round(notifications / k),
    };
  };
  const writesPerSecond = totalWrites / (engineMs / 1000);
  const baselineRate = baselineWrites / rawSeconds;
  const writesPerNotification = totalWrites / Math.max(1, notifications);
  const notificationsPerSecond = notifications / wallSeconds;
  const notificationsCeiling = baselineRate / writesPerNotification;
  const loopSeconds = engineMs / 1000;
  const eventLoopUtilization = loopPhase.active / Math.max(1, loopPhase.active + loopPhase.idle);
  const boundedBy = judgeBound({
    eventLoopUtilization,
    javaCores: loopPhase.javaCpu === null ? null : loopPhase.javaCpu / loopSeconds,
    nodeCores: loopPhase.nodeCpu / loopSeconds,
    cores: cpus().length,
    inFlight: concurrency.mean,
  });
  const perKey = (keyed: Record<string, TableCount>, divisor: number) =>
    Object.fromEntries(
      Object.entries(keyed)
        .filter(([k]) => k.startsWith(`${TABLE_NAME} `))
        .map(([k, v]) => [k.slice(TABLE_NAME.length + 1), perUnit(v, divisor)]),
    );
  const confirmRequests = confirmations + confirmationsAlready;
  const figures: SimulationFigures = {
    cases: started,
    requestedCases: n,
    virtualDays: YEAR_DAYS,
    wallSeconds: round(wallSeconds, 1),
    engineSeconds: round(engineMs / 1000, 1),
    notifications,
    mailsByKind,
    notificationsPerSecond: round(notificationsPerSecond, 1),
    confirmations,
    confirmationsAlready,
    ishojConfirmations,
    caseOpenDaysMean: round(
      cases.reduce((sum, c) => sum + ((c.confirmDay ?? c.dueDay + 15) - c.startDay), 0) / Math.max(1, n),
      1,
    ),
    durationsMs: Object.fromEntries(
      Object.entries({
        ...durations,
        httpStart: httpMs.start,
        httpGet: httpMs.get,
        httpPost: httpMs.post,
      }).map(([k, v]) => [
        k,
        {
          p50: round(percentile(v, 50), 1),
          mean: round(v.reduce((a, b) => a + b, 0) / Math.max(1, v.length), 1),
          count: v.length,
        },
      ]),
    ),
    history: { events: historyEvents, payloadBytes: historyPayloadBytes, errorLevelEvents },
    stepsByWake,
    loopEnds,
    unattributedMails,
    maxSockets,
    loopPhase: {
      eventLoopUtilization: round(eventLoopUtilization, 3),
      nodeCpuSeconds: round(loopPhase.nodeCpu, 1),
      javaCpuSeconds: loopPhase.javaCpu === null ? null : round(loopPhase.javaCpu, 1),
    },
    boundedBy,
    casesDone,
    ishojMails,
    engine: engineStats,
    invocations,
    steps,
    parks,
    retries,
    failedExecutions,
    loopDynamo: loopByTable,
    perConfirmGet: perUnit(appOnly(phases.get.tables), confirmRequests),
    getKeys: perKey(phases.get.keys, confirmRequests),
    postKeys: perKey(phases.post.keys, confirmRequests),
    perConfirmation: perUnit(appOnly(phases.post.tables), confirmRequests),
    perStart: perUnit(appOnly(phases.start.tables), started + 1),
    loopCommandsPerMail: Object.fromEntries(
      Object.entries(phases.loop.commands)
        .filter(([k]) => k.startsWith(`${TABLE_NAME} `))
        .map(([k, v]) => [k.slice(TABLE_NAME.length + 1), perUnit(v, notifications)]),
    ),
    postCommands: Object.fromEntries(
      Object.entries(phases.post.commands)
        .filter(([k]) => k.startsWith(`${TABLE_NAME} `))
        .map(([k, v]) => [k.slice(TABLE_NAME.length + 1), perUnit(v, confirmations + confirmationsAlready)]),
    ),
    perNotification: per(notifications),
    perStep: per(steps),
    cpuSeconds: {
      node: round((cpu.user + cpu.system) / 1e6, 1),
      java: javaCpuStart === null || javaCpuEnd === null ? null : round(javaCpuEnd - javaCpuStart, 1),
    },
    dynamoConcurrency: { mean: round(concurrency.mean, 2), max: concurrency.max },
    totalWrites,
    writesPerSecond: round(writesPerSecond, 1),
    baseline: {
      writes: baselineWrites,
      concurrency: baselineConcurrency,
      itemBytes,
      seconds: round(rawSeconds, 2),
      writesPerSecond: round(baselineRate, 1),
    },
    ratioWriteRate: round(writesPerSecond / baselineRate, 3),
    notificationsCeiling: round(notificationsCeiling, 1),
    ratioNotifications: round(notificationsPerSecond / notificationsCeiling, 3),
    countDynamoOpsTotal: {
      requests: crossTotal.requests,
      readUnits: round(crossTotal.readUnits, 1),
      writeUnits: round(crossTotal.writeUnits, 1),
    },
    benchCounterTotal: {
      requests: ownTotal.requests,
      readUnits: round(ownTotal.readUnits, 1),
      writeUnits: round(ownTotal.writeUnits, 1),
    },
    memory: {
      nodePeakRssMiB: round(mem.nodePeakRss / MiB, 0),
      nodeHwmMiB: mem.nodeHwm === null ? null : round(mem.nodeHwm / MiB, 0),
      nodePeakHeapMiB: round(mem.nodePeakHeapUsed / MiB, 0),
      javaPid: javaPid ?? null,
      javaPeakRssMiB: mem.javaPeakRss === null ? null : round(mem.javaPeakRss / MiB, 0),
      javaHwmMiB: mem.javaHwm === null ? null : round(mem.javaHwm / MiB, 0),
    },
  };
  printSimulation(figures, appLoop, engineLoop, outboxLoop);
  return figures;
}

/**
 * What bounds the loop's write rate, from what the engine's runs used: node's one thread (the
 * handlers, MIME composition and the engine all run on it), the cores (node and DynamoDB Local's
 * JVM share them), or neither: then it is latency, too little work due at each skip-mode instant
 * to keep DynamoDB Local busy.
 */
function judgeBound(u: {
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

function printSimulation(
  f: SimulationFigures,
  app: TableCount,
  engine: TableCount,
  outbox: TableCount,
): void {
  const kinds = Object.entries(f.mailsByKind)
    .map(([k, v]) => `${v} ${k}`)
    .join(", ");
  line(
    "cases started / finished",
    `${f.cases} / ${f.casesDone} (the others were never confirmed: open after 3 escalations) + 1 Ishøj timeline`,
  );
  line("virtual time", `${f.virtualDays} days (2023-11-01 to 2024-11-01)`);
  line("mails sent", `${f.notifications} (${kinds}; ${f.ishojMails} of them Ishøj)`);
  line(
    "confirmations over HTTP",
    `${f.confirmations} (${f.ishojConfirmations} of them Ishøj; +${f.confirmationsAlready} already)`,
  );
  line(
    "handler time in-process, p50 ms",
    Object.entries(f.durationsMs)
      .map(([k, v]) => `${k} ${fmt(v.p50)}`)
      .join(", "),
  );
  line(
    "wall time",
    `${fmt(f.wallSeconds)} s (engine runs ${fmt(f.engineSeconds)} s, the rest HTTP starts/confirms)`,
  );
  line("notifications / s (wall)", fmt(f.notificationsPerSecond));
  line(
    "engine",
    `${f.engine.stateTransitions} transitions, ${f.engine.lambdaInvocations} Lambda invocations (${Object.entries(
      f.invocations,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ", ",
      )}), ${f.engine.executionsStarted} executions, ${f.retries} retries, ${f.failedExecutions} failed`,
  );
  line(
    "DynamoDB during the loop: app table",
    `${app.reads} reads (${fmt(app.readUnits)} RRU), ${app.writes} writes (${fmt(app.writeUnits)} WRU), ${app.failed} failed conditions`,
  );
  line(
    "  engine table (Step Functions' part)",
    `${engine.reads} reads, ${engine.writes} writes (${fmt(engine.writeUnits)} WRU)`,
  );
  line("  outbox items (SES' part)", `${outbox.writes} writes (${fmt(outbox.writeUnits)} WRU)`);
  const x = f.countDynamoOpsTotal;
  const o = f.benchCounterTotal;
  line(
    "  cross-check, whole run, all tables",
    `countDynamoOps ${x.requests} requests, ${fmt(x.readUnits)} RRU, ${fmt(x.writeUnits)} WRU; per-table counter ${o.requests}, ${fmt(o.readUnits)}, ${fmt(o.writeUnits)}`,
  );
  const p = f.perNotification;
  line(
    "per reminder mail (all loop work / mails)",
    `${p.stateTransitions} transitions, ${p.lambdaInvocations} Lambda, ${p.readRequests} reads (${p.readUnits} RRU), ${p.writeRequests} writes (${p.writeUnits} WRU)`,
  );
  const others = (unit: "readUnits" | "writeUnits") =>
    (f.perStart[unit] * (f.cases + 1) +
      (f.perConfirmGet[unit] + f.perConfirmation[unit]) * (f.confirmations + f.confirmationsAlready)) /
    Math.max(1, f.notifications);
  line(
    "  with starts and confirmations as well",
    `${fmt(p.readUnits + others("readUnits"), 2)} RRU, ${fmt(p.writeUnits + others("writeUnits"), 2)} WRU per mail (the admin API's and the confirm pages' work, not the loop's; the cost model prices them per start and per confirmation)`,
  );
  const ends = Object.entries(f.loopEnds)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  line(
    "  Lambda per mail, made of",
    `${fmt(f.steps / Math.max(1, f.notifications), 2)} step + ${fmt(f.parks / Math.max(1, f.notifications), 2)} park + ${fmt((f.invocations.recordFailure ?? 0) / Math.max(1, f.notifications), 2)} recordFailure per mail (every step is followed by a park; loops left: ${ends || "none"})`,
  );
  line(
    "  steps by what woke them",
    Object.entries(f.stepsByWake)
      .sort(([, a], [, b]) => b.steps - a.steps)
      .map(([k, v]) => `${k} ${v.steps} (${v.withMail} sent ${v.mails} mails)`)
      .join(", ") +
      (f.unattributedMails > 0 ? `; ${f.unattributedMails} mails without a link, not attributed` : ""),
  );
  const idle = Object.values(f.stepsByWake).reduce((sum, v) => sum + v.steps - v.withMail, 0);
  line(
    "  steps that sent nothing",
    `${idle} = ${fmt(idle / Math.max(1, f.notifications), 2)} per mail, ${fmt((2 * idle) / Math.max(1, f.notifications), 2)} Lambda per mail with their parks`,
  );
  line(
    "  Step Functions events at level ERROR",
    `${f.history.errorLevelEvents} (${fmt(f.history.errorLevelEvents / Math.max(1, f.notifications), 2)} per mail: a timer wake-up is a TaskTimedOut, leaving the loop a TaskFailed); ALL: ${f.history.events} events, ${fmt(f.history.payloadBytes / Math.max(1, f.notifications), 0)} B of state per mail`,
  );
  const c = f.perStep;
  line(
    "per step (Step, then Park or Sleep)",
    `${c.stateTransitions} transitions, ${c.lambdaInvocations} Lambda, ${c.readRequests} reads (${c.readUnits} RRU), ${c.writeRequests} writes (${c.writeUnits} WRU), ${c.emails} mails`,
  );
  line(
    "  app-table commands per mail",
    Object.entries(f.loopCommandsPerMail)
      .sort(([, a], [, b]) => b.requests - a.requests)
      .map(([k, v]) => `${k} ${v.requests} (${v.readUnits + v.writeUnits} RU)`)
      .join(", "),
  );
  const g = f.perConfirmGet;
  line(
    "per confirm page view (GET, app table)",
    `${g.requests} requests: ${g.reads} reads (${g.readUnits} RRU), ${g.writes} writes (${g.writeUnits} WRU)`,
  );
  const byKey = (keys: Record<string, PerUnit>) =>
    Object.entries(keys)
      .filter(([, v]) => v.requests > 0)
      .sort(([, a], [, b]) => b.requests - a.requests)
      .map(([k, v]) => `${k} ${v.requests}`)
      .join(", ");
  line("  GET by command and item", byKey(f.getKeys));
  const k = f.perConfirmation;
  line(
    "per confirmation (POST, app table)",
    `${k.requests} requests: ${k.reads} reads (${k.readUnits} RRU), ${k.writes} writes (${k.writeUnits} WRU)`,
  );
  line(
    "  commands per confirmation",
    Object.entries(f.postCommands)
      .map(([k, v]) => `${k} ${v.requests} (${v.readUnits + v.writeUnits} RU)`)
      .join(", "),
  );
  line("  POST by command and item", byKey(f.postKeys));
  const s = f.perStart;
  line(
    "per instance start (admin API, app table)",
    `${s.requests} requests: ${s.reads} reads (${s.readUnits} RRU), ${s.writes} writes (${s.writeUnits} WRU)`,
  );
  line(
    "CPU during the run",
    `node ${fmt(f.cpuSeconds.node)} s, DynamoDB Local JVM ${f.cpuSeconds.java === null ? "?" : fmt(f.cpuSeconds.java)} s, in ${fmt(f.wallSeconds)} s wall on ${cpus().length} cores`,
  );
  line(
    "during the engine runs",
    `event loop ${fmt(f.loopPhase.eventLoopUtilization * 100)} % busy, CPU node ${fmt(f.loopPhase.nodeCpuSeconds)} s, JVM ${f.loopPhase.javaCpuSeconds === null ? "?" : fmt(f.loopPhase.javaCpuSeconds)} s in ${fmt(f.engineSeconds)} s; DynamoDB client ${f.maxSockets} sockets`,
  );
  line(
    "DynamoDB requests in flight",
    `mean ${fmt(f.dynamoConcurrency.mean, 2)}, max ${f.dynamoConcurrency.max}`,
  );
  line(
    "fristflow writes / s (all tables, engine time)",
    `${fmt(f.writesPerSecond)} (${f.totalWrites} writes)`,
  );
  line(
    `baseline: raw PutItem, ${f.baseline.itemBytes} B, conc. ${f.baseline.concurrency}`,
    `${fmt(f.baseline.writesPerSecond)} writes/s (${f.baseline.writes} writes in ${fmt(f.baseline.seconds, 2)} s)`,
  );
  line("ratio write rate fristflow / raw", `${fmt(f.ratioWriteRate, 3)}; bounded by ${f.boundedBy}`);
  line(
    "ceiling: raw rate / writes per mail",
    `${fmt(f.notificationsCeiling)} mails/s; fristflow reaches ${fmt(f.ratioNotifications * 100)} % of it`,
  );
  const m = f.memory;
  line(
    "peak RSS: node (stack + engine + HTTP)",
    `${m.nodePeakRssMiB} MiB sampled, ${m.nodeHwmMiB ?? "?"} MiB VmHWM (heap ${m.nodePeakHeapMiB} MiB)`,
  );
  line(
    "peak RSS: DynamoDB Local JVM",
    m.javaPid === null
      ? "(JVM pid not found)"
      : `${m.javaPeakRssMiB} MiB sampled, ${m.javaHwmMiB} MiB VmHWM (pid ${m.javaPid})`,
  );
  if (f.requestedCases < 5_000) {
    const scale = 5_000 / f.requestedCases;
    line(
      "extrapolated to 5,000 cases",
      `~${fmt(f.wallSeconds * scale, 0)} s wall, ~${Math.round(f.notifications * scale)} mails (linear in N at the same rate)`,
    );
  }
}
