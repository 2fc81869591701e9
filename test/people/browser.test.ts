/**
 * Staff in a real browser (Debian's chromium driven by playwright-core), logging in through the
 * embedded OpenID provider's own login form: a viewer sees no start or cancel buttons and is
 * refused a POST; an administrator sees and uses them. Logging out makes the old cookie worthless,
 * and deactivating a user ends the session they have open. Screenshots go to test/.artifacts/.
 */
import { mkdir } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, instanceWithLinks, startHarness, TEST_USERS, UNITS } from "../http/harness.ts";
import { launchChromium } from "../support/browser.ts";
import { logIn as logInThroughProvider } from "./browser-login.ts";

const ARTIFACTS = "test/.artifacts";

let h: Harness;
let browser: Browser;
let instanceId: string;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  ({ instanceId } = await instanceWithLinks(h));
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** The shared login (browser-login.ts), on this harness. */
function logIn(context: BrowserContext, id: string, path: string): Promise<Page> {
  return logInThroughProvider(h.url, context, id, path);
}

describe("staff in the browser", () => {
  it("a viewer reads but sees no start or cancel buttons, and a POST is refused with 403", async () => {
    const context = await browser.newContext({ locale: "da-DK" });
    const page = await logIn(context, "vera", "/instances");
    await page.screenshot({ path: `${ARTIFACTS}/people-01-viewer-instances.png`, fullPage: true });
    await expect(page.getByText("Logget ind som Vera Læser").count()).resolves.toBe(1);
    await expect(page.getByRole("link", { name: "Start et forløb" }).count()).resolves.toBe(0);
    await page.goto(`${h.url}/instances/${instanceId}`);
    await expect(page.locator("h1").count()).resolves.toBe(1);
    await expect(page.getByRole("link", { name: "Annullér forløbet" }).count()).resolves.toBe(0);
    await expect(page.getByRole("link", { name: "Brugere" }).count()).resolves.toBe(0);
    // The cancel form posted anyway, with this session's own CSRF token: the role decides.
    const csrf = await page.locator('input[name="_csrf"]').first().getAttribute("value");
    const refused = await context.request.post(`${h.url}/instances/${instanceId}/cancel`, {
      form: { _csrf: csrf ?? "", reason: "prøver" },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain("Din rolle giver ikke adgang");
    expect((await h.table.stores.instances.get(instanceId))?.status).toBe("running");
    await page.goto(`${h.url}/users`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Ingen adgang");
    await context.close();
  });

  it("an administrator sees the start and cancel buttons and the users page", async () => {
    const context = await browser.newContext({ locale: "da-DK" });
    const page = await logIn(context, "anna", `/instances/${instanceId}`);
    await expect(page.getByRole("link", { name: "Annullér forløbet" }).count()).resolves.toBe(1);
    await page.goto(`${h.url}/instances`);
    await expect(page.getByRole("link", { name: "Start et forløb" }).count()).resolves.toBe(1);
    await page.getByRole("link", { name: "Brugere" }).click();
    await page.waitForURL(/\/users$/);
    await page.screenshot({ path: `${ARTIFACTS}/people-02-admin-users.png`, fullPage: true });
    const rows = await page.locator("tbody tr").count();
    expect(rows).toBe(TEST_USERS.length);
    await context.close();
  });

  it("after logging out, the old session cookie is refused", async () => {
    const context = await browser.newContext({ locale: "da-DK" });
    const page = await logIn(context, "erik", "/workflows");
    const cookies = await context.cookies();
    await page.getByRole("button", { name: "Log ud" }).click();
    await page.waitForURL(/\/login\?out=1$/);
    await expect(page.getByText("Du er logget ud").count()).resolves.toBe(1);
    // Put the cookie from before back, as someone who copied it would.
    const replay = await browser.newContext({ locale: "da-DK" });
    await replay.addCookies(cookies);
    const again = await replay.newPage();
    await again.goto(`${h.url}/workflows`);
    expect(new URL(again.url()).pathname).toBe("/login");
    await context.close();
    await replay.close();
  });

  it("deactivating a user ends the session they have open", async () => {
    const sara = await browser.newContext({ locale: "da-DK" });
    const saraPage = await logIn(sara, "sara", "/instances");
    const admin = await browser.newContext({ locale: "da-DK" });
    const adminPage = await logIn(admin, "anna", "/users/sara");
    await expect(adminPage.getByRole("heading", { name: "Åbne sessioner: 1" }).count()).resolves.toBe(1);
    await adminPage.getByLabel("Aktiv (må logge ind)").uncheck();
    await adminPage.getByRole("button", { name: "Gem bruger" }).click();
    await adminPage.waitForURL(/\/users\?saved=sara/);
    await expect(adminPage.getByRole("status").textContent()).resolves.toContain(
      "logget ud (1 session afsluttet)",
    );
    await adminPage.screenshot({ path: `${ARTIFACTS}/people-03-deactivated.png`, fullPage: true });
    await saraPage.reload();
    expect(new URL(saraPage.url()).pathname).toBe("/login");
    await sara.close();
    await admin.close();
  });
});
