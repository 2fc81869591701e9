/**
 * An administrator's first session in a real browser (Debian's chromium driven by
 * playwright-core): log in, upload a workflow with a mistake and find it at its line, fix it,
 * preview the plan, save, start an instance and look at its timeline, on a desktop and on a
 * phone. Screenshots of every step go to test/.artifacts/ for a person to look at.
 */
import { mkdir, readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadUnits } from "../../shared/model/load.ts";
import { plan } from "../../shared/timeline/plan.ts";
import { ADMIN_TOKEN, type Harness, startHarness } from "../http/harness.ts";
import { sideways } from "../support/a11y.ts";
import { launchChromium } from "../support/browser.ts";
import { storeReminder } from "./fixtures.ts";

const ARTIFACTS = "test/.artifacts";
const TEMPLATE = "workflows/ishoj-staerke-faellesskaber.yaml";

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  // December 2024: the local plans were due in October, the committee presentation is next.
  h = await startHarness("2024-12-10T09:00:00Z");
  const units = loadUnits(await readFile("workflows/samples/ishoj-units.yaml", "utf8"), "ishoj-units.yaml");
  if (!units.ok) throw new Error("the sample directory does not load");
  for (const unit of units.value) await h.table.stores.units.put(unit);
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

describe("an administrator in the browser", () => {
  it("uploads a workflow with an error, fixes it, previews, saves, starts an instance and sees its timeline", async () => {
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "da-DK" });
    const page = await desktop.newPage();

    // Log in: the dashboard sends a stranger to the login form first.
    await page.goto(`${h.url}/workflows`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await shoot(page, "01-login");
    await page.getByLabel("Administratornøgle").fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: "Log ind" }).click();
    await page.waitForURL(/\/workflows$/);
    await expect(page.locator("h1").textContent()).resolves.toBe("Skabeloner");

    // Upload the Ishøj template with a typo in a dependency, from a file.
    const good = await readFile(TEMPLATE, "utf8");
    const broken = good.replace("after: [lokal-handleplan]", "after: [lokal-handlepaln]");
    const badLine = broken.split("\n").findIndex((l) => l.includes("lokal-handlepaln")) + 1;
    await page.getByRole("link", { name: "Ny skabelon" }).click();
    await page.getByLabel("Eller upload en fil").setInputFiles({
      name: "ishoj.yaml",
      mimeType: "text/yaml",
      buffer: Buffer.from(broken, "utf8"),
    });
    await page.getByRole("button", { name: "Tjek og vis plan" }).click();
    await page.waitForSelector("#errors-heading");
    const marked = page.locator(`#line-${badLine}.bad`);
    await expect(marked.textContent()).resolves.toContain("lokal-handlepaln");
    await expect(marked.locator(".msg").textContent()).resolves.toMatch(/mente du 'lokal-handleplan'/);
    // The summary's link takes the reader to the line.
    await page
      .getByRole("link", { name: `Linje ${badLine}`, exact: false })
      .first()
      .click();
    expect(page.url()).toContain(`#line-${badLine}`);
    await shoot(page, "02-error-at-line");

    // Fix it in the textarea (the upload is now its text) and check again.
    const source = page.getByLabel("Definition (YAML)");
    await expect(source.inputValue()).resolves.toContain("lokal-handlepaln");
    await source.fill(good);
    await page.getByLabel("Startdato for planen").fill("2023-11-01");
    await page.getByRole("button", { name: "Tjek og vis plan" }).click();
    await page.waitForSelector("#plan-heading");
    const planText = (await page.locator("section[aria-labelledby=plan-heading]").textContent()) ?? "";
    expect(planText).toContain("Skolen ved Åen");
    expect(planText).toContain("31.10.2024 23:59");
    await shoot(page, "03-plan-preview");

    // Save: version 1.
    await page.getByRole("button", { name: "Gem som ny version" }).first().click();
    await page.waitForURL(/\/workflows\/ishoj-staerke-faellesskaber\?saved=1$/);
    await expect(page.getByRole("status").textContent()).resolves.toContain("Gemt som version 1");
    await shoot(page, "04-saved");

    // Start an instance from the workflow's page: 1 November 2023, every daycare and school.
    await page.getByRole("link", { name: "Start et forløb" }).first().click();
    await page.getByLabel("Startdato").fill("2023-11-01");
    await shoot(page, "05-start-form");
    await page.getByRole("button", { name: "Start forløbet" }).click();
    // A start date before today: the preview step asks how to treat the past (catch-up, as before).
    await page.getByLabel(/Send indhentningsmails/).check();
    await page.getByRole("button", { name: "Start forløbet" }).click();
    await page.waitForURL(/\/instances\/ishoj-staerke-faellesskaber-[0-9a-f]{16}\?started=1$/);
    const instanceId = new URL(page.url()).pathname.split("/")[2] ?? "";
    expect(h.starts).toEqual([instanceId]);

    // What leaders did meanwhile (the engine is not running here): most confirmed on time.
    await confirmSome(instanceId);
    await storeReminder(h, {
      confirmUrl: `${h.url}/confirm/demo?sig=demo`,
      instanceId,
      at: "2024-12-09T07:00:00Z",
    });
    await page.reload();
    await expect(page.locator("svg[role=img] g.row").count()).resolves.toBeGreaterThan(20);
    await expect(page.locator("svg g.status-overdue").count()).resolves.toBeGreaterThan(0);
    await expect(page.locator("svg g.status-confirmed").count()).resolves.toBeGreaterThan(0);
    await shoot(page, "06-instance-desktop");

    // Keyboard: the skip link is the first stop and is visible when focused.
    await page.keyboard.press("Tab");
    await expect(page.evaluate("document.activeElement.textContent")).resolves.toBe("Gå til indhold");
    await page.screenshot({ path: `${ARTIFACTS}/07-focus-skip-link.png` });

    // The same page on a phone, and the printable report.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      storageState: await desktop.storageState(),
    });
    const mobile = await phone.newPage();
    await mobile.goto(`${h.url}/instances/${instanceId}`);
    await expect(mobile.locator("h1").textContent()).resolves.toBe(
      "Stærke fællesskaber for alle børn og unge",
    );
    // Only the timeline may scroll sideways, inside its own frame; the tables become cards.
    expect(await sideways(mobile, 390)).toEqual([]);
    await shoot(mobile, "08-instance-phone");

    await page.goto(`${h.url}/instances/${instanceId}/report`);
    await page.emulateMedia({ media: "print" });
    await shoot(page, "09-report-print");
    await page.emulateMedia({ media: "screen" });

    await page.goto(`${h.url}/outbox`);
    await page
      .getByRole("link", { name: /Påmindelse/ })
      .first()
      .click();
    const frame = page.frameLocator("iframe.mail");
    await expect(
      frame
        .getByRole("link", { name: /Bekræft/ })
        .first()
        .getAttribute("href"),
    ).resolves.toBe(`${h.url}/confirm/demo?sig=demo`);
    await shoot(page, "10-outbox-mail");

    await mobile.goto(`${h.url}/`);
    await shoot(mobile, "11-overview-phone");

    // The directory import: a bad row is reported by its spreadsheet row, then the fixed file previewed.
    const header = "id;name;type;leader_name;leader_email;manager_name;manager_email";
    const rows = [
      header,
      "klub-a;Klubben Nord;club;Jens Holm;jens@ishoj.example;;",
      "klub-b;Klubben Syd;club;Rikke Berg;rikke(at)ishoj.example;;",
    ];
    await page.goto(`${h.url}/units/_import`);
    await page.getByLabel("CSV-tekst").fill(rows.join("\n"));
    await page.getByRole("button", { name: "Vis forhåndsvisning" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain(
      "række 3: leader_email: ugyldig e-mail",
    );
    await shoot(page, "12-import-error");
    await page.getByLabel("CSV-tekst").fill(rows.join("\n").replace("rikke(at)", "rikke@"));
    await page.getByRole("button", { name: "Vis forhåndsvisning" }).click();
    await shoot(page, "13-import-preview");
    await page.getByRole("button", { name: "Importér 2 enheder" }).click();
    await page.waitForURL(/\/units\?imported=2$/);
    await mobile.goto(`${h.url}/units`);
    await shoot(mobile, "14-units-phone");
    for (const path of [
      "/",
      "/workflows",
      "/workflows/_new",
      "/instances",
      "/units",
      "/outbox",
      `/instances/${instanceId}/report`,
    ]) {
      await mobile.goto(`${h.url}${path}`);
      expect(await sideways(mobile, 390), path).toEqual([]);
    }
    await phone.close();
    await desktop.close();
  }, 120_000);
});

/**
 * The leaders' confirmations the engine would have recorded: the adoption, the municipal plan and
 * all but three local plans, each a few days before its deadline.
 */
async function confirmSome(instanceId: string): Promise<void> {
  const { instance } = await h.table.stores.instances.loadState(instanceId);
  const record = await h.table.stores.workflows.get(instance.workflowId, instance.workflowVersion);
  if (record === null) throw new Error("no workflow");
  const planned = plan(record.definition, instance.startAt, instance.params, instance.units);
  await h.table.stores.instances.syncOccurrences(instanceId, planned.occurrences);
  const locals = planned.occurrences.filter((o) => o.milestoneId === "lokal-handleplan");
  const confirm = [
    ...planned.occurrences.filter(
      (o) => o.milestoneId === "vedtagelse" || o.milestoneId === "kommunal-handleplan",
    ),
    ...locals.slice(0, locals.length - 3),
  ];
  for (const [i, o] of confirm.entries()) {
    const at = new Date(Date.parse(o.plannedDueAt) - (3 + (i % 9)) * 86_400_000).toISOString();
    await h.table.stores.instances.recordConfirmation({
      instanceId,
      occurrenceKey: o.key,
      at,
      by: o.unitId === null ? "unitLeader:forvaltning via link x" : `unitLeader:${o.unitId} via link x${i}`,
    });
  }
}
