/**
 * One truth on every page: for a running instance of every bundled template, the overview, the
 * instance list, the instance page, its report, the API and the .ics feed count the same
 * occurrences as overdue, due soon, waiting and so on, because they all ask timeline/status.ts.
 *
 * The instances start 14 months back and nobody confirms anything, so every template has
 * milestones past their planned deadline that still wait for an earlier one: the case that made
 * the overview say "24 overdue" where the instance page said 1 overdue and 23 waiting.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedTemplates, WORKFLOWS_DIR } from "../../infra/local/seed.ts";
import { runDecide } from "../../shared/app/decide-step.ts";
import { loadUnits } from "../../shared/model/load.ts";
import type { Workflow } from "../../shared/model/schema.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { OCCURRENCE_STATUSES, type OccurrenceStatusName } from "../../shared/timeline/status.ts";
import { ADMIN_TOKEN } from "../http/app-harness.ts";
import { type MemoryHarness, startMemoryHarness } from "../http/memory-harness.ts";
import { Client, visibleText } from "./client.ts";

const NOW = "2025-03-03T09:00:00Z";
const START = "2024-01-02";

interface ApiMilestone {
  key: string;
  status: OccurrenceStatusName;
  dueAt: string | null;
  confirmable: boolean;
}
interface ApiDetail {
  instance: { instanceId: string; workflowId: string };
  counts: Record<OccurrenceStatusName, number>;
  units: { milestones: ApiMilestone[] }[];
}

let h: MemoryHarness;
let client: Client;
const started: { workflowId: string; instanceId: string }[] = [];

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${h.url}/api${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
  });
}

/** A value each parameter accepts: a case reference with letters, staff addresses. */
function paramsFor(definition: Workflow): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(definition.parameters)) {
    params[name] = parameter.type === "email" ? `${name.toLowerCase()}@kommune.example.dk` : "SAG-2024-17";
  }
  return params;
}

beforeAll(async () => {
  h = await startMemoryHarness(NOW);
  const ids = await seedTemplates(h.table.stores);
  for (const file of ["ishoj-units.yaml", "ballerup-units.yaml"]) {
    const loaded = loadUnits(await readFile(`${WORKFLOWS_DIR}samples/${file}`, "utf8"), file);
    if (!loaded.ok) throw new Error(`sample units ${file} do not load`);
    for (const unit of loaded.value) await h.table.stores.units.put(unit);
  }
  for (const workflowId of ids) {
    const version = await h.table.stores.workflows.get(workflowId);
    if (version === null) throw new Error(`template ${workflowId} was not stored`);
    const response = await api("/instances", {
      method: "POST",
      // Catch-up, as before a start in the past asked for a choice: the counts include what is overdue.
      body: JSON.stringify({
        workflowId,
        start: START,
        past: "catch-up",
        params: paramsFor(version.definition),
      }),
    });
    expect(response.status, `starting ${workflowId}: ${await response.clone().text()}`).toBe(201);
    const { id: instanceId } = (await response.json()) as { id: string };
    // The loop's step writes the milestone states the overview and the instance list read.
    await runDecide(
      { ...h.table.stores, clock: h.clock },
      { instanceId, execution: { id: `exec-${instanceId}`, startedAt: NOW } },
    );
    started.push({ workflowId, instanceId });
  }
  client = new Client(h);
  await client.login();
}, 120_000);

afterAll(async () => {
  await h?.close();
});

/** "overskredet: 1 · venter: 23" back into counts (every status named, the rest 0). */
function parseCounts(text: string): Record<string, number> {
  const labels: Record<string, OccurrenceStatusName> = {
    overskredet: "overdue",
    "frist snart": "due-soon",
    åben: "open",
    venter: "waiting",
    "sat i bero": "on-hold",
    bekræftet: "confirmed",
    periode: "period",
  };
  const counts: Record<string, number> = Object.fromEntries(OCCURRENCE_STATUSES.map((s) => [s, 0]));
  for (const part of text.split(" · ")) {
    const match = /^(.+): (\d+)$/.exec(part.trim());
    if (match === null) throw new Error(`not a count: "${part}" in "${text}"`);
    const status = labels[match[1] ?? ""];
    if (status === undefined) throw new Error(`unknown status label "${match[1]}"`);
    counts[status] = Number(match[2]);
  }
  return counts;
}

/** The text of the <dd> after the <dt> "Milepæle" in a facts list. */
function milestoneFacts(page: string): string {
  const match = /<dt>Milepæle<\/dt><dd>([^<]*)<\/dd>/.exec(page);
  if (match === null) throw new Error("the page has no milestone counts");
  return match[1] ?? "";
}

/** The overview's rows for one instance, in the section under a heading that starts with `heading`. */
function overviewRows(page: string, heading: string, instanceId: string): number {
  const sections = page.split("<h2>");
  const section = sections.find((s) => s.startsWith(heading)) ?? "";
  return section.split(`<a href="/instances/${instanceId}">`).length - 1;
}

describe("every page counts an instance's milestones the same way", () => {
  it("overview, instance list, instance page, report, API and .ics feed agree, for every template", async () => {
    expect(started.length).toBeGreaterThanOrEqual(8);
    const overview = (await client.get("/")).text;
    const list = (await client.get("/instances")).text;
    let waitingPastDue = 0;
    for (const { workflowId, instanceId } of started) {
      const detail = (await (await api(`/instances/${instanceId}`)).json()) as ApiDetail;
      const milestones = detail.units.flatMap((g) => g.milestones);
      const fromMilestones = Object.fromEntries(
        OCCURRENCE_STATUSES.map((s) => [s, milestones.filter((m) => m.status === s).length]),
      );
      const why = `${workflowId} (${instanceId})`;
      expect(detail.counts, why).toEqual(fromMilestones);
      waitingPastDue += milestones.filter(
        (m) =>
          m.status === "waiting" &&
          m.dueAt !== null &&
          Temporal.Instant.compare(Temporal.Instant.from(m.dueAt), Temporal.Instant.from(NOW)) < 0,
      ).length;

      const page = (await client.get(`/instances/${instanceId}`)).text;
      expect(parseCounts(milestoneFacts(page)), `instance page of ${why}`).toEqual(detail.counts);
      const report = (await client.get(`/instances/${instanceId}/report`)).text;
      expect(parseCounts(milestoneFacts(report)), `report of ${why}`).toEqual(detail.counts);

      expect(overviewRows(overview, "Overskredne frister", instanceId), `overview, overdue, ${why}`).toBe(
        detail.counts.overdue,
      );
      expect(overviewRows(overview, "Frist inden for", instanceId), `overview, due soon, ${why}`).toBe(
        detail.counts["due-soon"],
      );

      const row = new RegExp(
        `<code>${instanceId}</code>.*?<td class="num" data-label="Overskredne">(\\d+)</td></tr>`,
      ).exec(list);
      expect(row?.[1], `instance list row of ${why}`).toBe(String(detail.counts.overdue));

      const feedPath = /value="http:\/\/[^"]*(\/instances\/[^"]+\/deadlines\.ics[^"]*)"/.exec(page)?.[1];
      expect(feedPath, `feed link of ${why}`).toBeDefined();
      const feed = await (await fetch(`${h.url}${(feedPath ?? "").replaceAll("&amp;", "&")}`)).text();
      const events = feed.split("BEGIN:VEVENT").length - 1;
      const outstanding = milestones.filter(
        (m) =>
          m.confirmable && m.dueAt !== null && ["overdue", "due-soon", "open", "waiting"].includes(m.status),
      ).length;
      expect(events, `.ics feed of ${why}`).toBe(outstanding);
    }
    // The case that used to disagree is there to disagree about.
    expect(waitingPastDue).toBeGreaterThan(0);
    expect(visibleText(overview)).not.toContain("undefined");
  });
});
