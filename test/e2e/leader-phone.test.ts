/**
 * A leader on a phone: the reminder mail lands in the local outbox, the leader opens its confirm
 * link in a phone-sized browser (Debian chromium driven by playwright-core), sees what will be
 * confirmed, taps the button, sees the receipt; the instance shows the milestone as confirmed.
 */
import { mkdir } from "node:fs/promises";
import { simpleParser } from "mailparser";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../infra/local/stack.ts";
import { launchChromium } from "../support/browser.ts";

const ARTIFACTS = "test/.artifacts";
const PHONE = { width: 390, height: 844 };
let stack: LocalStack;
let browser: Browser;
let instanceId: string;
let confirmUrl: string;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  stack = await startLocalStack({ port: 0, clockMode: "skip", startAt: "2023-11-01T07:00:00Z" });
  const created = await fetch(`${stack.url}/api/instances`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ workflowId: "ishoj-staerke-faellesskaber", start: "2023-11-01" }),
  });
  instanceId = ((await created.json()) as { id: string }).id;
  // The first reminder (14 days before the adoption deadline) goes out on 16 November at 08:00.
  await stack.engine.run({ until: "2023-11-16T12:00:00Z" });
  const [first] = await stack.stores.outbox.list(10);
  const stored = first ? await stack.stores.outbox.get(first.messageId) : null;
  const mail = await simpleParser(stored?.raw ?? "");
  confirmUrl = mail.text?.match(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+\?sig=[A-Za-z0-9_-]+/)?.[0] ?? "";
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("a leader confirms from a phone", () => {
  it("the reminder in the outbox carries a confirm link to this server", () => {
    expect(confirmUrl.startsWith(`${stack.url}/confirm/`)).toBe(true);
  });

  it("opens the link, sees what will be confirmed, taps the button and gets a receipt", async () => {
    const page = await browser.newPage({
      viewport: PHONE,
      deviceScaleFactor: 2,
      locale: "da-DK",
      isMobile: true,
      hasTouch: true,
    });

    await page.goto(confirmUrl);
    await page.screenshot({ path: `${ARTIFACTS}/leader-phone-1-confirm-page.png`, fullPage: true });
    const button = page.getByRole("button", { name: /Bekræft/ });
    const box = await button.boundingBox();
    const pageWidth = await page.evaluate("document.documentElement.scrollWidth");

    expect(await page.locator("html").getAttribute("lang")).toBe("da");
    expect(await page.textContent("body")).toContain("Børne- og Undervisningsudvalget vedtager strategien");
    expect(await page.textContent("body")).toContain("30. november 2023");
    expect(pageWidth).toBeLessThanOrEqual(PHONE.width); // no sideways scrolling on a phone
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44); // a comfortable tap target

    // The receipt is on the same address as the form, so waiting for the URL would not wait at all:
    // wait for the receipt's own words instead.
    await button.tap();
    await page
      .getByText(/registreret som bekræftet/)
      .first()
      .waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/leader-phone-2-receipt.png`, fullPage: true });

    expect(await page.textContent("body")).toMatch(/registreret som bekræftet/);
    await page.close();
  });

  it("a second visit says it is already confirmed, with the original time", async () => {
    const page = await browser.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, locale: "da-DK" });

    await page.goto(confirmUrl);

    expect(await page.textContent("body")).toMatch(/Allerede bekræftet/);
    expect(await page.getByRole("button", { name: /Bekræft/ }).count()).toBe(0);
    await page.close();
  });

  it("the administrator's dashboard shows the milestone as confirmed", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "da-DK" });

    await page.goto(`${stack.url}/login?next=${encodeURIComponent(`/instances/${instanceId}`)}`);
    // As staff log in: through the stack's embedded OpenID provider, as its administrator.
    const administrator = stack.users.find((u) => u.roles.includes("administrator"));
    if (administrator === undefined) throw new Error("the users file has no administrator");
    await page.getByRole("link", { name: "Log ind med den lokale udbyder" }).click();
    await page.getByLabel("E-mail eller bruger-id").fill(administrator.email);
    await page.getByLabel("Adgangskode").fill(administrator.password);
    await Promise.all([
      page.waitForURL(`**/instances/${instanceId}`),
      page.getByRole("button", { name: "Log ind" }).click(),
    ]);
    await page.screenshot({ path: `${ARTIFACTS}/leader-phone-3-dashboard.png`, fullPage: true });
    const adoptionRow = page
      .locator("tr", { hasText: "Børne- og Undervisningsudvalget vedtager strategien" })
      .first();

    expect(await adoptionRow.textContent()).toMatch(/bekræftet/);
    expect(await page.locator('g.row.status-confirmed[data-occurrence="vedtagelse/-/0"]').count()).toBe(1);
    await page.close();
  });
});
