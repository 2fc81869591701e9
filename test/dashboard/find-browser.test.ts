/**
 * Issue 14, "Find", in a real browser (Debian chromium): Anna opens a link to the overview filtered
 * to one unit's overdue deadlines, logs in through the embedded OpenID provider as staff do, and
 * lands on that view: only that unit's overdue rows, each with its responsible person and days
 * overdue, and the form showing the filter. A search over more than a page pages with links that
 * keep it, the form itself (a GET form, no script) makes such a URL, and at 320 px nothing scrolls
 * sideways. That filtered list downloads as CSV and as Excel, read back with papaparse and
 * read-excel-file (readers independent of the writers), and the access log names Anna for each
 * case in the file. 7 instances × 5 units × 2 milestones (bench/overview-seed.ts).
 */
import { mkdir, readFile } from "node:fs/promises";
import Papa from "papaparse";
import type { Browser, BrowserContext, Download, Page } from "playwright-core";
import { readSheet } from "read-excel-file/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedOverview } from "../../bench/overview-seed.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { type Harness, startHarness } from "../http/harness.ts";
import { person } from "../people/browser-login.ts";
import { launchChromium } from "../support/browser.ts";

const ARTIFACTS = "test/.artifacts";
const NOW = "2024-06-03T08:00:00Z";

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness(NOW, { people: true });
  await seedOverview(h.table.stores, Temporal.Instant.from(NOW), { instances: 7, units: 5, spreadDays: 5 });
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** Opens a shared link while logged out and logs in through the provider's form, back to the link. */
async function openLoggedOut(context: BrowserContext, path: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${h.url}${path}`);
  expect(new URL(page.url()).pathname).toBe("/login");
  await page.getByRole("link", { name: "Log ind med den lokale udbyder" }).click();
  await page.waitForURL(/\/oidc\/interaction\//);
  await page.getByLabel("E-mail eller bruger-id").fill(person("anna").email);
  await page.getByLabel("Adgangskode").fill(person("anna").password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  return page;
}

/** The text of each row of the search's results table. */
async function resultRows(page: Page): Promise<string[]> {
  const table = page.getByRole("region", { name: "Frister, der passer til søgningen" });
  return (await table.locator("tbody tr").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
}

/** Clicks the link and gives the downloaded file's name and bytes. */
async function download(page: Page, name: string): Promise<{ filename: string; bytes: Buffer }> {
  const waiting = page.waitForEvent("download");
  await page.getByRole("link", { name, exact: true }).click();
  const file: Download = await waiting;
  return { filename: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

describe("finding deadlines in the browser", () => {
  it("opens the overview filtered by URL to one unit's overdue deadlines, and pages with the filter kept", async () => {
    // Prepare
    const context = await browser.newContext({ locale: "da-DK" });
    const shared = "/?unit=inst-02&status=overdue";

    // Act 1: the shared link, logged out
    const page = await openLoggedOut(context, shared);
    const rows = await resultRows(page);
    const unit = await page.getByLabel("Enhed").inputValue();
    const status = await page.getByLabel("Status", { exact: true }).inputValue();
    await page.screenshot({ path: `${ARTIFACTS}/find-01-unit-overdue.png`, fullPage: true });

    // Assess 1: back on the shared view after the login; only Institution 02's two overdue action
    // plans, with owner and days overdue
    expect(new URL(page.url()).search).toBe("?unit=inst-02&status=overdue");
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toContain("Handleplan – Institution 02");
      expect(row).toContain("overskredet");
      expect(row).toContain("Leder 02 Hansen");
    }
    expect(rows.map((r) => /\d+ dage over fristen/.exec(r)?.[0]).sort()).toEqual([
      "10 dage over fristen",
      "5 dage over fristen",
    ]);
    expect(unit).toBe("inst-02");
    expect(status).toBe("overdue");

    // Act 2: the form makes a search of its own (every deadline of the workflow, most overdue first)
    await page.getByLabel("Enhed").selectOption("");
    await page.getByLabel("Status", { exact: true }).selectOption("");
    await page.getByLabel("Skabelon").selectOption("institutionsopfoelgning");
    await page.getByLabel("Sortér efter").selectOption("overdue");
    await page.getByLabel("Rækkefølge").selectOption("desc");
    await page.getByRole("button", { name: "Søg" }).click();
    await page.waitForURL(/workflow=institutionsopfoelgning/);
    const firstPage = await resultRows(page);
    const showing = await page.getByRole("navigation", { name: "Sider" }).textContent();
    await page.getByRole("link", { name: "Næste" }).click();
    await page.waitForURL(/page=2/);
    const query = new URL(page.url()).searchParams;
    const secondPage = await resultRows(page);
    const sortKept = await page.getByLabel("Sortér efter").inputValue();

    // Assess 2
    expect(firstPage).toHaveLength(50);
    expect(firstPage[0]).toContain("10 dage over fristen");
    expect(showing).toContain("Viser 1–50 af 70");
    expect(query.get("workflow")).toBe("institutionsopfoelgning");
    expect(query.get("sort")).toBe("overdue");
    expect(query.get("order")).toBe("desc");
    expect(secondPage).toHaveLength(20);
    expect(await page.getByRole("navigation", { name: "Sider" }).textContent()).toContain(
      "Viser 51–70 af 70",
    );
    expect(sortKept).toBe("overdue");
    await expect(page.getByRole("link", { name: "Forrige" }).getAttribute("href")).resolves.toBe(
      "/?workflow=institutionsopfoelgning&sort=overdue&order=desc",
    );
    await context.close();
  });

  it("downloads one unit's overdue deadlines, found by URL, as CSV and XLSX that read back the same", async () => {
    // Prepare
    const context = await browser.newContext({ locale: "da-DK", acceptDownloads: true });
    const page = await openLoggedOut(context, "/?unit=inst-02&status=overdue&sort=overdue&order=desc");
    const results = page.getByRole("region", { name: "Frister, der passer til søgningen" });
    const links = await results.locator('tbody a[href^="/instances/"]').all();
    const hrefs = await Promise.all(links.map((link) => link.getAttribute("href")));
    const instanceIds = [...new Set(hrefs.map((href) => href?.split("/")[2] ?? ""))];

    // Act
    const csv = await download(page, "Hent som CSV (fristerne i søgningen)");
    const xlsx = await download(page, "Hent som Excel (XLSX) (fristerne i søgningen)");
    const text = csv.bytes.toString("utf8");
    const parsed = Papa.parse<string[]>(text.slice(1), { delimiter: ";", skipEmptyLines: true });
    const sheet = await readSheet(xlsx.bytes);
    const { accessLog, instances } = h.table.stores;
    const logs = await Promise.all(
      instanceIds.map(async (id) => {
        // A case's log is found by its case reference; an instance without one by its id.
        const caseRef = (await instances.get(id))?.params.caseRef;
        return typeof caseRef === "string" ? accessLog.forCase(caseRef) : accessLog.forInstance(id);
      }),
    );

    // Assess: the page's two rows, most overdue first, Danish headers, the deadline a date in Excel
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(parsed.errors).toEqual([]);
    const [header, ...rows] = parsed.data;
    expect(header).toEqual([
      "Forløb",
      "Skabelon",
      "Sagsnummer",
      "Milepæl",
      "Enhed",
      "Ansvarlig",
      "Frist",
      "Status",
      "Dage over fristen",
    ]);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r[4])).toEqual(["Institution 02", "Institution 02"]);
    expect(rows.map((r) => r[8])).toEqual(["10", "5"]);
    expect(rows.every((r) => r[7] === "overskredet" && r[5] === "Leder 02 Hansen")).toBe(true);
    expect(rows[0]?.[6]).toMatch(/^\d{2}-\d{2}-2024 \d{2}:\d{2}$/);
    expect(csv.filename).toBe("Frister 2024-06-03.csv");
    expect(xlsx.filename).toBe("Frister 2024-06-03.xlsx");
    expect(sheet[0]).toEqual(header);
    expect(sheet).toHaveLength(3);
    expect(sheet[1]?.[6]).toBeInstanceOf(Date);
    expect(sheet.slice(1).map((r) => r[8])).toEqual([10, 5]);
    // Each case in the file has the two downloads in its own log, by name.
    expect(instanceIds.length).toBeGreaterThan(0);
    for (const log of logs)
      expect(
        log
          .filter((e) => e.view === "deadline-list-export")
          .map((e) => `${e.who.id} ${e.detail?.split(":")[0]}`),
      ).toEqual(["anna csv", "anna xlsx"]);
    await context.close();
  });

  it("fits a 320 px screen: the form and the rows reflow, nothing scrolls sideways", async () => {
    // Prepare
    const context = await browser.newContext({ locale: "da-DK", viewport: { width: 320, height: 700 } });
    const page = await openLoggedOut(context, "/?status=overdue");

    // Act
    const width = await page.evaluate("document.documentElement.scrollWidth");
    await page.screenshot({ path: `${ARTIFACTS}/find-02-phone.png`, fullPage: true });

    // Assess
    expect(await resultRows(page)).toHaveLength(10);
    expect(width).toBeLessThanOrEqual(320);
    await context.close();
  });
});
