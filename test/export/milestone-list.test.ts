/**
 * milestoneListTable: generic milestone rows (the overview's filtered list, across instances and
 * timezones) as an export table, in Danish and English, written through the CSV writer so the
 * test reads what a user gets; and the audit trail's table with the reason in its own column.
 */
import { describe, expect, it } from "vitest";
import {
  auditTable,
  type MilestoneListRow,
  milestoneListTable,
} from "../../shared/dashboard/instances/export-tables.ts";
import { dashboardStrings } from "../../shared/dashboard/strings.ts";
import { toCsv } from "../../shared/export/csv.ts";

const ROWS: MilestoneListRow[] = [
  {
    instanceName: "Trappelift til Karen",
    workflowTitle: "Ansøgningsfrist",
    caseRef: "SAG-2024-117",
    milestone: "Afgørelse",
    owner: "parameteren sagsbehandler",
    // 22:00 UTC in winter is 23:00 in Copenhagen.
    dueAt: "2024-11-30T22:00:00Z",
    timezone: "Europe/Copenhagen",
    status: "overdue",
    daysOverdue: 12,
  },
  {
    instanceName: "Opfølgning på Ærø",
    workflowTitle: "Opfølgning på skoler",
    milestone: "Statusrapport #2",
    unit: "Ærøskøbing Skole",
    owner: "leder af Ærøskøbing Skole",
    // The same instant where Greenland keeps time (UTC-2 in 2024): 20:00.
    dueAt: "2024-11-30T22:00:00Z",
    timezone: "America/Nuuk",
    status: "due-soon",
  },
];

const lines = (csv: string) =>
  csv
    .slice(1)
    .split("\r\n")
    .filter((l) => l !== "");

describe("milestoneListTable", () => {
  it("has Danish column names and one row per milestone, dates in each row's own timezone", () => {
    const table = milestoneListTable(ROWS, "da");
    expect(table.columns.map((c) => c.header)).toEqual([
      "Forløb",
      "Skabelon",
      "Sagsnummer",
      "Milepæl",
      "Enhed",
      "Ansvarlig",
      "Frist",
      "Status",
      "Dage over fristen",
    ]);
    expect(table.columns.map((c) => c.kind)).toEqual([
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "datetime",
      "text",
      "number",
    ]);
    expect(lines(toCsv(table)).slice(1)).toEqual([
      "Trappelift til Karen;Ansøgningsfrist;SAG-2024-117;Afgørelse;;Parameteren sagsbehandler;30-11-2024 23:00;overskredet;12",
      "Opfølgning på Ærø;Opfølgning på skoler;;Statusrapport #2;Ærøskøbing Skole;Leder af Ærøskøbing Skole;30-11-2024 20:00;frist snart;",
    ]);
  });

  it("says it in English for an English user", () => {
    const table = milestoneListTable(ROWS, "en");
    expect(table.columns.map((c) => c.header)).toEqual([
      "Instance",
      "Workflow",
      "Case reference",
      "Milestone",
      "Unit",
      "Owner",
      "Deadline",
      "Status",
      "Days overdue",
    ]);
    expect(table.rows.map((r) => r[7])).toEqual(["overdue", "due soon"]);
  });

  it("gives an empty list a header and no rows", () => {
    expect(lines(toCsv(milestoneListTable([], "da")))).toHaveLength(1);
  });
});

describe("auditTable", () => {
  it("puts a reason in its own column and any other second line after the words", () => {
    const s = dashboardStrings("da");
    const table = auditTable(
      [
        {
          at: "2024-05-01T06:00:00Z",
          who: "Anna (anna)",
          what: "Forløbet blev startet",
          detail: "Startdato før i dag",
        },
        {
          at: "2024-05-02T06:00:00Z",
          who: "Anna (anna)",
          what: "Forløbet blev annulleret",
          detail: "Begrundelse: =flyttet",
          reason: "=flyttet",
        },
      ],
      "Europe/Copenhagen",
      s,
    );
    expect(lines(toCsv(table))).toEqual([
      "Tidspunkt;Hvem;Hvad;Begrundelse",
      "01-05-2024 08:00;Anna (anna);Forløbet blev startet – Startdato før i dag;",
      "02-05-2024 08:00;Anna (anna);Forløbet blev annulleret;'=flyttet",
    ]);
  });
});
