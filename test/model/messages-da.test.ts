/**
 * The Danish catalogue of validator messages: every kind of message the loaders can produce has a
 * Danish text. A corpus of wrong definitions, parameters and unit lists makes the validator say
 * each kind; every message it says must be known to the catalogue and come out Danish, and every
 * kind in the catalogue must be said by the corpus (so neither drifts from the other). A count of
 * the places in the source that word a message fails when one is added, to send its author here.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadUnits, loadWorkflow } from "../../shared/model/load.ts";
import { MESSAGE_KINDS, messageCodes, messageDa, messageKind } from "../../shared/model/messages-da.ts";
import { validateParams } from "../../shared/model/params.ts";
import { compilePattern } from "../../shared/model/pattern.ts";
import { MAX_SOURCE_BYTES } from "../../shared/model/yaml-source.ts";
import { beyondHorizon, tooManyOccurrences, tooManyRepetitions } from "../../shared/timeline/ceilings.ts";
import { CORPUS } from "./messages-corpus.ts";

function workflowMessages(): string[] {
  return Object.values(CORPUS).flatMap((source) => {
    const loaded = loadWorkflow(source, "x.yaml");
    return loaded.ok ? [] : loaded.errors.map((e) => e.message);
  });
}

function otherMessages(): string[] {
  const params = loadWorkflow(
    `id: p
title: P
parameters:
  ref: { type: string, pattern: '^[A-Z]+$', title: Sagsnummer }
  mail: { type: email }
  n: { type: number, required: false }
  flag: { type: boolean, required: false }
  day: { type: date, required: false }
  inf: { type: number, required: false }
milestones:
  - { id: a, title: A, owner: param:mail, due: P1M, escalation: false }
`,
    "p.yaml",
  );
  if (!params.ok) throw new Error(JSON.stringify(params.errors));
  const fromParams = (raw: Record<string, string | number | boolean>) => {
    const r = validateParams(params.value, raw);
    return r.ok ? [] : r.errors.map((e) => e.message);
  };
  const noParams = loadWorkflow(
    "id: q\ntitle: Q\nmilestones:\n  - { id: a, title: A, owner: unit:x, due: P1M }\n",
    "q.yaml",
  );
  if (!noParams.ok) throw new Error("q is invalid");
  const r2 = validateParams(noParams.value, { extra: "x" });
  const units = loadUnits(
    "- { id: a, name: A, type: school, leader: { name: L, email: l@example.dk } }\n- { id: a, name: B, type: school, leader: { name: L, email: l@example.dk } }\n",
    "u.yaml",
  );
  const big = loadWorkflow(`# ${"x".repeat(MAX_SOURCE_BYTES)}\n`, "big.yaml");
  const many = loadWorkflow(`id: m\ntitle: M\nmilestones: [${"1, ".repeat(1100)}1]\n`, "many.yaml");
  const deep = loadWorkflow(`id: d\ntitle: ${"[".repeat(40)}1${"]".repeat(40)}\n`, "deep.yaml");
  const all = [big, many, deep, units].flatMap((r) => (r.ok ? [] : r.errors.map((e) => e.message)));
  return [
    ...all,
    ...fromParams({ ref: "abc", mail: "nope", n: "x", flag: "maybe", day: "2024-13-45", inf: "1e999" }),
    ...fromParams({ ref: "0102031234", mail: "a@example.dk" }),
    ...fromParams({ ref: "ABC", mail: "a@example.dk", day: "2024-02-30" }),
    ...fromParams({ ref: "ABC", mail: "a@example.dk", nope: 1 }),
    ...fromParams({ ref: "", mail: "a@example.dk" }),
    ...fromParams({ mail: "a@example.dk" }),
    ...(r2.ok ? [] : r2.errors.map((e) => e.message)),
    // The plan's ceilings, as the editor and the admin API say them.
    tooManyOccurrences("plan", 0, 12_000, 40).message,
    tooManyOccurrences("plan", 0, 12_000, 1).message,
    `${tooManyRepetitions("plan", 0).message} (when started today)`,
    beyondHorizon("plan", 0).message,
    // The schema's own length (500) is met first, so only the compiler's check says this.
    `'x' cannot be used as a pattern: ${whyNot(compilePattern("a".repeat(501)))}`,
  ];
}

function whyNot(compiled: ReturnType<typeof compilePattern>): string {
  if (compiled.ok) throw new Error("the long pattern compiled");
  return compiled.why;
}

/**
 * Kinds no definition of today's grammar reaches, worded as their code words them: a union
 * whose branches all fail (none has two same-type forms without its own summary yet), zod's
 * generic formats and multiples (every format and number here has its own rule), and the
 * loader's last resort when a check throws.
 */
const GUARDS = [
  "expected a text, got a list; or expected a mapping (key: value), got a list",
  "'abc' is not in the expected format (uuid)",
  "the number 5 must be a multiple of 2",
  "could not read the definition: out of memory",
];

describe("the Danish catalogue of validator messages", () => {
  const messages = [...workflowMessages(), ...otherMessages(), ...GUARDS];

  it("knows every message the validator says in the corpus, and gives it in Danish", () => {
    expect(messages.length).toBeGreaterThan(80);
    const unknown = messages.filter((m) => messageKind(m) === undefined);
    expect(unknown).toEqual([]);
    // Danish: not the English text, and none of the English glue words left over.
    const english = messages.filter((m) => {
      const da = messageDa(m);
      // Quoted values and what a library said («…») stay as they were.
      const own = da
        .replace(/«[^»]*»/g, "")
        .replace(/'[^']*'/g, "")
        .replace(/"[^"]*"/g, "");
      return da === m || /\b(must|should|allowed|expected|unknown|missing|is not|the)\b/.test(own);
    });
    expect(english.map((m) => `${m}\n  => ${messageDa(m)}`)).toEqual([]);
  });

  it("has no kind the corpus does not say (every Danish text is checked against a real message)", () => {
    const said = new Set(messages.flatMap((m) => messageCodes(m)));
    const unsaid = MESSAGE_KINDS.map((k) => k.code).filter((code) => !said.has(code));
    expect(unsaid).toEqual([]);
  });

  it("gives a nested message in Danish too: a union's branches, a suffix after a known message", () => {
    expect(messageDa("expected a text, got a list; or expected a mapping (key: value), got a list")).toBe(
      "forventede en tekst, fik en liste; eller forventede en mapping (nøgle: værdi), fik en liste",
    );
    expect(messageDa("something new the catalogue has never seen")).toBe(
      "something new the catalogue has never seen",
    );
  });

  it("is told when a new message is worded in the source: the count of message sites is pinned", () => {
    // A failure here means a message was added or removed: give it a kind in
    // shared/model/messages-da.ts and a case in messages-corpus.ts, then update the count.
    const files = [
      "shared/model/validate.ts",
      "shared/model/zod-issues.ts",
      "shared/model/errors.ts",
      "shared/model/load.ts",
      "shared/model/params.ts",
      "shared/model/schema.ts",
      "shared/model/pattern.ts",
      "shared/model/yaml-source.ts",
      "shared/model/yaml-walk.ts",
      "shared/model/yaml-cpr.ts",
      "shared/time/duration.ts",
      "shared/timeline/ceilings.ts",
    ];
    const sites = Object.fromEntries(
      files.map((f) => {
        const text = readFileSync(new URL(`../../${f}`, import.meta.url), "utf8");
        // Every string or template literal with a space in it, outside comments: the text of messages.
        const code = text
          .split("\n")
          .filter((line) => !/^\s*(\*|\/\/|\/\*\*|import )/.test(line))
          .join("\n");
        const count = (code.match(/"[^"\n]* [^"\n]*"|`[^`\n]* [^`\n]*`/g) ?? []).length;
        return [f, count];
      }),
    );
    expect(sites).toEqual(PINNED_SITES);
  });
});

const PINNED_SITES: Record<string, number> = {
  "shared/model/errors.ts": 14,
  "shared/model/load.ts": 5,
  "shared/model/params.ts": 13,
  "shared/model/pattern.ts": 4,
  "shared/model/schema.ts": 34,
  "shared/model/validate.ts": 76,
  "shared/model/yaml-cpr.ts": 2,
  "shared/model/yaml-source.ts": 16,
  "shared/model/yaml-walk.ts": 12,
  "shared/model/zod-issues.ts": 45,
  "shared/time/duration.ts": 15,
  "shared/timeline/ceilings.ts": 12,
};
