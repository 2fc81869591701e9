/**
 * The directory import: CSV text in, either every unit or every problem out, with the
 * spreadsheet row it is on. All or nothing: the caller writes only when there is no error, so a
 * file with one bad row changes nothing.
 */

import type { Unit } from "../../model/schema.ts";
import type { DashboardStrings } from "../strings.ts";
import { detectDelimiter, isBlank, parseCsv, stripBom } from "./csv.ts";
import { UNIT_COLUMNS, type UnitColumn, type UnitFields, unitFromFields } from "./fields.ts";

export interface RowError {
  /** The spreadsheet row (the header is 1). */
  row: number;
  /** The column, or "" for the row as a whole. */
  field: string;
  message: string;
}

export interface ImportedRow {
  row: number;
  unit: Unit;
}

export type ImportResult = { ok: true; rows: ImportedRow[] } | { ok: false; errors: RowError[] };

/** Beyond this the list stops helping; the first errors show what is wrong with the file. */
const MAX_ERRORS = 100;

export function readUnitCsv(input: string, s: DashboardStrings): ImportResult {
  const text = stripBom(input);
  const parsed = parseCsv(text, detectDelimiter(text));
  if (!parsed.ok) {
    const message = parsed.problem === "unterminated" ? s.csv.unterminated : s.csv.quoteInField;
    return { ok: false, errors: [{ row: parsed.row, field: "", message }] };
  }
  const [header, ...records] = parsed.records;
  if (header === undefined || isBlank(header)) {
    return { ok: false, errors: [{ row: 1, field: "", message: s.csv.noHeader }] };
  }

  // Column names as Excel users write them: any case, stray spaces.
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) errors.push({ row: 1, field: "", message: s.csv.duplicateColumn(name) });
    seen.add(name);
  }
  const unknown = names.filter((n) => !(UNIT_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0)
    errors.push({ row: 1, field: "", message: s.csv.unknownColumns(unknown.join(", ")) });
  const missing = UNIT_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0)
    errors.push({ row: 1, field: "", message: s.csv.missingColumns(missing.join(", ")) });
  if (errors.length > 0) return { ok: false, errors };

  const rows: ImportedRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const record of records) {
    if (isBlank(record)) continue;
    if (record.fields.length !== names.length) {
      errors.push({
        row: record.row,
        field: "",
        message: s.csv.fieldCount(record.fields.length, names.length),
      });
      continue;
    }
    const fields = Object.fromEntries(
      UNIT_COLUMNS.map((c) => [c, record.fields[names.indexOf(c)] ?? ""]),
    ) as UnitFields;
    const checked = unitFromFields(fields, s);
    if (!checked.ok) {
      for (const e of checked.errors) errors.push({ row: record.row, field: e.field, message: e.message });
      continue;
    }
    const first = firstRowOf.get(checked.unit.id);
    if (first !== undefined) {
      errors.push({ row: record.row, field: "id" satisfies UnitColumn, message: s.csv.duplicateId(first) });
      continue;
    }
    firstRowOf.set(checked.unit.id, record.row);
    rows.push({ row: record.row, unit: checked.unit });
  }
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, MAX_ERRORS) };
  if (rows.length === 0) return { ok: false, errors: [{ row: 2, field: "", message: s.csv.noRows }] };
  return { ok: true, rows };
}
