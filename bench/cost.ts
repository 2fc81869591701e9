/**
 * Cost model: the counts the simulation measured (state transitions, Lambda invocations,
 * DynamoDB request units and mails per reminder, per confirmation and per case start), turned
 * into a monthly AWS bill at the price list below, for three sizes of municipality; compared
 * with the naive design: one scheduled Lambda that polls every 5 minutes and Queries every open
 * deadline each time.
 *
 * Everything printed is quantity x unit price, so a reader can redo the arithmetic. Free tiers
 * are ignored (they would absorb most of the small and medium bills), as are data transfer and
 * the first deploy's CDK assets.
 */
import type { SimulationFigures } from "./simulation.ts";
import { fmt, heading, round } from "./support.ts";

/**
 * On-demand list prices, USD, Europe (Ireland) eu-west-1, as known to the author on 2025-06-01
 * (DynamoDB after the November 2024 on-demand reduction). Check
 * https://aws.amazon.com/pricing before quoting them; the model takes any list.
 */
export const PRICE_LIST = {
  region: "eu-west-1",
  asOf: "2025-06-01",
  currency: "USD",
  prices: {
    sfnTransition: {
      usd: 0.025 / 1_000,
      label: "Step Functions Standard, per state transition ($0.025 / 1,000)",
    },
    lambdaRequest: { usd: 0.2 / 1_000_000, label: "Lambda, per request ($0.20 / million)" },
    lambdaGbSecond: { usd: 0.0000133334, label: "Lambda arm64, per GB-second" },
    dynamoWru: {
      usd: 0.7068 / 1_000_000,
      label: "DynamoDB on-demand, per write request unit ($0.7068 / million)",
    },
    dynamoRru: {
      usd: 0.1415 / 1_000_000,
      label: "DynamoDB on-demand, per read request unit ($0.1415 / million)",
    },
    dynamoStorageGbMonth: { usd: 0.283, label: "DynamoDB Standard storage, per GB-month" },
    pitrGbMonth: { usd: 0.2264, label: "DynamoDB point-in-time recovery, per GB-month" },
    sesMail: { usd: 0.1 / 1_000, label: "SES outbound, per mail ($0.10 / 1,000)" },
    apiRequest: { usd: 1.11 / 1_000_000, label: "API Gateway HTTP API, per request ($1.11 / million)" },
    logsGbIngested: { usd: 0.57, label: "CloudWatch Logs, per GB ingested" },
    xrayTrace: { usd: 5 / 1_000_000, label: "X-Ray, per trace recorded ($5.00 / million)" },
    secretMonth: { usd: 0.4, label: "Secrets Manager, per secret-month" },
    alarmMonth: { usd: 0.1, label: "CloudWatch standard alarm, per alarm-month" },
  },
} as const;

type PriceKey = keyof typeof PRICE_LIST.prices;

/** What the model assumes beyond what was measured; printed with the table. */
export const ASSUMPTIONS = {
  /** Memory sizes as deployed by infra/cdk (fristflow-stack.ts): decide, notify, http 512 MB; park 256 MB. */
  memoryGb: { decide: 0.5, notify: 0.5, park: 0.25, recordFailure: 0.25, http: 0.5, poller: 0.5 },
  /**
   * Billed Lambda durations, stated: a warm arm64 function next to DynamoDB in the same region
   * (single-digit ms per request) and SES (~50 ms a call). The in-process durations the simulation
   * measures are printed beside them but not used: there every due execution runs at once against
   * one DynamoDB Local on a shared 2-core machine, so they are mostly queueing (they grow with N).
   */
  durationMs: { decide: 50, notifyPerBatch: 60, notifyPerMail: 70, park: 25, http: 40 },
  /** Step Functions logs (level ALL, with execution data): bytes per history event besides its payload. */
  sfnEventEnvelopeBytes: 350,
  /** Lambda logs per invocation: START/END/REPORT platform lines plus about one Powertools INFO line. */
  lambdaLogBytes: 1_000,
  /** API Gateway access log line (JSON, no query string). */
  apiLogBytes: 400,
  /** X-Ray: one trace per Lambda invocation and per API request, no sampling (an upper bound). */
  xrayTracesPerInvocation: 1,
  /** The link HMAC key and the admin token. */
  secrets: 2,
  /** ExecutionsFailed/TimedOut/Throttled, Errors + Throttles of 5 functions, dead letters, API 5xx. */
  alarms: 15,
  /** Kept per case for a year: instance, milestone, notification records, audit trail (links expire by TTL). */
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
    /** Per mail: mark sent (conditional), store the link, audit entry. */
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

interface Row {
  item: string;
  key: PriceKey;
  perMonth: number;
}

export interface DesignCost {
  rows: { item: string; quantityPerMonth: number; unitUsd: number; usdPerMonth: number }[];
  usdPerMonth: number;
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
  fristflow: DesignCost;
  naive: DesignCost;
  /** fristflow / naive, per month. */
  ratio: number;
}

export interface CostFigures {
  priceList: typeof PRICE_LIST;
  assumptions: typeof ASSUMPTIONS;
  drivers: Record<string, number>;
  municipalities: MunicipalityCost[];
}

function priced(rows: Row[]): DesignCost {
  const out = rows.map((r) => {
    const unitUsd = PRICE_LIST.prices[r.key].usd;
    return { item: r.item, quantityPerMonth: r.perMonth, unitUsd, usdPerMonth: r.perMonth * unitUsd };
  });
  return { rows: out, usdPerMonth: out.reduce((s, r) => s + r.usdPerMonth, 0) };
}

export function costModel(sim: SimulationFigures): CostFigures {
  const a = ASSUMPTIONS;
  const mails = Math.max(1, sim.notifications);
  const cases = Math.max(1, sim.cases);
  const inv = (name: string) => (sim.invocations[name] ?? 0) / mails;
  const notifyBatchesPerMail = inv("notify");
  // Measured per reminder mail, all loop work included (wake-ups after confirmations, starts, done).
  const perMail = {
    transitions: sim.engine.stateTransitions / mails,
    decide: inv("decide"),
    notify: notifyBatchesPerMail,
    park: inv("park"),
    recordFailure: inv("recordFailure"),
    rru: sim.perNotification.readUnits,
    wru: sim.perNotification.writeUnits,
    historyEvents: sim.history.events / mails,
    historyBytes: sim.history.payloadBytes / mails,
  };
  const d = a.durationMs;
  const gbSecondsPerMail =
    (perMail.decide * d.decide * a.memoryGb.decide +
      (perMail.notify * d.notifyPerBatch + d.notifyPerMail) * a.memoryGb.notify +
      perMail.park * d.park * a.memoryGb.park) /
    1000;
  const lambdaPerMail = perMail.decide + perMail.notify + perMail.park + perMail.recordFailure;
  const caseMailsPerCase = (sim.notifications - sim.ishojMails) / cases;
  const caseConfirmationsPerCase = (sim.confirmations - sim.ishojConfirmations) / cases;
  const http = { startMs: d.http, getMs: d.http, postMs: d.http };
  const confirm = {
    rru: sim.perConfirmGet.readUnits + sim.perConfirmation.readUnits,
    wru: sim.perConfirmGet.writeUnits + sim.perConfirmation.writeUnits,
  };
  const sfnLogBytesPerMail = Math.round(
    perMail.historyBytes + perMail.historyEvents * a.sfnEventEnvelopeBytes,
  );
  const drivers: Record<string, number> = {
    mailsPerCase: round(caseMailsPerCase, 3),
    confirmationsPerCase: round(caseConfirmationsPerCase, 3),
    transitionsPerMail: round(perMail.transitions, 3),
    lambdaPerMail: round(lambdaPerMail, 3),
    gbSecondsPerMail: round(gbSecondsPerMail, 5),
    rruPerMail: round(perMail.rru, 3),
    wruPerMail: round(perMail.wru, 3),
    sfnLogBytesPerMail,
    startRru: sim.perStart.readUnits,
    startWru: sim.perStart.writeUnits,
    confirmRru: round(confirm.rru, 3),
    confirmWru: round(confirm.wru, 3),
    ishojMailsPerYear: sim.ishojMails,
    ishojConfirmationsPerYear: sim.ishojConfirmations,
    caseOpenDays: sim.caseOpenDaysMean,
    measuredDecideMsP50: sim.durationsMs.decide?.p50 ?? 0,
    measuredNotifyMsP50: sim.durationsMs.notify?.p50 ?? 0,
    measuredHttpPostMsP50: sim.durationsMs.httpPost?.p50 ?? 0,
  };

  // What one reminder mail and one confirmation cost on their own (all-in, at the list above).
  const p = PRICE_LIST.prices;
  const usdPerMail =
    perMail.transitions * p.sfnTransition.usd +
    lambdaPerMail * (p.lambdaRequest.usd + a.xrayTracesPerInvocation * p.xrayTrace.usd) +
    gbSecondsPerMail * p.lambdaGbSecond.usd +
    perMail.rru * p.dynamoRru.usd +
    perMail.wru * p.dynamoWru.usd +
    p.sesMail.usd +
    ((sfnLogBytesPerMail + lambdaPerMail * a.lambdaLogBytes) / 1e9) * p.logsGbIngested.usd;
  const usdPerConfirmation =
    2 * (p.apiRequest.usd + p.lambdaRequest.usd + a.xrayTracesPerInvocation * p.xrayTrace.usd) +
    ((2 * d.http * a.memoryGb.http) / 1000) * p.lambdaGbSecond.usd +
    confirm.rru * p.dynamoRru.usd +
    confirm.wru * p.dynamoWru.usd +
    ((2 * (a.lambdaLogBytes + a.apiLogBytes)) / 1e9) * p.logsGbIngested.usd;
  Object.assign(drivers, {
    usdPerMail: round(usdPerMail, 8),
    usdPerConfirmation: round(usdPerConfirmation, 8),
    usdPerCase: round(
      caseMailsPerCase * usdPerMail +
        caseConfirmationsPerCase * usdPerConfirmation +
        sim.perStart.readUnits * p.dynamoRru.usd +
        sim.perStart.writeUnits * p.dynamoWru.usd +
        p.apiRequest.usd +
        p.lambdaRequest.usd,
      8,
    ),
  });

  const municipalities = MUNICIPALITIES.map((m): MunicipalityCost => {
    const month = (perYear: number) => perYear / 12;
    const mailsYear = m.casesPerYear * caseMailsPerCase + m.ishojTimelines * sim.ishojMails;
    const confirmsYear =
      m.casesPerYear * caseConfirmationsPerCase + m.ishojTimelines * sim.ishojConfirmations;
    const startsYear = m.casesPerYear + m.ishojTimelines;
    const apiYear = startsYear + 2 * confirmsYear;
    const httpGbSecondsYear =
      ((startsYear * http.startMs + confirmsYear * (http.getMs + http.postMs)) * a.memoryGb.http) / 1000;
    const appRruYear = startsYear * sim.perStart.readUnits + confirmsYear * confirm.rru;
    const appWruYear = startsYear * sim.perStart.writeUnits + confirmsYear * confirm.wru;
    const storageGb = (m.casesPerYear * a.storedBytesPerCase) / 1e9;

    const loopLambdaYear = mailsYear * lambdaPerMail;
    const fristflow = priced([
      { item: "state transitions", key: "sfnTransition", perMonth: month(mailsYear * perMail.transitions) },
      {
        item: "Lambda requests (loop + HTTP)",
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
      { item: "DynamoDB storage GB", key: "dynamoStorageGbMonth", perMonth: storageGb },
      { item: "PITR GB", key: "pitrGbMonth", perMonth: storageGb },
      { item: "SES mails", key: "sesMail", perMonth: month(mailsYear) },
      { item: "API Gateway requests", key: "apiRequest", perMonth: month(apiYear) },
      {
        item: "CloudWatch Logs GB",
        key: "logsGbIngested",
        perMonth: month(
          (mailsYear * sfnLogBytesPerMail +
            (loopLambdaYear + apiYear) * a.lambdaLogBytes +
            apiYear * a.apiLogBytes) /
            1e9,
        ),
      },
      {
        item: "X-Ray traces",
        key: "xrayTrace",
        perMonth: month((loopLambdaYear + apiYear) * a.xrayTracesPerInvocation),
      },
      { item: "secrets", key: "secretMonth", perMonth: a.secrets },
      { item: "alarms", key: "alarmMonth", perMonth: a.alarms },
    ]);

    const n = a.naive;
    const openItems = m.casesPerYear * (sim.caseOpenDaysMean / 365) + m.ishojTimelines * a.ishojOpenItems;
    const rruPerPoll = Math.max(0.5, Math.ceil((openItems * n.openItemBytes) / 4096) * 0.5);
    const pollMs = n.pollBaseMs + openItems * n.pollMsPerItem;
    const naive = priced([
      {
        item: "Lambda requests (polls + HTTP)",
        key: "lambdaRequest",
        perMonth: month(n.pollsPerYear + apiYear),
      },
      {
        item: "Lambda GB-seconds",
        key: "lambdaGbSecond",
        perMonth: month(
          (n.pollsPerYear * pollMs * a.memoryGb.poller + mailsYear * n.mailMs * a.memoryGb.poller) / 1000 +
            httpGbSecondsYear,
        ),
      },
      { item: "DynamoDB WRU", key: "dynamoWru", perMonth: month(mailsYear * n.wruPerMail + appWruYear) },
      { item: "DynamoDB RRU", key: "dynamoRru", perMonth: month(n.pollsPerYear * rruPerPoll + appRruYear) },
      { item: "DynamoDB storage GB", key: "dynamoStorageGbMonth", perMonth: storageGb },
      { item: "PITR GB", key: "pitrGbMonth", perMonth: storageGb },
      { item: "SES mails", key: "sesMail", perMonth: month(mailsYear) },
      { item: "API Gateway requests", key: "apiRequest", perMonth: month(apiYear) },
      {
        item: "CloudWatch Logs GB",
        key: "logsGbIngested",
        perMonth: month(
          (n.pollsPerYear * n.logBytesPerPoll +
            mailsYear * n.logBytesPerMail +
            apiYear * (a.lambdaLogBytes + a.apiLogBytes)) /
            1e9,
        ),
      },
      {
        item: "X-Ray traces",
        key: "xrayTrace",
        perMonth: month((n.pollsPerYear + apiYear) * a.xrayTracesPerInvocation),
      },
      { item: "secrets", key: "secretMonth", perMonth: a.secrets },
      { item: "alarms", key: "alarmMonth", perMonth: a.alarms },
    ]);
    return {
      name: m.name,
      casesPerYear: m.casesPerYear,
      ishojTimelines: m.ishojTimelines,
      openItems: Math.round(openItems),
      rruPerPoll,
      mailsPerYear: Math.round(mailsYear),
      confirmationsPerYear: Math.round(confirmsYear),
      fristflow,
      naive,
      ratio: round(fristflow.usdPerMonth / naive.usdPerMonth, 2),
    };
  });

  printCost(drivers, municipalities);
  return { priceList: PRICE_LIST, assumptions: ASSUMPTIONS, drivers, municipalities };
}

function qty(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString("en-US");
  if (n >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

function usd(n: number): string {
  return n >= 1 ? `$${n.toFixed(2)}` : `$${n.toFixed(4)}`;
}

function printCost(d: Record<string, number>, municipalities: MunicipalityCost[]): void {
  heading(
    `Cost model: ${PRICE_LIST.region} on-demand list prices as of ${PRICE_LIST.asOf}, ${PRICE_LIST.currency}, free tiers ignored`,
  );
  for (const p of Object.values(PRICE_LIST.prices)) console.log(`  ${p.label}: $${p.usd.toPrecision(4)}`);
  console.log("Measured drivers (simulation; per reminder mail = all loop work / mails sent):");
  console.log(
    `  per case: ${d.mailsPerCase} mails, ${d.confirmationsPerCase} confirmations (GET + POST), 1 start (admin API)`,
  );
  console.log(
    `  per mail: ${d.transitionsPerMail} transitions, ${d.lambdaPerMail} Lambda invocations, ${d.gbSecondsPerMail} GB-s, ${d.rruPerMail} RRU, ${d.wruPerMail} WRU, ~${d.sfnLogBytesPerMail} B of Step Functions log`,
  );
  const du = ASSUMPTIONS.durationMs;
  console.log(
    `  Lambda durations (stated): decide ${du.decide} ms, notify ${du.notifyPerBatch} ms + ${du.notifyPerMail} ms per mail, park ${du.park} ms, http ${du.http} ms (in-process here, queueing included: decide ${d.measuredDecideMsP50}, notify ${d.measuredNotifyMsP50}, POST ${d.measuredHttpPostMsP50} ms p50)`,
  );
  console.log(
    `  per start: ${d.startRru} RRU, ${d.startWru} WRU; per confirmation (GET + POST): ${d.confirmRru} RRU, ${d.confirmWru} WRU`,
  );
  console.log(
    `  all-in: $${(d.usdPerMail ?? 0).toFixed(6)} per reminder mail (of which $${PRICE_LIST.prices.sesMail.usd.toFixed(6)} SES, $${((d.transitionsPerMail ?? 0) * PRICE_LIST.prices.sfnTransition.usd).toFixed(6)} Step Functions), $${(d.usdPerConfirmation ?? 0).toFixed(6)} per confirmation, $${(d.usdPerCase ?? 0).toFixed(6)} per case deadline`,
  );
  console.log(
    `  Ishøj-size timeline: ${d.ishojMailsPerYear} mails and ${d.ishojConfirmationsPerYear} confirmations in its first year; a case stays open ${d.caseOpenDays} days on average`,
  );
  const a = ASSUMPTIONS.naive;
  console.log(
    `Naive design: a scheduled Lambda every 5 min (${a.pollsPerYear.toLocaleString("en-US")} invocations/yr), each a Query of all open deadlines (${a.openItemBytes} B each, eventually consistent: 0.5 RRU per 4 KB), ${a.pollBaseMs} ms + ${a.pollMsPerItem} ms per item, ${a.mailMs} ms per mail at 512 MB, ${a.wruPerMail} WRU per mail; same mails, starts and confirmations.`,
  );
  for (const m of municipalities) {
    console.log(
      `\n${m.name}: ${m.casesPerYear.toLocaleString("en-US")} case deadlines/yr${m.ishojTimelines ? " + one Ishøj-size timeline" : ""} -> ${m.mailsPerYear.toLocaleString("en-US")} mails, ${m.confirmationsPerYear.toLocaleString("en-US")} confirmations/yr; naive poll reads ${m.openItems.toLocaleString("en-US")} open items = ${m.rruPerPoll} RRU per poll`,
    );
    console.log(`  ${"item".padEnd(30)} ${"fristflow / month".padEnd(38)} ${"naive poller / month"}`);
    const items = new Set([...m.fristflow.rows.map((r) => r.item), ...m.naive.rows.map((r) => r.item)]);
    const cell = (r: DesignCost["rows"][number] | undefined) =>
      r ? `${qty(r.quantityPerMonth)} x ${r.unitUsd.toPrecision(3)} = ${usd(r.usdPerMonth)}` : "-";
    for (const item of items) {
      const base = item.replace(/ \(.*\)$/, "");
      const f = m.fristflow.rows.find((r) => r.item.replace(/ \(.*\)$/, "") === base);
      const n = m.naive.rows.find((r) => r.item.replace(/ \(.*\)$/, "") === base);
      if (item !== (f?.item ?? n?.item)) continue;
      console.log(`  ${base.padEnd(30)} ${cell(f).padEnd(38)} ${cell(n)}`);
    }
    console.log(
      `  ${"total".padEnd(30)} ${usd(m.fristflow.usdPerMonth).padEnd(38)} ${usd(m.naive.usdPerMonth)}  (fristflow / naive = ${fmt(m.ratio, 2)})`,
    );
  }
}
