/**
 * An export as data: named, typed columns and rows of cells, which the CSV and XLSX writers
 * (csv.ts, xlsx.ts) turn into files. Pages build a table from what they show (the milestones, the
 * audit trail) and never format a file themselves, so both files say the same thing.
 *
 * A date cell carries its own timezone (the timeline's): an export can mix instances of
 * workflows in different zones, and a spreadsheet has no zones, so each date is written as the
 * wall-clock time where its deadline lives. Pure.
 */
import { Temporal } from "../time/temporal.ts";

export type ColumnKind = "text" | "date" | "datetime" | "number";

export interface Column {
  header: string;
  kind: ColumnKind;
}

/** An instant (ISO 8601) or a calendar date (`YYYY-MM-DD`), and where it is read. */
export interface DateCell {
  at: string;
  timezone: string;
}

/** Text for text columns, a number for number columns, a DateCell for date columns; null: empty. */
export type Cell = string | number | DateCell | null;

export interface ExportTable {
  columns: Column[];
  rows: Cell[][];
}

/** A date cell, or an empty cell when there is no date (a milestone still waiting for another). */
export function dateCell(at: string | null | undefined, timezone: string): DateCell | null {
  return at === null || at === undefined ? null : { at, timezone };
}

/** The wall-clock date and time of a date cell where it lives. */
export function wallClock(cell: DateCell): Temporal.PlainDateTime {
  if (/^\d{4}-\d{2}-\d{2}$/.test(cell.at)) return Temporal.PlainDate.from(cell.at).toPlainDateTime();
  return Temporal.Instant.from(cell.at).toZonedDateTimeISO(cell.timezone).toPlainDateTime();
}

const two = (n: number) => String(n).padStart(2, "0");

/** `31-10-2024`, as Danish Excel reads a date. */
export function danishDate(local: Temporal.PlainDateTime): string {
  return `${two(local.day)}-${two(local.month)}-${String(local.year).padStart(4, "0")}`;
}

/** `31-10-2024 23:59`, as Danish Excel reads a date and time. */
export function danishDateTime(local: Temporal.PlainDateTime): string {
  return `${danishDate(local)} ${two(local.hour)}:${two(local.minute)}`;
}

/**
 * A text a spreadsheet would run as a formula (`=HYPERLINK(…)` typed as a name, `+`, `-`, `@`,
 * a tab or a carriage return first) gets a leading apostrophe, which Excel shows as text (OWASP's
 * advice on CSV injection).
 */
export function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function isDateCell(cell: Cell): cell is DateCell {
  return typeof cell === "object" && cell !== null;
}

/** A cell as text, as the CSV writes it and as the XLSX writer measures its column. */
export function cellText(cell: Cell, kind: ColumnKind): string {
  if (cell === null) return "";
  if (isDateCell(cell))
    return kind === "date" ? danishDate(wallClock(cell)) : danishDateTime(wallClock(cell));
  if (typeof cell === "number") return String(cell).replace(".", ",");
  return defuse(cell);
}
