/**
 * Issue 11 in a real browser (Debian chromium via playwright-core), on a phone: an administrator
 * starts an ansøgningsfrist case from the start form with a name, and the instance page and the
 * instance list show that name with the case reference, without the page scrolling sideways.
 */
import { mkdir, readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadWorkflow } from "../../shared/model/load.ts";
import { ADMIN_TOKEN } from "../http/app-harness.ts";
import { type MemoryHarness, startMemoryHarness } from "../http/memory-harness.ts";
import { launchChromium } from "../support/browser.ts";

const ARTIFACTS = "test/.artifacts";

let h: MemoryHarness;
let browser: Browser;

beforeAll(async () => {
  h = await startMemoryHarness("2024-09-02T08:00:00Z");
  const source = await readFile(new URL("../../workflows/ansoegningsfrist.yaml", import.meta.url), "utf8");
  const loaded = loadWorkflow(source, "ansoegningsfrist.yaml");
  if (!loaded.ok) throw new Error("the template does not load");
  await h.table.stores.workflows.putVersion({
    workflowId: "ansoegningsfrist",
    source,
    definition: loaded.value,
    createdBy: "test",
  });
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe("naming an instance in the dashboard", () => {
  it("starts a named case on a phone and finds it by name and case reference", async () => {
    // Prepare
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: "da-DK",
    });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    const path = "/instances/_new?workflow=ansoegningsfrist";
    await page.goto(`${h.url}${path}`);
    await page.getByLabel("Administratornøgle").fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: "Log ind" }).click();
    await page.waitForURL(/\/instances\/_new\?workflow=ansoegningsfrist$/);

    // Act
    await page.getByLabel("Navn på forløbet").fill("Trappelift til Karen");
    await page.getByLabel("Sagsnummer").fill("SAG-2024-117");
    await page.getByLabel("Sagsbehandlerens e-mail").fill("hanne.jensen@ishoj.example");
    await page.getByRole("button", { name: "Start forløbet" }).click();
    await page.waitForURL(/\/instances\/ansoegningsfrist-[0-9a-f]+\?started=1$/);
    const heading = await page.locator("h1").textContent();
    const main = (await page.locator("main").textContent()) ?? "";
    const width = await page.evaluate("document.documentElement.scrollWidth");
    await page.screenshot({ path: `${ARTIFACTS}/names-01-instance-phone.png`, fullPage: true });
    await page.goto(`${h.url}/instances`);
    const row = (await page.locator("tr", { hasText: "Trappelift til Karen" }).textContent()) ?? "";

    // Assess
    expect(heading).toBe("Trappelift til Karen");
    expect(main).toContain("Sagsnummer: SAG-2024-117");
    expect(width).toBeLessThanOrEqual(390);
    expect(row).toContain("Sagsnummer: SAG-2024-117");
    await context.close();
  });
});
