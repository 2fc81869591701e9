/**
 * Issue 11, change 2 in a real browser (Debian's chromium), ending in the outbox: an administrator
 * logged in through the embedded OpenID provider adds a new school to the directory, follows the
 * directory page's offer to the running instance, previews and saves; the loop's own steps then
 * send the new school's leader the reminder, which is parsed back from the .eml file.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { runNotify } from "../../shared/app/notify.ts";
import { createOutbox, execution, notifyDeps, type Outbox } from "../app/fixtures.ts";
import { type Harness, instanceWithLinks, LINK_KEY, startHarness, UNITS } from "../http/harness.ts";
import { logIn, person } from "../people/browser-login.ts";
import { launchChromium } from "../support/browser.ts";
import { Client, loginThroughProvider } from "./client.ts";

let h: Harness;
let browser: Browser;
let outbox: Outbox;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  outbox = await createOutbox(h.clock);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await outbox?.remove();
  await h?.close();
});

describe("a new school joins a running instance in the browser", () => {
  it("is offered from the directory, previewed, saved, and its leader is reminded", async () => {
    // Prepare: a running instance over skole-a and skole-b
    const { instanceId } = await instanceWithLinks(h);
    const context = await browser.newContext({ locale: "da-DK" });
    const page = await logIn(h.url, context, "anna", "/units/_new");

    // Act: create the school in the directory
    await page.locator("input[name=id]").fill("skole-c");
    await page.locator("input[name=name]").fill("Skole C");
    await page.locator("input[name=type]").fill("skole");
    await page.locator("input[name=leader_name]").fill("Cille Leder");
    await page.locator("input[name=leader_email]").fill("cille@skole-c.example.dk");
    await page.getByRole("button", { name: "Gem enheden" }).click();
    await page.waitForURL((url) => url.pathname === "/units");
    // …follow the offer to the running instance, preview and save
    const offer = page.locator("#unit-offer");
    await expect(offer.locator("h2").textContent()).resolves.toBe("Skal Skole C med i de forløb, der kører?");
    await offer.getByRole("link", { name: /Tilføj enheden/ }).click();
    await page.waitForURL((url) => url.pathname === `/instances/${instanceId}/change/add-unit`);
    await expect(page.getByLabel("Enhed", { exact: true }).inputValue()).resolves.toBe("skole-c");
    await page.getByLabel("Begrundelse").fill("Skole C er åbnet");
    await page.getByRole("button", { name: "Se, hvad ændringen gør" }).click();
    const summary = (await page.locator("#preview-summary").textContent()) ?? "";
    await page.getByRole("button", { name: "Gem ændringen" }).click();
    await page.waitForURL((url) => url.pathname === `/instances/${instanceId}`);
    const instancePage = (await page.locator("main").textContent()) ?? "";

    // …and the loop runs: it decides, sleeps until the first reminder, decides and sends
    const deps = { ...h.table.stores, clock: h.clock };
    const first = await runDecide(deps, { instanceId, execution: execution() });
    h.clock.set(first.decision.nextWakeAt ?? "");
    const due = await runDecide(deps, { instanceId, execution: execution() });
    await runNotify(notifyDeps(h.table.stores, h.clock, outbox.transport, { getKey: async () => LINK_KEY }), {
      instanceId,
      notifications: due.decision.notifications,
    });
    const mails = await outbox.mails();

    // Assess
    expect(summary).toMatch(/tilføjer 1 milepæl.*sender intet nu/);
    expect(instancePage).toContain("Skole C");
    const toCille = mails.filter((m) => m.to !== undefined && JSON.stringify(m.to).includes("cille@skole-c"));
    expect(toCille).toHaveLength(1);
    expect(toCille[0]?.subject).toContain("Statusrapport");
    expect(toCille[0]?.text).toContain("Skole C");
    await context.close();
  });
});

describe("who is offered to add a unit to running instances", () => {
  it.each([
    ["anna", true],
    ["sara", false],
    ["erik", false],
    ["vera", false],
  ])("%s sees the offer: %s", async (id, offered) => {
    // Prepare: a school in the directory, a running instance without it
    await h.table.stores.units.put({
      id: "skole-e",
      name: "Skole E",
      type: "skole",
      leader: { name: "Eva Leder", email: "eva@skole-e.example.dk" },
    });
    const { instanceId } = await instanceWithLinks(h);
    const client = new Client(h);
    await loginThroughProvider(client, h.url, person(id).email, person(id).password);
    // Act
    const page = await client.get("/units?saved=skole-e");
    // Assess: only who may steer the instance (a caseworker without its workflow may not)
    expect(page.status).toBe(200);
    expect(page.text.includes(`/instances/${instanceId}/change/add-unit?unitId=skole-e`)).toBe(offered);
  });
});
