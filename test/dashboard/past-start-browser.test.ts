/**
 * Issue 11 in a real browser (Debian chromium via playwright-core), logged in through the embedded
 * OpenID provider as staff do: an administrator starts an instance with a start date before today.
 * The first submit shows what would be sent at once and the deadlines already passed; the second,
 * with a choice, starts it. Then the loop's step runs and the dashboard's outbox shows the result:
 * history, no mail; catch-up, the school leaders' reminders. Screenshots go to test/.artifacts/.
 */
import { mkdir } from "node:fs/promises";
import { simpleParser } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStep } from "../../shared/app/step.ts";
import type { MailTransport } from "../../shared/mail/transport.ts";
import { loadWorkflow } from "../../shared/model/load.ts";
import { execution, fixedLinkKey, notifyDeps } from "../app/fixtures.ts";
import { type Harness, startHarness, UNITS } from "../http/harness.ts";
import { logIn } from "../people/browser-login.ts";
import { launchChromium } from "../support/browser.ts";

const ARTIFACTS = "test/.artifacts";

/** Status reports due 15 April (passed by 1 May), action plans due 10 May 2024, per school. */
const YAML = `id: skoleaar
title: Skoleåret
milestones:
  - id: status
    title: Statusrapport
    due: "2024-04-15"
    forEach: [skole]
    reminders: [P14D, P3D]
    escalation: false
  - id: handleplan
    title: Handleplan
    due: "2024-05-10"
    forEach: [skole]
    reminders: [P14D, P3D]
    escalation: false
`;

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  const loaded = loadWorkflow(YAML, "skoleaar.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  await h.table.stores.workflows.putVersion({
    workflowId: "skoleaar",
    source: YAML,
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

/** Mail goes where the local stack puts it: the outbox the dashboard shows. */
function outboxTransport(): MailTransport {
  return {
    name: "outbox",
    async send(message) {
      const parsed = await simpleParser(message.raw);
      await h.table.stores.outbox.put({
        messageId: message.messageId,
        at: h.clock.now().toString(),
        to: message.to,
        subject: parsed.subject ?? "",
        raw: message.raw.toString("utf8"),
      });
      return { providerId: message.messageId };
    },
  };
}

/** One round of the instance loop's step, as the Lambda runs it. */
function step(instanceId: string) {
  const deps = notifyDeps(h.table.stores, h.clock, outboxTransport(), fixedLinkKey());
  return runStep(deps, { instanceId, execution: execution() });
}

/** From the workflow chooser to the filled-in start form, submitted once. */
async function submitPastStart(page: Page): Promise<void> {
  await page.locator("#f-workflow").selectOption("skoleaar");
  await page.getByRole("button", { name: "Vælg skabelon" }).click();
  await page.getByLabel("Startdato").fill("2024-03-01");
  await page.getByRole("button", { name: "Start forløbet" }).click();
  await page.locator("#past-summary").waitFor();
}

function startedId(page: Page): string {
  return new URL(page.url()).pathname.split("/")[2] ?? "";
}

describe("starting with a date in the past in the dashboard", () => {
  it("history: the preview lists the mails and passed deadlines; started as history, nobody is mailed", async () => {
    // Prepare
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "da-DK" });
    const page = await logIn(h.url, context, "anna", "/instances/_new");
    page.setDefaultTimeout(8000);
    const before = (await h.table.stores.instances.list()).length;

    // Act: the first submit shows the preview step
    await submitPastStart(page);
    const preview = (await page.locator("main").textContent()) ?? "";
    const mailRows = await page.locator("#past-mails tbody tr").allTextContents();
    const passedRows = await page.locator("#past-deadlines tbody tr").allTextContents();
    await page.screenshot({ path: `${ARTIFACTS}/past-start-01-preview.png`, fullPage: true });
    const notYet = (await h.table.stores.instances.list()).length;
    // Start without a choice: asked to choose, still nothing stored
    await page.getByRole("button", { name: "Start forløbet" }).click();
    const unchosen = (await page.locator("main").textContent()) ?? "";
    const stillNone = (await h.table.stores.instances.list()).length;
    await page.getByLabel(/Behandl fortiden som historik/).check();
    await page.getByRole("button", { name: "Start forløbet" }).click();
    await page.waitForURL(/\/instances\/skoleaar-[0-9a-f]{16}\?started=1$/);
    const id = startedId(page);
    const summary = (await page.locator("dl.facts").textContent()) ?? "";
    const history = (await page.locator("main").textContent()) ?? "";
    await page.screenshot({ path: `${ARTIFACTS}/past-start-02-history-started.png`, fullPage: true });
    const ran = await step(id);
    await page.goto(`${h.url}/outbox`);
    const outbox = (await page.locator("main").textContent()) ?? "";

    // Assess
    expect(preview).toContain(
      "Startdatoen ligger før i dag. Hvis forløbet startes nu, sendes 2 mails med det samme:",
    );
    expect(mailRows).toHaveLength(2);
    expect(mailRows.join("\n")).toContain("Lene Leder (leder af Skole A)");
    expect(mailRows.join("\n")).toContain("Bo Leder (leder af Skole B)");
    expect(mailRows.every((r) => r.includes("Handleplan") && r.includes("Påmindelse"))).toBe(true);
    expect(preview).toContain("2 frister er allerede overskredet");
    expect(passedRows.every((r) => r.includes("Statusrapport"))).toBe(true);
    expect(notYet).toBe(before);
    expect(unchosen).toContain("Vælg, om der skal sendes indhentningsmails");
    expect(stillNone).toBe(before);
    expect(summary).toContain("Startet med fortiden som historik");
    expect(history).toContain("Startdato før i dag: fortiden behandles som historik");
    expect((await h.table.stores.instances.get(id))?.quietUntil).toBe("2024-05-01T06:00:00Z");
    const created = (await h.table.stores.audit.list(id)).find((e) => e.action === "instance.created");
    expect(created).toMatchObject({ by: "user:anna (Anna Administrator)", details: { past: "history" } });
    expect(ran.sent).toBe(0);
    expect(outbox).not.toContain("skole-a.example.dk");
    expect(outbox).not.toContain("skole-b.example.dk");
    await context.close();
  });

  it("catch-up: back to the form keeps the values; started with catch-up mails, the leaders' reminders are in the outbox", async () => {
    // Prepare
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "da-DK" });
    const page = await logIn(h.url, context, "anna", "/instances/_new");
    page.setDefaultTimeout(8000);

    // Act: to the preview, back to the form, and to the preview again
    await submitPastStart(page);
    const phoneWidth = await page.evaluate("document.documentElement.scrollWidth");
    await page.getByRole("button", { name: "Ret i oplysningerne" }).click();
    const keptDate = await page.getByLabel("Startdato").inputValue();
    await page.getByRole("button", { name: "Start forløbet" }).click();
    await page.locator("#past-summary").waitFor();
    await page.getByLabel(/Send indhentningsmails/).check();
    await page.getByRole("button", { name: "Start forløbet" }).click();
    await page.waitForURL(/\/instances\/skoleaar-[0-9a-f]{16}\?started=1$/);
    const id = startedId(page);
    const summary = (await page.locator("dl.facts").textContent()) ?? "";
    const ran = await step(id);
    await page.goto(`${h.url}/outbox`);
    const outbox = (await page.locator("main").textContent()) ?? "";
    await page.screenshot({ path: `${ARTIFACTS}/past-start-03-catch-up-outbox.png`, fullPage: true });

    // Assess
    expect(phoneWidth).toBeLessThanOrEqual(390);
    expect(keptDate).toBe("2024-03-01");
    expect(summary).not.toContain("historik");
    expect((await h.table.stores.instances.get(id))?.quietUntil).toBeUndefined();
    const created = (await h.table.stores.audit.list(id)).find((e) => e.action === "instance.created");
    expect(created?.details).toMatchObject({ past: "catch-up" });
    expect(ran.sent).toBe(2);
    expect(outbox).toContain("lene@skole-a.example.dk");
    expect(outbox).toContain("bo@skole-b.example.dk");
    await context.close();
  });
});
