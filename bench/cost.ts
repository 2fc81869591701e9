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

import {
  ASSUMPTIONS,
  deployedLoopSettings,
  MUNICIPALITIES,
  PRICE_LISTS,
  type PriceKey,
  type PriceList,
} from "./cost-prices.ts";
import { printCost } from "./cost-print.ts";
import type { SimulationFigures } from "./simulation.ts";
import { round } from "./support.ts";

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

/** Three decimals: the targets compare these with 1 and 1.6, and 1.004 must not pass as 1.00. */
function ratios(a: ByRegion, b: ByRegion): ByRegion {
  return Object.fromEntries(Object.keys(a).map((k) => [k, round((a[k] ?? 0) / (b[k] ?? 1), 3)]));
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
