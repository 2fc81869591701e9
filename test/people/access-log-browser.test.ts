/**
 * The access log end to end, in a real browser (Debian's chromium) logged in through the embedded
 * OpenID provider: a viewer opens two cases' instance pages and one report, a script reads one
 * instance with the admin token, and an administrator downloads the log of one case reference
 * from the dashboard. The CSV, read back with a split of its own, lists exactly the views of that
 * case made here, with who and when, and nothing of the other case. Screenshots go to
 * test/.artifacts/.
 */
import { mkdir, readFile } from "node:fs/promises";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessLogPartition } from "../../shared/store/keys.ts";
import { ADMIN_TOKEN, type Harness, startHarness } from "../http/harness.ts";
import { launchChromium } from "../support/browser.ts";
import { logIn as logInThroughProvider } from "./browser-login.ts";

const ARTIFACTS = "test/.artifacts";
const CASE = "UND-2026-00123";
const OTHER_CASE = "UND-2026-00999";

let h: Harness;
let browser: Browser;
let asked: string;
let other: string;

async function api(method: string, path: string, body: string, type = "application/json") {
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": type },
    ...(method === "GET" ? {} : { body }),
  });
  return { status: response.status, json: (await response.json()) as { id?: string } };
}

async function startCase(caseRef: string): Promise<string> {
  const started = await api(
    "POST",
    "/api/instances",
    JSON.stringify({
      workflowId: "underretning",
      start: "2024-05-01T06:00:00Z",
      params: { caseRef, caseworker: "sara@kommune.example.dk" },
    }),
  );
  expect(started.status).toBe(201);
  return started.json.id as string;
}

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
  const saved = await api(
    "POST",
    "/api/workflows",
    await readFile("workflows/underretning.yaml", "utf8"),
    "application/yaml",
  );
  expect(saved.status).toBe(201);
  asked = await startCase(CASE);
  other = await startCase(OTHER_CASE);
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** The shared login (browser-login.ts), on this harness. */
function logIn(context: BrowserContext, id: string, path: string): Promise<Page> {
  return logInThroughProvider(h.url, context, id, path);
}

/** Each view at its own minute, so the CSV's times can be checked to the second. */
function at(minute: number): void {
  h.clock.set(`2024-05-01T06:${String(minute).padStart(2, "0")}:00Z`);
}

describe("the access log", () => {
  it("exports exactly the views of one case reference made here, with who and when", async () => {
    // Act: a viewer opens both cases and one report; a script reads one case with the admin token.
    at(1);
    const viewer = await browser.newContext({ locale: "da-DK" });
    const page = await logIn(viewer, "vera", `/instances/${asked}`);
    await expect(page.locator("h1").count()).resolves.toBe(1);
    at(2);
    await page.goto(`${h.url}/instances/${other}`);
    at(3);
    await page.goto(`${h.url}/instances/${asked}/report`);
    await expect(page.locator("h1").count()).resolves.toBe(1);
    await viewer.close();
    at(4);
    const read = await fetch(`${h.url}/api/instances/${asked}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(read.status).toBe(200);

    // Act: the administrator downloads the log of the one case.
    at(5);
    const admin = await browser.newContext({ locale: "da-DK", acceptDownloads: true });
    const adminPage = await logIn(admin, "anna", "/access-log");
    await adminPage.getByLabel("Sagsnummer").fill(CASE);
    await adminPage.screenshot({ path: `${ARTIFACTS}/access-log-01-export.png`, fullPage: true });
    const [download] = await Promise.all([
      adminPage.waitForEvent("download"),
      adminPage.getByRole("button", { name: "Hent loggen (CSV)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`adgangslog-${CASE}.csv`);
    const bytes = await readFile(await download.path());
    await admin.close();

    // Assess: UTF-8 with a BOM, then rows split on ';' (no value here holds a quote or a ';').
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    expect(text).not.toContain('"');
    const rows = text
      .split("\r\n")
      .filter((line) => line !== "")
      .map((line) => line.split(";"));
    expect(rows[0]).toEqual(["Tidspunkt", "Medarbejder", "Visning", "Sag", "Forløb", "Adresse"]);
    // 06:0x UTC is 08:0x in Copenhagen in May.
    expect(rows.slice(1)).toEqual([
      ["2024-05-01 08:01:00", "Vera Læser (vera)", "Forløbets side", CASE, asked, "127.0.0.1"],
      ["2024-05-01 08:03:00", "Vera Læser (vera)", "Rapport", CASE, asked, "127.0.0.1"],
      ["2024-05-01 08:04:00", "Administratortoken", "API: forløbet", CASE, asked, "127.0.0.1"],
      ["2024-05-01 08:05:00", "Anna Administrator (anna)", "Udtræk af adgangsloggen", CASE, "", "127.0.0.1"],
    ]);
    expect(text).not.toContain(other);
    expect(text).not.toContain(OTHER_CASE);

    // Assess: the other case has its own entry, and each item carries the table's TTL attribute.
    expect(await h.table.stores.accessLog.forCase(OTHER_CASE)).toMatchObject([
      { view: "instance-page", instanceId: other, at: "2024-05-01T06:02:00Z", who: { id: "vera" } },
    ]);
    const items = await h.table.doc.send(
      new QueryCommand({
        TableName: h.table.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": accessLogPartition.case(CASE) },
        ConsistentRead: true,
      }),
    );
    const sixMonths = 184 * 24 * 60 * 60;
    expect(items.Items?.map((i) => i.expiresAt)).toEqual(
      [1, 3, 4, 5].map((m) => Date.parse(`2024-05-01T06:0${m}:00Z`) / 1000 + sixMonths),
    );
  }, 120_000);
});
