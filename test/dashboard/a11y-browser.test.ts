/**
 * WCAG 2.1 A/AA on every page, in a real browser (Debian chromium via playwright-core): each page
 * of VISITS (every GET page of the access table, forms after a refused POST, the confirm pages,
 * Mine frister, the login page and a rendered mail) is opened at 1280 and at 320 px, axe-core
 * must report no violation, and the page must be no wider than the window (at 320 px: WCAG 1.4.10
 * reflow). A new page is one line in VISITS; a GET page of the access table that no visit opens
 * fails the first test, so a page added elsewhere is not left unchecked.
 */
import { readdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS, matchesPattern } from "../../shared/http/access.ts";
import { ADMIN_TOKEN } from "../http/harness.ts";
import { logIn } from "../people/browser-login.ts";
import { a11yContext, axeViolations, pageWidth, sideways } from "../support/a11y.ts";
import { launchChromium } from "../support/browser.ts";
import { LONG_UNIT, type Seeded, seedA11y } from "./a11y-seed.ts";

type Who = "admin" | "anna" | "public" | "admin-en" | "public-en";

interface Visit {
  /** The path and query opened, from what the seed made. */
  path: (s: Seeded) => string;
  /**
   * admin: the admin token; anna: an administrator through the OpenID provider; public: nobody;
   * the -en ones have switched the dashboard to English.
   */
  as: Who;
  /** What to do on the page after opening it (fill a form wrongly and send it, follow a link). */
  act?: (page: Page, s: Seeded) => Promise<void>;
  /** A selector the page must then show: proof that the act reached the state it is for. */
  shows?: string;
  /** A name when the path alone does not say which state of the page this is. */
  name?: string;
}

const at = (path: string) => () => path;
/** Every shipped template, as the seed loads them (each file is named after its workflow id). */
const TEMPLATES = readdirSync("workflows")
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => f.slice(0, -".yaml".length));
const ishoj = (s: Seeded) => s.instances["ishoj-staerke-faellesskaber"] ?? "";
const instance =
  (suffix = "") =>
  (s: Seeded) =>
    `/instances/${ishoj(s)}${suffix}`;

/** Sends the page's form with the button of this name (its fields as they were filled). */
function press(button: string | RegExp) {
  return async (page: Page) => {
    // The click waits for the navigation it starts to commit; then the new page loads.
    await page.getByRole("button", { name: button }).first().click();
    await page.waitForLoadState("load");
  };
}

/** Fills fields by label, then presses a button. */
function fillAndPress(fields: Record<string, string>, button: string | RegExp) {
  return async (page: Page) => {
    for (const [label, value] of Object.entries(fields))
      await page.getByLabel(label, { exact: true }).fill(value);
    await press(button)(page);
  };
}

/** Fills the field of this name, then presses a button. */
function fillNameAndPress(name: string, value: string, button: string | RegExp) {
  return async (page: Page) => {
    await page.locator(`[name="${name}"]`).fill(value);
    await press(button)(page);
  };
}

/** Empties one field (by its selector), then presses a button. */
function clearAndPress(selector: string, button: string | RegExp) {
  return async (page: Page) => {
    await page.locator(selector).fill("");
    await press(button)(page);
  };
}

/** Opens the first link whose address contains `href` (a change form for one milestone). */
function follow(href: string) {
  return async (page: Page) => {
    const target = await page.locator(`a[href*="${href}"]`).first().getAttribute("href");
    if (target === null) throw new Error(`no link to ${href}`);
    await page.goto(new URL(target, page.url()).toString());
  };
}

/** A workflow with so many mistakes that the editor's listing of them scrolls. */
const MANY_ERRORS = [
  "id: Fejl i id",
  "title: 7",
  "milestones:",
  ...Array.from(
    { length: 30 },
    (_, i) =>
      `  - id: m${i}\n    title: Milepæl ${i} med en meget lang titel der ikke kan brydes på en smal skærm uden at rulle vandret\n    due: engang\n    after: [findes-ikke-${i}]`,
  ),
].join("\n");

const BAD_CSV = [
  "id;name;type;leader_name;leader_email;manager_name;manager_email",
  "klub-a;Klubben Nord;club;Jens Holm;jens(at)ishoj.example;;",
  `en-meget-lang-enhed-uden-mellemrum-${"x".repeat(60)};Klubben Syd;club;Rikke Berg;rikke@ishoj.example;;`,
].join("\n");

const VISITS: Visit[] = [
  // Without a login.
  { path: at("/login"), as: "public" },
  {
    path: at("/login"),
    as: "public",
    name: "login, wrong token",
    shows: ".errors",
    act: async (page) => {
      await openTokenForm(page);
      await fillAndPress({ Administratornøgle: "forkert" }, "Log ind")(page);
    },
  },
  { path: (s) => s.confirm.valid, as: "public", name: "confirm, valid" },
  {
    path: (s) => s.confirm.pressable,
    as: "public",
    name: "confirm, pressed",
    act: press(/Bekræft/),
  },
  { path: (s) => s.confirm.confirmed, as: "public", name: "confirm, already confirmed" },
  { path: (s) => s.confirm.expired, as: "public", name: "confirm, expired" },
  { path: (s) => s.confirm.forged, as: "public", name: "confirm, forged" },
  { path: (s) => s.mine, as: "public", name: "Mine frister" },
  // Overview and instances.
  { path: at("/"), as: "admin" },
  { path: at("/?status=overdue&sort=overdue&order=desc"), as: "admin", name: "overview, a search" },
  { path: at("/?from=2024-13-45&owner=x"), as: "admin", name: "overview, refused search", shows: ".errors" },
  { path: at("/instances"), as: "admin" },
  { path: at("/instances?status=running&name=a"), as: "admin", name: "instance list, a search" },
  {
    path: at("/instances?status=findes-ikke"),
    as: "admin",
    name: "instance list, refused",
    shows: ".errors",
  },
  { path: at("/instances/_new"), as: "admin" },
  ...TEMPLATES.map((id): Visit => ({ path: at(`/instances/_new?workflow=${id}`), as: "admin" })),
  {
    path: at("/instances/_new?workflow=ansoegningsfrist"),
    as: "admin",
    name: "start form, refused",
    shows: ".errors",
    act: fillAndPress({ Sagsnummer: "123456-7890" }, "Start forløbet"),
  },
  {
    path: at("/instances/_new?workflow=ishoj-staerke-faellesskaber"),
    as: "admin",
    name: "start form, past preview",
    shows: 'input[name="past"]',
    act: fillAndPress({ Startdato: "2023-11-01" }, "Start forløbet"),
  },
  { path: instance(), as: "admin" },
  { path: (s) => `/instances/${s.instances.ansoegningsfrist}`, as: "admin", name: "instance, a case" },
  { path: (s) => `/instances/${s.heldInstance}`, as: "admin", name: "instance, on hold" },
  { path: instance("?status=overdue"), as: "admin", name: "instance, milestones narrowed" },
  { path: instance("/report"), as: "admin" },
  { path: instance("/cancel"), as: "admin" },
  // A CPR number in the reason is refused; on an instance of its own, in case it were not.
  {
    path: (s) => `/instances/${s.instances.underretning}/cancel`,
    as: "admin",
    name: "cancel, refused",
    shows: "#f-reason-error",
    act: fillNameAndPress("reason", "Barnet 010203-1234", "Ja, annullér forløbet"),
  },
  { path: instance("/change/move-deadline"), as: "admin" },
  {
    path: instance(),
    as: "admin",
    name: "move a deadline, one milestone",
    shows: 'input[name="occurrenceKey"]',
    act: follow("/change/move-deadline?"),
  },
  { path: instance("/change/migrate"), as: "admin" },
  { path: instance("/change/add-unit"), as: "admin" },
  { path: instance("/change/remove-unit"), as: "admin" },
  {
    path: instance(),
    as: "admin",
    name: "confirm for the leader",
    shows: 'input[name="occurrenceKey"]',
    act: follow("/change/confirm-for?"),
  },
  {
    path: instance(),
    as: "admin",
    name: "undo a confirmation",
    shows: 'input[name="occurrenceKey"]',
    act: follow("/change/undo-confirmation?"),
  },
  { path: instance("/change/hold"), as: "admin" },
  {
    path: instance("/change/hold"),
    as: "admin",
    name: "hold, preview",
    shows: 'button[value="save"]',
    act: fillNameAndPress("reason", "Afventer budgettet", "Se, hvad ændringen gør"),
  },
  { path: (s) => `/instances/${s.heldInstance}/change/resume`, as: "admin" },
  { path: (s) => s.notice, as: "anna", name: "notice to the applicant", shows: 'input[name="expectedDate"]' },
  {
    path: (s) => s.notice,
    as: "anna",
    name: "notice to the applicant, the mail previewed",
    shows: "#notice-text",
    act: fillAndPress({ "Forventet dato for afgørelsen": "2024-12-20" }, "Se mailen til ansøgeren"),
  },
  {
    path: (s) => s.notice,
    as: "anna",
    name: "notice to the applicant, a date refused",
    shows: "#expectedDate-error",
    act: fillAndPress({ "Forventet dato for afgørelsen": "2023-01-01" }, "Se mailen til ansøgeren"),
  },
  // Workflows.
  { path: at("/workflows"), as: "admin" },
  { path: at("/workflows/_new"), as: "admin" },
  {
    path: at("/workflows/_new"),
    as: "admin",
    name: "editor, many errors",
    shows: ".listing-frame li.bad",
    act: fillAndPress({ "Definition (YAML)": MANY_ERRORS }, "Tjek og vis plan"),
  },
  {
    path: at("/workflows/ishoj-staerke-faellesskaber/edit"),
    as: "admin",
    name: "editor, plan preview",
    shows: "#plan-heading",
    act: press("Tjek og vis plan"),
  },
  { path: at("/workflows/_reference"), as: "admin" },
  { path: at("/workflows/ishoj-staerke-faellesskaber"), as: "admin" },
  {
    path: at("/workflows/ishoj-staerke-faellesskaber?saved=2"),
    as: "admin",
    name: "workflow, a version saved",
  },
  { path: at("/workflows/underretning/edit"), as: "admin" },
  { path: (s) => `/workflows/${s.migratable}/migrate`, as: "admin" },
  // The directory.
  { path: at("/units"), as: "admin" },
  {
    path: (s) => `/units?saved=${s.unitId}`,
    as: "admin",
    name: "units, a unit saved: its running instances offered",
  },
  { path: at("/units/_new"), as: "admin" },
  { path: at("/units/_new"), as: "admin", name: "new unit, refused", shows: ".errors", act: press("Gem") },
  { path: at("/units/_import"), as: "admin" },
  {
    path: at("/units/_import"),
    as: "admin",
    name: "CSV import, errors",
    shows: ".errors",
    act: fillAndPress({ "CSV-tekst": BAD_CSV }, "Vis forhåndsvisning"),
  },
  { path: (s) => `/units/${s.unitId}/edit`, as: "admin" },
  {
    path: (s) => `/units/${s.unitId}/edit`,
    as: "admin",
    name: "unit edit, refused",
    shows: ".errors",
    act: clearAndPress("#f-name", "Gem"),
  },
  { path: (s) => `/units/${s.unitId}/delete`, as: "admin" },
  { path: at(`/units/${LONG_UNIT}/edit`), as: "admin", name: "unit edit, long names" },
  { path: (s) => `/units/${s.unitId}/deputies`, as: "admin" },
  // In English: the same pages in the other language (its words are longer in places).
  { path: at("/login"), as: "public-en", name: "login, English" },
  { path: (s) => `${s.confirm.valid}&lang=en`, as: "public-en", name: "confirm, valid, English" },
  { path: (s) => `${s.confirm.expired}&lang=en`, as: "public-en", name: "confirm, expired, English" },
  { path: (s) => `${s.mine}&lang=en`, as: "public-en", name: "Mine frister, English" },
  { path: at("/"), as: "admin-en", name: "overview, English" },
  { path: instance(), as: "admin-en", name: "instance, English" },
  {
    path: (s) => `/instances/${s.instances.ansoegningsfrist}`,
    as: "admin-en",
    name: "instance, a case, English",
  },
  { path: at("/instances/_new?workflow=ansoegningsfrist"), as: "admin-en", name: "start form, English" },
  { path: at("/units/_import"), as: "admin-en", name: "CSV import, English" },
  { path: at("/workflows/_reference"), as: "admin-en", name: "reference, English" },
  // Mail, people, tokens, the access log.
  { path: at("/outbox"), as: "admin" },
  { path: (s) => `/outbox/${encodeURIComponent(s.mailId)}`, as: "admin" },
  {
    path: (s) => `/outbox/${encodeURIComponent(s.mailId)}`,
    as: "admin",
    name: "the mail itself",
    shows: 'a[href*="/confirm/"]',
    act: renderMail,
  },
  { path: at("/users"), as: "anna" },
  { path: at("/users/_new"), as: "anna" },
  { path: at("/users/_new"), as: "anna", name: "new user, refused", shows: ".errors", act: press("Gem") },
  { path: at("/users/sara"), as: "anna" },
  { path: at("/users/anna/tokens"), as: "anna" },
  { path: at("/tokens"), as: "anna" },
  { path: at("/access-log"), as: "anna" },
  // The accessibility statement, and the pages that say something is not there.
  { path: at("/tilgaengelighed"), as: "public" },
  { path: at("/tilgaengelighed"), as: "public-en", name: "statement, English" },
  { path: at("/tilgaengelighed"), as: "admin", name: "statement, logged in" },
  { path: at("/findes-ikke"), as: "public", name: "unknown address, logged out" },
  { path: at("/findes-ikke"), as: "admin", name: "unknown address, logged in" },
  { path: at("/instances/findes-ikke"), as: "admin-en", name: "unknown instance, English" },
];

/** With an OpenID provider the admin-token form is folded away under its summary. */
async function openTokenForm(page: Page): Promise<void> {
  const summary = page.locator("details:not([open]) > summary");
  if ((await summary.count()) > 0) await summary.first().click();
}

/** Replaces the outbox page by the mail it shows, as its reader's mail program renders it. */
async function renderMail(page: Page): Promise<void> {
  const source = await page.locator("iframe.mail").getAttribute("srcdoc");
  if (source === null) throw new Error("the outbox page shows no mail");
  await page.setContent(source, { waitUntil: "load" });
}

const WIDTHS = [1280, 320] as const;

let seeded: Seeded;
let browser: Browser;
const contexts = new Map<string, BrowserContext>();

async function adminLogin(context: BrowserContext, url: string): Promise<void> {
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await openTokenForm(page);
  await page.getByLabel("Administratornøgle").fill(ADMIN_TOKEN);
  await page.getByRole("button", { name: "Log ind" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  await page.close();
}

beforeAll(async () => {
  seeded = await seedA11y();
  browser = await launchChromium();
  const url = seeded.h.url;
  for (const who of ["admin", "anna", "public", "admin-en", "public-en"] as const) {
    const context = await a11yContext(browser, WIDTHS[0]);
    // A page that lacks what a step looks for fails in seconds, not at the test's timeout.
    context.setDefaultTimeout(10_000);
    if (who.startsWith("admin")) await adminLogin(context, url);
    if (who.endsWith("-en")) await (await context.newPage()).goto(`${url}/language/en?next=/login`);
    if (who === "anna") await (await logIn(url, context, "anna", "/instances")).close();
    contexts.set(who, context);
  }
}, 120_000);
afterAll(async () => {
  for (const context of contexts.values()) await context.close();
  await browser?.close();
  await seeded?.h.close();
});

/** Pages open at once: the server and the browser have room for a few. */
const AT_ONCE = 2;

/**
 * Opens one page (and does its act) once, then checks it at each width in turn: the window is
 * resized, so the page reflows as it would have loaded at that width, without asking the server
 * again. Says what is wrong ([] when nothing is).
 */
async function check(visit: Visit): Promise<string[]> {
  const context = contexts.get(visit.as);
  if (context === undefined) throw new Error(visit.as);
  const page = await context.newPage();
  const path = visit.path(seeded);
  const problems: string[] = [];
  try {
    const response = await page.goto(`${seeded.h.url}${path}`);
    if (response === null || response.status() >= 500) problems.push(`status ${response?.status()}`);
    if (new URL(page.url()).pathname === "/login" && !visit.as.startsWith("public"))
      problems.push("not logged in");
    await visit.act?.(page, seeded);
    const lang = await page.getAttribute("html", "lang");
    if (visit.as.endsWith("-en") && lang !== "en") problems.push(`html lang is ${lang}, not en`);
    if (visit.shows !== undefined && (await page.locator(visit.shows).count()) === 0) {
      problems.push(`shows no ${visit.shows} (the state this visit is for)`);
    }
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width < 600 ? 720 : 900 });
      problems.push(...(await axeViolations(page)).map((line) => `@${width} ${line}`));
      const wide = await pageWidth(page);
      if (wide > width)
        problems.push(`@${width} ${wide} px wide: ${(await sideways(page, width)).join("; ")}`);
    }
  } catch (err) {
    problems.push((err as Error).message.split("\n")[0] ?? "");
  } finally {
    await page.close();
  }
  return problems.map((line) => `${visit.name ?? path}: ${line}`);
}

/** GET routes that answer with something other than a page: a redirect, a feed, a file. */
const NOT_PAGES = new Set([
  "/login/oidc",
  "/login/callback",
  "/login/saml",
  "/login/saml/metadata",
  "/language/:language",
  "/instances/:id/deadlines.ics",
  "/mine/:id/deadlines.ics",
  "/access-log.csv",
  // Files, not pages: the exports and a mail's attachment.
  "/deadlines.csv",
  "/deadlines.xlsx",
  "/instances/:id/milestones.csv",
  "/instances/:id/milestones.xlsx",
  "/instances/:id/audit.csv",
  "/instances/:id/audit.xlsx",
  "/outbox/:id/attachments/:n",
]);

describe("the pages checked", () => {
  it("include every GET page of the access table", () => {
    const opened = VISITS.map((v) => v.path(seeded).split("?")[0] ?? "");
    const unvisited = ACCESS.filter((rule) => rule.method === "GET" && rule.area !== "api")
      .map((rule) => rule.path)
      .filter((path) => !NOT_PAGES.has(path) && !opened.some((o) => matchesPattern(path, o)));
    expect(unvisited).toEqual([]);
  });
});

describe("every page at 1280 and 320 px", () => {
  it("has no WCAG 2.1 A/AA violation and is never wider than the window", async () => {
    const queue = [...VISITS];
    const problems: string[] = [];
    let checked = 0;
    await Promise.all(
      Array.from({ length: AT_ONCE }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          problems.push(...(await check(next)));
          checked += 1;
        }
      }),
    );
    console.log(`a11y: ${checked} pages checked, each at ${WIDTHS.join(" and ")} px`);
    expect(problems.sort()).toEqual([]);
    expect(checked).toBe(VISITS.length);
  }, 400_000);
});

describe("the editor's listing of a workflow with many mistakes", () => {
  it("scrolls sideways in its own named region, which the keyboard reaches and scrolls", async () => {
    // Prepare
    const page = await (contexts.get("admin") as BrowserContext).newPage();
    await page.setViewportSize({ width: 320, height: 720 });
    await page.goto(`${seeded.h.url}/workflows/_new`);
    await fillAndPress({ "Definition (YAML)": MANY_ERRORS }, "Tjek og vis plan")(page);
    const frame = page.locator(".listing-frame");
    // Act
    await frame.focus();
    for (let i = 0; i < 5; i += 1) await page.keyboard.press("ArrowRight");
    // Assess: it does overflow (so axe's scrollable-region-focusable applied), and the keys scrolled it
    const state = (await page.evaluate(`(() => {
      const e = document.querySelector(".listing-frame");
      return { overflows: e.scrollWidth > e.clientWidth, focused: document.activeElement === e, role: e.getAttribute("role"), name: document.getElementById(e.getAttribute("aria-labelledby")).textContent };
    })()`)) as Record<string, unknown>;
    expect(state).toEqual({
      overflows: true,
      focused: true,
      role: "region",
      name: "Definitionen med linjenumre",
    });
    // Chromium scrolls smoothly: the frame gets there a moment after the keys.
    await expect
      .poll(() => page.evaluate(`document.querySelector(".listing-frame").scrollLeft`), { timeout: 3_000 })
      .toBeGreaterThan(0);
    expect(await pageWidth(page)).toBeLessThanOrEqual(320);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
