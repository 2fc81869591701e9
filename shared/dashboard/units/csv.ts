/**
 * A small RFC 4180 reader for the directory import (no CSV library is installed, and this one
 * job is small): quoted fields with escaped quotes ("") and line breaks inside them, CRLF or LF
 * line ends, and either `;` (what Danish Excel writes) or `,` as the separator.
 *
 * Each record keeps the number it has in the spreadsheet (the header is 1), counting blank rows,
 * so an error can say "row 4" and mean the row the administrator sees.
 */

export interface CsvRecord {
  /** 1-based, as a spreadsheet numbers rows. */
  row: number;
  fields: string[];
}

export type CsvResult =
  | { ok: true; records: CsvRecord[] }
  | { ok: false; row: number; problem: "unterminated" | "text-after-quote" };

/** The separator the header line uses most, outside quotes: `;` wins a tie (Danish Excel). */
export function detectDelimiter(text: string): ";" | "," {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && ch === ";") semicolons++;
    else if (!quoted && ch === ",") commas++;
  }
  return commas > semicolons ? "," : ";";
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Every record, blank rows included (as one empty field), so row numbers stay true; a final line
 * break does not make an extra record. A record's row is its position, not its physical line: a
 * cell with a line break is still one spreadsheet row. Quotes inside an unquoted field are taken
 * literally, as spreadsheets do; text after a closing quote is an error (where does the field end?).
 */
export function parseCsv(text: string, delimiter: ";" | ","): CsvResult {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    records.push({ row: records.length + 1, fields });
    fields = [];
    field = "";
  };

  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' && field === "") {
      // A quoted field: up to the next quote that is not doubled.
      i++;
      for (;;) {
        if (i >= text.length) return { ok: false, row: records.length + 1, problem: "unterminated" };
        const q = text[i];
        i++;
        if (q !== '"') field += q;
        else if (text[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== "\n" && next !== "\r") {
        return { ok: false, row: records.length + 1, problem: "text-after-quote" };
      }
      // The loop goes on at the separator or line end, so a quoted "" never restarts a field.
      continue;
    }
    if (ch === delimiter) {
      fields.push(field);
      field = "";
      i++;
    } else if (ch === "\n" || ch === "\r") {
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  // Text after the last line break is a last record; a line break at the very end is not.
  if (field !== "" || fields.length > 0) endRecord();
  return { ok: true, records };
}

/** A blank spreadsheet row: no field has any text (Excel writes `;;;;;;` for one). */
export function isBlank(record: CsvRecord): boolean {
  return record.fields.every((f) => f.trim() === "");
}
