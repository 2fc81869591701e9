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
import { cpus } from "node:os";
import pLimit from "p-limit";
import { createDocumentClient, localMaxSockets, MAX_SOCKETS_ENV } from "../infra/local/dynamodb.ts";
import { seeded } from "../infra/local/seeded-random.ts";
import { ENGINE_TABLE_NAME, startLocalStack, TABLE_NAME } from "../infra/local/stack.ts";
import { dynamoStores } from "../shared/store/dynamo/index.ts";
import { countDynamoOps } from "../shared/store/metrics.ts";
import { rawPutBaseline } from "./simulation-baseline.ts";
import {
  accumulate,
  judgeBound,
  type PerCycle,
  perUnit,
  type SimulationFigures,
} from "./simulation-figures.ts";
import { simulationObservers } from "./simulation-observers.ts";
import { printSimulation } from "./simulation-print.ts";
import {
  type Action,
  CASE_WORKFLOW,
  type CasePlan,
  dayAt,
  HTTP_CONCURRENCY,
  ISHOJ,
  planCases,
  SILENT_UNIT_LEADER,
  YEAR_DAYS,
  YEAR_START,
} from "./simulation-scenario.ts";
import {
  type BenchOptions,
  countByTable,
  heading,
  javaChildPids,
  MiB,
  percentile,
  procCpuSeconds,
  queueThreadSeconds,
  round,
  sampleMemory,
  sumCounts,
  type TableCount,
} from "./support.ts";

export type { PerCycle, SimulationFigures } from "./simulation-figures.ts";

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

  const cases = planCases(n, random);
  const byCaseworker = new Map(cases.map((c) => [c.caseworker, c]));
  const startsByDay = new Map<number, CasePlan[]>();
  for (const c of cases) startsByDay.set(c.startDay, [...(startsByDay.get(c.startDay) ?? []), c]);

  // ------------------------------------------------------------------ the stack and its observers
  const observed = simulationObservers(byCaseworker);
  const { context, counts, ishojActions } = observed;
  const { onEvent, onMail } = observed;

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
  context.clockNow = () => stack.clock.now();
  context.linkKey = await stack.linkKey.getKey();
  const endpoint = await stack.doc.config.endpoint?.();
  const dynamoPort = endpoint ? Number(endpoint.port) : undefined;
  const javaPid = javaChildPids(dynamoPort)[0];
  // The bench's own look-ups go through a separate client, so they are not counted.
  const benchDoc = createDocumentClient(`http://127.0.0.1:${dynamoPort}`, maxSockets);
  const lookup = dynamoStores(benchDoc, TABLE_NAME, stack.clock);
  context.lookup = lookup;
  context.silentLeader = (await lookup.units.get(SILENT_UNIT_LEADER))?.leader?.email ?? "";

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
  const loopPhase = {
    active: 0,
    idle: 0,
    nodeCpu: 0,
    javaCpu: 0 as number | null,
    queueCpu: 0 as number | null,
  };
  const add = (sum: number | null, before: number | null, after: number | null) =>
    sum === null || before === null || after === null ? null : sum + after - before;
  const measure = async <T>(phase: Phase, work: () => Promise<T>): Promise<T> => {
    const tables = counter.byTable();
    const commands = counter.byCommand();
    const keyed = counter.byKey();
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const java = javaPid === undefined ? null : procCpuSeconds(javaPid);
    const queue = javaPid === undefined ? null : queueThreadSeconds(javaPid);
    const result = await work();
    if (phase === "loop") {
      const used = performance.eventLoopUtilization(elu);
      loopPhase.active += used.active;
      loopPhase.idle += used.idle;
      const c = process.cpuUsage(cpu);
      loopPhase.nodeCpu += (c.user + c.system) / 1e6;
      loopPhase.javaCpu = add(
        loopPhase.javaCpu,
        java,
        javaPid === undefined ? null : procCpuSeconds(javaPid),
      );
      loopPhase.queueCpu = add(
        loopPhase.queueCpu,
        queue,
        javaPid === undefined ? null : queueThreadSeconds(javaPid),
      );
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
      // Timed inside measure(): its snapshots of the counters and of /proc are the bench's own work.
      const result = await measure("loop", async () => {
        const t = performance.now();
        try {
          return await stack.engine.run({ until: dayAt(day, 10), maxSteps: 10_000_000 });
        } finally {
          engineMs += performance.now() - t;
        }
      });
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
          `  day ${day + 1}/${YEAR_DAYS}: ${started} cases started, ${counts.notifications} mails, ${confirmations} confirmations, ${round((performance.now() - wallStart) / 1000, 1)} s\n`,
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
  const {
    itemBytes,
    seconds: rawSeconds,
    cpu: rawCpu,
  } = await rawPutBaseline({
    endpoint: `http://127.0.0.1:${dynamoPort}`,
    maxSockets,
    benchDoc,
    concurrency: baselineConcurrency,
    writes: baselineWrites,
    javaPid,
  });
  benchDoc.destroy();
  await stack.stop();

  // ------------------------------------------------------------------ figures
  const { notifications, ishojMails, retries, failedExecutions, unattributedMails } = counts;
  const { historyEvents, historyPayloadBytes, errorLevelEvents } = counts;
  const { mailsByKind, invocations, durations, stepsByWake, loopEnds } = observed;
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
      queueCpuSeconds: loopPhase.queueCpu === null ? null : round(loopPhase.queueCpu, 1),
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
      nodeCpuSeconds: round(rawCpu.node, 2),
      javaCpuSeconds: rawCpu.java === null ? null : round(rawCpu.java, 2),
      queueCpuSeconds: rawCpu.queue === null ? null : round(rawCpu.queue, 2),
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
