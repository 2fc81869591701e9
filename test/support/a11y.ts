/**
 * Accessibility checks for the browser tests: axe-core (the pinned dev dependency) run in the
 * page against WCAG 2.1 A and AA, and the page-width measures for reflow at 320 px (WCAG 1.4.10).
 *
 * The dashboard sends a strict Content-Security-Policy (no script at all), so axe can only be
 * injected into a context made with `bypassCSP: true` (a11yContext). Frames are not entered: the
 * outbox shows a mail in a sandboxed frame, and the mail is checked on its own (page.setContent).
 * The functions run in the page as script strings: the tests' TypeScript has no DOM types.
 */
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";

const AXE_PATH = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The WCAG 2.1 A/AA rules, as axe tags them. */
export const WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] as const;

/** A browser context axe can be injected into, its window `width` CSS pixels wide. */
export function a11yContext(browser: Browser, width: number): Promise<BrowserContext> {
  // A plain window that narrow, not a phone's emulation (which may zoom a wide page out to fit):
  // WCAG 1.4.10 asks for reflow at 320 CSS pixels.
  return browser.newContext({
    bypassCSP: true,
    locale: "da-DK",
    viewport: { width, height: width < 600 ? 720 : 900 },
  });
}

interface AxeNode {
  target: unknown[];
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

/**
 * The WCAG 2.1 A/AA violations axe finds on the page as it is now, one readable line per rule:
 * `rule-id (impact): help — selector, selector`. [] when there are none.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate("typeof window.axe !== 'undefined'");
  if (loaded !== true) await page.addScriptTag({ path: AXE_PATH });
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(WCAG21_AA)} }, iframes: false, resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  )) as AxeViolation[];
  return violations.map((v) => {
    const targets = v.nodes.slice(0, 5).map((n) => n.target.map(String).join(" >> "));
    const more = v.nodes.length > 5 ? ` (+${v.nodes.length - 5} more)` : "";
    return `${v.id} (${v.impact ?? "?"}): ${v.help} — ${targets.join(", ")}${more}`;
  });
}

/** How wide the page is: the document's scroll width in CSS pixels. */
export function pageWidth(page: Page): Promise<number> {
  return page.evaluate("document.documentElement.scrollWidth") as Promise<number>;
}

/**
 * What makes the page scroll sideways as a whole at `width`, or [] when nothing does. Wide tables
 * and the timeline scroll inside their own frame; what escapes it (an absolutely positioned
 * element whose containing block is outside the frame) still widens the page, so it is listed too.
 */
export function sideways(page: Page, width: number): Promise<string[]> {
  return page.evaluate(`(() => {
    const width = ${JSON.stringify(width)};
    if (document.documentElement.scrollWidth <= width) return [];
    const clipped = (e) => {
      if (["absolute", "fixed"].includes(getComputedStyle(e).position)) return false;
      for (let p = e.parentElement; p !== null; p = p.parentElement) {
        if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    const offenders = [...document.body.querySelectorAll("*")]
      .filter((e) => e.getBoundingClientRect().right > width + 1 && !clipped(e))
      .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.split(" ").join(".") : "") + " " + Math.round(e.getBoundingClientRect().right));
    return offenders.length > 0 ? offenders.slice(0, 8) : ["scrollWidth " + document.documentElement.scrollWidth];
  })()`) as Promise<string[]>;
}
