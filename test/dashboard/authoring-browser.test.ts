/**
 * Authoring and the timeline picture in a real browser (Debian's chromium): the Danish editor
 * shows a validator error in Danish with a link that lands on the right section of the grammar
 * reference, and on a 375px-wide phone the timeline gives every milestone and unit name whole
 * (no ellipsis, nothing cut off by overflow). Screenshots go to test/.artifacts/.
 */
import { mkdir } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Harness, startHarness, UNITS } from "../http/harness.ts";
import { launchChromium } from "../support/browser.ts";

const ARTIFACTS = "test/.artifacts";
const LONG_TITLE = "Udarbejdelse af den lokale handleplan for fællesskaber, trivsel og inklusion";
const LONG_UNIT = "Skolen ved Den Gamle Landsby og Åen, afdeling Nord (indskoling og mellemtrin)";

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z");
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  await h.table.stores.units.put({
    id: "landsbyskolen",
    name: LONG_UNIT,
    type: "skole",
    leader: { name: "Lis Leder", email: "lis@example.dk" },
    manager: { name: "Mads Chef", email: "mads@example.dk" },
  });
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
  await page.waitForURL(new RegExp(`${path.replace("?", "\\?")}$`));
}

async function api(
  path: string,
  body: string,
  type = "application/json",
): Promise<{ status: number; json: { id: string } }> {
  const response = await fetch(`${h.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": type },
    body,
  });
  return { status: response.status, json: (await response.json()) as { id: string } };
}

describe("authoring in the browser", () => {
  it("shows an editor error in Danish whose link opens the reference at the rule's section", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "da-DK" });
    const page = await context.newPage();
    await logIn(page, "/workflows/_new");

    // The editor opens with the commented skeleton; break its first deadline.
    const source = page.getByLabel("Definition (YAML)");
    const skeleton = await source.inputValue();
    expect(skeleton).toContain("# due: en dato");
    await source.fill(skeleton.replace("    due: P1M\n", "    due: om en måned\n"));
    await page.getByRole("button", { name: "Tjek og vis plan" }).click();
    await page.waitForSelector("#errors-heading");

    const item = page.locator(".errors li", { hasText: "milestones[0].due" });
    const text = (await item.textContent()) ?? "";
    expect(text).toContain("'om en måned' er ikke en gyldig frist (due); den skal være en dato");
    expect(text).not.toContain("is not a valid");
    await page.screenshot({ path: `${ARTIFACTS}/authoring-01-danish-error.png`, fullPage: true });

    await item.getByRole("link", { name: /Se vejledningen: Tid/ }).click();
    await page.waitForURL(/\/workflows\/_reference#time$/);
    const section = page.locator("section#time");
    await expect(section.locator("h2").textContent()).resolves.toBe("Tid: datoer, varigheder og arbejdsdage");
    // The browser went to the section: it starts at the top of the window.
    const box = await section.boundingBox();
    expect(box).not.toBeNull();
    expect(Math.abs(box?.y ?? 1000)).toBeLessThan(5);
    await page.screenshot({ path: `${ARTIFACTS}/authoring-02-reference.png` });
    await context.close();
  });

  it("gives every milestone and unit name whole on a 375px-wide phone, in the timeline's list", async () => {
    const definition = `id: lange-navne
title: Lange navne
milestones:
  - id: plan
    title: ${LONG_TITLE}
    due: P2M
    forEach: [skole]
  - id: fremlaeggelse
    title: Fremlæggelse af alle skolers lokale handleplaner for udvalget for børn og unge
    owner: unit:forvaltning
    after: [plan]
    due: P6M
`;
    expect((await api("/api/workflows", definition, "application/yaml")).status).toBe(201);
    const started = await api(
      "/api/instances",
      JSON.stringify({ workflowId: "lange-navne", start: "2024-05-01" }),
    );
    expect(started.status).toBe(201);

    const context = await browser.newContext({
      viewport: { width: 375, height: 812 },
      locale: "da-DK",
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await logIn(page, `/instances/${started.json.id}`);

    const list = page.locator(".gantt-list");
    await expect(list.isVisible()).resolves.toBe(true);
    await expect(page.locator(".gantt svg").isVisible()).resolves.toBe(false);
    // Nothing to scroll: the page's hint to scroll the picture sideways is not shown.
    await expect(page.getByText("rul vandret").isVisible()).resolves.toBe(false);
    const names = await list.locator(".name").allTextContents();
    expect(names).toContain(`${LONG_TITLE} – ${LONG_UNIT}`);
    expect(names).toContain("Fremlæggelse af alle skolers lokale handleplaner for udvalget for børn og unge");
    // Whole on screen: no name is cut by an ellipsis or a hidden overflow, none is wider than its box.
    const cut =
      await page.evaluate(`(() => [...document.querySelectorAll(".gantt-list li, .gantt-list .name")]
      .filter((e) => {
        const s = getComputedStyle(e);
        const r = e.getBoundingClientRect();
        return s.textOverflow === "ellipsis" || s.overflowX === "hidden" || e.scrollWidth > e.clientWidth + 1 || r.right > 376;
      })
      .map((e) => e.textContent))()`);
    expect(cut).toEqual([]);
    // Every status a row can have has a badge colour (white text on nothing would be invisible).
    const backgrounds =
      await page.evaluate(`["open", "due-soon", "on-hold", "overdue", "waiting", "period", "confirmed"].map((st) => {
      const b = document.createElement("span");
      b.className = "badge s-" + st;
      document.body.append(b);
      const colour = getComputedStyle(b).backgroundColor;
      b.remove();
      return st + " " + colour;
    })`);
    expect((backgrounds as string[]).filter((b) => b.endsWith("rgba(0, 0, 0, 0)"))).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/authoring-03-gantt-phone.png`, fullPage: true });

    // In print, the picture is back beside the list, its labels wrapped onto lines, never cut.
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".gantt svg").isVisible()).resolves.toBe(true);
    await expect(list.isVisible()).resolves.toBe(true);
    const labels =
      await page.evaluate(`[...document.querySelectorAll(".gantt svg g.row > text:first-of-type")]
      .map((t) => [...t.querySelectorAll("tspan")].map((s) => s.textContent).join(" "))`);
    expect(labels).toContain(`${LONG_TITLE} – ${LONG_UNIT}`);
    await context.close();
  });
});
