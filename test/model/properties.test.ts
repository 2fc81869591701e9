import fc from "fast-check";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import type { LoadResult } from "../../shared/model/errors.ts";
import { loadWorkflow } from "../../shared/model/load.ts";
import type { Workflow } from "../../shared/model/schema.ts";
import { lines } from "./helpers.ts";

/** A valid definition using most of the language, so mutations reach most rules. */
const VALID = lines(
  "id: strategy",
  "title: { da: Stærke fællesskaber, en: Strong communities }",
  "timezone: Europe/Copenhagen",
  "calendar: { holidays: DK, closingDays: [12-24, 2025-06-05] }",
  "parameters:",
  "  caseworker: { type: email }",
  "  caseRef: { type: string, pattern: '[A-Z]{2}-\\d+', required: false }",
  "defaults:",
  "  reminders: [P14D, P3D, P0D]",
  "  escalation: { to: manager, after: P1D, every: P7D, max: 3 }",
  "milestones:",
  "  - id: adoption",
  "    title: Vedtagelse i udvalget",
  "    owner: unit:forvaltning",
  "    due: 2024-10-31",
  "  - id: local-plans",
  "    title: Lokale handleplaner",
  "    forEach: [school, daycare]",
  "    after: [adoption]",
  "    due: { in: P4M, from: adoption }",
  "    notices: [{ to: 'param:caseworker', before: 6 working days }]",
  "  - id: status",
  "    title: Årlig status",
  "    owner: 'param:caseworker'",
  "    due: 2025-05-01T12:00",
  "    recurrence: { every: P1Y, until: 2027-05-31 }",
  "    escalation: false",
  "  - id: implementation",
  "    title: Implementering",
  "    due: P3Y",
  "    confirm: false",
);

function assertWellFormed(result: LoadResult<Workflow>, file: string): void {
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(e.file).toBe(file);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.message.length).toBeGreaterThan(0);
    // The loader's last-resort catch would hide a crash behind a well-formed error: not here.
    expect(e.message).not.toContain("could not read the definition");
  }
  const order = result.errors.map((e) => e.line);
  expect(order).toEqual([...order].sort((a, b) => a - b));
}

/** Characters that matter to YAML, plus some that matter to the rules (digits, dashes, colons). */
const fragment = fc.oneof(
  fc.constantFrom(
    ":",
    "-",
    " ",
    "  ",
    "\n",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    '"',
    "#",
    "&a ",
    "*a",
    "!t ",
    "? ",
    "|",
    ">",
  ),
  fc.constantFrom(
    "P0D",
    "P1Y",
    "2024-02-30",
    "02-30",
    "leader",
    "manager",
    "param:x",
    "unit:y",
    "010203-1234",
    "x",
  ),
  fc.string({ maxLength: 6 }),
);

const textMutation = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fragment }),
  fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap-lines" as const), at: fc.nat(), other: fc.nat() }),
);

type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function applyText(text: string, m: TextMutation): string {
  if (m.kind === "delete") {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + text.slice(at + m.length);
  }
  if (m.kind === "insert") {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + m.text + text.slice(at);
  }
  const rows = text.split("\n");
  const i = m.at % rows.length;
  if (m.kind === "duplicate-line") {
    rows.splice(i, 0, rows[i] ?? "");
  } else {
    const j = m.other % rows.length;
    [rows[i], rows[j]] = [rows[j] ?? "", rows[i] ?? ""];
  }
  return rows.join("\n");
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path in a JSON value, to pick one to change. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...pathsOf(v, [...prefix, i]));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  }
  return out;
}

function replaceAt(root: Json, path: readonly (string | number)[], replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const [head, ...rest] = path;
  if (Array.isArray(root) && typeof head === "number") {
    const copy = [...root];
    if (replacement === undefined && rest.length === 0) copy.splice(head, 1);
    else copy[head] = replaceAt(root[head] ?? null, rest, replacement);
    return copy;
  }
  if (root !== null && typeof root === "object" && !Array.isArray(root) && typeof head === "string") {
    const copy = { ...root };
    if (replacement === undefined && rest.length === 0) delete copy[head];
    else copy[head] = replaceAt(root[head] ?? null, rest, replacement);
    return copy;
  }
  return root;
}

const replacement: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom<Json>("P0D", "2024-02-30", "leader", "param:nope", "0102031234", "a", false, 0, -1, [], {}),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

describe("loadWorkflow never throws", () => {
  it("accepts the base definition (so the mutations start from something valid)", () => {
    const result = loadWorkflow(VALID, "base.yaml");

    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it("returns ok or located errors for random edits of the text", () => {
    fc.assert(
      fc.property(fc.array(textMutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        const text = mutations.reduce(applyText, VALID);

        const result = loadWorkflow(text, "fuzz.yaml");

        assertWellFormed(result, "fuzz.yaml");
      }),
      { numRuns: 400 },
    );
  });

  it("returns ok or located errors for random changes of the structure, as YAML and as JSON", () => {
    const base = YAML.parse(VALID) as Json;
    const paths = pathsOf(base);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(paths.length - 1), replacement), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (changes, asJson) => {
          let value = base;
          for (const [index, with_] of changes) value = replaceAt(value, paths[index] ?? [], with_);
          const text = asJson ? JSON.stringify(value, null, 2) : YAML.stringify(value);

          const result = loadWorkflow(text, "fuzz.yaml");

          assertWellFormed(result, "fuzz.yaml");
        },
      ),
      { numRuns: 400 },
    );
  });
});
