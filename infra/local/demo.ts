/**
 * `fristflow demo`: the Ishøj timeline from 2023-11-01 to its end, in skip mode, on the real
 * local stack. Simulated leaders read the mails fristflow puts in the outbox, open the confirm
 * link (GET) and confirm it (POST) over real HTTP: most on time, some late, and one daycare
 * leader never, so escalation shows; that unit's manager finally confirms from the third
 * escalation mail. Reproducible: every choice comes from a seeded generator.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { renderGantt } from "../../shared/dashboard/instances/gantt.ts";
import { html, type SafeHtml } from "../../shared/html/html.ts";
import { claimsOfLinkUrl, type LinkClaims } from "../../shared/links/confirm-link.ts";
import type { Workflow } from "../../shared/model/schema.ts";
import { formatNumeric } from "../../shared/time/format.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { occurrenceStatus } from "../../shared/timeline/decide.ts";
import { pickText } from "../../shared/timeline/format.ts";
import { confirmUrlIn } from "./mailed-links.ts";
import { seeded } from "./seeded-random.ts";
import { type LocalStack, startLocalStack } from "./stack.ts";

export interface DemoOptions {
  seed?: number;
  /** The unit whose leader never confirms. */
  silentUnit?: string;
  /** Where to write the HTML report. */
  reportDir?: string;
  log?: (line: string) => void;
  /** Safety stop in virtual time. */
  endAt?: string;
  /** Called with the running stack after the run, before it stops (tests read the store here). */
  onFinished?: (stack: LocalStack, instanceId: string) => Promise<void>;
}

export interface DemoLeaderAction {
  at: string;
  occurrenceKey: string;
  who: "leader" | "manager";
  outcome: "confirmed" | "already" | "refused";
  dueAt: string;
  /** Rounded, for people; compare `at` with `dueAt` for exact lateness. */
  daysFromDeadline: number;
}

export interface DemoResult {
  instanceId: string;
  done: boolean;
  mails: { at: string; to: string[]; subject: string; kind: string; occurrenceKey: string | null }[];
  actions: DemoLeaderAction[];
  reportPath: string;
  virtualDays: number;
  wallMs: number;
  engine: ReturnType<LocalStack["engine"]["stats"]>;
}

const WORKFLOW_ID = "ishoj-staerke-faellesskaber";
const START = "2023-11-01";
const DAY_MS = 86_400_000;

interface PendingAction {
  at: Temporal.Instant;
  url: string;
  occurrenceKey: string;
  who: "leader" | "manager";
  dueAt: string;
}

function mailKind(subject: string): string {
  if (/^Frist overskredet|^Overdue/i.test(subject)) return "escalation";
  if (/^Påmindelse|^Reminder/i.test(subject)) return "reminder";
  return "activated";
}

/** People confirm on weekdays between 8 and 16 local time, and never before they got the mail. */
function atWorkingHour(
  target: Temporal.Instant,
  notBefore: Temporal.Instant,
  random: () => number,
): Temporal.Instant {
  let day = target.toZonedDateTimeISO("Europe/Copenhagen").toPlainDate();
  while (day.dayOfWeek > 5) day = day.add({ days: 1 });
  const at = day
    .toZonedDateTime({
      timeZone: "Europe/Copenhagen",
      plainTime: new Temporal.PlainTime(8 + Math.floor(random() * 8), Math.floor(random() * 60)),
    })
    .toInstant();
  return Temporal.Instant.compare(at, notBefore) > 0 ? at : notBefore.add({ hours: 1 });
}

/** What a mailed link is for, read the way the confirm page reads it (its signature checked). */
async function occurrenceOfLink(stack: LocalStack, url: string): Promise<LinkClaims | null> {
  return claimsOfLinkUrl(url, await stack.linkKey.getKey(), stack.clock.now());
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? (() => undefined);
  const random = seeded(options.seed ?? 2023);
  const silentUnit = options.silentUnit ?? "dagplejen";
  const wallStart = performance.now();
  const pending: PendingAction[] = [];
  const planned = new Set<string>();
  const mails: DemoResult["mails"] = [];
  let stack: LocalStack | null = null;
  let definition: Workflow | null = null;

  const onMail = async ({
    record,
    raw,
  }: {
    record: { at: string; to: string[]; subject: string };
    raw: string;
  }) => {
    if (!stack) return;
    const url = confirmUrlIn(raw);
    const link = url ? await occurrenceOfLink(stack, url) : null;
    const kind = mailKind(record.subject);
    mails.push({
      at: record.at,
      to: record.to,
      subject: record.subject,
      kind,
      occurrenceKey: link?.occurrenceKey ?? null,
    });
    log(
      `${formatNumeric(record.at, "Europe/Copenhagen")}  mail      → ${record.to.join(", ")}: ${record.subject}`,
    );
    if (!url || !link) return;
    const milestone = (await stack.stores.instances.listMilestones(link.instanceId)).find(
      (m) => m.occurrenceKey === link.occurrenceKey,
    );
    if (!milestone?.dueAt) return;
    const unit = link.occurrenceKey.split("/")[1];
    const now = stack.clock.now();
    const due = Temporal.Instant.from(milestone.dueAt);
    if (unit === silentUnit) {
      // The leader never answers; the manager acts on the third escalation.
      if (
        kind === "escalation" &&
        /rykker 3|reminder 3/i.test(record.subject) &&
        !planned.has(`m:${link.occurrenceKey}`)
      ) {
        planned.add(`m:${link.occurrenceKey}`);
        pending.push({
          at: atWorkingHour(now.add({ hours: 24 }), now, random),
          url,
          occurrenceKey: link.occurrenceKey,
          who: "manager",
          dueAt: milestone.dueAt,
        });
      }
      return;
    }
    if (planned.has(link.occurrenceKey)) return;
    planned.add(link.occurrenceKey);
    // 75 % confirm in the last month before the deadline, 25 % 1-20 days late: escalations show.
    const daysFromDue = random() < 0.75 ? -Math.ceil(random() * 30) : Math.ceil(random() * 20);
    const at = atWorkingHour(due.add({ hours: 24 * daysFromDue }), now, random);
    pending.push({ at, url, occurrenceKey: link.occurrenceKey, who: "leader", dueAt: milestone.dueAt });
  };

  stack = await startLocalStack({ port: 0, clockMode: "skip", startAt: "2023-11-01T07:00:00Z", onMail });
  const actions: DemoLeaderAction[] = [];
  try {
    const created = await fetch(`${stack.url}/api/instances`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ workflowId: WORKFLOW_ID, start: START }),
    });
    if (created.status !== 201)
      throw new Error(`starting the instance failed: ${created.status} ${await created.text()}`);
    const { id: instanceId } = (await created.json()) as { id: string };
    definition = (await stack.stores.workflows.get(WORKFLOW_ID))?.definition ?? null;
    log(
      `${formatNumeric(stack.clock.now().toString(), "Europe/Copenhagen")}  start     ${WORKFLOW_ID} (${instanceId})`,
    );
    const endAt = Temporal.Instant.from(options.endAt ?? "2029-01-01T00:00:00Z");

    for (let round = 0; round < 10_000; round++) {
      // Mails arrive while the engine runs and add leader actions: `until` is re-read each step.
      const earliest = () =>
        pending.reduce<Temporal.Instant>(
          (min, a) => (Temporal.Instant.compare(a.at, min) < 0 ? a.at : min),
          endAt,
        );
      const result = await stack.engine.run({ until: earliest, maxSteps: 100_000 });
      pending.sort((a, b) => Temporal.Instant.compare(a.at, b.at));
      const next = pending[0];
      const instance = await stack.stores.instances.get(instanceId);
      if (instance?.status !== "running") break;
      if (!next || Temporal.Instant.compare(next.at, stack.clock.now()) > 0) {
        if (result.status !== "until" || Temporal.Instant.compare(stack.clock.now(), endAt) >= 0) break;
        continue;
      }
      pending.shift();
      // A leader opens the mail's link (GET shows the page and changes nothing), then confirms.
      const page = await fetch(next.url);
      if (page.status !== 200) log(`  unexpected page status ${page.status} for ${next.occurrenceKey}`);
      const sig = new URL(next.url).searchParams.get("sig") ?? "";
      const posted = await fetch(next.url.split("?")[0] ?? next.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ sig }).toString(),
      });
      const body = await posted.text();
      const outcome =
        posted.status !== 200 ? "refused" : /Allerede|Already/i.test(body) ? "already" : "confirmed";
      const daysFromDeadline = Math.round((next.at.epochMilliseconds - Date.parse(next.dueAt)) / DAY_MS);
      actions.push({
        at: next.at.toString(),
        occurrenceKey: next.occurrenceKey,
        who: next.who,
        outcome,
        dueAt: next.dueAt,
        daysFromDeadline,
      });
      const when =
        daysFromDeadline <= 0
          ? `${-daysFromDeadline} days before the deadline`
          : `${daysFromDeadline} days late`;
      log(
        `${formatNumeric(next.at.toString(), "Europe/Copenhagen")}  ${outcome.padEnd(10)}${next.occurrenceKey} by the ${next.who} (${when})`,
      );
      if (Temporal.Instant.compare(stack.clock.now(), endAt) >= 0) break;
    }

    await options.onFinished?.(stack, instanceId);
    const instance = await stack.stores.instances.get(instanceId);
    const loaded = await stack.stores.instances.loadState(instanceId);
    const reportDir = resolve(options.reportDir ?? ".data/demo");
    await mkdir(reportDir, { recursive: true });
    const reportPath = join(reportDir, "report.html");
    if (definition) {
      const statuses = occurrenceStatus(definition, loaded.state, stack.clock.now());
      const names = new Map(loaded.state.units.map((u) => [u.id, u.name]));
      const titles = new Map(definition.milestones.map((m) => [m.id, pickText(m.title, "da")]));
      const svg = renderGantt({
        rows: statuses.map((o) => ({
          occurrence: o,
          title: titles.get(o.milestoneId) ?? o.milestoneId,
          unitName: o.unitId ? (names.get(o.unitId) ?? o.unitId) : null,
        })),
        startAt: loaded.state.startAt,
        now: stack.clock.now().toString(),
        timezone: definition.timezone,
        language: "da",
      });
      const label = (key: string) => {
        const [milestoneId = "", unitId = "-", index = "0"] = key.split("/");
        const repeats = definition?.milestones.find((m) => m.id === milestoneId)?.recurrence;
        const title = `${titles.get(milestoneId) ?? milestoneId}${repeats ? ` #${Number(index) + 1}` : ""}`;
        return unitId === "-" ? title : `${title} – ${names.get(unitId) ?? unitId}`;
      };
      await writeFile(reportPath, demoReport(definition, mails, actions, svg, label).toString());
    }
    return {
      instanceId,
      done: instance?.status === "done",
      mails,
      actions,
      reportPath,
      virtualDays: Math.round(
        (stack.clock.now().epochMilliseconds - Date.parse("2023-11-01T07:00:00Z")) / DAY_MS,
      ),
      wallMs: Math.round(performance.now() - wallStart),
      engine: stack.engine.stats(),
    };
  } finally {
    await stack.stop();
  }
}

function demoReport(
  definition: Workflow,
  mails: DemoResult["mails"],
  actions: DemoLeaderAction[],
  svg: SafeHtml,
  label: (occurrenceKey: string) => string,
) {
  const late = actions.filter((a) => a.daysFromDeadline > 0).length;
  const count = (kind: string) => mails.filter((m) => m.kind === kind).length;
  return html`<!doctype html>
<html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>fristflow demo – ${pickText(definition.title, "da")}</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem;color:#202124}table{border-collapse:collapse}td,th{padding:.25rem .6rem;border-bottom:1px solid #d0d4d9;text-align:left}</style></head>
<body><h1>${pickText(definition.title, "da")}</h1>
<p>Simuleret forløb fra 1. november 2023: ${mails.length} mails (${count("reminder")} påmindelser, ${count("activated")} "din tur", ${count("escalation")} rykkere), ${actions.length} bekræftelser, heraf ${late} for sent.</p>
${svg}
<h2>Bekræftelser</h2><table><thead><tr><th>Tidspunkt</th><th>Milepæl</th><th>Af</th><th>Dage i forhold til frist</th></tr></thead><tbody>
${actions.map((a) => html`<tr><td>${formatNumeric(a.at, definition.timezone)}</td><td>${label(a.occurrenceKey)}</td><td>${a.who === "leader" ? "leder" : "chef"}</td><td>${a.daysFromDeadline}</td></tr>`)}
</tbody></table></body></html>`;
}
