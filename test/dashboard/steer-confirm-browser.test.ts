/**
 * Issue 11, change 4 in a real browser (Debian chromium via playwright-core): an administrator
 * confirms a school's status report for its leader from the instance page, then undoes it; each
 * through the preview. The loop then runs on the same table, and the leader's mail about the
 * undone confirmation is read back from the outbox. Screenshots go to test/.artifacts/.
 */
import { mkdir } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { runNotify } from "../../shared/app/notify.ts";
import { createOutbox, execution, notifyDeps, type Outbox } from "../app/fixtures.ts";
import {
  ADMIN_TOKEN,
  type Harness,
  instanceWithLinks,
  LINK_KEY,
  park,
  startHarness,
  UNITS,
} from "../http/harness.ts";
import { launchChromium } from "../support/browser.ts";

const ARTIFACTS = "test/.artifacts";

let h: Harness;
let browser: Browser;
let outbox: Outbox;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z");
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  await mkdir(ARTIFACTS, { recursive: true });
  outbox = await createOutbox(h.clock);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await outbox?.remove();
  await h?.close();
});

async function logIn(page: Page, path: string): Promise<void> {
  await page.goto(`${h.url}${path}`);
  await page.getByLabel("Administratornøgle").fill(ADMIN_TOKEN);
  await page.getByRole("button", { name: "Log ind" }).click();
  await page.waitForURL(new RegExp(`${path}$`));
}

function rowOf(page: Page, unitName: string) {
  return page
    .locator("table.milestones tbody", { hasText: unitName })
    .locator("tr", { hasText: "Statusrapport" });
}

/** Reason, preview, save: the text of the preview. */
async function previewAndSave(page: Page, reason: string, shot: string): Promise<string> {
  await page.getByLabel("Begrundelse").fill(reason);
  await page.getByRole("button", { name: "Se, hvad ændringen gør" }).click();
  const preview = (await page.locator("main").textContent()) ?? "";
  await page.screenshot({ path: `${ARTIFACTS}/${shot}`, fullPage: true });
  await page.getByRole("button", { name: "Gem ændringen" }).click();
  await page.waitForURL(/\?changed=/);
  return preview;
}

describe("confirming for the leader and undoing it in the dashboard", () => {
  it("confirms, undoes, and the leader gets one mail saying who undid it and why", async () => {
    // Prepare
    const { instanceId } = await instanceWithLinks(h);
    await park(h, instanceId, "browser-token");
    h.wakes.length = 0;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "da-DK" });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    await logIn(page, `/instances/${instanceId}`);

    // The change links sit inside the table, not in a column squeezed out of it
    const link = await rowOf(page, "Skole A")
      .getByRole("link", { name: "Bekræft for lederen" })
      .boundingBox();
    const table = await page.locator("table.milestones").boundingBox();

    // Act: confirm for Skole A's leader
    await rowOf(page, "Skole A").getByRole("link", { name: "Bekræft for lederen" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Bekræft for lederen");
    const confirmPreview = await previewAndSave(page, "Lederen er syg", "confirm-01-preview.png");
    const confirmedRow = (await rowOf(page, "Skole A").textContent()) ?? "";
    // …and undo it, the loop parked again meanwhile
    await park(h, instanceId, "browser-token-2");
    await rowOf(page, "Skole A").getByRole("link", { name: "Fortryd bekræftelse" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Fortryd bekræftelse");
    const undoPreview = await previewAndSave(page, "Bekræftet ved en fejl", "confirm-02-undo-preview.png");
    await page.screenshot({ path: `${ARTIFACTS}/confirm-03-undone.png`, fullPage: true });
    const undoneRow = (await rowOf(page, "Skole A").textContent()) ?? "";
    // The loop runs: decide on the stored state, send into the outbox
    const decided = await runDecide(
      { ...h.table.stores, clock: h.clock },
      { instanceId, execution: execution() },
    );
    await runNotify(notifyDeps(h.table.stores, h.clock, outbox.transport, { getKey: async () => LINK_KEY }), {
      instanceId,
      notifications: decided.decision.notifications,
    });

    // Assess
    expect(link !== null && table !== null && link.x + link.width <= table.x + table.width).toBe(true);
    expect(confirmPreview).toContain("Intet er gemt endnu");
    expect(confirmPreview).toMatch(/aflyser \d+ planlagte? mails?/);
    expect(confirmedRow).toContain("Fortryd bekræftelse");
    expect(confirmedRow).not.toContain("Bekræft for lederen");
    expect(undoPreview).toContain("sender 1 mail nu");
    expect(undoPreview).toContain("Besked om, at bekræftelsen er fortrudt");
    expect(undoneRow).toContain("Bekræft for lederen");
    expect(h.wakes.map((w) => w.payload.reason)).toEqual(["confirmation.on-behalf", "confirmation.undone"]);
    const mails = (await outbox.mails()).filter((m) => m.subject?.startsWith("Din bekræftelse er fortrudt"));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toMatchObject({ value: [{ address: "lene@skole-a.example.dk" }] });
    expect(mails[0]?.text).toContain("»Statusrapport« i »Opfølgning på skoler« for Skole A er fortrudt");
    expect(mails[0]?.text).toContain("Begrundelse: Bekræftet ved en fejl");
    await context.close();
  });
});
