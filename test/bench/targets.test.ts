import { describe, expect, it } from "vitest";
import { keyShapeOf, parseOptions } from "../../bench/support.ts";
import {
  carryOver,
  evaluateTargets,
  formatTargets,
  meets,
  TARGETS,
  type TargetInputs,
  type TargetResult,
} from "../../bench/targets.ts";

/** Figures that meet every target. */
function passing(): Required<TargetInputs> {
  return {
    simulation: {
      perNotification: { stateTransitions: 3.3, lambdaInvocations: 3, readUnits: 1.9, writeUnits: 5.5 },
      perConfirmGet: { requests: 1 },
      perConfirmation: { requests: 3 },
      ratioWriteRate: 0.61,
      boundedBy: "node's one thread",
    },
    cost: {
      municipalities: [
        { name: "small", fristflowToPoller: { "eu-west-1": 0.9, "us-east-1": 0.95 }, fristflowToFloor: {} },
        {
          name: "large",
          fristflowToPoller: { "eu-west-1": 0.99, "us-east-1": 1 },
          fristflowToFloor: { "eu-west-1": 1.5, "us-east-1": 1.6 },
        },
      ],
    },
    confirm: {
      clients: 200,
      defaultRun: { maxSockets: 200, ratioThroughput: 0.06, fristflow: { errors: 0 }, notExactlyOnce: 0 },
      probe: { getRequests: 1, postRequests: 3, postAgainRequests: 2 },
    },
    overview: {
      milestones: 2000,
      instances: 40,
      requests: 50,
      filtered: { medianMs: 120, p95Ms: 500 },
      trivial: { medianMs: 0.5, p95Ms: 1 },
    },
  };
}

const byId = (rows: readonly TargetResult[], id: string) => rows.find((r) => r.id === id);

describe("bench targets", () => {
  it("has one row per target of issue 13, each with its bound", () => {
    // Act
    const rows = evaluateTargets({});
    // Assess
    expect(rows.map((r) => r.id)).toEqual(TARGETS.map((t) => t.id));
    expect(byId(rows, "transitionsPerMail")?.target).toBe("≤ 3.5");
    expect(byId(rows, "confirmThroughput")?.target).toBe("≥ 0.05");
    expect(byId(rows, "confirmErrors")?.target).toBe("= 0");
  });

  it("meets every target at figures on their bounds, and says so", () => {
    // Act
    const rows = evaluateTargets(passing());
    // Assess
    expect(rows.filter((r) => r.met !== true)).toEqual([]);
    expect(formatTargets(rows).at(-1)).toBe(`  ${TARGETS.length} met, 0 not met (of ${TARGETS.length})`);
  });

  it("misses a target by any margin beyond rounding noise", () => {
    // Prepare
    const inputs = passing();
    inputs.simulation.perNotification.lambdaInvocations = 3.01;
    inputs.confirm.defaultRun.fristflow.errors = 1;
    // Act
    const rows = evaluateTargets(inputs);
    // Assess
    expect(byId(rows, "lambdaPerMail")?.met).toBe(false);
    expect(byId(rows, "confirmErrors")?.met).toBe(false);
    expect(meets("<=", 3 + 1e-12, 3)).toBe(true);
    expect(meets(">=", 0.05 - 1e-12, 0.05)).toBe(true);
  });

  it("judges the filtered overview by its p95 in seconds, with the trivial route beside it", () => {
    // Prepare
    const inputs = passing();
    inputs.overview.filtered.p95Ms = 501;
    // Act
    const row = byId(evaluateTargets(inputs), "filteredOverview");
    // Assess
    expect(row).toMatchObject({ target: "≤ 0.5", figure: 0.501, met: false });
    expect(row?.detail).toBe("median 120 ms over 50 requests; trivial route median 0.5 ms, p95 1 ms");
  });

  it("takes the worst of the simulation and the confirm probe for requests per confirm request", () => {
    // Prepare
    const inputs = passing();
    inputs.simulation.perConfirmGet.requests = 2.01;
    // Act
    const row = byId(evaluateTargets(inputs), "confirmGetRequests");
    // Assess
    expect(row).toMatchObject({ figure: 2.01, met: false, detail: "simulation 2.01, confirm probe 1" });
  });

  it("judges cost by the worst size and region", () => {
    // Prepare
    const inputs = passing();
    const large = inputs.cost.municipalities[1];
    if (large) large.fristflowToPoller["us-east-1"] = 1.11;
    // Act
    const rows = evaluateTargets(inputs);
    // Assess
    expect(byId(rows, "costVsPoller")).toMatchObject({
      figure: 1.11,
      met: false,
      detail: "worst: large, us-east-1",
    });
    expect(byId(rows, "costLargeVsFloor")).toMatchObject({ figure: 1.6, met: true });
  });

  it("leaves a target unjudged when its bench did not run", () => {
    // Act
    const rows = evaluateTargets({ simulation: passing().simulation });
    // Assess
    expect(byId(rows, "confirmThroughput")).toMatchObject({ figure: null, met: null });
    expect(byId(rows, "confirmThroughput")?.detail).toContain("--only=confirm");
    expect(formatTargets(rows).at(-1)).toContain("not measured");
  });

  it("carries a figure over from the previous run, marked with that run's time and judged again", () => {
    // Prepare
    const previous = {
      at: "2026-12-02T13:00:00.000Z",
      targets: evaluateTargets({ confirm: passing().confirm }).map((r) =>
        // A verdict stored by an older bound is not trusted: the figure is judged again.
        r.id === "confirmThroughput" ? { ...r, met: false } : r,
      ),
    };
    const current = evaluateTargets({ simulation: passing().simulation });
    // Act
    const rows = carryOver(current, previous);
    // Assess
    expect(byId(rows, "confirmThroughput")).toMatchObject({
      figure: 0.06,
      met: true,
      from: "2026-12-02T13:00:00.000Z",
    });
    expect(byId(rows, "transitionsPerMail")?.from).toBeUndefined();
    expect(carryOver(current, null)).toEqual(current);
  });
});

describe("bench options and counters", () => {
  it("reads the socket limits to measure from --max-sockets, then BENCH_MAX_SOCKETS", () => {
    expect(parseOptions(["--max-sockets=50,200"], {}).maxSockets).toEqual([50, 200]);
    expect(parseOptions([], { BENCH_MAX_SOCKETS: "100" }).maxSockets).toEqual([100]);
    expect(parseOptions([], {}).maxSockets).toEqual([]);
    expect(() => parseOptions(["--max-sockets=0"], {})).toThrow(/whole numbers/);
  });

  it("names the items a request touches by their key prefixes, without ids or times", () => {
    expect(keyShapeOf("GetItem", { Key: { pk: "INST#abc", sk: "OCC#handleplan/u1/0" } })).toBe("INST#/OCC#");
    expect(keyShapeOf("GetItem", { Key: { pk: { S: "WF#x" }, sk: { S: "V#3" } } })).toBe("WF#/V#");
    expect(keyShapeOf("UpdateItem", { Key: { pk: "INST#abc", sk: "META" } })).toBe("INST#/META");
    expect(
      keyShapeOf("TransactWriteItems", {
        TransactItems: [
          { Update: { Key: { pk: "INST#a", sk: "META" } } },
          { Put: { Item: { pk: "AUDIT#a", sk: "2024-03-01T08:00:00.000Z#x" } } },
        ],
      }),
    ).toBe("Put:AUDIT#/*#+Update:INST#/META");
    expect(keyShapeOf("Query", { ExpressionAttributeValues: { ":pk": "INST#a" } })).toBe("table INST#");
  });
});
