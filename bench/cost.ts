/**
 * Cost model: the counts the simulation measured (state transitions, Lambda invocations of the
 * three loop functions, DynamoDB request units and mails per reminder, per confirmation and per
 * case start), turned into a monthly AWS bill at two price lists (eu-west-1 and us-east-1), for
 * three sizes of municipality; compared with the naive design (one scheduled Lambda that polls
 * every 5 minutes and Queries every open deadline each time) and with the floor: what any design
 * pays (SES, storage with PITR, secrets, alarms).
 *
 * Everything printed is quantity x unit price, so a reader can redo the arithmetic. Free tiers
 * are ignored (they would absorb most of the small and medium bills), as are data transfer and
 * the first deploy's CDK assets. The loop's logging and tracing are priced at the deployed
 * defaults (cdk.json: loopLogLevel, loopLogExecutionData, xraySamplingRate); the alternatives
 * (Step Functions logs at ALL with execution data, X-Ray on every invocation) are printed as
 * their own lines, outside the totals.
 */
import { readFileSync } from "node:fs";
import { readDeployConfig } from "../infra/cdk/config.ts";
import type { SimulationFigures } from "./simulation.ts";
import { fmt, heading, round } from "./support.ts";

export type PriceKey =
  | "sfnTransition"
  | "lambdaRequest"
  | "lambdaGbSecond"
  | "dynamoWru"
  | "dynamoRru"
  | "dynamoStorageGbMonth"
  | "pitrGbMonth"
  | "sesMail"
  | "apiRequest"
  | "logsGbIngested"
  | "xrayTrace"
  | "secretMonth"
  | "alarmMonth";

export const PRICE_LABELS: Record<PriceKey, string> = {
  sfnTransition: "Step Functions Standard, per state transition",
  lambdaRequest: "Lambda, per request",
  lambdaGbSecond: "Lambda arm64, per GB-second",
  dynamoWru: "DynamoDB on-demand, per write request unit",
  dynamoRru: "DynamoDB on-demand, per read request unit",
  dynamoStorageGbMonth: "DynamoDB Standard storage, per GB-month",
  pitrGbMonth: "DynamoDB point-in-time recovery, per GB-month",
  sesMail: "SES outbound, per mail",
  apiRequest: "API Gateway HTTP API, per request",
  logsGbIngested: "CloudWatch Logs (and vended logs), per GB ingested",
  xrayTrace: "X-Ray, per trace recorded",
  secretMonth: "Secrets Manager, per secret-month",
  alarmMonth: "CloudWatch standard alarm, per alarm-month",
};

export interface PriceList {
  region: string;
  /** The date the prices are as of (the author's knowledge; check https://aws.amazon.com/pricing). */
  asOf: string;
  note: string;
  currency: "USD";
  usd: Record<PriceKey, number>;
}

/**
 * On-demand list prices, USD, first tier of each. eu-west-1 (Europe, Ireland) and us-east-1 (US
 * East, N. Virginia), as known to the author on the date given, DynamoDB after the November 2024
 * on-demand reduction. Check https://aws.amazon.com/pricing before quoting them; the model takes
 * any list.
 */
export const PRICE_LISTS: readonly PriceList[] = [
  {
    region: "eu-west-1",
    asOf: "2025-06-01",
    note: "Europe (Ireland)",
    currency: "USD",
    usd: {
      sfnTransition: 0.025 / 1_000,
      lambdaRequest: 0.2 / 1_000_000,
      lambdaGbSecond: 0.0000133334,
      dynamoWru: 0.7068 / 1_000_000,
      dynamoRru: 0.1415 / 1_000_000,
      dynamoStorageGbMonth: 0.283,
      pitrGbMonth: 0.2264,
      sesMail: 0.1 / 1_000,
      apiRequest: 1.11 / 1_000_000,
      logsGbIngested: 0.57,
      xrayTrace: 5 / 1_000_000,
      secretMonth: 0.4,
      alarmMonth: 0.1,
    },
  },
  {
    region: "us-east-1",
    asOf: "2025-06-01",
    note: "US East (N. Virginia)",
    currency: "USD",
    usd: {
      sfnTransition: 0.025 / 1_000,
      lambdaRequest: 0.2 / 1_000_000,
      lambdaGbSecond: 0.0000133334,
      dynamoWru: 0.625 / 1_000_000,
      dynamoRru: 0.125 / 1_000_000,
      dynamoStorageGbMonth: 0.25,
      pitrGbMonth: 0.2,
      sesMail: 0.1 / 1_000,
      apiRequest: 1.0 / 1_000_000,
      logsGbIngested: 0.5,
      xrayTrace: 5 / 1_000_000,
      secretMonth: 0.4,
      alarmMonth: 0.1,
    },
  },
];

/** What any design pays for the same mails and data: the floor. */
export const FLOOR_KEYS: ReadonlySet<PriceKey> = new Set([
  "sesMail",
  "dynamoStorageGbMonth",
  "pitrGbMonth",
  "secretMonth",
  "alarmMonth",
]);

/** The loop's logging and tracing as deployed by default: cdk.json's context, validated as the CDK app does. */
export function deployedLoopSettings(): {
  loopLogLevel: "OFF" | "ERROR" | "ALL";
  loopLogExecutionData: boolean;
  xraySamplingRate: number;
} {
  const cdkJson = JSON.parse(readFileSync(new URL("../cdk.json", import.meta.url), "utf8")) as {
    context: Record<string, unknown>;
  };
  const config = readDeployConfig((key) => cdkJson.context[key]);
  return {
    loopLogLevel: config.loopLogLevel,
    loopLogExecutionData: config.loopLogExecutionData,
    xraySamplingRate: config.xraySamplingRate,
  };
}

/** What the model assumes beyond what was measured; printed with the table. */
export const ASSUMPTIONS = {
  /** Memory sizes as deployed by infra/cdk/fristflow-stack.ts: step and http 512 MB, park and recordFailure 256 MB. */
  memoryGb: { step: 0.5, park: 0.25, recordFailure: 0.25, http: 0.5, poller: 0.5 },
  /**
   * Billed Lambda durations, stated: a warm arm64 function next to DynamoDB in the same region
   * (single-digit ms per request) and SES (~50 ms a call). A step reads the instance and its
   * milestones, decides, and per mail claims it, composes it, sends it and marks it sent. The
   * in-process durations the simulation measures are printed beside them but not used: there
   * every due execution runs at once against one DynamoDB Local on a shared 2-core machine, so
   * they are mostly queueing (they grow with N).
   */
  durationMs: { step: 50, stepPerMail: 70, park: 25, recordFailure: 25, http: 40 },
  /** Step Functions logs: bytes per logged event besides the state it carries (ids, type, timestamps, ARNs). */
  sfnEventEnvelopeBytes: 350,
  /**
   * Level ALL with execution data, beyond the states the simulation measured (StateEntered and
   * StateExited): a waitForTaskToken task's parameters carry the task token, and every
   * lambda:invoke result the integration's metadata (StatusCode, ExecutedVersion, SDK HTTP
   * headers) around the payload.
   */
  sfnTaskTokenBytes: 700,
  sfnInvokeResultMetadataBytes: 1_200,
  /** Level ERROR without execution data: a TaskTimedOut or TaskFailed event with its error and cause. */
  sfnErrorEventBytes: 450,
  /** Lambda logs per invocation: START/END/REPORT platform lines plus about one Powertools INFO line. */
  lambdaLogBytes: 1_000,
  /** API Gateway access log line (JSON, no query string). */
  apiLogBytes: 400,
  /**
   * X-Ray. The state machine samples its executions at xraySamplingRate (a sampled execution is
   * one trace, its Lambda invocations segments of it; the others pass Sampled=0 down). The HTTP
   * API has no X-Ray of its own, so the http Lambda samples by Lambda's default rule: the first
   * request each second and 5 % of the rest. Confirmations and starts come in office hours
   * (officeSecondsPerMonth), far below 1 a second, so almost every one is traced. With
   * xraySamplingRate 0 the state machine passes no decision and the loop Lambdas sample by the
   * same default rule as well.
   */
  xray: { reservoirPerSecond: 1, fixedRate: 0.05, officeSecondsPerMonth: 22 * 8 * 3600 },
  /** The link HMAC key and the admin token. */
  secrets: 2,
  /** ExecutionsFailed/TimedOut/Throttled, Errors + Throttles of the 4 functions, dead letters, API 5xx. */
  alarms: 13,
  /** Kept per case for a year: instance, milestone, notification records, audit trail (links are stateless). */
  storedBytesPerCase: 10_000,
  /** Naive design. */
  naive: {
    pollsPerYear: 12 * 24 * 365,
    /** A milestone item as the poller's GSI projects it. */
    openItemBytes: 400,
    pollBaseMs: 150,
    pollMsPerItem: 0.01,
    /** Compose and send one mail inside the poller. */
    mailMs: 60,
    /** Per mail: mark sent (conditional) with its audit entry, as fristflow's one write per fact. */
    wruPerMail: 3,
    logBytesPerPoll: 600,
    logBytesPerMail: 450,
  },
  /** Open Ishøj-size milestones at any time (19 units x a handful of milestones). */
  ishojOpenItems: 100,
};

export interface Municipality {
  name: string;
  casesPerYear: number;
  ishojTimelines: number;
}

export const MUNICIPALITIES: Municipality[] = [
  { name: "small", casesPerYear: 2_000, ishojTimelines: 0 },
  { name: "medium", casesPerYear: 20_000, ishojTimelines: 1 },
  { name: "large", casesPerYear: 200_000, ishojTimelines: 0 },
];

export type ByRegion = Record<string, number>;

export interface CostRow {
  item: string;
  key: PriceKey;
  quantityPerMonth: number;
  usdPerMonth: ByRegion;
}

export interface DesignCost {
  rows: CostRow[];
  usdPerMonth: ByRegion;
}

export interface MunicipalityCost {
  name: string;
  casesPerYear: number;
  ishojTimelines: number;
  mailsPerYear: number;
  confirmationsPerYear: number;
  /** Naive design: open deadlines each poll reads, and what that Query costs. */
  openItems: number;
  rruPerPoll: number;
  floor: ByRegion;
  fristflow: DesignCost;
  poller: DesignCost;
  /** Not in fristflow's total: the loop's logs at ALL with execution data, X-Ray on every invocation. */
  alternatives: CostRow[];
  fristflowToPoller: ByRegion;
  fristflowToFloor: ByRegion;
  pollerToFloor: ByRegion;
}

export interface CostFigures {
  priceLists: readonly PriceList[];
  loopSettings: ReturnType<typeof deployedLoopSettings>;
  assumptions: typeof ASSUMPTIONS;
  drivers: Record<string, number>;
  municipalities: MunicipalityCost[];
}

interface Row {
  item: string;
  key: PriceKey;
  perMonth: number;
}

function priceRow(r: Row): CostRow {
  return {
    item: r.item,
    key: r.key,
    quantityPerMonth: r.perMonth,
    usdPerMonth: Object.fromEntries(PRICE_LISTS.map((l) => [l.region, r.perMonth * l.usd[r.key]])),
  };
}

function priced(rows: Row[]): DesignCost {
  const out = rows.map(priceRow);
  return { rows: out, usdPerMonth: totals(out) };
}

function totals(rows: readonly CostRow[]): ByRegion {
  return Object.fromEntries(
    PRICE_LISTS.map((l) => [l.region, rows.reduce((s, r) => s + (r.usdPerMonth[l.region] ?? 0), 0)]),
  );
}

function ratios(a: ByRegion, b: ByRegion): ByRegion {
  return Object.fromEntries(Object.keys(a).map((k) => [k, round((a[k] ?? 0) / (b[k] ?? 1), 2)]));
}

/**
 * Share of requests Lambda's default rule traces at `perSecond` requests a second (Poisson): the
 * first in each second that has any, plus `fixedRate` of the rest.
 */
export function defaultRuleShare(perSecond: number, reservoir = 1, fixedRate = 0.05): number {
  if (perSecond <= 0) return 1;
  // Expected traced per second: reservoir-covered arrivals, then the fixed rate of the rest.
  let covered = 0;
  let p = Math.exp(-perSecond);
  let cumulative = 0;
  for (let k = 0; k < 200; k++) {
    covered += p * Math.min(k, reservoir);
    cumulative += p;
    p *= perSecond / (k + 1);
  }
  covered += (1 - cumulative) * reservoir;
  return Math.min(1, (covered + fixedRate * (perSecond - covered)) / perSecond);
}

export function costModel(sim: SimulationFigures): CostFigures {
  const a = ASSUMPTIONS;
  const settings = deployedLoopSettings();
  const mails = Math.max(1, sim.notifications);
  const cases = Math.max(1, sim.cases);
  const inv = (name: string) => (sim.invocations[name] ?? 0) / mails;
  // Measured per reminder mail, all loop work included (wake-ups after confirmations, starts, done).
  const perMail = {
    transitions: sim.engine.stateTransitions / mails,
    step: inv("step"),
    park: inv("park"),
    recordFailure: inv("recordFailure"),
    /** Tasks that are not Lambda: the ContinueAsNew state's StartExecution. */
    otherTasks: inv("states:startExecution"),
    executions: sim.engine.executionsStarted / mails,
    rru: sim.perNotification.readUnits,
    wru: sim.perNotification.writeUnits,
    historyEvents: sim.history.events / mails,
    historyBytes: sim.history.payloadBytes / mails,
    errorLevelEvents: sim.history.errorLevelEvents / mails,
  };
  const d = a.durationMs;
  const m = a.memoryGb;
  const gbSecondsPerMail =
    ((perMail.step * d.step + d.stepPerMail) * m.step +
      perMail.park * d.park * m.park +
      perMail.recordFailure * d.recordFailure * m.recordFailure) /
    1000;
  const lambdaPerMail = perMail.step + perMail.park + perMail.recordFailure;
  const caseMailsPerCase = (sim.notifications - sim.ishojMails) / cases;
  const caseConfirmationsPerCase = (sim.confirmations - sim.ishojConfirmations) / cases;
  const confirm = {
    rru: sim.perConfirmGet.readUnits + sim.perConfirmation.readUnits,
    wru: sim.perConfirmGet.writeUnits + sim.perConfirmation.writeUnits,
  };

  // Step Functions logs per mail at each setting.
  const lambdaTasks = perMail.step + perMail.park + perMail.recordFailure;
  const sfnLog = {
    errorWithoutData: perMail.errorLevelEvents * a.sfnErrorEventBytes,
    errorWithData:
      perMail.errorLevelEvents * (a.sfnErrorEventBytes + perMail.historyBytes / perMail.historyEvents),
    allWithoutData: perMail.historyEvents * a.sfnEventEnvelopeBytes,
    allWithData:
      perMail.historyEvents * a.sfnEventEnvelopeBytes +
      perMail.historyBytes +
      perMail.park * a.sfnTaskTokenBytes +
      lambdaTasks * (a.sfnInvokeResultMetadataBytes + perMail.historyBytes / perMail.historyEvents),
  };
  const deployedSfnLogBytesPerMail =
    settings.loopLogLevel === "OFF"
      ? 0
      : settings.loopLogLevel === "ERROR"
        ? settings.loopLogExecutionData
          ? sfnLog.errorWithData
          : sfnLog.errorWithoutData
        : settings.loopLogExecutionData
          ? sfnLog.allWithData
          : sfnLog.allWithoutData;

  const drivers: Record<string, number> = {
    mailsPerCase: round(caseMailsPerCase, 3),
    confirmationsPerCase: round(caseConfirmationsPerCase, 3),
    transitionsPerMail: round(perMail.transitions, 3),
    lambdaPerMail: round(lambdaPerMail, 3),
    stepPerMail: round(perMail.step, 3),
    parkPerMail: round(perMail.park, 3),
    recordFailurePerMail: round(perMail.recordFailure, 3),
    executionsPerMail: round(perMail.executions, 4),
    gbSecondsPerMail: round(gbSecondsPerMail, 5),
    rruPerMail: round(perMail.rru, 3),
    wruPerMail: round(perMail.wru, 3),
    sfnErrorEventsPerMail: round(perMail.errorLevelEvents, 3),
    sfnLogBytesPerMailDeployed: Math.round(deployedSfnLogBytesPerMail),
    sfnLogBytesPerMailErrorNoData: Math.round(sfnLog.errorWithoutData),
    sfnLogBytesPerMailAllWithData: Math.round(sfnLog.allWithData),
    startRru: sim.perStart.readUnits,
    startWru: sim.perStart.writeUnits,
    confirmRru: round(confirm.rru, 3),
    confirmWru: round(confirm.wru, 3),
    ishojMailsPerYear: sim.ishojMails,
    ishojConfirmationsPerYear: sim.ishojConfirmations,
    caseOpenDays: sim.caseOpenDaysMean,
    measuredStepMsP50: sim.durationsMs.step?.p50 ?? 0,
    measuredHttpPostMsP50: sim.durationsMs.httpPost?.p50 ?? 0,
  };

  const month = (perYear: number) => perYear / 12;
  const x = a.xray;
  const municipalities = MUNICIPALITIES.map((size): MunicipalityCost => {
    const mailsYear = size.casesPerYear * caseMailsPerCase + size.ishojTimelines * sim.ishojMails;
    const confirmsYear =
      size.casesPerYear * caseConfirmationsPerCase + size.ishojTimelines * sim.ishojConfirmations;
    const startsYear = size.casesPerYear + size.ishojTimelines;
    const apiYear = startsYear + 2 * confirmsYear;
    const httpGbSecondsYear = (apiYear * d.http * m.http) / 1000;
    const appRruYear = startsYear * sim.perStart.readUnits + confirmsYear * confirm.rru;
    const appWruYear = startsYear * sim.perStart.writeUnits + confirmsYear * confirm.wru;
    const storageGb = (size.casesPerYear * a.storedBytesPerCase) / 1e9;
    const loopLambdaYear = mailsYear * lambdaPerMail;
    const httpShare = defaultRuleShare(
      month(apiYear) / x.officeSecondsPerMonth,
      x.reservoirPerSecond,
      x.fixedRate,
    );
    const loopTracesYear =
      settings.xraySamplingRate > 0
        ? mailsYear * perMail.executions * settings.xraySamplingRate
        : loopLambdaYear *
          defaultRuleShare(month(loopLambdaYear) / (30 * 86_400), x.reservoirPerSecond, x.fixedRate);

    const floorRows: Row[] = [
      { item: "DynamoDB storage GB", key: "dynamoStorageGbMonth", perMonth: storageGb },
      { item: "PITR GB", key: "pitrGbMonth", perMonth: storageGb },
      { item: "SES mails", key: "sesMail", perMonth: month(mailsYear) },
      { item: "secrets", key: "secretMonth", perMonth: a.secrets },
      { item: "alarms", key: "alarmMonth", perMonth: a.alarms },
    ];
    const fristflow = priced([
      { item: "state transitions", key: "sfnTransition", perMonth: month(mailsYear * perMail.transitions) },
      {
        item: "Lambda requests (loop + http)",
        key: "lambdaRequest",
        perMonth: month(loopLambdaYear + apiYear),
      },
      {
        item: "Lambda GB-seconds",
        key: "lambdaGbSecond",
        perMonth: month(mailsYear * gbSecondsPerMail + httpGbSecondsYear),
      },
      { item: "DynamoDB WRU", key: "dynamoWru", perMonth: month(mailsYear * perMail.wru + appWruYear) },
      { item: "DynamoDB RRU", key: "dynamoRru", perMonth: month(mailsYear * perMail.rru + appRruYear) },
      ...floorRows.slice(0, 3),
      { item: "API Gateway requests", key: "apiRequest", perMonth: month(apiYear) },
      {
        item: "Logs GB: Lambda + API access",
        key: "logsGbIngested",
        perMonth: month(((loopLambdaYear + apiYear) * a.lambdaLogBytes + apiYear * a.apiLogBytes) / 1e9),
      },
      {
        item: `Logs GB: Step Functions ${settings.loopLogLevel}${settings.loopLogExecutionData ? " + data" : ", no data"}`,
        key: "logsGbIngested",
        perMonth: month((mailsYear * deployedSfnLogBytesPerMail) / 1e9),
      },
      {
        item: `X-Ray traces (${settings.xraySamplingRate * 100} % of executions + http)`,
        key: "xrayTrace",
        perMonth: month(loopTracesYear + apiYear * httpShare),
      },
      ...floorRows.slice(3),
    ]);
    const alternatives = [
      {
        item: "Logs GB: Step Functions ALL + data",
        key: "logsGbIngested" as const,
        perMonth: month((mailsYear * sfnLog.allWithData) / 1e9),
      },
      {
        item: "X-Ray traces, every invocation",
        key: "xrayTrace" as const,
        perMonth: month(loopLambdaYear + apiYear),
      },
    ].map(priceRow);

    const n = a.naive;
    const openItems =
      size.casesPerYear * (sim.caseOpenDaysMean / 365) + size.ishojTimelines * a.ishojOpenItems;
    const rruPerPoll = Math.max(0.5, Math.ceil((openItems * n.openItemBytes) / 4096) * 0.5);
    const pollMs = n.pollBaseMs + openItems * n.pollMsPerItem;
    const poller = priced([
      {
        item: "Lambda requests (polls + http)",
        key: "lambdaRequest",
        perMonth: month(n.pollsPerYear + apiYear),
      },
      {
        item: "Lambda GB-seconds",
        key: "lambdaGbSecond",
        perMonth: month(
          (n.pollsPerYear * pollMs * m.poller + mailsYear * n.mailMs * m.poller) / 1000 + httpGbSecondsYear,
        ),
      },
      { item: "DynamoDB WRU", key: "dynamoWru", perMonth: month(mailsYear * n.wruPerMail + appWruYear) },
      { item: "DynamoDB RRU", key: "dynamoRru", perMonth: month(n.pollsPerYear * rruPerPoll + appRruYear) },
      ...floorRows.slice(0, 3),
      { item: "API Gateway requests", key: "apiRequest", perMonth: month(apiYear) },
      {
        item: "Logs GB: Lambda + API access",
        key: "logsGbIngested",
        perMonth: month(
          (n.pollsPerYear * n.logBytesPerPoll +
            mailsYear * n.logBytesPerMail +
            apiYear * (a.lambdaLogBytes + a.apiLogBytes)) /
            1e9,
        ),
      },
      {
        // One poll every 300 s: Lambda's default rule traces every one.
        item: "X-Ray traces (polls + http)",
        key: "xrayTrace",
        perMonth: month(n.pollsPerYear + apiYear * httpShare),
      },
      ...floorRows.slice(3),
    ]);
    const floor = totals(floorRows.map(priceRow));
    return {
      name: size.name,
      casesPerYear: size.casesPerYear,
      ishojTimelines: size.ishojTimelines,
      openItems: Math.round(openItems),
      rruPerPoll,
      mailsPerYear: Math.round(mailsYear),
      confirmationsPerYear: Math.round(confirmsYear),
      floor,
      fristflow,
      poller,
      alternatives,
      fristflowToPoller: ratios(fristflow.usdPerMonth, poller.usdPerMonth),
      fristflowToFloor: ratios(fristflow.usdPerMonth, floor),
      pollerToFloor: ratios(poller.usdPerMonth, floor),
    };
  });

  // What one reminder mail and one confirmation cost on their own, all-in, at the first list.
  const p = PRICE_LISTS[0]?.usd;
  if (p) {
    const usdPerMail =
      perMail.transitions * p.sfnTransition +
      lambdaPerMail * p.lambdaRequest +
      gbSecondsPerMail * p.lambdaGbSecond +
      perMail.rru * p.dynamoRru +
      perMail.wru * p.dynamoWru +
      p.sesMail +
      ((deployedSfnLogBytesPerMail + lambdaPerMail * a.lambdaLogBytes) / 1e9) * p.logsGbIngested +
      perMail.executions * settings.xraySamplingRate * p.xrayTrace;
    const usdPerConfirmation =
      2 * (p.apiRequest + p.lambdaRequest + p.xrayTrace) +
      ((2 * d.http * m.http) / 1000) * p.lambdaGbSecond +
      confirm.rru * p.dynamoRru +
      confirm.wru * p.dynamoWru +
      ((2 * (a.lambdaLogBytes + a.apiLogBytes)) / 1e9) * p.logsGbIngested;
    Object.assign(drivers, {
      usdPerMail: round(usdPerMail, 8),
      usdPerConfirmation: round(usdPerConfirmation, 8),
    });
  }

  printCost(drivers, settings, municipalities);
  return {
    priceLists: PRICE_LISTS,
    loopSettings: settings,
    assumptions: ASSUMPTIONS,
    drivers,
    municipalities,
  };
}

function qty(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString("en-US");
  if (n >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

function usd(n: number | undefined): string {
  if (n === undefined) return "?";
  return n >= 1 ? `$${n.toFixed(2)}` : `$${n.toFixed(4)}`;
}

function unitPrice(n: number): string {
  return n >= 0.01 ? `$${n}` : `$${n.toPrecision(4)}`;
}

function printCost(
  d: Record<string, number>,
  settings: ReturnType<typeof deployedLoopSettings>,
  municipalities: MunicipalityCost[],
): void {
  const regions = PRICE_LISTS.map((l) => l.region);
  heading(`Cost model: on-demand list prices, USD, free tiers ignored (${regions.join(", ")})`);
  for (const l of PRICE_LISTS) console.log(`  ${l.region} (${l.note}): list prices as of ${l.asOf}`);
  console.log(`  ${"price".padEnd(52)} ${regions.map((r) => r.padStart(13)).join(" ")}`);
  for (const [key, label] of Object.entries(PRICE_LABELS) as [PriceKey, string][]) {
    console.log(
      `  ${label.padEnd(52)} ${PRICE_LISTS.map((l) => unitPrice(l.usd[key]).padStart(13)).join(" ")}`,
    );
  }
  console.log("Measured drivers (simulation; per reminder mail = all loop work / mails sent):");
  console.log(
    `  per case: ${d.mailsPerCase} mails, ${d.confirmationsPerCase} confirmations (GET + POST), 1 start (admin API)`,
  );
  console.log(
    `  per mail: ${d.transitionsPerMail} transitions, ${d.lambdaPerMail} Lambda invocations (step ${d.stepPerMail}, park ${d.parkPerMail}, recordFailure ${d.recordFailurePerMail}), ${d.gbSecondsPerMail} GB-s, ${d.rruPerMail} RRU, ${d.wruPerMail} WRU, ${d.executionsPerMail} executions`,
  );
  const du = ASSUMPTIONS.durationMs;
  const mem = ASSUMPTIONS.memoryGb;
  console.log(
    `  Lambda (stated): step ${mem.step * 1024} MB, ${du.step} ms + ${du.stepPerMail} ms per mail; park ${mem.park * 1024} MB, ${du.park} ms; recordFailure ${mem.recordFailure * 1024} MB, ${du.recordFailure} ms; http ${mem.http * 1024} MB, ${du.http} ms (in-process here, queueing included: step ${d.measuredStepMsP50} ms, POST ${d.measuredHttpPostMsP50} ms p50)`,
  );
  console.log(
    `  per start: ${d.startRru} RRU, ${d.startWru} WRU; per confirmation (GET + POST): ${d.confirmRru} RRU, ${d.confirmWru} WRU`,
  );
  console.log(
    `  Step Functions logs (deployed: level ${settings.loopLogLevel}, execution data ${settings.loopLogExecutionData ? "on" : "off"}): ${d.sfnErrorEventsPerMail} events per mail at level ERROR (each timer wake-up is a TaskTimedOut of Sleep, leaving the loop a TaskFailed), ~${d.sfnLogBytesPerMailErrorNoData} B per mail without data; level ALL with execution data would be ~${d.sfnLogBytesPerMailAllWithData} B per mail (every history event, its state, task tokens, lambda:invoke results)`,
  );
  const x = ASSUMPTIONS.xray;
  console.log(
    `  X-Ray (deployed: xraySamplingRate ${settings.xraySamplingRate}): ${settings.xraySamplingRate * 100} % of executions traced, ${d.executionsPerMail} executions per mail; the http Lambda by Lambda's default rule (${x.reservoirPerSecond}/s + ${x.fixedRate * 100} %), office-hours rate well below 1/s, so nearly every request`,
  );
  if (d.usdPerMail !== undefined) {
    console.log(
      `  all-in at ${regions[0]}: $${(d.usdPerMail ?? 0).toFixed(6)} per reminder mail (of which $0.000100 SES), $${(d.usdPerConfirmation ?? 0).toFixed(6)} per confirmation`,
    );
  }
  console.log(
    `  Ishøj-size timeline: ${d.ishojMailsPerYear} mails and ${d.ishojConfirmationsPerYear} confirmations in its first year; a case stays open ${d.caseOpenDays} days on average`,
  );
  const a = ASSUMPTIONS.naive;
  console.log(
    `5-minute poller: a scheduled Lambda every 5 min (${a.pollsPerYear.toLocaleString("en-US")} invocations/yr), each a Query of all open deadlines (${a.openItemBytes} B each, eventually consistent: 0.5 RRU per 4 KB), ${a.pollBaseMs} ms + ${a.pollMsPerItem} ms per item, ${a.mailMs} ms per mail at 512 MB, ${a.wruPerMail} WRU per mail; same mails, starts and confirmations.`,
  );
  console.log(
    `Floor: ${[...FLOOR_KEYS].map((k) => PRICE_LABELS[k].split(",")[0]).join(", ")}: what any design pays.`,
  );

  const money = (v: ByRegion) => regions.map((r) => usd(v[r]).padStart(10)).join(" ");
  for (const mc of municipalities) {
    console.log(
      `\n${mc.name}: ${mc.casesPerYear.toLocaleString("en-US")} case deadlines/yr${mc.ishojTimelines ? " + one Ishøj-size timeline" : ""} -> ${mc.mailsPerYear.toLocaleString("en-US")} mails, ${mc.confirmationsPerYear.toLocaleString("en-US")} confirmations/yr; the poller reads ${mc.openItems.toLocaleString("en-US")} open items = ${mc.rruPerPoll} RRU per poll`,
    );
    const cols = regions.map((r) => r.padStart(10)).join(" ");
    console.log(
      `  ${"per month".padEnd(44)} ${"fristflow qty".padStart(13)} ${cols} | ${"poller qty".padStart(11)} ${cols}`,
    );
    const names = [...new Set([...mc.fristflow.rows, ...mc.poller.rows].map((r) => r.key))];
    for (const key of names) {
      const f = mc.fristflow.rows.filter((r) => r.key === key);
      const n = mc.poller.rows.filter((r) => r.key === key);
      for (let i = 0; i < Math.max(f.length, n.length); i++) {
        const fr = f[i];
        const nr = n[i];
        const label = (fr ?? nr)?.item ?? key;
        const blank = regions.map(() => "-".padStart(10)).join(" ");
        console.log(
          `  ${label.padEnd(44)} ${(fr ? qty(fr.quantityPerMonth) : "-").padStart(13)} ${fr ? money(fr.usdPerMonth) : blank} | ${(nr ? qty(nr.quantityPerMonth) : "-").padStart(11)} ${nr ? money(nr.usdPerMonth) : blank}`,
        );
      }
    }
    console.log(
      `  ${"total".padEnd(44)} ${"".padStart(13)} ${money(mc.fristflow.usdPerMonth)} | ${"".padStart(11)} ${money(mc.poller.usdPerMonth)}`,
    );
    console.log(`  ${"floor".padEnd(44)} ${"".padStart(13)} ${money(mc.floor)}`);
    for (const alt of mc.alternatives) {
      console.log(
        `  ${`not in the total: ${alt.item}`.padEnd(44)} ${qty(alt.quantityPerMonth).padStart(13)} ${money(alt.usdPerMonth)}`,
      );
    }
  }

  heading("Monthly bill by size: floor, fristflow, 5-minute poller, and the ratios");
  const head = regions.join(" / ");
  console.log(
    `  ${"size".padEnd(7)} ${`floor (${head})`.padEnd(26)} ${"fristflow".padEnd(20)} ${"poller".padEnd(20)} ${"fristflow/poller".padEnd(18)} ${"fristflow/floor".padEnd(18)} poller/floor`,
  );
  const pair = (v: ByRegion) => regions.map((r) => usd(v[r])).join(" / ");
  const ratio = (v: ByRegion) => regions.map((r) => fmt(v[r] ?? Number.NaN, 2)).join(" / ");
  for (const mc of municipalities) {
    console.log(
      `  ${mc.name.padEnd(7)} ${pair(mc.floor).padEnd(26)} ${pair(mc.fristflow.usdPerMonth).padEnd(20)} ${pair(mc.poller.usdPerMonth).padEnd(20)} ${ratio(mc.fristflowToPoller).padEnd(18)} ${ratio(mc.fristflowToFloor).padEnd(18)} ${ratio(mc.pollerToFloor)}`,
    );
  }
}
