/**
 * Each role that changes things, in a real browser (Debian's chromium), logged in through the
 * embedded OpenID provider's own form: an administrator grants a caseworker one workflow on the
 * user's page; the caseworker is offered only that one on the start form, starts an instance and
 * cancels it, and sees their own instance but not another caseworker's (404); an editor edits the
 * directory and the workflows but cannot start or cancel instances and has no users page.
 * Screenshots go to test/.artifacts/.
 */
import { mkdir } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInstance } from "../../shared/app/admin.ts";
import { loadWorkflow } from "../../shared/model/load.ts";
import { userAuditId } from "../../shared/store/ports.ts";
import {
  type Harness,
  instanceWithLinks,
  startHarness,
  testWorkflow,
  UNITS,
  WORKFLOW_YAML,
} from "../http/harness.ts";
import { launchChromium } from "../support/browser.ts";
import { logIn as logInThroughProvider } from "./browser-login.ts";

const ARTIFACTS = "test/.artifacts";
/** A second workflow, never granted to the caseworker. */
const OTHER_YAML = WORKFLOW_YAML.replace("id: skoleopfoelgning", "id: tilsyn").replace(
  "da: Opfølgning på skoler",
  "da: Tilsyn med skoler",
);

let h: Harness;
let browser: Browser;
/** Started by another caseworker (Carl), naming nobody Sara is. */
let carlsInstance: string;
/** Started by nobody in particular (a script), viewed by everyone who sees all. */
let scriptInstance: string;
/** The one Sara starts in the browser. */
let saraInstance = "";

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  ({ instanceId: scriptInstance } = await instanceWithLinks(h));
  const other = loadWorkflow(OTHER_YAML, "tilsyn.yaml");
  if (!other.ok) throw new Error(JSON.stringify(other.errors));
  await h.table.stores.workflows.putVersion({
    workflowId: "tilsyn",
    source: OTHER_YAML,
    definition: other.value,
    createdBy: "test",
  });
  ({ id: carlsInstance } = await startInstance(
    { ...h.table.stores, clock: h.clock, starter: { start: async () => undefined } },
    { workflowId: testWorkflow().id, start: "2024-05-01", params: { sag: "SAG-CARL-1" } },
    { by: "user:carl (Carl Sagsbehandler)" },
  ));
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

describe("caseworkers and editors in the browser", () => {
  it("an administrator grants a caseworker one workflow on the user's page, audited with before and after", async () => {
    const context = await browser.newContext({ locale: "da-DK" });
    const page = await logIn(context, "anna", "/users/sara");
    await expect(
      page.getByRole("heading", { name: "Skabeloner, personen må starte og styre forløb af" }).count(),
    ).resolves.toBe(1);
    await page.getByLabel("Opfølgning på skoler (skoleopfoelgning)").check();
    await expect(page.getByLabel("Tilsyn med skoler (tilsyn)").isChecked()).resolves.toBe(false);
    await page.screenshot({ path: `${ARTIFACTS}/roles-01-grants.png`, fullPage: true });
    await page.getByRole("button", { name: "Gem adgang til skabeloner" }).click();
    await page.waitForURL(/\/users\?saved=sara$/);
    expect((await h.table.stores.users.get("sara"))?.grants).toEqual(["skoleopfoelgning"]);
    const trail = await h.table.stores.audit.list(userAuditId("sara"));
    expect(trail.map((e) => [e.action, e.by, e.details])).toEqual([
      ["user.grants.changed", "user:anna (Anna Administrator)", { before: [], after: ["skoleopfoelgning"] }],
    ]);
    // Back on the page, the box is ticked.
    await page.goto(`${h.url}/users/sara`);
    await expect(page.getByLabel("Opfølgning på skoler (skoleopfoelgning)").isChecked()).resolves.toBe(true);
    await context.close();
  });

  it("a caseworker is offered only the granted workflow, starts an instance of it and cancels it", async () => {
    const context = await browser.newContext({ locale: "da-DK" });
    const page = await logIn(context, "sara", "/instances/_new");
    const offered = await page
      .locator("#f-workflow option")
      .evaluateAll((options) => options.map((o) => o.getAttribute("value")));
    expect(offered).toEqual(["skoleopfoelgning"]);
    await page.getByRole("button", { name: "Vælg skabelon" }).click();
    await page.getByRole("button", { name: "Start forløbet" }).click();
    await page.waitForURL(/\/instances\/skoleopfoelgning-[0-9a-f]{16}\?started=1$/);
    const own = new URL(page.url()).pathname.split("/")[2] ?? "";
    saraInstance = own;
    expect((await h.table.stores.instances.get(own))?.createdBy).toBe("user:sara (Sara Sagsbehandler)");
    await page.screenshot({ path: `${ARTIFACTS}/roles-02-caseworker-started.png`, fullPage: true });

    await page.getByRole("link", { name: "Annullér forløbet" }).click();
    await page.getByLabel("Begrundelse").fill("Startet ved en fejl");
    await page.getByRole("button", { name: "Ja, annullér forløbet" }).click();
    await page.waitForURL(new RegExp(`/instances/${own}\\?cancelled=1$`));
    expect((await h.table.stores.instances.get(own))?.status).toBe("cancelled");

    // The ungranted workflow, asked for by its address: refused, saying why.
    const refused = await page.goto(`${h.url}/instances/_new?workflow=tilsyn`);
    expect(refused?.status()).toBe(403);
    await expect(page.locator("h1").textContent()).resolves.toBe("Ingen adgang til skabelonen");
    await context.close();
  });

  it("a caseworker sees their own instance but not another caseworker's, which is not found (404)", async () => {
    const context = await browser.newContext({ locale: "da-DK" });
    const page = await logIn(context, "sara", "/instances");
    const listed = await page
      .locator("tbody a[href^='/instances/']")
      .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(listed).toContain(`/instances/${saraInstance}`);
    expect(listed.some((href) => href?.includes(carlsInstance))).toBe(false);
    expect(listed.some((href) => href?.includes(scriptInstance))).toBe(false);
    await page.screenshot({ path: `${ARTIFACTS}/roles-03-caseworker-list.png`, fullPage: true });
    for (const path of [
      `/instances/${carlsInstance}`,
      `/instances/${carlsInstance}/report`,
      `/instances/${carlsInstance}/cancel`,
    ]) {
      const response = await page.goto(`${h.url}${path}`);
      expect(response?.status(), path).toBe(404);
      await expect(page.locator("h1").textContent()).resolves.toBe("Siden findes ikke");
    }
    // The overview holds none of the others' instances either.
    await page.goto(`${h.url}/`);
    await expect(page.locator(`a[href^='/instances/${carlsInstance}']`).count()).resolves.toBe(0);
    await expect(page.locator(`a[href^='/instances/${scriptInstance}']`).count()).resolves.toBe(0);
    // Cancelling it anyway, with this session's CSRF token: not found, and nothing changed.
    const csrf = await page.locator('input[name="_csrf"]').first().getAttribute("value");
    const posted = await context.request.post(`${h.url}/instances/${carlsInstance}/cancel`, {
      form: { _csrf: csrf ?? "", reason: "prøver" },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(404);
    expect((await h.table.stores.instances.get(carlsInstance))?.status).toBe("running");
    await context.close();
  });

  it("an editor edits the directory and workflows, but cannot start or cancel instances and has no users page", async () => {
    const context = await browser.newContext({ locale: "da-DK" });
    const page = await logIn(context, "erik", "/units/skole-b/edit");
    // The unit's own name, before the leader's and the manager's.
    await page.getByLabel("Navn", { exact: true }).first().fill("Skole B (ny)");
    await page.getByRole("button", { name: "Gem enheden" }).click();
    await page.waitForURL((url) => url.pathname === "/units");
    expect((await h.table.stores.units.get("skole-b"))?.name).toBe("Skole B (ny)");
    await page.goto(`${h.url}/workflows`);
    await expect(page.getByRole("link", { name: "Ny skabelon" }).count()).resolves.toBe(1);
    await page.goto(`${h.url}/workflows/skoleopfoelgning/edit`);
    expect(new URL(page.url()).pathname).toBe("/workflows/skoleopfoelgning/edit");
    await expect(page.getByLabel("Definition (YAML)").count()).resolves.toBe(1);

    // Every instance is there to read, without a start or a cancel button.
    await page.goto(`${h.url}/instances`);
    await expect(page.getByRole("link", { name: "Start et forløb" }).count()).resolves.toBe(0);
    await page.goto(`${h.url}/instances/${carlsInstance}`);
    await expect(page.locator("h1").count()).resolves.toBe(1);
    await expect(page.getByRole("link", { name: "Annullér forløbet" }).count()).resolves.toBe(0);
    await expect(page.getByRole("link", { name: "Brugere" }).count()).resolves.toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/roles-04-editor-instance.png`, fullPage: true });
    for (const path of ["/instances/_new", `/instances/${carlsInstance}/cancel`, "/users"]) {
      const response = await page.goto(`${h.url}${path}`);
      expect(response?.status(), path).toBe(403);
      await expect(page.locator("h1").textContent()).resolves.toBe("Ingen adgang");
    }
    expect((await h.table.stores.instances.get(carlsInstance))?.status).toBe("running");
    await context.close();
  });
});
