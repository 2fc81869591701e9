/**
 * Issue 11 polish on the dashboard (real HTTP, DynamoDB Local, logged in through the embedded
 * OpenID provider): a refused change shows its refusal at the field in the page's language, the
 * Danish text on the Danish page and the English one on the English page; the API keeps English.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGUAGE_COOKIE } from "../../shared/dashboard/auth/session.ts";
import {
  ADMIN_TOKEN,
  type Harness,
  instanceWithLinks,
  startHarness,
  TEST_USERS,
  UNITS,
} from "../http/harness.ts";
import { Client, loginThroughProvider, visibleText } from "./client.ts";

const KEY = "status/skole-a/0";

let h: Harness;
let anna: Client;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  const person = TEST_USERS.find((u) => u.id === "anna");
  if (person === undefined) throw new Error("no anna");
  anna = new Client(h);
  await loginThroughProvider(anna, h.url, person.email, person.password);
});
afterAll(async () => {
  await h.close();
});

/** The text shown at a field of the form, or null. */
function fieldError(page: string, field: string): string | null {
  const match = new RegExp(`<span class="field-error" id="f-${field}-error">([^<]*)</span>`).exec(page);
  return match?.[1] ?? null;
}

describe("a refused change in the page's language", () => {
  it("shows the Danish refusal at its field on the Danish page, the English one on the English page", async () => {
    // Prepare
    const { instanceId } = await instanceWithLinks(h);
    const change = `/instances/${instanceId}/change/move-deadline`;
    const fields = { occurrenceKey: KEY, scope: "one", to: "2024-01-15", reason: "Skolen bad om det" };
    expect((await anna.get(`${change}?occurrenceKey=${KEY}`)).status).toBe(200);
    const before = await h.snapshot();
    // Act: the same refused preview, in Danish (the default) and in English
    const da = await anna.post(change, { step: "preview", ...fields });
    anna.cookies.set(LANGUAGE_COOKIE, "en");
    const en = await anna.post(change, { step: "preview", ...fields });
    anna.cookies.delete(LANGUAGE_COOKIE);
    // Assess: at the deadline field, each in its language; nothing written
    expect(da.status).toBe(400);
    expect(fieldError(da.text, "to")).toBe("Den nye frist ligger før forløbets start.");
    expect(visibleText(da.text)).not.toContain("the new deadline is before the instance started");
    expect(en.status).toBe(400);
    expect(fieldError(en.text, "to")).toBe("the new deadline is before the instance started");
    expect(visibleText(en.text)).not.toContain("Den nye frist ligger før forløbets start.");
    expect(await h.snapshot()).toEqual(before);
  });

  it("says an input-shape refusal (a reason too short) in Danish at the reason", async () => {
    // Prepare
    const { instanceId } = await instanceWithLinks(h);
    const change = `/instances/${instanceId}/change/move-deadline`;
    expect((await anna.get(`${change}?occurrenceKey=${KEY}`)).status).toBe(200);
    // Act
    const page = await anna.post(change, {
      step: "preview",
      occurrenceKey: KEY,
      scope: "one",
      to: "2024-06-15",
      reason: "x",
    });
    // Assess
    expect(page.status).toBe(400);
    expect(fieldError(page.text, "reason")).toMatch(/^Skriv en begrundelse på mindst 3 tegn/);
  });

  it("leaves the API's answer in English, without the Danish text", async () => {
    // Prepare
    const { instanceId } = await instanceWithLinks(h);
    // Act: the same refusal through the admin API
    const response = await fetch(`${h.url}/api/instances/${instanceId}/changes/move-deadline/preview`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ occurrenceKey: KEY, to: "2024-01-15", reason: "Skolen bad om det" }),
    });
    // Assess
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Record<string, unknown>[] };
    expect(body.errors).toEqual([
      {
        file: "<request body>",
        line: 0,
        column: 0,
        path: "to",
        message: "the new deadline is before the instance started",
      },
    ]);
  });
});
