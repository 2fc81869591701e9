/**
 * Issue 11 in a real browser (Debian chromium via playwright-core): an administrator moves one
 * school's deadline from the instance page, reads the preview, goes back and fixes the date,
 * saves, and sees the new deadline on the instance page; the same preview on a phone does not
 * scroll sideways. Screenshots go to test/.artifacts/.
 */
import { mkdir } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { runNotify } from "../../shared/app/notify.ts";
import { loadWorkflow } from "../../shared/model/load.ts";
import { createOutbox, execution, notifyDeps, type Outbox } from "../app/fixtures.ts";
import {
  ADMIN_TOKEN,
  type Harness,
  instanceWithLinks,
  LINK_KEY,
  park,
  startHarness,
  UNITS,
  WORKFLOW_YAML,
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
  browser = await launchChromium();
  outbox = await createOutbox(h.clock);
});
beforeEach(() => {
  // A test's loop moves the clock on; each starts on 1 May 2024 again.
  h.clock.set("2024-05-01T06:00:00Z");
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

/**
 * The loop's own steps after a change, as the state machine runs them: decide, send what is due,
 * sleep until the next wake, until a mail to `address` goes out (at most `steps` wakes). Returns
 * that mail, parsed back from the outbox's .eml file.
 */
async function loopUntilMailTo(instanceId: string, address: string, steps = 10) {
  const deps = { ...h.table.stores, clock: h.clock };
  const linkKey = { getKey: async () => LINK_KEY };
  for (let step = 0; step < steps; step += 1) {
    // By message id: the outbox's files sort by the (test) clock, which other tests set back.
    const before = new Set((await outbox.mails()).map((m) => m.messageId));
    const decided = await runDecide(deps, { instanceId, execution: execution() });
    await runNotify(notifyDeps(h.table.stores, h.clock, outbox.transport, linkKey), {
      instanceId,
      notifications: decided.decision.notifications,
    });
    const sent = (await outbox.mails()).filter((m) => !before.has(m.messageId));
    const mine = sent.find((m) => JSON.stringify(m.to).includes(address));
    if (mine !== undefined) return mine;
    if (decided.decision.nextWakeAt === null) break;
    h.clock.set(decided.decision.nextWakeAt);
  }
  throw new Error(`no mail to ${address} within ${steps} wakes`);
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
    // What the leader receives next: a reminder that names the new deadline
    const toLene = await loopUntilMailTo(instanceId, "lene@skole-a");
    expect(toLene.subject).toContain("Statusrapport");
    expect(toLene.text).toMatch(/20\.\s?juni 2024/);
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

/** Version 2 of the harness workflow: the status report renamed and retitled. */
const VERSION_2 = WORKFLOW_YAML.replace("  - id: status\n", "  - id: halvaarsstatus\n").replace(
  "da: Statusrapport",
  "da: Halvårsstatus",
);

describe("moving an instance to a newer version in the dashboard", () => {
  it("maps the renamed milestone, shows the plan, saves, and the leader's next mail uses the new name", async () => {
    // Prepare: version 2 saved after the instance started on version 1
    const { instanceId } = await instanceWithLinks(h);
    const loaded = loadWorkflow(VERSION_2, "v2.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    await h.table.stores.workflows.putVersion({
      workflowId: loaded.value.id,
      source: VERSION_2,
      definition: loaded.value,
      createdBy: "test",
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "da-DK" });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    await logIn(page, `/instances/${instanceId}`);
    // Act
    // The instance page offers the newer version
    await page.getByRole("link", { name: "Flyt til version 2" }).click();
    const status = page.getByLabel("Statusrapport", { exact: true });
    const defaulted = await status.inputValue();
    await status.selectOption("halvaarsstatus");
    await page.getByLabel("Begrundelse").fill("Udvalget har omdøbt statusrapporten");
    await page.getByRole("button", { name: "Se, hvad ændringen gør" }).click();
    const plan = (await page.locator("#migration-plan").textContent()) ?? "";
    await page.screenshot({ path: `${ARTIFACTS}/steer-04-migrate-preview.png`, fullPage: true });
    await page.getByRole("button", { name: "Gem ændringen" }).click();
    await page.waitForURL(new RegExp(`/instances/${instanceId}\\?changed=migrate$`));
    const after = (await page.locator("main").textContent()) ?? "";
    // Assess
    expect(defaulted).toBe("-");
    expect(plan).toContain("Bliver til Halvårsstatus");
    expect(plan).toContain("Beholdes");
    expect(after).toContain("Halvårsstatus");
    expect((await h.table.stores.instances.get(instanceId))?.workflowVersion).toBe(2);
    const toLene = await loopUntilMailTo(instanceId, "lene@skole-a");
    expect(toLene.subject).toContain("Halvårsstatus");
    await context.close();
  });
});
