/**
 * The export writers: the CSV as Danish Excel opens it (BOM, `;`, CRLF, RFC 4180 quoting, Danish
 * dates in the timeline's zone, the formula guard) and the XLSX read back with read-excel-file,
 * a reader independent of exceljs (real dates, numbers, the header, nothing a formula).
 */
import ExcelJS from "exceljs";
import { readSheet } from "read-excel-file/node";
import { describe, expect, it } from "vitest";
import { toCsv } from "../../shared/export/csv.ts";
import { asciiName, CONTENT_TYPES, contentDisposition } from "../../shared/export/download.ts";
import { dateCell, defuse, type ExportTable } from "../../shared/export/table.ts";
import { sheetName, toXlsx } from "../../shared/export/xlsx.ts";

const CPH = "Europe/Copenhagen";

const table: ExportTable = {
  columns: [
    { header: "Milepæl", kind: "text" },
    { header: "Frist", kind: "datetime" },
    { header: "Dato", kind: "date" },
    { header: "Dage", kind: "number" },
  ],
  rows: [
    // 21:59 UTC on 31 October is 22:59 in Copenhagen (winter time); 22:30 UTC on 30 June is 00:30 on 1 July.
    [
      "Handleplan; Skole Ærø",
      dateCell("2024-10-31T21:59:00Z", CPH),
      dateCell("2024-06-30T22:30:00Z", CPH),
      3,
    ],
    ['Sagde "hej"\nanden linje', null, dateCell("2024-12-24", CPH), null],
    ['=HYPERLINK("http://x")', dateCell("2024-03-31T01:30:00Z", CPH), null, -2],
  ],
};

/** A cell read back as an ISO instant; a cell that is no Date fails the test. */
function iso(value: unknown): string {
  if (!(value instanceof Date)) throw new Error(`not a date: ${String(value)}`);
  return value.toISOString();
}

describe("toCsv", () => {
  const csv = toCsv(table);

  it("starts with the byte order mark and ends every record with CRLF", () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.endsWith("\r\n")).toBe(true);
    // Four records: the header, three rows (the line break inside a quoted cell is not a record end).
    expect(csv.slice(1).split("\r\n")).toHaveLength(5);
  });

  it('separates with semicolons and quotes cells with ; " or a line break as RFC 4180 says', () => {
    const lines = csv.slice(1).split("\r\n");
    expect(lines[0]).toBe("Milepæl;Frist;Dato;Dage");
    expect(lines[1]).toBe('"Handleplan; Skole Ærø";31-10-2024 22:59;01-07-2024;3');
    expect(lines[2]).toBe('"Sagde ""hej""\nanden linje";;24-12-2024;');
  });

  it("writes times as the timeline's wall clock, across the change to summer time", () => {
    // 01:30 UTC on 31 March 2024 is 03:30 CEST: the clocks went forward at 02:00.
    expect(csv.slice(1).split("\r\n")[3]).toBe(`"'=HYPERLINK(""http://x"")";31-03-2024 03:30;;-2`);
  });

  it("gives every text a spreadsheet would run as a formula a leading apostrophe", () => {
    for (const dangerous of ["=1+1", "+45 1234", "-2+3", "@SUM(A1)", "\tx", "\rx"]) {
      expect(defuse(dangerous)).toBe(`'${dangerous}`);
    }
    expect(defuse("Skole A")).toBe("Skole A");
    expect(defuse("")).toBe("");
  });
});

describe("toXlsx", () => {
  it("reads back with an independent reader: header, dates as dates in the timeline's wall clock, numbers", async () => {
    const buffer = await toXlsx(table, "Milepæle");
    const rows = await readSheet(buffer);
    expect(rows[0]).toEqual(["Milepæl", "Frist", "Dato", "Dage"]);
    expect(rows).toHaveLength(4);
    const [first = [], second = [], third = []] = rows.slice(1);
    expect(first[0]).toBe("Handleplan; Skole Ærø");
    expect(first[1]).toBeInstanceOf(Date);
    expect(iso(first[1])).toBe("2024-10-31T22:59:00.000Z");
    expect(iso(first[2])).toBe("2024-07-01T00:00:00.000Z");
    expect(first[3]).toBe(3);
    expect(second[0]).toBe('Sagde "hej"\nanden linje');
    expect(iso(second[2])).toBe("2024-12-24T00:00:00.000Z");
    expect(third[0]).toBe('\'=HYPERLINK("http://x")');
    expect(third[3]).toBe(-2);
  });

  it("has a bold, frozen header with a filter, Danish date formats, sensible widths and no formula", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(await toXlsx(table, "Milepæle: [Skole]")).buffer);
    const sheet = workbook.worksheets[0];
    if (sheet === undefined) throw new Error("no sheet");
    expect(sheet.name).toBe("Milepæle Skole");
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getCell("B2").numFmt).toBe("dd-mm-yyyy hh:mm");
    expect(sheet.getCell("C2").numFmt).toBe("dd-mm-yyyy");
    expect(sheet.getColumn(1).width).toBe(25);
    expect(sheet.getColumn(2).width).toBe(17);
    expect(sheet.autoFilter).toBeDefined();
    const types = new Set<number>();
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        types.add(cell.type);
      });
    });
    expect(types.has(ExcelJS.ValueType.Formula)).toBe(false);
    expect(sheet.getCell("A4").type).toBe(ExcelJS.ValueType.String);
  });

  it("names the sheet as Excel allows", () => {
    expect(sheetName("a/b\\c?d*e[f]g:h")).toBe("a b c d e f g h");
    expect(sheetName("x".repeat(40))).toHaveLength(31);
    expect(sheetName("")).toBe("Ark1");
    expect(sheetName("History")).toBe("History 1");
  });
});

describe("the download headers", () => {
  it("names the file after the instance, in ASCII and whole in UTF-8", () => {
    expect(asciiName("Trappelift til Karen – milepæle")).toBe("Trappelift-til-Karen-milepaele");
    expect(asciiName("Åen ved Øster Ærø")).toBe("Aaen-ved-Oester-Aeroe");
    expect(asciiName("«»")).toBe("export");
    expect(contentDisposition("Skole Ø (2024) – milepæle", "csv")).toBe(
      "attachment; filename=\"Skole-Oe-2024-milepaele.csv\"; filename*=UTF-8''Skole%20%C3%98%20%282024%29%20%E2%80%93%20milep%C3%A6le.csv",
    );
    expect(contentDisposition('a"b\r\nc/d', "xlsx")).toContain('filename="a-b-c-d.xlsx"');
    expect(CONTENT_TYPES.xlsx).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  });
});
