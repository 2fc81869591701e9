/**
 * The overview's filter (shared/dashboard/overview/filter.ts), pure: reading the query (and what
 * it refuses, by field), the due-index window a filter needs, matching, sorting and paging.
 */
import { describe, expect, it } from "vitest";
import { pageOf } from "../../shared/dashboard/common/paging.ts";
import {
  DEFAULT_FILTER,
  daysOverdue,
  epochMs,
  type FilterableRow,
  type MilestoneFilter,
  matches,
  parse,
  queryWindow,
  sortRows,
  toQuery,
} from "../../shared/dashboard/overview/filter.ts";
import { Temporal } from "../../shared/time/temporal.ts";

const NOW = Temporal.Instant.from("2024-06-03T08:00:00Z");
const ZONE = "Europe/Copenhagen";

function ok(query: string): MilestoneFilter {
  const result = parse(new URLSearchParams(query));
  if (!result.ok) throw new Error(`refused: ${[...result.errors].join("; ")}`);
  return result.filter;
}

function refused(query: string): Record<string, string> {
  const result = parse(new URLSearchParams(query));
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.filter)}`);
  return Object.fromEntries(result.errors);
}

const row = (over: Partial<FilterableRow> = {}): FilterableRow => ({
  workflowId: "skoleopfoelgning",
  unitId: "skole-a",
  owner: "Anna Berg",
  status: "overdue",
  dueAt: "2024-06-01T21:59:00Z",
  caseRef: "UND-2024-17",
  instanceName: "Statusrapport for Skole A",
  daysOverdue: 2,
  ...over,
});

describe("reading the query", () => {
  it("takes every field, trims them, and leaves empty fields out (a GET form sends them all)", () => {
    expect(
      ok(
        "workflow=underretning&unit=skole-a&owner=+anna+&status=overdue&period=&from=2024-06-01&to=2024-06-30&ref=und&name=skole&sort=overdue&order=desc&page=3",
      ),
    ).toEqual({
      workflow: "underretning",
      unit: "skole-a",
      owner: "anna",
      status: "overdue",
      from: "2024-06-01",
      to: "2024-06-30",
      ref: "und",
      name: "skole",
      sort: "overdue",
      order: "desc",
      page: 3,
    });
    expect(ok("")).toEqual(DEFAULT_FILTER);
    expect(ok("period=next7&status=&from=")).toEqual({ ...DEFAULT_FILTER, period: "next7" });
  });

  it("refuses a date that does not exist, and says which field", () => {
    expect(refused("from=2024-13-45")).toEqual({ from: "badDate" });
    expect(refused("to=2023-02-29")).toEqual({ to: "badDate" });
    expect(refused("from=1.6.2024")).toEqual({ from: "badDate" });
    expect(ok("to=2024-02-29").to).toBe("2024-02-29");
  });

  it("refuses an end before the start, and a period together with dates", () => {
    expect(refused("from=2024-06-10&to=2024-06-01")).toEqual({ to: "toBeforeFrom" });
    expect(refused("period=overdue&from=2024-06-01")).toEqual({ period: "periodAndDates" });
    expect(ok("from=2024-06-01&to=2024-06-01").from).toBe("2024-06-01");
  });

  it("refuses values outside the choices, odd ids, long texts and bad page numbers, each at its field", () => {
    expect(
      refused(
        `status=confirmed&period=tomorrow&sort=name&order=up&workflow=Bad_Id&unit=${"x".repeat(70)}&owner=${"a".repeat(101)}&page=0`,
      ),
    ).toEqual({
      workflow: "badId",
      unit: "badId",
      owner: "tooLong",
      status: "badStatus",
      period: "badPeriod",
      sort: "badSort",
      order: "badOrder",
      page: "badPage",
    });
    expect(refused("page=1.5")).toEqual({ page: "badPage" });
    expect(refused("page=abc")).toEqual({ page: "badPage" });
  });
});

describe("a CPR number in a search", () => {
  it("is refused in every text field (fristflow stores none), and nothing else is", () => {
    expect(refused("ref=010203-1234")).toEqual({ ref: "cpr" });
    expect(refused("name=Sag+om+0102031234")).toEqual({ name: "cpr" });
    expect(refused("owner=010203%E2%80%911234")).toEqual({ owner: "cpr" });
    expect(ok("ref=SAG-2024-117").ref).toBe("SAG-2024-117");
  });
});

describe("the due window a filter reads", () => {
  const iso = (w: ReturnType<typeof queryWindow>) =>
    w === null ? null : { from: w.from?.toString() ?? null, to: w.to?.toString() ?? null };

  it("is unbounded without a period or status", () => {
    expect(iso(queryWindow(ok(""), NOW, ZONE))).toEqual({ from: null, to: null });
  });

  it("reads quick choices from now", () => {
    expect(iso(queryWindow(ok("period=overdue"), NOW, ZONE))).toEqual({ from: null, to: NOW.toString() });
    expect(iso(queryWindow(ok("period=next7"), NOW, ZONE))).toEqual({
      from: NOW.toString(),
      to: "2024-06-10T08:00:00Z",
    });
    expect(iso(queryWindow(ok("period=next30"), NOW, ZONE))?.to).toBe("2024-07-03T08:00:00Z");
  });

  it("takes dates as whole local days, the end day included (summer time: UTC+2)", () => {
    expect(iso(queryWindow(ok("from=2024-06-01&to=2024-06-30"), NOW, ZONE))).toEqual({
      from: "2024-05-31T22:00:00Z",
      to: "2024-06-30T22:00:00Z",
    });
    expect(iso(queryWindow(ok("to=2024-01-31"), NOW, ZONE))).toEqual({
      from: null,
      to: "2024-01-31T23:00:00Z",
    });
  });

  it("narrows by status, and is null when period and status cannot meet", () => {
    expect(iso(queryWindow(ok("status=overdue&from=2024-05-01"), NOW, ZONE))).toEqual({
      from: "2024-04-30T22:00:00Z",
      to: NOW.toString(),
    });
    expect(iso(queryWindow(ok("status=open"), NOW, ZONE))).toEqual({
      from: "2024-06-10T08:00:00Z",
      to: null,
    });
    expect(queryWindow(ok("status=overdue&period=next7"), NOW, ZONE)).toBeNull();
    expect(queryWindow(ok("status=open&period=next7"), NOW, ZONE)).toBeNull();
  });
});

describe("matching a row", () => {
  it("matches workflow, unit and status exactly", () => {
    expect(matches(ok("workflow=skoleopfoelgning&unit=skole-a&status=overdue"), row())).toBe(true);
    expect(matches(ok("workflow=underretning"), row())).toBe(false);
    expect(matches(ok("unit=skole-b"), row())).toBe(false);
    expect(matches(ok("unit=skole-a"), row({ unitId: null }))).toBe(false);
    expect(matches(ok("status=due-soon"), row())).toBe(false);
  });

  it("matches owner, case reference and name as parts, whatever their case (Danish letters too)", () => {
    expect(matches(ok("owner=ANNA"), row())).toBe(true);
    expect(matches(ok("owner=berg"), row())).toBe(true);
    expect(matches(ok("owner=bo"), row())).toBe(false);
    expect(matches(ok("owner=anna"), row({ owner: null }))).toBe(false);
    expect(matches(ok("ref=und-2024"), row())).toBe(true);
    expect(matches(ok("ref=und"), row({ caseRef: null }))).toBe(false);
    expect(matches(ok("name=SKOLE a"), row())).toBe(true);
    expect(matches(ok("name=børnehus"), row({ instanceName: "Æblehaven Børnehus" }))).toBe(true);
    expect(matches(ok("name=ØBLE"), row({ instanceName: "æblehaven" }))).toBe(false);
  });

  it("keeps to the window: `from` in, `to` out; overdue means status overdue, not just past", () => {
    const window = { from: Temporal.Instant.from("2024-06-01T21:59:00Z"), to: NOW };
    expect(matches(ok(""), row(), window)).toBe(true);
    expect(matches(ok(""), row({ dueAt: NOW.toString() }), window)).toBe(false);
    expect(matches(ok(""), row({ dueAt: "2024-06-01T21:58:59Z" }), window)).toBe(false);
    expect(matches(ok(""), row(), null)).toBe(false);
    expect(matches(ok("period=overdue"), row({ status: "waiting" }))).toBe(false);
  });
});

describe("sorting and paging", () => {
  const rows = [
    row({ dueAt: "2024-06-02T10:00:00Z", daysOverdue: 1, instanceName: "b" }),
    row({ dueAt: "2024-06-20T10:00:00Z", daysOverdue: null, status: "open", instanceName: "d" }),
    row({ dueAt: "2024-05-01T10:00:00Z", daysOverdue: 33, instanceName: "a" }),
    row({ dueAt: "2024-06-05T10:00:00Z", daysOverdue: null, status: "due-soon", instanceName: "c" }),
  ];
  const names = (list: FilterableRow[]) => list.map((r) => r.instanceName).join("");

  it("sorts by deadline either way", () => {
    expect(names(sortRows(rows, "due", "asc"))).toBe("abcd");
    expect(names(sortRows(rows, "due", "desc"))).toBe("dcba");
  });

  it("sorts by days overdue either way, rows not overdue last", () => {
    expect(names(sortRows(rows, "overdue", "desc"))).toBe("abcd");
    expect(names(sortRows(rows, "overdue", "asc"))).toBe("bacd");
  });

  it("pages, and shows the last page for one past the end", () => {
    const many = Array.from({ length: 120 }, (_, i) => i);
    expect(pageOf(many, 2)).toMatchObject({ page: 2, pages: 3, total: 120, first: 51, last: 100 });
    expect(pageOf(many, 2).rows[0]).toBe(50);
    expect(pageOf(many, 9)).toMatchObject({ page: 3, first: 101, last: 120 });
    expect(pageOf([], 1)).toMatchObject({ page: 1, pages: 1, total: 0, first: 0, last: 0 });
  });

  it("writes the filter back as a query, defaults left out, for links that keep it", () => {
    const filter = ok("unit=skole-a&status=overdue&owner=Anna Berg&page=2");
    expect(toQuery(filter, { page: 3 })).toBe("unit=skole-a&owner=Anna+Berg&status=overdue&page=3");
    expect(toQuery(filter, { page: 1 })).toBe("unit=skole-a&owner=Anna+Berg&status=overdue");
    expect(ok(toQuery(filter))).toEqual(filter);
  });
});

describe("reading a deadline", () => {
  it("gives the same milliseconds on the fast path and Temporal's for any other form", () => {
    for (const iso of [
      "2024-06-01T21:59:00Z",
      "2024-06-01T21:59Z",
      "2024-06-01T21:59:00.123Z",
      "2024-06-01T21:59:00.123456789Z",
      "2024-06-01T23:59:00+02:00",
    ]) {
      expect(epochMs(iso), iso).toBe(Temporal.Instant.from(iso).epochMilliseconds);
    }
  });
});

describe("days overdue", () => {
  it("counts calendar days in the time zone: yesterday 23:59 is one day this morning, earlier today is 0", () => {
    // 23:59 Copenhagen on 2 June is 21:59 UTC.
    expect(daysOverdue("2024-06-02T21:59:00Z", NOW, ZONE)).toBe(1);
    expect(daysOverdue("2024-06-03T07:00:00Z", NOW, ZONE)).toBe(0);
    expect(daysOverdue("2024-05-01T10:00:00Z", NOW, ZONE)).toBe(33);
  });
});
