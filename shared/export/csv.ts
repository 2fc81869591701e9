/**
 * An export table as CSV, as Danish Excel opens it with a double click: UTF-8 with a byte order
 * mark (without it Excel reads "Forløb" as cp1252), semicolons (Danish Excel's list separator,
 * since the comma is the decimal mark), CRLF, quoting as RFC 4180 (csv-stringify), dates as
 * `31-10-2024` and `31-10-2024 23:59` in the timeline's timezone, which Danish Excel takes for
 * dates, and the formula guard on every text cell (table.ts defuse).
 */
import { stringify } from "csv-stringify/sync";
import { cellText, type ExportTable } from "./table.ts";

export function toCsv(table: ExportTable): string {
  const header = table.columns.map((c) => defusedHeader(c.header));
  const rows = table.rows.map((row) =>
    table.columns.map((column, i) => cellText(row[i] ?? null, column.kind)),
  );
  return stringify([header, ...rows], { bom: true, delimiter: ";", record_delimiter: "windows" });
}

function defusedHeader(header: string): string {
  return cellText(header, "text");
}
