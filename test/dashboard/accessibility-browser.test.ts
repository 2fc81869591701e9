/**
 * The accessibility statement and the error pages in a real browser (Debian chromium via
 * playwright-core): a visitor opens the statement from the login page's footer with the keyboard,
 * on a 320 px phone, without the page scrolling sideways; a member of staff, logged in through the
 * provider as staff do, opens it from a dashboard page and switches it to English; an unknown
 * address is a 404 page with the menu and a way to the overview. axe-core (pinned) finds no WCAG
 * 2.1 A/AA violation on the statement or the 404 page, at 1280 and at 320 px.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../http/harness.ts";
import { logIn } from "../people/browser-login.ts";
import { a11yContext, axeViolations, pageWidth } from "../support/a11y.ts";
import { launchChromium } from "../support/browser.ts";

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe("the accessibility statement in the browser", () => {
  it("opens from the login page's footer by keyboard on a 320 px phone, without sideways scrolling or axe violations", async () => {
    const phone = await a11yContext(browser, 320);
    const page = await phone.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`${h.url}/login`);
    await page.getByRole("link", { name: "Tilgængelighedserklæring" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/tilgaengelighed\?lang=da$/);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(
      "Tilgængeligheds\u00aderklæring for fristflow",
    );
    const sections = await page.getByRole("heading", { level: 2 }).allTextContents();
    expect(sections).toEqual([
      "Status for overholdelse",
      "Ikke-tilgængeligt indhold",
      "Sådan har vi testet",
      "Feedback og kontaktoplysninger",
      "Klage",
      "Dato for erklæringen",
    ]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0);
    expect(await axeViolations(page)).toEqual([]);
    await phone.close();
  });

  it("opens from a dashboard page for staff, switches to English, and has no axe violations at 1280 px", async () => {
    const desk = await a11yContext(browser, 1280);
    const page = await logIn(h.url, desk, "vera", "/");
    page.setDefaultTimeout(8000);
    await page.getByRole("contentinfo").getByRole("link", { name: "Tilgængelighedserklæring" }).click();
    await page.waitForURL(/\/tilgaengelighed\?lang=da$/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "English" }).click();
    await page.waitForURL(/\/tilgaengelighed$/);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(
      "Accessibility statement for fristflow",
    );
    await desk.close();
  });
});

describe("an error page in the browser", () => {
  it("is a 404 page with the menu and the way to the overview, without axe violations at 1280 and 320 px", async () => {
    for (const width of [1280, 320]) {
      const screen = await a11yContext(browser, width);
      const page = await logIn(h.url, screen, "anna", "/");
      page.setDefaultTimeout(8000);
      const response = await page.goto(`${h.url}/no-such-page`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Siden findes ikke");
      await expect(page.getByRole("navigation", { name: "Hovedmenu" }).count()).resolves.toBe(1);
      expect(await pageWidth(page)).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole("link", { name: "Gå til overblikket" }).click();
      await page.waitForURL((url) => url.pathname === "/");
      await screen.close();
    }
  });
});
