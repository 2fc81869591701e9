/**
 * Helpers the benchmarks share: flags, percentiles, a per-table DynamoDB
 * counter, and memory sampling of this process and of the DynamoDB Local JVM it started.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { ConsumedCapacity } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { HandlerExecutionContext, InitializeHandler, InitializeHandlerArguments } from "@smithy/types";
import { dynamoApiName } from "../shared/store/metrics.ts";

// ------------------------------------------------------------------------------------ options

export interface BenchOptions {
  quick: boolean;
  /** Which benchmarks to run (all when empty). */
  only: Set<string>;
  /**
   * Case instances of the simulation (default 1,000, --quick 200: 5,000 takes about 15 minutes on
   * a shared 2-core machine, so the default run measures fewer and extrapolates; --cases=5000).
   */
  cases: number;
  /** Confirm-link load: concurrent clients and seconds per phase. */
  clients: number;
  seconds: number;
  /** Milestones (confirm links) the load spreads over. */
  links: number;
  /**
   * Fan-out: reminders due at the same instant (default 10,000, --quick 1,000), and the maximum
   * send rate (mails/s, default 50, a raised SES quota; 0: no limit).
   */
  fanout: number;
  sendRate: number;
  /**
   * Socket limits of the stack's DynamoDB client to measure (`--max-sockets=50,200`): the confirm
   * bench runs its load once per limit, on a fresh stack; the simulation uses the first. Empty:
   * the stack's own default (infra/local/dynamodb.ts LOCAL_DYNAMODB_MAX_SOCKETS).
   */
  maxSockets: number[];
}

/**
 * Flags (`--quick`, `--only=simulation,confirm`, `--cases=1000`…) win over environment variables
 * (`BENCH_CASES=1000`…), which win over the defaults.
 */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (m?.[1]) flags.set(m[1], m[2] ?? "true");
  }
  const quick = flags.get("quick") === "true" || env.BENCH_QUICK === "1";
  const num = (name: string, full: number, short: number): number => {
    const raw = flags.get(name) ?? env[`BENCH_${name.toUpperCase().replace(/-/g, "_")}`];
    if (raw === undefined) return quick ? short : full;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0, not '${raw}'`);
    return n;
  };
  const only = (flags.get("only") ?? env.BENCH_ONLY ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return {
    quick,
    only: new Set(only),
    cases: Math.round(num("cases", 1_000, 200)),
    clients: Math.round(num("clients", 200, 50)),
    seconds: num("seconds", 20, 4),
    links: Math.round(num("links", 2_000, 300)),
    fanout: Math.round(num("fanout", 10_000, 1_000)),
    sendRate: num("send-rate", 50, 50),
    maxSockets: (flags.get("max-sockets") ?? env.BENCH_MAX_SOCKETS ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x.length > 0)
      .map((x) => {
        const n = Number(x);
        if (!Number.isInteger(n) || n < 1)
          throw new Error(`--max-sockets takes whole numbers ≥ 1, not '${x}'`);
        return n;
      }),
  };
}

// ------------------------------------------------------------------------------------ numbers

/** Nearest-rank percentile of unsorted samples (p in 0..100). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function heading(title: string): void {
  console.log(`\n== ${title} ==`);
}

/** A left-aligned label and a value, so columns of figures line up. */
export function line(label: string, value: string): void {
  console.log(`${label.padEnd(44)} ${value}`);
}

export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// ------------------------------------------------------------------------------------ DynamoDB

export interface TableCount {
  requests: number;
  reads: number;
  writes: number;
  failed: number;
  readUnits: number;
  writeUnits: number;
}

export interface TableCounter {
  /** Per table name, since the start or the last reset. */
  byTable(): Record<string, TableCount>;
  /** Per `<table> <command>` (e.g. `fristflow UpdateItem`), since the start or the last reset. */
  byCommand(): Record<string, TableCount>;
  /**
   * Per `<table> <command> <key shape>` (e.g. `fristflow GetItem INST#/OCC#`: which items a
   * command touched, by the prefixes of their keys), since the start or the last reset.
   */
  byKey(): Record<string, TableCount>;
  /** Each request's time in ms (SDK queueing for a socket, retries and the round trip), since the last reset. */
  latencies(): number[];
  /** Time-weighted mean and maximum of requests in flight since the last reset. */
  concurrency(): { mean: number; max: number };
  reset(): void;
  detach(): void;
}

const READ_COMMANDS = new Set(["GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"]);
const WRITE_COMMANDS = new Set([
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "BatchWriteItem",
  "TransactWriteItems",
]);

/**
 * Like shared/store/metrics.ts countDynamoOps, but split by table: the local stack keeps the
 * engine's execution records in DynamoDB Local too (`fristflow-engine`), which on AWS is Step
 * Functions' own business and costs state transitions, not request units. Units come from
 * ConsumedCapacity (INDEXES, so per table), asked for on every request.
 */
export function countByTable(doc: DynamoDBDocumentClient): TableCounter {
  let counts: Record<string, TableCount> = {};
  let commands: Record<string, TableCount> = {};
  let keyed: Record<string, TableCount> = {};
  let latencies: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let area = 0;
  let since = performance.now();
  let last = since;
  const tick = () => {
    const now = performance.now();
    area += inFlight * (now - last);
    last = now;
  };
  const entryIn = (map: Record<string, TableCount>, key: string): TableCount => {
    let e = map[key];
    if (!e) {
      e = { requests: 0, reads: 0, writes: 0, failed: 0, readUnits: 0, writeUnits: 0 };
      map[key] = e;
    }
    return e;
  };
  const name = `benchCountByTable-${Math.random().toString(36).slice(2)}`;
  const middleware =
    <Input extends object, Output extends object>(
      next: InitializeHandler<Input, Output>,
      context: HandlerExecutionContext,
    ): InitializeHandler<Input, Output> =>
    async (args: InitializeHandlerArguments<Input>) => {
      const command = dynamoApiName(context.commandName ?? "Unknown");
      const input = args.input as Record<string, unknown>;
      const tables = tablesOf(input);
      const kind = READ_COMMANDS.has(command) ? "reads" : WRITE_COMMANDS.has(command) ? "writes" : null;
      const shape = keyShapeOf(command, input);
      const entries = (t: string) => [
        entryIn(counts, t),
        entryIn(commands, `${t} ${command}`),
        entryIn(keyed, `${t} ${command} ${shape}`),
      ];
      for (const t of tables) {
        for (const e of entries(t)) {
          e.requests += 1;
          if (kind) e[kind] += 1;
        }
      }
      const ask = kind !== null && input.ReturnConsumedCapacity === undefined;
      tick();
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const startedAt = performance.now();
      let result: Awaited<ReturnType<InitializeHandler<Input, Output>>>;
      try {
        result = await next(
          ask ? { ...args, input: { ...input, ReturnConsumedCapacity: "INDEXES" } as Input } : args,
        );
      } catch (err) {
        for (const t of tables) for (const e of entries(t)) e.failed += 1;
        throw err;
      } finally {
        tick();
        inFlight--;
        latencies.push(performance.now() - startedAt);
      }
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
        .ConsumedCapacity;
      for (const c of Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed]) {
        const table = c.TableName ?? tables[0] ?? "?";
        for (const e of entries(
          tables.length === 1 && tables[0]?.startsWith(`${table}#`) ? tables[0] : table,
        )) {
          const r = c.ReadCapacityUnits;
          const w = c.WriteCapacityUnits;
          if (r === undefined && w === undefined) {
            if (kind === "reads") e.readUnits += c.CapacityUnits ?? 0;
            else e.writeUnits += c.CapacityUnits ?? 0;
          } else {
            e.readUnits += r ?? 0;
            e.writeUnits += w ?? 0;
          }
        }
      }
      return result;
    };
  doc.middlewareStack.add(middleware, { step: "initialize", name });
  return {
    byTable: () => structuredClone(counts),
    byCommand: () => structuredClone(commands),
    byKey: () => structuredClone(keyed),
    latencies: () => [...latencies],
    concurrency: () => {
      tick();
      const elapsed = last - since;
      return { mean: elapsed > 0 ? area / elapsed : 0, max: maxInFlight };
    },
    reset: () => {
      counts = {};
      commands = {};
      keyed = {};
      latencies = [];
      area = 0;
      maxInFlight = inFlight;
      since = performance.now();
      last = since;
    },
    detach: () => {
      doc.middlewareStack.remove(name);
    },
  };
}

/**
 * The tables a request touches. The local outbox's mail records (a PutItem of an `outbox` entity)
 * count under `<table>#outbox`: on AWS the mail goes to SES and no such item is written.
 */
function tablesOf(input: Record<string, unknown>): string[] {
  if (typeof input.TableName === "string") {
    const entity = (input.Item as { entity?: unknown } | undefined)?.entity;
    const isOutbox = entity === "outbox" || (entity as { S?: unknown } | undefined)?.S === "outbox";
    return [isOutbox ? `${input.TableName}#outbox` : input.TableName];
  }
  const names = new Set<string>();
  const items = (input.TransactItems ?? []) as Record<string, { TableName?: string }>[];
  for (const item of items) {
    for (const op of Object.values(item)) if (op?.TableName) names.add(op.TableName);
  }
  const requestItems = input.RequestItems as Record<string, unknown> | undefined;
  for (const t of Object.keys(requestItems ?? {})) names.add(t);
  return names.size > 0 ? [...names] : ["?"];
}

/**
 * `INST#abc` -> `INST#`, `META` -> `META`, `2024-03-01T…#…` -> `*#`: a key's kind, without ids
 * or times. Plain or marshalled ({ S }).
 */
function keyPrefix(value: unknown): string {
  const text =
    typeof value === "string"
      ? value
      : typeof (value as { S?: unknown } | undefined)?.S === "string"
        ? (value as { S: string }).S
        : "?";
  const hash = text.indexOf("#");
  const head = hash < 0 ? text : text.slice(0, hash);
  return `${/\d/.test(head) ? "*" : head}${hash < 0 ? "" : "#"}`;
}

function itemShape(key: unknown): string {
  const k = (key ?? {}) as Record<string, unknown>;
  return `${keyPrefix(k.pk)}/${keyPrefix(k.sk)}`;
}

/**
 * Which items a request touches, by the prefixes of their keys: `INST#/OCC#` for a GetItem of a
 * milestone, `Update:INST#/META+Put:AUDIT#/…` for a transaction, `table INST#,OCC#` for a Query
 * (index and the prefixes of its key values).
 */
export function keyShapeOf(command: string, input: Record<string, unknown>): string {
  switch (command) {
    case "GetItem":
    case "UpdateItem":
    case "DeleteItem":
      return itemShape(input.Key);
    case "PutItem":
      return itemShape(input.Item);
    case "Query": {
      const values = Object.values((input.ExpressionAttributeValues ?? {}) as Record<string, unknown>)
        .map(keyPrefix)
        .filter((v) => v !== "?");
      return `${typeof input.IndexName === "string" ? input.IndexName : "table"} ${values.join(",")}`;
    }
    case "TransactWriteItems":
    case "TransactGetItems": {
      const items = (input.TransactItems ?? []) as Record<string, { Key?: unknown; Item?: unknown }>[];
      return items
        .flatMap((item) =>
          Object.entries(item).map(([op, body]) => `${op}:${itemShape(body?.Key ?? body?.Item)}`),
        )
        .sort()
        .join("+");
    }
    default:
      return "";
  }
}

export function sumCounts(counts: readonly (TableCount | undefined)[]): TableCount {
  const sum: TableCount = { requests: 0, reads: 0, writes: 0, failed: 0, readUnits: 0, writeUnits: 0 };
  for (const c of counts) {
    if (!c) continue;
    sum.requests += c.requests;
    sum.reads += c.reads;
    sum.writes += c.writes;
    sum.failed += c.failed;
    sum.readUnits += c.readUnits;
    sum.writeUnits += c.writeUnits;
  }
  return sum;
}

// ------------------------------------------------------------------------------------ memory

/** The JVM(s) of DynamoDB Local this process started (its direct `java` children), optionally on a port. */
export function javaChildPids(port?: number): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid …; comm may hold spaces, so split after the last ')'.
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== process.pid || comm !== "java") continue;
      if (port !== undefined) {
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
        const i = cmdline.indexOf("-port");
        if (i < 0 || cmdline[i + 1] !== String(port)) continue;
      }
      pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/**
 * The kernel's TCP counters that show connections waiting to be accepted: ListenOverflows (a
 * listen queue was full, the SYN dropped) and TCPSynRetrans (a SYN sent again, after 1, 3, 7, 15 s…).
 * Machine-wide, since boot; null where /proc/net/netstat cannot be read.
 */
export function tcpCounters(): { listenOverflows: number; synRetransmits: number } | null {
  try {
    const lines = readFileSync("/proc/net/netstat", "utf8").split("\n");
    const names = lines.find((l) => l.startsWith("TcpExt:"))?.split(/\s+/) ?? [];
    const values = lines.filter((l) => l.startsWith("TcpExt:"))[1]?.split(/\s+/) ?? [];
    const get = (name: string) => Number(values[names.indexOf(name)] ?? Number.NaN);
    const out = { listenOverflows: get("ListenOverflows"), synRetransmits: get("TCPSynRetrans") };
    return Number.isFinite(out.listenOverflows) ? out : null;
  } catch {
    return null;
  }
}

/** User + system CPU seconds a process has used so far (from /proc/<pid>/stat); null if unreadable. */
export function procCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the comm: state(0) ppid(1) … utime(11) stime(12), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** CPU seconds of the JVM's SQLite queue thread(s), from /proc (Linux); null elsewhere. */
export function queueThreadSeconds(pid: number): number | null {
  try {
    let total = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const name = readFileSync(`/proc/${pid}/task/${task}/comm`, "utf8");
      if (!name.startsWith("SQLiteQueue")) continue;
      // The thread's own /proc/<pid>/task/<tid>/stat (/proc/<tid>/stat counts the whole process).
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    }
    return total;
  } catch {
    return null;
  }
}

/** VmRSS and VmHWM (peak RSS) of a process, in bytes; null when it cannot be read. */
export function procMemory(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return { rss: kb("VmRSS") * 1024, hwm: kb("VmHWM") * 1024 };
  } catch {
    return null;
  }
}

export interface MemorySampler {
  stop(): {
    nodePeakRss: number;
    nodePeakHeapUsed: number;
    /** The kernel's own high-water mark of this process (VmHWM): includes what sampling missed. */
    nodeHwm: number | null;
    javaPeakRss: number | null;
    javaHwm: number | null;
    samples: number;
  };
}

/** Samples this process's RSS and the JVM's every `everyMs`; VmHWM catches peaks between samples. */
export function sampleMemory(javaPid: number | undefined, everyMs = 250): MemorySampler {
  let nodePeakRss = 0;
  let nodePeakHeapUsed = 0;
  let javaPeakRss = 0;
  let samples = 0;
  const sample = () => {
    const m = process.memoryUsage();
    nodePeakRss = Math.max(nodePeakRss, m.rss);
    nodePeakHeapUsed = Math.max(nodePeakHeapUsed, m.heapUsed);
    if (javaPid !== undefined) javaPeakRss = Math.max(javaPeakRss, procMemory(javaPid)?.rss ?? 0);
    samples++;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      const java = javaPid === undefined ? null : procMemory(javaPid);
      return {
        nodePeakRss,
        nodePeakHeapUsed,
        nodeHwm: procMemory(process.pid)?.hwm ?? null,
        javaPeakRss: javaPid === undefined ? null : javaPeakRss,
        javaHwm: java?.hwm ?? null,
        samples,
      };
    },
  };
}

export const MiB = 2 ** 20;
