/**
 * The accessibility statement and the error pages in a real browser (Debian chromium via
 * playwright-core): a visitor opens the statement from the login page's footer with the keyboard,
 * on a 320 px phone, without the page scrolling sideways; a member of staff, logged in through the
 * provider as staff do, opens it from a dashboard page and switches it to English; an unknown
 * address is a 404 page with the menu and a way to the overview. axe-core (pinned) finds no WCAG
 * 2.1 A/AA violation on the statement or the 404 page, at 1280 and at 320 px.
 */
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../http/harness.ts";
import { logIn } from "../people/browser-login.ts";
import { launchChromium } from "../support/browser.ts";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

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

/** axe may be injected only past the page's policy (no script is allowed on any page). */
function context(width: number): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height: 800 }, locale: "da-DK", bypassCSP: true });
}

/** The ids of axe's WCAG 2.1 A and AA violations on the page as it is now. */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  // A string, run in the page: this project's TypeScript has no DOM types.
  const found = await page.evaluate(
    `axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(WCAG_21_AA)} } })
      .then((result) => result.violations.map((v) => v.id))`,
  );
  return found as string[];
}

/** How far the page is wider than its window: 0 when nothing scrolls sideways. */
async function sideways(page: Page): Promise<number> {
  return Number(
    await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"),
  );
}

describe("the accessibility statement in the browser", () => {
  it("opens from the login page's footer by keyboard on a 320 px phone, without sideways scrolling or axe violations", async () => {
    const phone = await context(320);
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
    expect(await sideways(page)).toBe(0);
    expect(await violations(page)).toEqual([]);
    await phone.close();
  });

  it("opens from a dashboard page for staff, switches to English, and has no axe violations at 1280 px", async () => {
    const desk = await context(1280);
    const page = await logIn(h.url, desk, "vera", "/");
    page.setDefaultTimeout(8000);
    await page.getByRole("contentinfo").getByRole("link", { name: "Tilgængelighedserklæring" }).click();
    await page.waitForURL(/\/tilgaengelighed\?lang=da$/);
    expect(await violations(page)).toEqual([]);
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
      const screen = await context(width);
      const page = await logIn(h.url, screen, "anna", "/");
      page.setDefaultTimeout(8000);
      const response = await page.goto(`${h.url}/no-such-page`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Siden findes ikke");
      await expect(page.getByRole("navigation", { name: "Hovedmenu" }).count()).resolves.toBe(1);
      expect(await sideways(page)).toBe(0);
      expect(await violations(page)).toEqual([]);
      await page.getByRole("link", { name: "Gå til overblikket" }).click();
      await page.waitForURL((url) => url.pathname === "/");
      await screen.close();
    }
  });
});
