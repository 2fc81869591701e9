/**
 * The accessibility statement over real HTTP: public, in Danish and English, with the sections of
 * Digitaliseringsstyrelsen's template in their order, and linked from the foot of the dashboard's
 * pages (with and without a login) and of the confirm pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statementBody } from "../../shared/dashboard/accessibility/routes.ts";
import { dashboardStrings } from "../../shared/dashboard/strings.ts";
import { Client, visibleText } from "../dashboard/client.ts";
import { type MemoryHarness, startMemoryHarness } from "./memory-harness.ts";

let h: MemoryHarness;

beforeAll(async () => {
  h = await startMemoryHarness("2024-05-01T06:00:00Z");
});
afterAll(async () => {
  await h.close();
});

async function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${h.url}${path}`, { headers, redirect: "manual" });
  return { status: response.status, text: await response.text() };
}

function inOrder(text: string, parts: readonly string[]): number[] {
  return parts.map((part) => text.indexOf(part));
}

describe("the accessibility statement", () => {
  it("is a public page in Danish with the template's sections in order, the test method and the complaint body", async () => {
    const page = await get("/tilgaengelighed");
    const text = visibleText(page.text);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="da">');
    const at = inOrder(text, [
      "Tilgængeligheds\u00aderklæring for fristflow",
      "Status for overholdelse",
      "Ikke-tilgængeligt indhold",
      "Sådan har vi testet",
      "Feedback og kontaktoplysninger",
      "Klage",
      "Dato for erklæringen",
    ]);
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain("WCAG 2.1 på niveau AA");
    expect(text).toContain("axe-core (version 4.14.1, fastlåst)");
    expect(text).toContain("320 pixel");
    expect(text).toContain("tastaturet");
    expect(text).toContain("Testkommune");
    expect(page.text).toContain(
      'href="https://digst.dk/digital-inklusion/webtilgaengelighed/oplever-du-ikke-tilgaengeligt-indhold/"',
    );
    expect(text).toContain("3. december 2026");
  });

  it("says where the municipality sets its contact address while none is set", async () => {
    const page = await get("/tilgaengelighed");
    expect(visibleText(page.text)).toContain("FRISTFLOW_REPLY_TO");
    expect(page.text).not.toContain("mailto:");
  });

  it("names the municipality's contact address once it is set (FRISTFLOW_REPLY_TO)", () => {
    const body = statementBody(dashboardStrings("da"), "Ishøj Kommune", "borgerservice@ishoj.dk").toString();
    expect(body).toContain('<a href="mailto:borgerservice@ishoj.dk">borgerservice@ishoj.dk</a>');
    expect(body).toContain("skriv til Ishøj Kommune:");
    expect(body).not.toContain("FRISTFLOW_REPLY_TO");
  });

  it("is in English by ?lang=en, the language switch's cookie or the browser's language, in that order", async () => {
    const byQuery = await get("/tilgaengelighed?lang=en", { cookie: "ff_lang=da" });
    const byCookie = await get("/tilgaengelighed", { cookie: "ff_lang=en", "accept-language": "da" });
    const byBrowser = await get("/tilgaengelighed", { "accept-language": "en-US,en;q=0.8" });
    const danish = await get("/tilgaengelighed?lang=da", { "accept-language": "en" });
    for (const page of [byQuery, byCookie, byBrowser]) {
      expect(page.text).toContain('<html lang="en">');
      expect(visibleText(page.text)).toContain("Accessibility statement for fristflow");
      expect(visibleText(page.text)).toContain("Compliance status");
    }
    expect(danish.text).toContain('<html lang="da">');
  });

  it("is linked at the foot of the login page, of a logged-in page and of the confirm pages", async () => {
    const admin = new Client(h);
    const login = await admin.get("/login");
    await admin.login();
    const overview = await admin.get("/");
    const confirm = await get("/confirm/unknown-link?sig=x");
    const confirmEnglish = await get("/confirm/unknown-link?sig=x&lang=en");
    expect(login.text).toContain('<a href="/tilgaengelighed?lang=da">Tilgængelighedserklæring</a>');
    expect(overview.status).toBe(200);
    expect(overview.text).toMatch(
      /<footer[^>]*><a href="\/tilgaengelighed\?lang=da">Tilgængelighedserklæring<\/a><\/footer>/,
    );
    expect(confirm.text).toContain('<a href="/tilgaengelighed?lang=da">Tilgængelighedserklæring</a>');
    expect(confirmEnglish.text).toContain('<a href="/tilgaengelighed?lang=en">Accessibility statement</a>');
  });
});
