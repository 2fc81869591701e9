import { describe, expect, it } from "vitest";
import { loadWorkflow } from "../../shared/model/load.ts";
import { errorAt, errorsOf, expectError, HEADER, lines } from "./helpers.ts";

/** A workflow whose single milestone is given as lines indented under `  - `. */
function withMilestone(...rows: string[]): string {
  return lines(...HEADER, "milestones:", ...rows);
}

describe("loadWorkflow: schema errors in plain English", () => {
  it("names an unknown key, suggests the likely one and lists the allowed keys", () => {
    const text = withMilestone(
      "  - id: adoption",
      "    title: Vedtagelse",
      "    owner: unit:buu",
      "    dew: 2024-10-31",
    );

    const result = loadWorkflow(text, "w.yaml");

    expectError(errorAt(result, "milestones[0].dew"), {
      line: 7,
      column: 5,
      includes: [
        "unknown key 'dew'",
        "did you mean 'due'?",
        "allowed: id, title, description, owner, due, after",
      ],
    });
  });

  it("says which keys are allowed at the top level", () => {
    const text = lines(
      ...HEADER,
      "colour: red",
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M }",
    );

    const error = errorAt(loadWorkflow(text, "w.yaml"), "colour");

    expectError(error, {
      line: 3,
      column: 1,
      includes: ["unknown key 'colour'", "allowed: id, title", "milestones"],
    });
  });

  it("reports a wrong type with the value it got", () => {
    const text = lines(
      ...HEADER,
      "timezone: 3",
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M }",
    );

    const error = errorAt(loadWorkflow(text, "w.yaml"), "timezone");

    expectError(error, { line: 3, column: 11, includes: ["expected a text", "got the number 3"] });
  });

  it("quotes a bad id and says what an id may contain", () => {
    const text = withMilestone("  - id: Adoption_1", "    title: A", "    owner: unit:buu", "    due: P1M");

    const error = errorAt(loadWorkflow(text, "w.yaml"), "milestones[0].id");

    expectError(error, {
      line: 4,
      column: 9,
      includes: ["'Adoption_1'", "lower-case letters, digits and '-'"],
    });
  });

  it("refuses a duration that is not a duration", () => {
    const text = withMilestone(
      "  - id: a",
      "    title: A",
      "    owner: unit:buu",
      "    due: P1M",
      "    reminders: [P14D, 2 weeks]",
    );

    const error = errorAt(loadWorkflow(text, "w.yaml"), "milestones[0].reminders[1]");

    expectError(error, { line: 8, column: 23, includes: ["'2 weeks'", "ISO 8601 duration such as P4M"] });
  });

  it("points a missing required key at the mapping that should hold it", () => {
    const text = withMilestone("  - id: a", "    title: A", "    owner: unit:buu");

    const error = errorAt(loadWorkflow(text, "w.yaml"), "milestones[0].due");

    expectError(error, {
      line: 4,
      column: 5,
      includes: [
        "missing required key 'due'",
        "a date (2024-10-31)",
        "{ in: <duration>, from: start | <milestone id> }",
      ],
    });
  });

  it("points a missing top-level key at the document", () => {
    const text = lines("id: strategy", "milestones:", "  - { id: a, title: A, owner: unit:buu, due: P1M }");

    const error = errorAt(loadWorkflow(text, "w.yaml"), "title");

    expectError(error, { line: 1, column: 1, includes: ["missing required key 'title'", "non-empty text"] });
  });

  it("points an empty value at its key", () => {
    const text = withMilestone("  - id: a", "    title: A", "    owner: unit:buu", "    due:");

    const error = errorAt(loadWorkflow(text, "w.yaml"), "milestones[0].due");

    expectError(error, { line: 7, column: 5, includes: ["an empty value is not a valid due"] });
  });

  it("lists every form of `due` when a text matches none", () => {
    const text = withMilestone("  - id: a", "    title: A", "    owner: unit:buu", "    due: next spring");

    const error = errorAt(loadWorkflow(text, "w.yaml"), "milestones[0].due");

    expectError(error, {
      line: 7,
      column: 10,
      includes: [
        "'next spring' is not a valid due",
        "a date (2024-10-31)",
        "a date-time (2024-10-31T12:00)",
        "P4M",
      ],
    });
  });

  it("reports the specific problem inside the long form of `due`", () => {
    const text = withMilestone("  - id: a", "    title: A", "    owner: unit:buu", "    due: { inn: P4M }");

    const result = loadWorkflow(text, "w.yaml");

    expectError(errorAt(result, "milestones[0].due.inn"), {
      line: 7,
      column: 12,
      includes: ["unknown key 'inn'", "did you mean 'in'?", "allowed: in, from"],
    });
    expectError(errorAt(result, "milestones[0].due.in"), {
      line: 7,
      column: 10,
      includes: ["missing required key 'in'"],
    });
  });

  it("explains `from` when it is neither 'start' nor an id", () => {
    const text = withMilestone(
      "  - id: a",
      "    title: A",
      "    owner: unit:buu",
      "    due: { in: P4M, from: Start }",
    );

    const error = errorAt(loadWorkflow(text, "w.yaml"), "milestones[0].due.from");

    expectError(error, {
      line: 7,
      column: 27,
      includes: ["'Start' is not a valid from", "'start' or the id of a milestone"],
    });
  });

  it("lists the allowed values of an enumeration", () => {
    const text = lines(
      ...HEADER,
      "language: fr",
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M }",
    );

    const error = errorAt(loadWorkflow(text, "w.yaml"), "language");

    expectError(error, { line: 3, column: 11, includes: ["'fr' is not allowed", "allowed: da, en"] });
  });

  it("explains the forms of `escalation` for `escalation: true`", () => {
    const text = withMilestone(
      "  - id: a",
      "    title: A",
      "    owner: unit:buu",
      "    due: P1M",
      "    escalation: true",
    );

    const error = errorAt(loadWorkflow(text, "w.yaml"), "milestones[0].escalation");

    expectError(error, {
      line: 8,
      column: 17,
      includes: ["true is not a valid escalation", "false (no escalation) or a mapping"],
    });
  });

  it("reports a wrong value inside an escalation mapping at that value", () => {
    const text = withMilestone(
      "  - id: a",
      "    title: A",
      "    owner: unit:buu",
      "    due: P1M",
      "    escalation: { max: 1.5 }",
    );

    const error = errorAt(loadWorkflow(text, "w.yaml"), "milestones[0].escalation.max");

    expectError(error, { line: 8, column: 24, includes: ["expected a whole number", "got the number 1.5"] });
  });

  it("reports a number out of range with its bound", () => {
    const text = withMilestone(
      "  - id: a",
      "    title: A",
      "    owner: unit:buu",
      "    due: P1M",
      "    escalation: { max: 50 }",
    );

    const error = errorAt(loadWorkflow(text, "w.yaml"), "milestones[0].escalation.max");

    expectError(error, { line: 8, column: 24, includes: ["the number 50 must be at most 20"] });
  });

  it("keeps the schema's own message for a recurrence that never ends", () => {
    const text = withMilestone(
      "  - id: a",
      "    title: A",
      "    owner: unit:buu",
      "    due: 2024-05-01",
      "    recurrence: { every: P1Y }",
    );

    const error = errorAt(loadWorkflow(text, "w.yaml"), "milestones[0].recurrence");

    expectError(error, { line: 8, column: 17, includes: ["recurrence never ends", "'until'", "'count'"] });
  });

  it("refuses a workflow without milestones", () => {
    const text = lines(...HEADER, "milestones: []");

    const error = errorAt(loadWorkflow(text, "w.yaml"), "milestones");

    expectError(error, { line: 3, column: 13, includes: ["a workflow needs at least one milestone"] });
  });

  it("refuses an empty title and says what a title is", () => {
    const text = lines(
      "id: strategy",
      'title: ""',
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M }",
    );

    const error = errorAt(loadWorkflow(text, "w.yaml"), "title");

    expectError(error, {
      line: 2,
      column: 8,
      includes: ["empty text", "non-empty text, or a mapping { da: <text>, en: <text> }"],
    });
  });

  it("refuses an unknown language in a text mapping", () => {
    const text = withMilestone(
      "  - id: a",
      "    title: { da: Plan, fr: Plan }",
      "    owner: unit:buu",
      "    due: P1M",
    );

    const error = errorAt(loadWorkflow(text, "w.yaml"), "milestones[0].title.fr");

    expectError(error, { line: 5, column: 24, includes: ["unknown key 'fr'", "allowed: da, en"] });
  });

  it("refuses a parameter name that could not be used in 'param:<name>'", () => {
    const text = lines(
      ...HEADER,
      "parameters:",
      "  case-ref: { type: string }",
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M }",
    );

    const error = errorAt(loadWorkflow(text, "w.yaml"), "parameters.case-ref");

    expectError(error, {
      line: 4,
      column: 3,
      includes: ["parameter name 'case-ref' is not allowed", "letters, digits and '_'"],
    });
  });

  it("refuses a recipient that is none of the allowed forms", () => {
    const text = withMilestone("  - id: a", "    title: A", "    owner: boss@kommune.dk", "    due: P1M");

    const error = errorAt(loadWorkflow(text, "w.yaml"), "milestones[0].owner");

    expectError(error, {
      line: 6,
      column: 12,
      includes: ["'boss@kommune.dk'", "'leader', 'manager', 'unit:<unit id>' or 'param:<parameter name>'"],
    });
  });

  it("returns every schema error at once, sorted by line", () => {
    const text = lines(
      "id: Strategy",
      "title: T",
      "language: fr",
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: soon }",
      "  - { id: b, title: B, owner: unit:buu, due: P1M, colour: red }",
    );

    const errors = errorsOf(loadWorkflow(text, "w.yaml"));

    expect(errors.map((e) => e.path)).toEqual([
      "id",
      "language",
      "milestones[0].due",
      "milestones[1].colour",
    ]);
    expect(errors.map((e) => e.line)).toEqual([1, 3, 5, 6]);
  });
});
