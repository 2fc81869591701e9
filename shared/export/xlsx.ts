/**
 * An export table as an Excel workbook (exceljs): one sheet, the header row bold and frozen with
 * a filter on it, columns as wide as their contents (within bounds), dates as real date cells
 * with a Danish number format (`dd-mm-yyyy`, `dd-mm-yyyy hh:mm`), numbers as numbers.
 *
 * A spreadsheet has no timezones: a date cell holds the wall-clock time where its timeline lives
 * (exceljs turns a Date into Excel's serial day from its UTC fields, so the Date is built from the
 * local fields as if they were UTC). Text is always written as a string value, never as a formula
 * object, and gets the CSV's formula guard too (table.ts defuse), so a cell typed `=…` by someone
 * stays text even when a reader edits it.
 */
import ExcelJS from "exceljs";
import { type Cell, type Column, cellText, type ExportTable, isDateCell, wallClock } from "./table.ts";

const DATE_FORMAT = "dd-mm-yyyy";
const DATE_TIME_FORMAT = "dd-mm-yyyy hh:mm";
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

/**
 * A sheet's name as Excel allows it: at most 31 characters, none of `[]:*?/\`, and not "History",
 * which Excel keeps for itself (exceljs refuses it).
 */
export function sheetName(name: string): string {
  const clean = name
    .replace(/[[\]:*?/\\\p{Cc}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 31)
    .trim();
  if (clean.toLowerCase() === "history") return `${clean} 1`;
  return clean === "" ? "Ark1" : clean;
}

function value(cell: Cell, column: Column): ExcelJS.CellValue {
  if (cell === null) return null;
  if (isDateCell(cell)) {
    const local = wallClock(cell);
    return column.kind === "date"
      ? new Date(Date.UTC(local.year, local.month - 1, local.day))
      : new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute));
  }
  if (typeof cell === "number") return cell;
  return cellText(cell, column.kind);
}

/** Wide enough for the longest line in the column (header included), in characters. */
function width(table: ExportTable, i: number): number {
  const column = table.columns[i] as Column;
  if (column.kind === "date") return Math.max(12, column.header.length + 2);
  if (column.kind === "datetime") return Math.max(17, column.header.length + 2);
  const longest = Math.max(
    column.header.length,
    ...table.rows.map((row) =>
      Math.max(
        0,
        ...cellText(row[i] ?? null, column.kind)
          .split(/\r?\n/)
          .map((l) => l.length),
      ),
    ),
  );
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest + 2));
}

export async function toXlsx(table: ExportTable, name: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "fristflow";
  const sheet = workbook.addWorksheet(sheetName(name), {
    views: [{ state: "frozen", ySplit: 1 }],
  });
  sheet.columns = table.columns.map((column, i) => ({
    width: width(table, i),
    ...(column.kind === "date"
      ? { style: { numFmt: DATE_FORMAT } }
      : column.kind === "datetime"
        ? { style: { numFmt: DATE_TIME_FORMAT } }
        : {}),
  }));
  const header = sheet.addRow(table.columns.map((c) => cellText(c.header, "text")));
  header.font = { bold: true };
  for (const row of table.rows) {
    const added = sheet.addRow(table.columns.map((column, i) => value(row[i] ?? null, column)));
    added.alignment = { vertical: "top", wrapText: true };
  }
  if (table.columns.length > 0) {
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
