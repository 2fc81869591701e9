import { describe, expect, it } from "vitest";
import { loadWorkflow, MAX_DEPTH } from "../../shared/model/load.ts";
import { errorAt, errorsOf, expectError, HEADER, lines } from "./helpers.ts";

const MILESTONES = [
  "milestones:",
  "  - id: adoption",
  "    title: Vedtagelse",
  "    owner: unit:buu",
  "    due: 2024-10-31",
];

describe("loadWorkflow: the YAML layer", () => {
  it("accepts a minimal workflow and fills in the defaults", () => {
    // Prepare
    const text = lines(...HEADER, ...MILESTONES);

    // Act
    const result = loadWorkflow(text, "w.yaml");

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.timezone).toBe("Europe/Copenhagen");
    expect(result.value.milestones[0]?.after).toEqual([]);
  });

  it("accepts JSON, which is YAML too", () => {
    const text = JSON.stringify({
      id: "strategy",
      title: "Strategi",
      milestones: [{ id: "adoption", title: "Vedtagelse", owner: "unit:buu", due: "2024-10-31" }],
    });

    const result = loadWorkflow(text, "w.json");

    expect(result.ok).toBe(true);
  });

  it("reports a YAML syntax error at yaml's own position", () => {
    const text = lines(...HEADER, "milestones: [", "  - id: a");

    const errors = errorsOf(loadWorkflow(text, "w.yaml"));

    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.message.startsWith("YAML syntax error:"))).toBe(true);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(3);
    expect(errors[0]?.file).toBe("w.yaml");
  });

  it("refuses duplicate keys, naming the key at the second occurrence", () => {
    const text = lines(...HEADER, "title: Igen", ...MILESTONES);

    const error = errorAt(loadWorkflow(text, "w.yaml"), "title");

    expectError(error, { line: 3, column: 1, includes: ["duplicate key 'title'", "only once"] });
  });

  it("refuses an empty document", () => {
    const error = errorAt(loadWorkflow("# only a comment\n", "w.yaml"), "");

    expectError(error, { line: 1, column: 1, includes: ["empty", "id, title and milestones"] });
  });

  it("refuses a top level that is not a mapping", () => {
    const error = errorAt(loadWorkflow(lines("# a list", "- id: a"), "w.yaml"), "");

    expectError(error, { line: 2, column: 1, includes: ["top level must be", "got a list"] });
  });

  it("refuses a file over 512 KiB before parsing it", () => {
    const text = `${lines(...HEADER)}description: ${"x".repeat(513 * 1024)}\n`;

    const error = errorAt(loadWorkflow(text, "w.yaml"), "");

    expectError(error, { line: 1, column: 1, includes: ["514 KiB", "at most 512 KiB"] });
  });

  it("refuses nesting deeper than 32 levels", () => {
    // 33 nested flow lists under `description` (the top-level mapping is level 1).
    const text = lines(...HEADER, `description: ${"[".repeat(MAX_DEPTH)}${"]".repeat(MAX_DEPTH)}`);

    const errors = errorsOf(loadWorkflow(text, "w.yaml"));

    expect(errors).toHaveLength(1);
    expectError(errors[0] as never, { line: 3, column: 13 + MAX_DEPTH, includes: ["more than 32 levels"] });
    expect(errors[0]?.path).toBe(`description${"[0]".repeat(MAX_DEPTH - 1)}`);
  });

  it("survives absurd nesting without a stack overflow", () => {
    const text = `a: ${"[".repeat(100_000)}`;

    const errors = errorsOf(loadWorkflow(text, "w.yaml"));

    // Refused before the parser descends: by the entry bound (each "[" counts) or the depth bound.
    expect(errors.some((e) => /nested|entries/.test(e.message))).toBe(true);
    expect(errors.every((e) => e.line >= 1)).toBe(true);
  });

  it("refuses YAML aliases and anchors (no billion laughs)", () => {
    const text = lines(
      ...HEADER,
      "milestones:",
      "  - &m { id: a, title: A, owner: unit:buu, due: P1M }",
      "  - *m",
    );

    const result = loadWorkflow(text, "w.yaml");

    expectError(errorAt(result, "milestones[0]"), {
      line: 4,
      column: 8,
      includes: ["anchors (&m) are not allowed"],
    });
    expectError(errorAt(result, "milestones[1]"), {
      line: 5,
      column: 5,
      includes: ["aliases (*m) are not allowed"],
    });
  });

  it("refuses a billion-laughs document quickly", () => {
    const rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++)
      rows.push(
        `${"abcdefghijkl"[i]}: &${"abcdefghijkl"[i]} [${`*${"abcdefghijkl"[i - 1]}, `.repeat(9)}*${"abcdefghijkl"[i - 1]}]`,
      );
    const started = Date.now();

    const errors = errorsOf(loadWorkflow(lines(...rows), "w.yaml"));

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(errors.some((e) => e.message.includes("aliases"))).toBe(true);
  });

  it("refuses a second document in the same file", () => {
    const text = lines(...HEADER, ...MILESTONES, "---", "id: other");

    const errors = errorsOf(loadWorkflow(text, "w.yaml"));

    expect(errors.some((e) => e.line === 8 && e.message.includes("exactly one YAML document"))).toBe(true);
  });

  it("refuses custom YAML tags", () => {
    const text = lines(...HEADER, "description: !secret x", ...MILESTONES);

    const errors = errorsOf(loadWorkflow(text, "w.yaml"));

    expect(errors).toHaveLength(1);
    expectError(errors[0] as never, { line: 3, column: 14, includes: ["unsupported YAML tag", "!secret"] });
  });

  it("refuses a YAML 1.1 directive, which would turn dates into timestamps", () => {
    const text = lines("%YAML 1.1", "---", ...HEADER, ...MILESTONES);

    const error = errorAt(loadWorkflow(text, "w.yaml"), "");

    expectError(error, { line: 1, column: 1, includes: ["YAML 1.1 is not supported"] });
  });

  it("refuses a mapping used as a key", () => {
    const text = lines(...HEADER, "? [a, b]", ": c", ...MILESTONES);

    const errors = errorsOf(loadWorkflow(text, "w.yaml"));

    expect(errors.some((e) => e.line === 3 && e.message.includes("a key must be a plain name"))).toBe(true);
  });
});
