/**
 * The notice to an applicant in a real browser (Debian chromium), logged in through the embedded
 * OpenID provider: the loop's step mails the caseworker at the notice's time; the link in that
 * mail opens the page, the caseworker gives the date, sees the preview, approves, and the
 * applicant's mail is in the outbox (exactly one).
 */
import { mkdir, readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { runNotify } from "../../shared/app/notify.ts";
import { loadWorkflow } from "../../shared/model/load.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createOutbox, execution, fixedLinkKey, notifyDeps, type Outbox, SETTINGS } from "../app/fixtures.ts";
import { type Harness, startHarness } from "../http/harness.ts";
import { logIn } from "../people/browser-login.ts";
import { launchChromium } from "../support/browser.ts";

const ARTIFACTS = "test/.artifacts";
const NOW = "2024-10-23T07:00:00Z";
const APPLICANT = "borger@example.dk";
let h: Harness;
let outbox: Outbox;
let browser: Browser;

beforeAll(async () => {
  outbox = await createOutbox(new ManualClock(NOW));
  h = await startHarness(NOW, { people: true, mailTransport: outbox.transport });
  const source = await readFile(new URL("../../workflows/ansoegningsfrist.yaml", import.meta.url), "utf8");
  const loaded = loadWorkflow(source, "ansoegningsfrist.yaml");
  if (!loaded.ok) throw new Error("the template does not load");
  await h.table.stores.workflows.putVersion({
    workflowId: "ansoegningsfrist",
    source,
    definition: loaded.value,
    createdBy: "test",
  });
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
  await outbox?.remove();
});

describe("the notice to the applicant in a browser", () => {
  it("goes from the caseworker's mail to the date, the preview, the approval and one mail to the applicant", async () => {
    // Prepare: a case whose notice is due now; the loop's step mails the caseworker
    const instanceId = "ansoegningsfrist-0badc0de";
    await h.table.stores.instances.create({
      instanceId,
      workflowId: "ansoegningsfrist",
      workflowVersion: 1,
      startAt: "2024-09-01T22:00:00Z",
      params: {
        caseRef: "SAG-2024-117",
        caseworker: "sara@kommune.example.dk",
        teamleader: "tl@kommune.example.dk",
        applicant: APPLICANT,
      },
      units: [],
      createdBy: "admin",
    });
    const { decision } = await runDecide(
      { ...h.table.stores, clock: h.clock },
      { instanceId, execution: execution() },
    );
    const deps = notifyDeps(h.table.stores, h.clock, outbox.transport, fixedLinkKey(), {
      settings: { ...SETTINGS, publicBaseUrl: h.url },
    });
    await runNotify(deps, {
      instanceId,
      notifications: decision.notifications.filter((n) => n.kind === "notice"),
    });
    const asked = await outbox.mails();
    expect(asked).toHaveLength(1);
    const link = /(http:\/\/\S+\/notice\?\S+)/.exec(asked[0]?.text ?? "")?.[1];
    expect(link).toBeDefined();

    // Act: log in, follow the mail's link, give the date, preview, approve
    const context = await browser.newContext({ locale: "da-DK" });
    const page = await logIn(h.url, context, "sara", "/instances");
    await page.goto(link ?? "");
    await page.getByLabel("Forventet dato for afgørelsen").fill("2024-11-15");
    await page.getByRole("button", { name: "Se mailen til ansøgeren" }).click();
    await expect
      .poll(() => page.locator("#notice-text").textContent())
      .toContain("Du kan forvente en afgørelse senest 15. november 2024.");
    await page.screenshot({ path: `${ARTIFACTS}/citizen-notice-preview.png`, fullPage: true });
    await page.getByRole("button", { name: "Godkend og send" }).click();
    await page.locator("#notice-result").waitFor();

    // Assess
    expect(await page.locator("#notice-result").textContent()).toContain("Beskeden er sendt til ansøgeren");
    const mails = (await outbox.mails()).filter((m) => m.to && JSON.stringify(m.to).includes(APPLICANT));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe("Din sag SAG-2024-117: forventet afgørelse senest 15. november 2024");
    await context.close();
  }, 60_000);
});
