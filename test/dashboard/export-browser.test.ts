/**
 * Issue 14's exports in a real browser (Debian chromium via playwright-core): Anna logs in through
 * the embedded OpenID provider as staff do, opens an instance and clicks its download links; the
 * files are read back with papaparse and read-excel-file, readers independent of the writers
 * (Danish headers, one row per milestone, dates as dates, æ ø å intact), and the access log names
 * her for each download. Then the committee report in print: a long unit name in full, no menu and
 * no buttons, and a PDF made of it.
 */
import { mkdir, readFile } from "node:fs/promises";
import Papa from "papaparse";
import type { Browser, BrowserContext, Download, Page } from "playwright-core";
import { readSheet } from "read-excel-file/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../shared/time/clock.ts";
import { plan } from "../../shared/timeline/plan.ts";
import type { InstanceUnit } from "../../shared/timeline/types.ts";
import { type AppHarness, startAppHarness, testWorkflow, UNITS, WORKFLOW_YAML } from "../http/app-harness.ts";
import { logIn } from "../people/browser-login.ts";
import { launchChromium } from "../support/browser.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import { Client, loginThroughProvider } from "./client.ts";

const LONG_UNIT =
  "Ærøskøbing Skole – Afdelingen for Specialundervisning, Pædagogisk Psykologisk Rådgivning og Østre Ålegård";
const INSTANCE = "skoleopfoelgning-export1";
const ARTIFACTS = "test/.artifacts";
const REASON = "Afventer byrådets beslutning om Ærø-skolernes økonomi";

let h: AppHarness<MemoryTestTable>;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  const clock = new ManualClock("2024-05-01T06:00:00Z");
  h = await startAppHarness(clock, await createMemoryTable({ clock }), (t) => t.snapshot(), { people: true });
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  const definition = testWorkflow();
  await h.table.stores.workflows.putVersion({
    workflowId: definition.id,
    source: WORKFLOW_YAML,
    definition,
    createdBy: "test",
  });
  const units: InstanceUnit[] = [
    { id: "skole-a", type: "skole", name: LONG_UNIT },
    { id: "skole-b", type: "skole", name: "Skole B" },
  ];
  const planned = plan(definition, "2024-04-01", {}, units);
  await h.table.stores.instances.create({
    instanceId: INSTANCE,
    workflowId: definition.id,
    workflowVersion: 1,
    startAt: planned.startAt,
    params: {},
    units,
    createdBy: "user:anna (Anna Administrator)",
    name: "Opfølgning på Ærø",
  });
  await h.table.stores.instances.syncOccurrences(INSTANCE, planned.occurrences, undefined, {
    workflowId: definition.id,
    workflowVersion: 1,
    units,
  });
  await h.table.stores.audit.append(INSTANCE, {
    action: "instance.held",
    by: "user:anna (Anna Administrator)",
    details: { reason: REASON },
  });
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
  context = await browser.newContext({ locale: "da-DK", acceptDownloads: true });
  page = await logIn(h.url, context, "anna", `/instances/${INSTANCE}`);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await h?.close();
});

/** Clicks the link and gives the downloaded file's name and bytes. */
async function download(name: string): Promise<{ filename: string; bytes: Buffer }> {
  const waiting = page.waitForEvent("download");
  await page.getByRole("link", { name, exact: true }).click();
  const file: Download = await waiting;
  const path = await file.path();
  return { filename: file.suggestedFilename(), bytes: await readFile(path) };
}

/**
 * A date cell read back, to the minute: Excel keeps a date as a fractional day, so a reader's
 * milliseconds can land one short of the minute Excel shows.
 */
function toMinute(value: unknown): string {
  if (!(value instanceof Date)) throw new Error(`not a date: ${String(value)}`);
  return new Date(Math.round(value.getTime() / 60_000) * 60_000).toISOString().slice(0, 16);
}

function csvRows(bytes: Buffer): string[][] {
  const text = bytes.toString("utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const parsed = Papa.parse<string[]>(text.slice(1), { delimiter: ";", skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe("exports from the instance page", () => {
  it("downloads the milestones as CSV and XLSX, with Danish headers, dates as dates and æ ø å intact", async () => {
    // Act
    await page.screenshot({ path: `${ARTIFACTS}/export-01-instance.png`, fullPage: true });
    const csv = await download("Hent som CSV (milepælene)");
    const xlsx = await download("Hent som Excel (XLSX) (milepælene)");
    // Assess: three occurrences (the status per school, the plan), as the page's table has them
    const rows = csvRows(csv.bytes);
    expect(csv.filename).toBe("Opfølgning på Ærø – milepæle.csv");
    expect(rows[0]).toEqual([
      "Milepæl",
      "Enhed",
      "Ansvarlig",
      "Frist",
      "Status",
      "Bekræftet",
      "Bekræftet af",
    ]);
    expect(rows).toHaveLength(4);
    const school = rows.find((r) => r[1] === LONG_UNIT);
    expect(school?.slice(0, 5)).toEqual([
      "Statusrapport",
      LONG_UNIT,
      `Leder af ${LONG_UNIT}`,
      "01-06-2024 23:59",
      "åben",
    ]);
    const sheet = await readSheet(xlsx.bytes);
    expect(xlsx.filename).toBe("Opfølgning på Ærø – milepæle.xlsx");
    expect(sheet[0]).toEqual(rows[0]);
    expect(sheet).toHaveLength(4);
    const row = sheet.find((r) => r[1] === LONG_UNIT);
    expect(row?.[3]).toBeInstanceOf(Date);
    // 23:59 on 1 June in Copenhagen, as the spreadsheet's wall clock (it has no timezones).
    expect(toMinute(row?.[3])).toBe("2024-06-01T23:59");
  });

  it("downloads the history with the reason in its own column, and logs every download by name", async () => {
    // Act
    const csv = await download("Hent som CSV (historikken)");
    const xlsx = await download("Hent som Excel (XLSX) (historikken)");
    // Assess
    const rows = csvRows(csv.bytes);
    expect(rows[0]).toEqual(["Tidspunkt", "Hvem", "Hvad", "Begrundelse"]);
    // The store's own "started" entry, then the hold.
    expect(rows).toHaveLength(3);
    expect(rows[1]?.[2]).toBe("Forløbet blev startet");
    expect(rows[2]?.slice(1)).toEqual(["Anna Administrator (anna)", "Forløbet blev sat på pause", REASON]);
    expect(rows[2]?.[0]).toBe("01-05-2024 08:00");
    const sheet = await readSheet(xlsx.bytes);
    expect(sheet[0]).toEqual(rows[0]);
    expect(sheet[2]?.[3]).toBe(REASON);
    expect(toMinute(sheet[2]?.[0])).toBe("2024-05-01T08:00");
    const log = await h.table.stores.accessLog.forInstance(INSTANCE);
    const downloads = log
      .filter((e) => e.view.endsWith("-export"))
      .map((e) => `${e.view} ${e.detail ?? ""} ${e.who.id}`)
      .sort();
    expect(downloads).toEqual([
      "instance-audit-export csv anna",
      "instance-audit-export xlsx anna",
      "instance-milestones-export csv anna",
      "instance-milestones-export xlsx anna",
    ]);
  });
});

describe("the files over HTTP", () => {
  it("are in English for an English user, named after the instance, and never cached", async () => {
    // Prepare: Vera (a viewer) switches the dashboard to English
    const vera = new Client(h);
    await loginThroughProvider(vera, h.url, "vera@kommune.example.dk", "vera-password-1");
    await vera.get("/language/en");
    // Act
    const csv = await vera.get(`/instances/${INSTANCE}/milestones.csv`);
    const xlsx = await vera.get(`/instances/${INSTANCE}/audit.xlsx`);
    // Assess
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe(
      "attachment; filename=\"Opfoelgning-paa-Aeroe-milestones.csv\"; filename*=UTF-8''Opf%C3%B8lgning%20p%C3%A5%20%C3%86r%C3%B8%20%E2%80%93%20milestones.csv",
    );
    expect(csv.headers.get("cache-control")).toBe("no-store");
    expect(csv.text.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe(
      "Milestone;Unit;Owner;Deadline;Status;Confirmed at;Confirmed by",
    );
    expect(xlsx.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-disposition")).toContain(
      'filename="Opfoelgning-paa-Aeroe-history.xlsx"',
    );
  });
});

describe("who may export", () => {
  it("answers a caseworker with no part in the case as if it did not exist, and logs nothing for her", async () => {
    // Prepare: Sara is a caseworker; she did not start this instance and is named nowhere in it
    const sara = new Client(h);
    await loginThroughProvider(sara, h.url, "sara@kommune.example.dk", "sara-password-1");
    // Act
    const answers = await Promise.all(
      ["milestones.csv", "milestones.xlsx", "audit.csv", "audit.xlsx"].map(
        async (file) => (await sara.get(`/instances/${INSTANCE}/${file}`)).status,
      ),
    );
    // Assess
    expect(answers).toEqual([404, 404, 404, 404]);
    const log = await h.table.stores.accessLog.forInstance(INSTANCE);
    expect(log.filter((e) => e.who.id === "sara")).toEqual([]);
  });
});

describe("the committee report in print", () => {
  it("keeps a long unit name whole on A4, without the menu and the buttons, and prints to PDF", async () => {
    // Prepare: an A4 page's width at 96 dpi, print styles
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.goto(`${h.url}/instances/${INSTANCE}/report`);
    await page.emulateMedia({ media: "print" });
    // Act
    const cell = page.locator("table.report td", { hasText: LONG_UNIT }).first();
    const box = await cell.evaluate((el) => ({
      text: el.textContent,
      clipped: el.scrollWidth > el.clientWidth + 1,
      right: el.getBoundingClientRect().right,
    }));
    const listed = await page.locator(".gantt-list .name", { hasText: LONG_UNIT }).first().textContent();
    const pdf = await page.pdf({ format: "A4", printBackground: false });
    await page.screenshot({ path: `${ARTIFACTS}/export-02-report-print.png`, fullPage: true });
    // Assess
    expect(box.text).toBe(LONG_UNIT);
    expect(box.clipped).toBe(false);
    expect(box.right).toBeLessThanOrEqual(794);
    expect(listed).toBe(`Statusrapport – ${LONG_UNIT}`);
    expect(await page.locator(".top").isVisible()).toBe(false);
    // Every badge in black on white, the timeline's "frist snart" too.
    const backgrounds = await page.evaluate(
      "[...new Set([...document.querySelectorAll('.badge')].map((el) => getComputedStyle(el).backgroundColor))]",
    );
    expect(backgrounds).toEqual(["rgba(0, 0, 0, 0)"]);
    expect(await page.locator("main a.button, main button").filter({ visible: true }).count()).toBe(0);
    await expect(page.getByText("Udskriv / gem som PDF", { exact: false }).isVisible()).resolves.toBe(false);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    await page.emulateMedia({ media: "screen" });
    await expect(page.getByText("Udskriv / gem som PDF", { exact: false }).isVisible()).resolves.toBe(true);
  });
});
