/** Cost model, printing: the drivers, the assumptions and each municipality's bill, quantity x unit price. */
import type { ByRegion, MunicipalityCost } from "./cost.ts";
import {
  ASSUMPTIONS,
  type deployedLoopSettings,
  FLOOR_KEYS,
  PRICE_LABELS,
  PRICE_LISTS,
  type PriceKey,
} from "./cost-prices.ts";
import { fmt, heading } from "./support.ts";

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

export function printCost(
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
    `  Step Functions logs (deployed: level ${settings.loopLogLevel}, execution data ${settings.loopLogExecutionData ? "on" : "off"}): ${d.sfnErrorEventsPerMail} events per mail at level ERROR (each timer wake-up is a TaskTimedOut of Sleep, a signal's wake and continuing as new a TaskFailed), ~${d.sfnLogBytesPerMailErrorNoData} B per mail without data; level ALL with execution data would be ~${d.sfnLogBytesPerMailAllWithData} B per mail (every history event, its state, task tokens, lambda:invoke results)`,
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
  const ratio = (v: ByRegion) => regions.map((r) => fmt(v[r] ?? Number.NaN, 3)).join(" / ");
  for (const mc of municipalities) {
    console.log(
      `  ${mc.name.padEnd(7)} ${pair(mc.floor).padEnd(26)} ${pair(mc.fristflow.usdPerMonth).padEnd(20)} ${pair(mc.poller.usdPerMonth).padEnd(20)} ${ratio(mc.fristflowToPoller).padEnd(18)} ${ratio(mc.fristflowToFloor).padEnd(18)} ${ratio(mc.pollerToFloor)}`,
    );
  }
}
