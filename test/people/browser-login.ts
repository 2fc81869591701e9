/**
 * How the people browser tests log in: from a page behind the login, through the embedded OpenID
 * provider's own form (as staff do), back to that page. One of TEST_USERS by id.
 */
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { TEST_USERS } from "../http/app-harness.ts";

export function person(id: string) {
  const found = TEST_USERS.find((u) => u.id === id);
  if (found === undefined) throw new Error(id);
  return found;
}

export async function logIn(
  baseUrl: string,
  context: BrowserContext,
  id: string,
  path: string,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}${path}`);
  expect(new URL(page.url()).pathname).toBe("/login");
  await page.getByRole("link", { name: "Log ind med den lokale udbyder" }).click();
  await page.waitForURL(/\/oidc\/interaction\//);
  await page.getByLabel("E-mail eller bruger-id").fill(person(id).email);
  await page.getByLabel("Adgangskode").fill(person(id).password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await page.waitForURL((url) => url.pathname === path);
  return page;
}
