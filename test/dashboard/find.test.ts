/**
 * Finding deadlines on the overview, over real HTTP and DynamoDB Local: filters in the URL query,
 * sorting, paging with links that keep the filter, what a refused query answers, and that a
 * caseworker finds only what they may see. 7 instances × 5 units × 2 milestones = 70 deadlines,
 * on Monday 3 June 2024 (bench/overview-seed.ts: action plans due at 23:59 20, 15, 10, 5, 0, −5
 * and −10 days from today, status reports 45 days after each).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_WORKFLOW_ID, seedOverview } from "../../bench/overview-seed.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { type Harness, startHarness } from "../http/harness.ts";
import { Client, loginThroughProvider, visibleText } from "./client.ts";

const NOW = "2024-06-03T08:00:00Z";

let h: Harness;
let admin: Client;

beforeAll(async () => {
  h = await startHarness(NOW, { people: true });
  await seedOverview(h.table.stores, Temporal.Instant.from(NOW), { instances: 7, units: 5, spreadDays: 5 });
  admin = new Client(h);
  await admin.login();
});
afterAll(async () => {
  await h?.close();
});

/** The rows of the first milestone table after the heading that starts with `heading`. */
function rows(page: string, heading: string): string[] {
  const section = page.split("<h2").find((s) => s.replace(/^[^>]*>/, "").startsWith(heading)) ?? "";
  const body = /<tbody>(.*?)<\/tbody>/s.exec(section)?.[1] ?? "";
  return body
    .split("</tr>")
    .filter((r) => r.includes("<tr>"))
    .map((r) => visibleText(r));
}

const RESULTS = "Frister, der passer til søgningen";

describe("the overview without a search", () => {
  it("lists overdue and due-soon deadlines with the responsible person and the days overdue", async () => {
    const page = await admin.get("/");
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    // Overdue: the action plans of instances 6 and 7 (5 and 10 days ago), 5 units each; due soon: 4 and 5.
    expect(text).toContain("Overskredne frister (10)");
    expect(text).toContain("Frist inden for 7 dage (10)");
    const overdue = rows(page.text, "Overskredne frister");
    expect(overdue).toHaveLength(10);
    expect(overdue[0]).toMatch(
      /^Handleplan – Institution 0\d Forløb 0007 \(Sagsnummer: SAG-2024-0007\) 24\.05\.2024 23:59 overskredet Leder 0\d Hansen 10 dage over fristen$/,
    );
    expect(overdue.filter((r) => r.endsWith(" 5 dage over fristen"))).toHaveLength(5);
    expect(rows(page.text, "Frist inden for")[0]).toMatch(/frist snart Leder 0\d Hansen –$/);
    // The form, empty.
    expect(page.text).toContain('<form method="get" action="/" class="filters" role="search"');
  });
});

describe("filters in the URL", () => {
  it("shows one unit's overdue deadlines, and the form shows the choice", async () => {
    const page = await admin.get("/?unit=inst-02&status=overdue");
    expect(page.status).toBe(200);
    const found = rows(page.text, RESULTS);
    expect(found).toHaveLength(2);
    for (const row of found)
      expect(row).toMatch(/^Handleplan – Institution 02 .* overskredet Leder 02 Hansen/);
    expect(visibleText(page.text)).toContain(`${RESULTS} (2)`);
    expect(page.text).toContain('<option value="inst-02" selected>Institution 02</option>');
    expect(page.text).toContain('<option value="overdue" selected>overskredet</option>');
    expect(visibleText(page.text)).toContain("Viser 1–2 af 2");
  });

  it("finds by workflow, responsible person, case reference and name, as parts in any case", async () => {
    expect(rows((await admin.get(`/?workflow=${SEED_WORKFLOW_ID}`)).text, RESULTS)).toHaveLength(50);
    const byOwner = rows((await admin.get("/?owner=LEDER+03")).text, RESULTS);
    expect(byOwner).toHaveLength(14);
    for (const row of byOwner) expect(row).toContain("Leder 03 Hansen");
    const byRef = rows((await admin.get("/?ref=sag-2024-0002")).text, RESULTS);
    expect(byRef).toHaveLength(10);
    for (const row of byRef) expect(row).toContain("SAG-2024-0002");
    expect(rows((await admin.get("/?name=forl%C3%B8b+0004&unit=inst-01")).text, RESULTS)).toHaveLength(2);
    expect(visibleText((await admin.get("/?workflow=findes-ikke")).text)).toContain(
      "Ingen frister passer til søgningen.",
    );
  });

  it("takes a due period: quick choices and dates, the end day included", async () => {
    const week = rows((await admin.get("/?period=next7")).text, RESULTS);
    expect(week.map((r) => /\d\d\.\d\d\.2024/.exec(r)?.[0])).toEqual([
      ...Array(5).fill("03.06.2024"),
      ...Array(5).fill("08.06.2024"),
    ]);
    const june = rows((await admin.get("/?from=2024-06-08&to=2024-06-13&sort=due")).text, RESULTS);
    expect(june.map((r) => /\d\d\.\d\d\.2024/.exec(r)?.[0])).toEqual([
      ...Array(5).fill("08.06.2024"),
      ...Array(5).fill("13.06.2024"),
    ]);
    expect(rows((await admin.get("/?period=overdue")).text, RESULTS)).toHaveLength(10);
  });

  it("sorts by days overdue and by deadline, either way", async () => {
    const most = rows((await admin.get("/?period=overdue&sort=overdue&order=desc")).text, RESULTS);
    expect(most[0]).toContain("10 dage over fristen");
    expect(most.at(-1)).toContain(" 5 dage over fristen");
    const least = rows((await admin.get("/?period=overdue&sort=overdue&order=asc")).text, RESULTS);
    expect(least[0]).toContain(" 5 dage over fristen");
    const latest = rows((await admin.get("/?sort=due&order=desc")).text, RESULTS);
    expect(latest[0]).toContain("Status");
    expect(latest[0]).toContain("Forløb 0001");
  });
});

describe("paging", () => {
  it("shows 50 rows a page, with links that keep the filter", async () => {
    const first = await admin.get("/?workflow=institutionsopfoelgning&order=desc");
    expect(rows(first.text, RESULTS)).toHaveLength(50);
    expect(visibleText(first.text)).toContain("Viser 1–50 af 70 · Side 1 af 2");
    expect(first.text).toContain(
      '<a rel="next" href="/?workflow=institutionsopfoelgning&amp;order=desc&amp;page=2">Næste</a>',
    );
    expect(first.text).not.toContain('rel="prev"');
    const second = await admin.get("/?workflow=institutionsopfoelgning&order=desc&page=2");
    expect(rows(second.text, RESULTS)).toHaveLength(20);
    expect(visibleText(second.text)).toContain("Viser 51–70 af 70 · Side 2 af 2");
    expect(second.text).toContain(
      '<a rel="prev" href="/?workflow=institutionsopfoelgning&amp;order=desc">Forrige</a>',
    );
    // No row on both pages.
    expect(new Set([...rows(first.text, RESULTS), ...rows(second.text, RESULTS)]).size).toBe(70);
    // Past the end: the last page.
    expect(visibleText((await admin.get("/?order=desc&page=9")).text)).toContain("Viser 51–70 af 70");
  });

  it("says it in English on the English page", async () => {
    const client = new Client(h);
    await client.login();
    await client.get("/language/en");
    const page = await client.get("/?status=overdue&sort=overdue&order=desc");
    const text = visibleText(page.text);
    expect(text).toContain("Deadlines matching the search (10)");
    expect(text).toContain("Showing 1–10 of 10");
    expect(text).toContain("10 days overdue");
  });
});

describe("a query that cannot be used", () => {
  it("answers 400 with the field and why, the form, and the lists unfiltered", async () => {
    const page = await admin.get("/?from=2024-13-45&unit=inst-02");
    expect(page.status).toBe(400);
    const text = visibleText(page.text);
    expect(page.text).toContain(
      '<a href="#f-from">Frist fra og med: Skriv en dato, der findes, som ÅÅÅÅ-MM-DD',
    );
    expect(page.text).toMatch(/id="f-from"[^>]*aria-invalid="true"/);
    expect(text).toContain("Listen herunder er ikke filtreret");
    expect(text).toContain("Overskredne frister (10)");
    expect(text).not.toContain(RESULTS);
  });

  it("refuses bad choices, pages and an end before the start, each at its field, and echoes nothing unescaped", async () => {
    const page = await admin.get(
      `/?status=${encodeURIComponent("<script>x</script>")}&page=0&from=2024-06-10&to=2024-06-01&owner=${"a".repeat(150)}`,
    );
    expect(page.status).toBe(400);
    for (const message of [
      "Status: Vælg en status fra listen.",
      "Sider: Sidetallet skal være et helt tal fra 1 og op.",
      "Frist til og med: Slutdatoen skal ligge på eller efter startdatoen.",
      "Ansvarlig: Skriv højst 100 tegn.",
    ])
      expect(visibleText(page.text)).toContain(message);
    expect(page.text).not.toContain("<script>x");
    expect((await admin.get("/?period=overdue&from=2024-06-01")).status).toBe(400);
  });

  it("refuses a CPR number in a search, and never shows it again", async () => {
    for (const path of ["/?ref=010203-1234", "/instances?name=010203-1234"]) {
      const page = await admin.get(path);
      expect(page.status, path).toBe(400);
      expect(visibleText(page.text), path).toContain("Det ligner et CPR-nummer.");
      expect(page.text, path).not.toContain("010203");
    }
  });
});

describe("the instance list's search", () => {
  const listed = (page: string) => (/<tbody>(.*?)<\/tbody>/s.exec(page)?.[1] ?? "").split("</tr>").length - 1;

  it("finds instances by case reference, name, unit, workflow and status, from the URL", async () => {
    const byRef = await admin.get("/instances?ref=sag-2024-0003");
    expect(byRef.status).toBe(200);
    expect(listed(byRef.text)).toBe(1);
    expect(visibleText(byRef.text)).toContain("Forløb, der passer til søgningen (1)");
    expect(visibleText(byRef.text)).toContain("Forløb 0003");
    expect(listed((await admin.get("/instances?name=FORL%C3%98B+000&unit=inst-04")).text)).toBe(7);
    expect(listed((await admin.get(`/instances?workflow=${SEED_WORKFLOW_ID}&status=running`)).text)).toBe(7);
    const none = await admin.get("/instances?status=cancelled");
    expect(visibleText(none.text)).toContain("Ingen forløb passer til søgningen.");
    expect(none.text).toContain('<option value="cancelled" selected>annulleret</option>');
    expect(listed((await admin.get("/instances?unit=inst-99")).text)).toBe(0);
  });

  it("answers a refused search with 400, the field and why, and every instance", async () => {
    const page = await admin.get("/instances?status=paused&ref=SAG");
    expect(page.status).toBe(400);
    expect(visibleText(page.text)).toContain("Status: Vælg en status fra listen.");
    expect(listed(page.text)).toBe(7);
    expect(page.text).toContain('value="SAG"');
  });
});

describe("an instance's milestone table", () => {
  const id = `${SEED_WORKFLOW_ID}-seed0007`;
  const tableRows = (page: string) => {
    const table = /<table class="cards milestones">.*?<\/table>/s.exec(page)?.[0] ?? "";
    return table.split('<tr><th scope="row">').length - 1;
  };

  it("shows the milestones of one status or one unit, chosen in the URL", async () => {
    const all = await admin.get(`/instances/${id}`);
    expect(tableRows(all.text)).toBe(10);
    const overdue = await admin.get(`/instances/${id}?status=overdue`);
    expect(overdue.status).toBe(200);
    expect(tableRows(overdue.text)).toBe(5);
    expect(overdue.text).toContain('<option value="overdue" selected>overskredet</option>');
    // The counts stay whole: the table alone shows the choice.
    expect(visibleText(overdue.text)).toContain("overskredet: 5");
    expect(tableRows((await admin.get(`/instances/${id}?unit=inst-03`)).text)).toBe(2);
    expect(tableRows((await admin.get(`/instances/${id}?unit=inst-03&status=open`)).text)).toBe(1);
    expect(visibleText((await admin.get(`/instances/${id}?status=confirmed`)).text)).toContain(
      "Ingen milepæle passer til valget.",
    );
  });

  it("answers a bad choice with 400, the field's message and every milestone", async () => {
    const page = await admin.get(`/instances/${id}?status=bogus&unit=Skole%20A`);
    expect(page.status).toBe(400);
    expect(visibleText(page.text)).toContain("Vælg en status fra listen.");
    expect(visibleText(page.text)).toContain("Vælg en af mulighederne på listen.");
    expect(tableRows(page.text)).toBe(10);
  });
});

describe("the search as a file", () => {
  it("holds every matching deadline, not only the page shown, in the search's order", async () => {
    const csv = await admin.get(`/deadlines.csv?workflow=${SEED_WORKFLOW_ID}&sort=overdue&order=desc`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = csv.text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    // The header and all 70 deadlines (the page shows 50), the most overdue first.
    expect(lines).toHaveLength(71);
    expect(lines[1]).toMatch(/;overskredet;10$/);
  });

  it("answers a refused search as the overview does (400, the field and why) and logs nothing", async () => {
    const before = await h.table.stores.accessLog.forCase("SAG-2024-0007");
    const page = await admin.get("/deadlines.xlsx?from=2024-13-45&unit=inst-02");
    expect(page.status).toBe(400);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain(
      '<a href="#f-from">Frist fra og med: Skriv en dato, der findes, som ÅÅÅÅ-MM-DD',
    );
    expect(await h.table.stores.accessLog.forCase("SAG-2024-0007")).toEqual(before);
  });
});

describe("what a caseworker finds", () => {
  it("only deadlines of instances they may see: here the one Sara started", async () => {
    // Prepare: one more instance, started by Sara, over the same units (numbered apart).
    const mine = await seedOverview(h.table.stores, Temporal.Instant.from(NOW), {
      instances: 1,
      units: 5,
      first: 100,
      createdBy: "user:sara (Sara Sagsbehandler)",
    });
    try {
      const sara = new Client(h);
      const login = await loginThroughProvider(sara, h.url, "sara@kommune.example.dk", "sara-password-1");
      expect(login.status).toBeLessThan(400);
      // Act
      const page = await sara.get(`/?workflow=${SEED_WORKFLOW_ID}`);
      const overview = await sara.get("/");
      // Assess: her instance's 10 deadlines, nobody else's.
      expect(page.status).toBe(200);
      const found = rows(page.text, RESULTS);
      expect(found).toHaveLength(10);
      for (const row of found) expect(row).toContain("Forløb 0100");
      expect(page.text).not.toContain("Forløb 0001");
      expect(visibleText(overview.text)).toContain("Overskredne frister (0)");
      // Her file holds the same ten, and nobody else's.
      const file = await sara.get(`/deadlines.csv?workflow=${SEED_WORKFLOW_ID}`);
      const lines = file.text.trim().split("\r\n").slice(1);
      expect(lines).toHaveLength(10);
      for (const line of lines) expect(line).toContain("Forløb 0100");
    } finally {
      for (const id of mine.instanceIds) await h.table.stores.instances.cancel(id, "test");
    }
  });
});
