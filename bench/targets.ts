/**
 * Issue 13's targets ("The lean loop") and issue 14's (a filtered overview), in one place: what each is, its bound, and where its
 * figure comes from in the bench results. `npm run bench` prints them next to the figures it
 * measured and writes them to bench/results/latest.json; a target whose bench did not run in
 * this invocation keeps the figure of the last run that measured it, with that run's time.
 *
 * Pure: no I/O, and it imports no other bench module (those start the local stack), so the unit
 * test (test/bench/targets.test.ts) loads this file alone. The input types below are the parts of
 * the bench results the targets read, written out structurally for that reason.
 */

export type Comparison = "<=" | ">=" | "==";

export interface Target {
  id: string;
  /** What is measured, as printed. */
  what: string;
  comparison: Comparison;
  bound: number;
  /** The bench (`--only=` name) that measures it. */
  bench: "simulation" | "cost" | "confirm" | "overview";
}

export const TARGETS: readonly Target[] = [
  {
    id: "transitionsPerMail",
    what: "state transitions per reminder mail, all-in",
    comparison: "<=",
    bound: 3.5,
    bench: "simulation",
  },
  {
    id: "lambdaPerMail",
    what: "Lambda invocations per reminder mail, all-in",
    comparison: "<=",
    bound: 3,
    bench: "simulation",
  },
  {
    id: "wruPerMail",
    what: "DynamoDB write units per reminder mail, all-in (loop, app table)",
    comparison: "<=",
    bound: 6,
    bench: "simulation",
  },
  {
    id: "rruPerMail",
    what: "DynamoDB read units per reminder mail, all-in (loop, app table)",
    comparison: "<=",
    bound: 2,
    bench: "simulation",
  },
  {
    id: "confirmGetRequests",
    what: "DynamoDB requests per confirm page view (GET)",
    comparison: "<=",
    bound: 2,
    bench: "simulation",
  },
  {
    id: "confirmPostRequests",
    what: "DynamoDB requests per confirmation (POST)",
    comparison: "<=",
    bound: 3,
    bench: "simulation",
  },
  {
    id: "confirmThroughput",
    what: "confirm throughput / trivial route, same run",
    comparison: ">=",
    bound: 0.05,
    bench: "confirm",
  },
  {
    id: "confirmErrors",
    what: "errors under the confirm load",
    comparison: "==",
    bound: 0,
    bench: "confirm",
  },
  {
    id: "confirmExactlyOnce",
    what: "milestones not confirmed exactly once (store check)",
    comparison: "==",
    bound: 0,
    bench: "confirm",
  },
  {
    id: "costVsPoller",
    what: "fristflow / 5-minute poller, monthly, worst size and region",
    comparison: "<=",
    bound: 1,
    bench: "cost",
  },
  {
    id: "costLargeVsFloor",
    what: "large municipality: fristflow / floor, worst region",
    comparison: "<=",
    bound: 1.6,
    bench: "cost",
  },
  {
    id: "simulationWriteRate",
    what: "simulation writes/s / DynamoDB Local's raw PutItem rate (skip mode)",
    comparison: ">=",
    bound: 0.6,
    bench: "simulation",
  },
  // Issue 14: finding deadlines with 2,000 milestones across 40 instances.
  {
    id: "filteredOverview",
    what: "filtered overview, 2,000 milestones in 40 instances: p95 seconds",
    comparison: "<=",
    bound: 0.5,
    bench: "overview",
  },
];

// ------------------------------------------------------------------------------------ inputs

/** The parts of the simulation's figures the targets read. */
export interface SimulationInput {
  perNotification: {
    stateTransitions: number;
    lambdaInvocations: number;
    readUnits: number;
    writeUnits: number;
  };
  perConfirmGet: { requests: number };
  perConfirmation: { requests: number };
  ratioWriteRate: number;
  /** What bounds the write rate, as the simulation judged it. */
  boundedBy?: string;
}

export interface CostInput {
  municipalities: {
    name: string;
    /** Per region (`eu-west-1`…). */
    fristflowToPoller: Record<string, number>;
    fristflowToFloor: Record<string, number>;
  }[];
}

export interface ConfirmInput {
  clients: number;
  /** The run at the stack's default socket limit (the one that ships). */
  defaultRun: {
    maxSockets: number;
    ratioThroughput: number;
    fristflow: { errors: number };
    notExactlyOnce: number;
  };
  /** Per request, measured one at a time before the load. */
  probe?: { getRequests: number; postRequests: number; postAgainRequests: number };
}

/** The parts of the overview bench's figures the targets read (bench/overview.ts). */
export interface OverviewInput {
  milestones: number;
  instances: number;
  requests: number;
  filtered: { medianMs: number; p95Ms: number };
  trivial: { medianMs: number; p95Ms: number };
}

export interface TargetInputs {
  simulation?: SimulationInput;
  cost?: CostInput;
  confirm?: ConfirmInput;
  overview?: OverviewInput;
}

// ------------------------------------------------------------------------------------ evaluation

export interface TargetResult {
  id: string;
  what: string;
  /** The bound as printed, e.g. `≤ 3.5`. */
  target: string;
  /** null: not measured (its bench did not run). */
  figure: number | null;
  /** Where the figure comes from, and what else was measured for it. */
  detail: string;
  met: boolean | null;
  /** Set when the figure is carried over from an earlier run: that run's time. */
  from?: string;
}

export function describeBound(target: Pick<Target, "comparison" | "bound">): string {
  const sign = target.comparison === "<=" ? "≤" : target.comparison === ">=" ? "≥" : "=";
  return `${sign} ${target.bound}`;
}

export function meets(comparison: Comparison, figure: number, bound: number): boolean {
  // Figures are printed rounded; a hair's floating-point noise must not flip a verdict.
  const eps = 1e-9;
  if (comparison === "<=") return figure <= bound + eps;
  if (comparison === ">=") return figure >= bound - eps;
  return Math.abs(figure - bound) <= eps;
}

interface Measured {
  figure: number;
  detail: string;
}

function entries(values: Record<string, number>): [string, number][] {
  return Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
}

/** The worst (largest) ratio over sizes and regions, and where it is. */
function worstRatio(
  cost: CostInput,
  pick: (m: CostInput["municipalities"][number]) => Record<string, number>,
) {
  let worst: { figure: number; where: string } | null = null;
  for (const m of cost.municipalities) {
    for (const [region, value] of entries(pick(m))) {
      if (worst === null || value > worst.figure) worst = { figure: value, where: `${m.name}, ${region}` };
    }
  }
  return worst;
}

function measure(id: string, inputs: TargetInputs): Measured | null {
  const { simulation: sim, cost, confirm, overview } = inputs;
  switch (id) {
    case "transitionsPerMail":
      return sim ? { figure: sim.perNotification.stateTransitions, detail: "simulation" } : null;
    case "lambdaPerMail":
      return sim ? { figure: sim.perNotification.lambdaInvocations, detail: "simulation" } : null;
    case "wruPerMail":
      return sim ? { figure: sim.perNotification.writeUnits, detail: "simulation" } : null;
    case "rruPerMail":
      return sim ? { figure: sim.perNotification.readUnits, detail: "simulation" } : null;
    case "confirmGetRequests":
    case "confirmPostRequests": {
      // The worst of what was measured: the simulation (case milestones, sequential phases) and
      // the confirm bench's probe (fan-out milestones, one request at a time).
      const get = id === "confirmGetRequests";
      const found: [string, number][] = [];
      if (sim) found.push(["simulation", get ? sim.perConfirmGet.requests : sim.perConfirmation.requests]);
      if (confirm?.probe) {
        found.push(["confirm probe", get ? confirm.probe.getRequests : confirm.probe.postRequests]);
      }
      if (found.length === 0) return null;
      const figure = Math.max(...found.map(([, v]) => v));
      const extra =
        !get && confirm?.probe ? `; repeated POST ${confirm.probe.postAgainRequests} (confirm probe)` : "";
      return { figure, detail: `${found.map(([k, v]) => `${k} ${v}`).join(", ")}${extra}` };
    }
    case "confirmThroughput":
      return confirm
        ? {
            figure: confirm.defaultRun.ratioThroughput,
            detail: `${confirm.clients} clients, ${confirm.defaultRun.maxSockets} sockets`,
          }
        : null;
    case "confirmErrors":
      return confirm
        ? {
            figure: confirm.defaultRun.fristflow.errors,
            detail: `${confirm.clients} clients, ${confirm.defaultRun.maxSockets} sockets`,
          }
        : null;
    case "confirmExactlyOnce":
      return confirm
        ? {
            figure: confirm.defaultRun.notExactlyOnce,
            detail: "milestones, answers and audit entries compared",
          }
        : null;
    case "costVsPoller": {
      const worst = cost ? worstRatio(cost, (m) => m.fristflowToPoller) : null;
      return worst ? { figure: worst.figure, detail: `worst: ${worst.where}` } : null;
    }
    case "costLargeVsFloor": {
      const large = cost?.municipalities.find((m) => m.name === "large");
      if (!large) return null;
      const values = entries(large.fristflowToFloor);
      if (values.length === 0) return null;
      return {
        figure: Math.max(...values.map(([, v]) => v)),
        detail: values.map(([region, v]) => `${region} ${v}`).join(", "),
      };
    }
    case "simulationWriteRate":
      return sim
        ? {
            figure: sim.ratioWriteRate,
            detail: sim.boundedBy ? `bounded by ${sim.boundedBy}` : "simulation",
          }
        : null;
    case "filteredOverview":
      return overview
        ? {
            figure: Math.round(overview.filtered.p95Ms) / 1000,
            detail: `median ${Math.round(overview.filtered.medianMs)} ms over ${overview.requests} requests; trivial route median ${Math.round(overview.trivial.medianMs * 10) / 10} ms, p95 ${Math.round(overview.trivial.p95Ms * 10) / 10} ms`,
          }
        : null;
    default:
      return null;
  }
}

/** Every target with this run's figure, or null where its bench did not run. */
export function evaluateTargets(inputs: TargetInputs, targets: readonly Target[] = TARGETS): TargetResult[] {
  return targets.map((t) => {
    const m = measure(t.id, inputs);
    return {
      id: t.id,
      what: t.what,
      target: describeBound(t),
      figure: m?.figure ?? null,
      detail: m?.detail ?? `not measured (--only=${t.bench})`,
      met: m === null ? null : meets(t.comparison, m.figure, t.bound),
    };
  });
}

/**
 * Fills the targets this run did not measure from the previous run's results (its `targets` and
 * time), so latest.json always holds the whole table; a carried figure says which run it is from.
 */
export function carryOver(
  current: readonly TargetResult[],
  previous: { at?: unknown; targets?: unknown } | null,
): TargetResult[] {
  const before = Array.isArray(previous?.targets) ? (previous.targets as TargetResult[]) : [];
  const at = typeof previous?.at === "string" ? previous.at : "an earlier run";
  return current.map((row) => {
    if (row.figure !== null) return row;
    const old = before.find((b) => b?.id === row.id && typeof b.figure === "number");
    if (!old || old.figure === null) return row;
    // Judged again against today's bound: the bound may have changed since.
    const target = TARGETS.find((t) => t.id === row.id);
    return {
      ...row,
      figure: old.figure,
      detail: old.detail,
      met: target ? meets(target.comparison, old.figure, target.bound) : old.met,
      from: old.from ?? at,
    };
  });
}

/** The table as printed at the end of `npm run bench`. */
export function formatTargets(rows: readonly TargetResult[]): string[] {
  const verdict = (r: TargetResult) => (r.met === null ? "-" : r.met ? "met" : "NOT MET");
  const lines = rows.map((r) => {
    const figure = r.figure === null ? "-" : String(r.figure);
    const from = r.from ? ` [from ${r.from}]` : "";
    return `  ${verdict(r).padEnd(8)} ${r.what.padEnd(68)} ${r.target.padEnd(7)} ${figure.padEnd(8)} ${r.detail}${from}`;
  });
  const met = rows.filter((r) => r.met === true).length;
  const missed = rows.filter((r) => r.met === false).length;
  const open = rows.filter((r) => r.met === null).length;
  return [
    `  ${"verdict".padEnd(8)} ${"target".padEnd(68)} ${"bound".padEnd(7)} ${"figure".padEnd(8)} where`,
    ...lines,
    `  ${met} met, ${missed} not met${open > 0 ? `, ${open} not measured` : ""} (of ${rows.length})`,
  ];
}
