/**
 * Issue 11, change 4 in a real browser (Debian chromium): Anna logs in through the embedded OpenID
 * provider, puts an instance on hold from its page, reads the preview, saves, and sees the page
 * say so; a month later she resumes it keeping the deadlines, and the loop's step sends what fell
 * due in the pause: Skole A's leader finds the reminder in the outbox.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { runNotify } from "../../shared/app/notify.ts";
import { FileOutboxTransport } from "../../shared/mail/transport.ts";
import { execution, fixedLinkKey, notifyDeps } from "../app/fixtures.ts";
import { type Harness, instanceWithLinks, startHarness, UNITS } from "../http/harness.ts";
import { logIn } from "../people/browser-login.ts";
import { launchChromium } from "../support/browser.ts";

let h: Harness;
let browser: Browser;
let outboxDir: string;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  outboxDir = await mkdtemp(join(tmpdir(), "fristflow-hold-"));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
  await rm(outboxDir, { recursive: true, force: true });
});

/** The loop's step (decide, then send) into an outbox the dashboard lists, as the local stack's. */
async function loopStep(instanceId: string): Promise<number> {
  const transport = new FileOutboxTransport(
    outboxDir,
    async (record) => {
      const raw = await readFile(record.path, "utf8");
      const parsed = await simpleParser(raw);
      await h.table.stores.outbox.put({
        messageId: record.messageId,
        to: record.to,
        subject: parsed.subject ?? "",
        at: record.storedAt,
        path: record.path,
        raw,
      });
    },
    h.clock,
  );
  const { decision } = await runDecide(
    { ...h.table.stores, clock: h.clock },
    { instanceId, execution: execution() },
  );
  const report = await runNotify(notifyDeps(h.table.stores, h.clock, transport, fixedLinkKey()), {
    instanceId,
    notifications: decision.notifications,
  });
  return report.sent;
}

describe("hold and resume in the browser", () => {
  it("holds from the instance page, resumes a month later keeping the deadlines, and the leader gets the reminder", async () => {
    // Prepare
    const { instanceId } = await instanceWithLinks(h);
    const path = `/instances/${instanceId}`;
    let context: BrowserContext = await browser.newContext({ locale: "da-DK" });
    let page = await logIn(h.url, context, "anna", path);

    // Act 1: put it on hold
    await page.getByRole("link", { name: "Sæt på pause" }).click();
    await page.getByLabel("Begrundelse").fill("Afventer byrådets beslutning om skolestrukturen");
    await page.getByRole("button", { name: "Se, hvad ændringen gør" }).click();
    // Assess 1: the preview says what it does, then the page says it is on hold
    await expect(page.locator("#preview-summary").textContent()).resolves.toMatch(
      /aflyser \d+ planlagte mails og sender intet nu/,
    );
    await page.getByRole("button", { name: "Gem ændringen" }).click();
    await page.waitForURL((url) => url.pathname === path);
    await expect(page.locator("#hold-notice").textContent()).resolves.toBe(
      "På pause siden 01.05.2024 (Anna Administrator (anna)): Afventer byrådets beslutning om skolestrukturen",
    );
    await context.close();

    // Act 2: 29 May, after the 3-day reminder's moment; a fresh login, resume keeping the deadlines
    h.clock.set("2024-05-29T07:00:00Z");
    expect(await loopStep(instanceId)).toBe(0); // held: nothing goes out
    context = await browser.newContext({ locale: "da-DK" });
    page = await logIn(h.url, context, "anna", path);
    await page.getByRole("link", { name: "Genoptag" }).click();
    await page.getByLabel("Behold fristerne").check();
    await page.getByLabel("Begrundelse").fill("Byrådet har besluttet");
    await page.getByRole("button", { name: "Se, hvad ændringen gør" }).click();
    // Assess 2: the preview names the mails that go out at once, Skole A's leader among them
    await expect(page.locator("#preview-summary").textContent()).resolves.toMatch(/sender 3 mails nu\./);
    const sendsNow = page.getByRole("region", { name: "Mails, der sendes, når du gemmer" });
    await expect(sendsNow.getByRole("cell", { name: "Leder af Skole A", exact: true }).count()).resolves.toBe(
      1,
    );
    await page.getByRole("button", { name: "Gem ændringen" }).click();
    await page.waitForURL((url) => url.pathname === path);
    await expect(page.locator("#hold-notice").count()).resolves.toBe(0);

    // Act 3: the loop wakes and sends
    const sent = await loopStep(instanceId);
    // Assess 3: the three mails the preview named, Skole A's reminder in the outbox
    expect(sent).toBe(3);
    await page.goto(`${h.url}/outbox`);
    const outbox = (await page.locator("main").textContent()) ?? "";
    expect(outbox).toContain("lene@skole-a.example.dk");
    expect(outbox).toContain("Statusrapport");
    await context.close();
  });
});
