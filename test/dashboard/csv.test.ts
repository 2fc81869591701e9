import { describe, expect, it } from "vitest";
import { dashboardStrings } from "../../shared/dashboard/strings.ts";
import { detectDelimiter, parseCsv, stripBom } from "../../shared/dashboard/units/csv.ts";
import { readUnitCsv } from "../../shared/dashboard/units/csv-import.ts";

const fields = (text: string, delimiter: ";" | "," = ",") => {
  const result = parseCsv(text, delimiter);
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.records.map((r) => r.fields);
};

describe("parseCsv (RFC 4180)", () => {
  it("splits records on CRLF or LF and fields on the separator, without an extra record at the end", () => {
    expect(fields("a,b\r\nc,d\r\n")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(fields("a;b\nc;d", ";")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
  });

  it("reads quoted fields with separators, escaped quotes and line breaks inside", () => {
    expect(fields('"Hansen, Bo","Sagde ""hej""","linje 1\r\nlinje 2",x\n')).toEqual([
      ["Hansen, Bo", 'Sagde "hej"', "linje 1\r\nlinje 2", "x"],
    ]);
    expect(fields('"",""\n')).toEqual([["", ""]]);
  });

  it("numbers records as spreadsheet rows: a cell with a line break is still one row, blank rows count", () => {
    const result = parseCsv('h\n"a\nb"\n\nc\n', ",");
    expect(result.ok && result.records.map((r) => [r.row, r.fields])).toEqual([
      [1, ["h"]],
      [2, ["a\nb"]],
      [3, [""]],
      [4, ["c"]],
    ]);
  });

  it("keeps empty fields, also at the end of a line", () => {
    expect(fields("a,,\n,b,\n")).toEqual([
      ["a", "", ""],
      ["", "b", ""],
    ]);
  });

  it("takes a quote inside an unquoted field literally, as spreadsheets do", () => {
    expect(fields('Børnehuset "Solen",x\n')).toEqual([['Børnehuset "Solen"', "x"]]);
  });

  it("reports an unclosed quote and text after a closing quote with the row", () => {
    expect(parseCsv('a\n"b,c\n', ",")).toEqual({ ok: false, row: 2, problem: "unterminated" });
    expect(parseCsv('a\nb\n"c"d,e\n', ",")).toEqual({ ok: false, row: 3, problem: "text-after-quote" });
  });

  it("detects the separator from the header, ignoring quoted ones, semicolon on a tie", () => {
    expect(detectDelimiter("id;name;type\n1,2,3,4,5")).toBe(";");
    expect(detectDelimiter('id,"a;b;c",type\n')).toBe(",");
    expect(detectDelimiter("id\n")).toBe(";");
    expect(stripBom("\uFEFFid")).toBe("id");
  });
});

describe("readUnitCsv", () => {
  const s = dashboardStrings("da");
  const HEADER = "id;name;type;leader_name;leader_email;manager_name;manager_email";

  it("reads a Danish Excel export: BOM, semicolons, quoted names, an empty manager", () => {
    const csv = `\uFEFF${HEADER}\r\nskole-a;"Skole A; afd. Nord";skole;Lene Leder;lene@example.dk;Mads Chef;mads@example.dk\r\nskole-b;Skole B;skole;Bo Leder;bo@example.dk;;\r\n`;
    const result = readUnitCsv(csv, s);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rows.map((r) => r.row)).toEqual([2, 3]);
    expect(result.rows[0]?.unit).toEqual({
      id: "skole-a",
      name: "Skole A; afd. Nord",
      type: "skole",
      leader: { name: "Lene Leder", email: "lene@example.dk" },
      manager: { name: "Mads Chef", email: "mads@example.dk" },
    });
    expect(result.rows[1]?.unit.manager).toBeUndefined();
  });

  it("reports every bad row with its spreadsheet row and field, in Danish", () => {
    const csv = [
      "id,name,type,leader_name,leader_email,manager_name,manager_email",
      "skole-a,Skole A,skole,Lene,lene@example.dk,,",
      "Skole B,Skole B,skole,Bo,bo@example.dk,,",
      "skole-c,Skole C,skole,Cecilie,ikke-en-adresse,,",
      "skole-a,Igen,skole,X,x@example.dk,Chef,",
      "kort,række",
    ].join("\n");
    const result = readUnitCsv(csv, s);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => s.rowError(e.row, e.field, e.message))).toEqual([
      "række 3: id: må kun indeholde små bogstaver, tal og bindestreg og skal starte med et bogstav",
      "række 4: leader_email: ugyldig e-mail",
      "række 5: manager_email: udfyld både navn og e-mail, eller ingen af dem",
      "række 6: har 2 felter, men overskriften har 7",
    ]);
  });

  it("names missing and unknown columns, and refuses a file with no units", () => {
    const result = readUnitCsv("id;name;type;leader;leader_email\n", s);
    expect(!result.ok && result.errors.map((e) => e.message)).toEqual([
      "ukendt kolonne leader",
      "overskriften mangler leader_name, manager_name, manager_email",
    ]);
    const empty = readUnitCsv(`${HEADER}\n;;;;;;\n`, s);
    expect(!empty.ok && empty.errors[0]?.message).toBe("filen har ingen enheder under overskriften");
  });

  it("refuses a duplicate id, naming the row that had it first", () => {
    const csv = `${HEADER}\na;A;skole;X;x@example.dk;;\na;B;skole;Y;y@example.dk;;\n`;
    const result = readUnitCsv(csv, s);
    expect(!result.ok && result.errors).toEqual([
      { row: 3, field: "id", message: "id'et står også i række 2" },
    ]);
  });
});
