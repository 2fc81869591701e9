/**
 * Issue 11 in a real browser (Debian chromium via playwright-core): an administrator moves one
 * school's deadline from the instance page, reads the preview, goes back and fixes the date,
 * saves, and sees the new deadline on the instance page; the same preview on a phone does not
 * scroll sideways. Screenshots go to test/.artifacts/.
 */
import { mkdir } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Harness, instanceWithLinks, park, startHarness, UNITS } from "../http/harness.ts";
import { launchChromium } from "../support/browser.ts";

const ARTIFACTS = "test/.artifacts";

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z");
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function logIn(page: Page, path: string): Promise<void> {
  await page.goto(`${h.url}${path}`);
  await page.getByLabel("Administratornøgle").fill(ADMIN_TOKEN);
  await page.getByRole("button", { name: "Log ind" }).click();
  await page.waitForURL(new RegExp(`${path}$`));
}

/** The status report's row in a unit's group of the instance page's milestone table. */
function rowOf(page: Page, unitName: string) {
  return page
    .locator("table.milestones tbody", { hasText: unitName })
    .locator("tr", { hasText: "Statusrapport" });
}

describe("moving a deadline in the dashboard", () => {
  it("goes from the instance page through the preview to the saved deadline, and the loop is woken", async () => {
    // Prepare
    const { instanceId } = await instanceWithLinks(h);
    await park(h, instanceId, "browser-token");
    h.wakes.length = 0;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "da-DK" });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    await logIn(page, `/instances/${instanceId}`);

    // Act: the link beside Skole A's status report opens the form
    await rowOf(page, "Skole A").getByRole("link", { name: "Flyt frist" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Flyt en frist");
    await page.getByLabel("Ny frist").fill("2024-06-03");
    await page.getByLabel("Begrundelse").fill("Skolen har haft sygdom i ledelsen");
    await page.getByRole("button", { name: "Se, hvad ændringen gør" }).click();
    const first = (await page.locator("main").textContent()) ?? "";
    await page.screenshot({ path: `${ARTIFACTS}/steer-01-preview.png`, fullPage: true });
    // Back to the form, the values kept; a later date this time
    await page.getByRole("button", { name: "Ret i ændringen" }).click();
    const keptDate = await page.getByLabel("Ny frist").inputValue();
    const keptReason = await page.getByLabel("Begrundelse").inputValue();
    await page.getByLabel("Ny frist").fill("2024-06-20");
    await page.getByRole("button", { name: "Se, hvad ændringen gør" }).click();
    const second = (await page.locator("main").textContent()) ?? "";
    await page.getByRole("button", { name: "Gem ændringen" }).click();
    await page.waitForURL(new RegExp(`/instances/${instanceId}\\?changed=move-deadline$`));
    const after = (await page.locator("main").textContent()) ?? "";
    await page.screenshot({ path: `${ARTIFACTS}/steer-02-saved.png`, fullPage: true });

    // Assess
    expect(first).toContain("Ændringen flytter 1 frist");
    expect(first).toContain("Intet er gemt endnu");
    expect(keptDate).toBe("2024-06-03");
    expect(keptReason).toBe("Skolen har haft sygdom i ledelsen");
    expect(second).toMatch(/20\.\s?juni 2024|20\.06\.2024/);
    expect(after).toContain("Ændringen er gemt");
    expect((await rowOf(page, "Skole A").textContent()) ?? "").toMatch(/20\.\s?juni 2024|20\.06\.2024/);
    expect((await rowOf(page, "Skole B").textContent()) ?? "").toMatch(/1\.\s?juni 2024|01\.06\.2024/);
    expect(h.wakes).toEqual([{ token: "browser-token", payload: { reason: "deadline.moved" } }]);
    const trail = await h.table.stores.audit.list(instanceId);
    expect(trail.filter((e) => e.action === "deadline.moved")).toHaveLength(1);
    await context.close();
  });

  it("shows the preview on a phone without sideways scrolling, and saves nothing until asked", async () => {
    // Prepare
    const { instanceId } = await instanceWithLinks(h);
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: "da-DK",
      isMobile: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    await logIn(page, `/instances/${instanceId}`);
    // Act
    await page.goto(
      `${h.url}/instances/${instanceId}/change/move-deadline?occurrenceKey=${encodeURIComponent("status/skole-b/0")}`,
    );
    await page.getByLabel("Alle enheder (samme milepæl)").check();
    await page.getByLabel("Ny frist").fill("2024-06-14");
    await page.getByLabel("Begrundelse").fill("Byrådet har udsat planen");
    await page.getByRole("button", { name: "Se, hvad ændringen gør" }).click();
    const text = (await page.locator("main").textContent()) ?? "";
    const scrollWidth = await page.evaluate("document.documentElement.scrollWidth");
    await page.screenshot({ path: `${ARTIFACTS}/steer-03-phone-preview.png`, fullPage: true });
    // Assess
    expect(text).toContain("Ændringen flytter 2 frister");
    expect(scrollWidth).toBeLessThanOrEqual(390);
    expect((await h.table.stores.audit.list(instanceId)).map((e) => e.action)).not.toContain(
      "deadline.moved",
    );
    await context.close();
  });
});
