/** Simulation, printing: the figures of one run, line by line. */
import { cpus } from "node:os";
import type { PerUnit, SimulationFigures } from "./simulation-figures.ts";
import { fmt, line, type TableCount } from "./support.ts";

export function printSimulation(
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
    `${f.history.errorLevelEvents} (${fmt(f.history.errorLevelEvents / Math.max(1, f.notifications), 2)} per mail: a timer wake-up is a TaskTimedOut, a signal's wake or continuing as new a TaskFailed); ALL: ${f.history.events} events, ${fmt(f.history.payloadBytes / Math.max(1, f.notifications), 0)} B of state per mail`,
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
  printCpuPerWrite(f);
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

/**
 * CPU per write, loop and baseline: what bounds the ratio. The JVM-only ceiling is the loop's rate
 * if node cost nothing: the JVM on every core, or its SQLite queue thread (one table access at a
 * time) on one, whichever allows fewer writes per second.
 */
function printCpuPerWrite(f: SimulationFigures): void {
  const ms = (seconds: number | null, writes: number) =>
    seconds === null ? "?" : fmt((seconds * 1000) / Math.max(1, writes), 2);
  const b = f.baseline;
  const p = f.loopPhase;
  line(
    "CPU per write, ms (node / JVM / queue)",
    `loop ${ms(p.nodeCpuSeconds, f.totalWrites)} / ${ms(p.javaCpuSeconds, f.totalWrites)} / ${ms(p.queueCpuSeconds, f.totalWrites)}; raw ${ms(b.nodeCpuSeconds, b.writes)} / ${ms(b.javaCpuSeconds, b.writes)} / ${ms(b.queueCpuSeconds, b.writes)}`,
  );
  if (p.javaCpuSeconds === null || p.queueCpuSeconds === null) return;
  const perWrite = (s: number) => s / Math.max(1, f.totalWrites);
  const ceiling = Math.min(cpus().length / perWrite(p.javaCpuSeconds), 1 / perWrite(p.queueCpuSeconds));
  line(
    "  if node cost nothing (JVM-only ceiling)",
    `${fmt(ceiling)} writes/s = ratio ${fmt(ceiling / b.writesPerSecond, 2)}; both on ${cpus().length} cores: ${fmt(cpus().length / perWrite(p.nodeCpuSeconds + p.javaCpuSeconds))} writes/s = ratio ${fmt(cpus().length / perWrite(p.nodeCpuSeconds + p.javaCpuSeconds) / b.writesPerSecond, 2)}`,
  );
}
