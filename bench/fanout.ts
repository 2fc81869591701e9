/**
 * Fan-out: N reminders due at the same instant, a Monday 08:00: N/100 fan-out timelines, each
 * over the same 100 units (daycares and schools), whose milestone has the same deadline, so the
 * 14-day reminder of all 100 x N/100 occurrences falls due at once. They are sent through the
 * real Notify step (runNotify: claim, recipient from the directory, signed link, compose with
 * .ics, send, mark sent, audit) on DynamoDB Local, into the file outbox behind a
 * RateLimitedTransport (shared/mail/rate-limit.ts).
 *
 * Each timeline's batch of 100 is one runNotify call (4 mails in flight inside it, notify's
 * default), `LAMBDAS` batches at once, as concurrent notify Lambdas would be; one limiter is
 * shared by all of them (one process: the limit is global here).
 *
 * Checked: every notification key sent exactly once (Message-IDs derive from instance and key),
 * and a second pass over every batch (Step Functions retrying all of them) sends nothing. The
 * rate is checked on the send start times: no one-second window holds more than rate + burst - 1.
 *
 * Baselines in the same run: the raw transport sending the same N composed mails without
 * fristflow (no DynamoDB, no composing, no limit), and the floor the rate limit sets, N / rate.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pLimit from "p-limit";
import {
  createDocumentClient,
  createLocalDynamoDbClient,
  startDynamoDbLocal,
} from "../infra/local/dynamodb.ts";
import { seeded } from "../infra/local/seeded-random.ts";
import { DefinitionCache } from "../shared/app/definitions.ts";
import { runNotify } from "../shared/app/notify.ts";
import { RateLimitedTransport } from "../shared/mail/rate-limit.ts";
import { FileOutboxTransport, type MailTransport, type OutgoingMail } from "../shared/mail/transport.ts";
import { loadWorkflow } from "../shared/model/load.ts";
import { dynamoStores } from "../shared/store/dynamo/index.ts";
import { ensureTable } from "../shared/store/table.ts";
import { ManualClock } from "../shared/time/clock.ts";
import { Temporal } from "../shared/time/temporal.ts";
import { decide } from "../shared/timeline/decide.ts";
import type { InstanceState, InstanceUnit, ScheduledNotification } from "../shared/timeline/types.ts";
import { type BenchOptions, fmt, heading, javaChildPids, line, procCpuSeconds, round } from "./support.ts";

const TABLE = "fristflow-fanout";
const LAMBDAS = 32;
const BURST = 1;
const UNITS = 100;
const START = "2024-08-01";
/** A Monday; the 14-day reminder of a deadline on 30 September 2024 goes out at 08:00 on it. */
const DUE_INSTANT = "2024-09-16T06:00:00Z";
const WORKFLOW = `id: bench-fanout
title: { da: "Benchmark: handleplan i alle enheder", en: "Benchmark: action plan in every unit" }
timezone: Europe/Copenhagen
language: da
calendar: { holidays: DK }
milestones:
  - id: handleplan
    title: { da: Lokal handleplan, en: Local action plan }
    forEach: [daycare, school]
    owner: leader
    due: 2024-09-30
    reminders: [P14D, P3D, P0D]
`;

export interface FanoutFigures {
  reminders: number;
  timelines: number;
  unitsPerTimeline: number;
  dueAt: string;
  dueAtLocal: string;
  ratePerSecond: number;
  burst: number;
  lambdas: number;
  setupSeconds: number;
  seconds: number;
  mailsPerSecond: number;
  sent: number;
  distinctMessageIds: number;
  duplicates: number;
  failed: number;
  /** CPU used while sending: this process (notify, composing) and DynamoDB Local's JVM. */
  cpuSeconds: { node: number; java: number | null };
  maxInOneSecond: number;
  rateRespected: boolean;
  retryPass: { seconds: number; sent: number; skipped: number };
  rateFloorSeconds: number;
  ratioToRateFloor: number;
  baseline: { seconds: number; mailsPerSecond: number };
  ratioToRaw: number;
  mailBytesAvg: number;
}

/** Records every send that reaches the transport: when it started and what it was. */
class RecordingTransport implements MailTransport {
  readonly name: string;
  readonly starts: number[] = [];
  readonly mails: OutgoingMail[] = [];

  constructor(private readonly inner: MailTransport) {
    this.name = inner.name;
  }

  async send(message: OutgoingMail): Promise<{ providerId: string }> {
    this.starts.push(performance.now());
    this.mails.push(message);
    return this.inner.send(message);
  }
}

/** The most values in any half-open window [t, t + windowMs). */
function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = Float64Array.from(times).sort();
  let max = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while ((sorted[to] ?? 0) - (sorted[from] ?? 0) >= windowMs) from++;
    max = Math.max(max, to - from + 1);
  }
  return max;
}

export async function fanoutBench(options: BenchOptions): Promise<FanoutFigures> {
  const n = options.fanout;
  const rate = options.sendRate;
  heading(
    `Fan-out: ${n.toLocaleString("en-US")} reminders due at the same instant, through notify, at most ${rate > 0 ? `${rate} mails/s` : "unlimited"}`,
  );
  const loaded = loadWorkflow(WORKFLOW, "bench-fanout.yaml");
  if (!loaded.ok) throw new Error(`the fan-out workflow must load: ${JSON.stringify(loaded.errors)}`);
  const definition = loaded.value;
  const dueAt = DUE_INSTANT;
  const startAt = Temporal.PlainDate.from(START)
    .toZonedDateTime({ timeZone: definition.timezone })
    .toInstant()
    .toString();
  const clock = new ManualClock(dueAt);
  const timelines = Math.max(1, Math.ceil(n / UNITS));

  const dynamo = await startDynamoDbLocal();
  const outboxDir = await mkdtemp(join(tmpdir(), "fristflow-fanout-"));
  const rawDir = await mkdtemp(join(tmpdir(), "fristflow-fanout-raw-"));
  const client = createLocalDynamoDbClient(dynamo.endpoint);
  const doc = createDocumentClient(dynamo.endpoint);
  try {
    await ensureTable(client, TABLE);
    const stores = dynamoStores(doc, TABLE, clock);
    const saved = await stores.workflows.putVersion({
      workflowId: definition.id,
      source: WORKFLOW,
      definition,
      createdBy: "bench",
    });

    // ---------------------------------------------------------------- the units and the timelines
    const setupStart = performance.now();
    const units: InstanceUnit[] = Array.from({ length: UNITS }, (_, u) => ({
      id: `enhed-${String(u).padStart(3, "0")}`,
      type: u % 5 === 4 ? "school" : "daycare",
      name: `${u % 5 === 4 ? "Skole" : "Børnehus"} ${u}`,
    }));
    await pLimit(16).map(units, async (u, i) => {
      await stores.units.put({
        ...u,
        leader: { name: `Leder ${i}`, email: `leder.${i}@bench.ishoj.example` },
        manager: { name: "Chef", email: "chef@bench.ishoj.example" },
      });
    });
    const batches: { instanceId: string; notifications: ScheduledNotification[] }[] = [];
    const ids = Array.from({ length: timelines }, (_, i) => `bench-fanout-${String(i).padStart(4, "0")}`);
    await pLimit(16).map(ids, async (instanceId, i) => {
      await stores.instances.create({
        instanceId,
        workflowId: definition.id,
        workflowVersion: saved.version,
        startAt,
        params: {},
        units,
        createdBy: "bench",
      });
      const state: InstanceState = {
        instanceId,
        startAt,
        params: {},
        units,
        confirmations: [],
        sent: [],
        dueOverrides: {},
        execution: { startedAt: startAt, loops: 0 },
      };
      // The last timeline carries the remainder when N is not a multiple of 100.
      const due = decide(definition, state, dueAt).notifications;
      const take = i === timelines - 1 ? n - UNITS * (timelines - 1) : UNITS;
      batches[i] = { instanceId, notifications: due.slice(0, take) };
    });
    const setupSeconds = (performance.now() - setupStart) / 1000;
    const scheduled = batches.reduce((sum, b) => sum + b.notifications.length, 0);
    if (scheduled !== n) throw new Error(`expected ${n} due reminders, decide() gave ${scheduled}`);

    // ---------------------------------------------------------------- the fan-out through notify
    const recording = new RecordingTransport(new FileOutboxTransport(outboxDir, undefined, clock));
    const transport =
      rate > 0 ? new RateLimitedTransport(recording, { ratePerSecond: rate, burst: BURST }) : recording;
    const random = seeded(7);
    const linkKey = { getKey: async () => Buffer.alloc(32, 7) };
    const definitions = new DefinitionCache();
    const deps = {
      ...stores,
      clock,
      settings: {
        publicBaseUrl: "http://127.0.0.1:3000",
        mailFrom: "fristflow@ishoj.example",
        organisation: "Ishøj Kommune",
      },
      transport,
      linkKey,
      definitions,
      random,
      sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    };
    let sent = 0;
    let failed = 0;
    const javaPid = javaChildPids(dynamo.port)[0];
    const javaCpu0 = javaPid === undefined ? null : procCpuSeconds(javaPid);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await pLimit(LAMBDAS).map(batches, async (batch) => {
      const report = await runNotify(deps, batch);
      sent += report.sent;
      failed += report.failed;
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const javaCpu1 = javaPid === undefined ? null : procCpuSeconds(javaPid);

    // Step Functions retrying every batch: the claims must let nothing through again.
    let retrySent = 0;
    let retrySkipped = 0;
    const r0 = performance.now();
    await pLimit(LAMBDAS).map(batches, async (batch) => {
      const report = await runNotify(deps, batch);
      retrySent += report.sent;
      retrySkipped += report.skipped;
    });
    const retrySeconds = (performance.now() - r0) / 1000;

    const messageIds = new Set(recording.mails.map((m) => m.messageId));
    const maxInOneSecond = maxInWindow(recording.starts, 1000);

    // ---------------------------------------------------------------- baseline: the raw transport
    const raw = new FileOutboxTransport(rawDir, undefined, clock);
    const mails = [...recording.mails];
    const b0 = performance.now();
    await pLimit(LAMBDAS).map(mails, async (mail) => {
      await raw.send(mail);
    });
    const rawSeconds = (performance.now() - b0) / 1000;

    const rateFloor = rate > 0 ? Math.max(0, n - BURST) / rate : 0;
    const figures: FanoutFigures = {
      reminders: n,
      timelines,
      unitsPerTimeline: UNITS,
      dueAt,
      dueAtLocal: Temporal.Instant.from(dueAt)
        .toZonedDateTimeISO(definition.timezone)
        .toPlainDateTime()
        .toString(),
      ratePerSecond: rate,
      burst: BURST,
      lambdas: LAMBDAS,
      setupSeconds: round(setupSeconds, 1),
      seconds: round(seconds, 2),
      mailsPerSecond: round(sent / seconds, 1),
      sent,
      distinctMessageIds: messageIds.size,
      duplicates: recording.mails.length - messageIds.size,
      failed,
      cpuSeconds: {
        node: round((cpu.user + cpu.system) / 1e6, 1),
        java: javaCpu0 === null || javaCpu1 === null ? null : round(javaCpu1 - javaCpu0, 1),
      },
      maxInOneSecond,
      rateRespected: rate <= 0 || maxInOneSecond <= rate + BURST - 1,
      retryPass: { seconds: round(retrySeconds, 2), sent: retrySent, skipped: retrySkipped },
      rateFloorSeconds: round(rateFloor, 2),
      ratioToRateFloor: rate > 0 ? round(seconds / rateFloor, 3) : 0,
      baseline: { seconds: round(rawSeconds, 2), mailsPerSecond: round(mails.length / rawSeconds, 1) },
      ratioToRaw: round(seconds / rawSeconds, 1),
      mailBytesAvg: Math.round(mails.reduce((s, m) => s + m.raw.length, 0) / Math.max(1, mails.length)),
    };

    const local = Temporal.Instant.from(dueAt).toZonedDateTimeISO(definition.timezone);
    line(
      "due instant",
      `${local.toPlainDate().toString()} ${local.toPlainTime().toString().slice(0, 5)} local (Monday), ${dueAt}`,
    );
    line(
      "setup: units, timelines, decide()",
      `${UNITS} units, ${timelines} timelines in ${fmt(figures.setupSeconds)} s (not timed below)`,
    );
    line(
      "sent through notify",
      `${sent} in ${fmt(seconds, 2)} s = ${fmt(figures.mailsPerSecond)} mails/s (${Math.min(LAMBDAS, timelines)} notify batches of ${UNITS} at once, ${failed} failed)`,
    );
    line(
      "CPU while sending",
      `node ${fmt(figures.cpuSeconds.node)} s, DynamoDB Local JVM ${figures.cpuSeconds.java ?? "?"} s, in ${fmt(seconds)} s wall`,
    );
    line(
      "rate limit",
      rate > 0
        ? `${rate}/s, burst ${BURST}: at most ${maxInOneSecond} sends started in any 1 s window -> ${figures.rateRespected ? "respected" : "EXCEEDED"}`
        : "none",
    );
    line(
      "duplicates",
      `${figures.duplicates} (${messageIds.size} distinct Message-IDs for ${recording.mails.length} sends)`,
    );
    line(
      "retry of every batch",
      `${retrySent} sent, ${retrySkipped} skipped by their claims, in ${fmt(retrySeconds, 2)} s`,
    );
    if (rate > 0)
      line(
        `floor set by the rate: ${n} / ${rate}/s`,
        `${fmt(rateFloor, 2)} s -> fristflow took ${fmt(figures.ratioToRateFloor, 2)}x the floor`,
      );
    line(
      "baseline: raw transport, same mails",
      `${fmt(rawSeconds, 2)} s = ${fmt(figures.baseline.mailsPerSecond)} mails/s (${figures.mailBytesAvg} B average) -> fristflow ${fmt(figures.ratioToRaw)}x`,
    );
    return figures;
  } finally {
    client.destroy();
    doc.destroy();
    await dynamo.stop();
    await rm(outboxDir, { recursive: true, force: true });
    await rm(rawDir, { recursive: true, force: true });
  }
}
