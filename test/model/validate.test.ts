import { describe, expect, it } from "vitest";
import { loadWorkflow } from "../../shared/model/load.ts";
import { WorkflowSchema } from "../../shared/model/schema.ts";
import { validateWorkflow } from "../../shared/model/validate.ts";
import { errorAt, errorsOf, expectError, HEADER, lines } from "./helpers.ts";

const load = (...rows: string[]) => loadWorkflow(lines(...rows), "w.yaml");

describe("loadWorkflow: semantic rules", () => {
  it("refuses two milestones with the same id", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - { id: plan, title: A, owner: unit:buu, due: P1M }",
      "  - { id: plan, title: B, owner: unit:buu, due: P2M }",
    );

    expectError(errorAt(result, "milestones[1].id"), {
      line: 5,
      column: 11,
      includes: ["duplicate milestone id 'plan'", "milestones[0] already has it"],
    });
  });

  it("refuses `after` naming an unknown milestone, suggesting the closest id", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - { id: adoption, title: A, owner: unit:buu, due: 2024-10-31 }",
      "  - id: plan",
      "    title: B",
      "    owner: unit:buu",
      "    due: P1M",
      "    after: [adoptoin]",
    );

    expectError(errorAt(result, "milestones[1].after[0]"), {
      line: 9,
      column: 13,
      includes: ["unknown milestone 'adoptoin'; did you mean 'adoption'?", "milestones: adoption, plan"],
    });
  });

  it("refuses `due.from` naming an unknown milestone", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - { id: adoption, title: A, owner: unit:buu, due: 2024-10-31 }",
      "  - { id: plan, title: B, owner: unit:buu, due: { in: P1M, from: adopton } }",
    );

    expectError(errorAt(result, "milestones[1].due.from"), {
      line: 5,
      column: 66,
      includes: ["unknown milestone 'adopton'", "did you mean 'adoption'?", "or 'start'"],
    });
  });

  it("names a dependency cycle through `after`", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M, after: [b] }",
      "  - { id: b, title: B, owner: unit:buu, due: P2M, after: [a] }",
    );

    expectError(errorAt(result, "milestones[0].after[0]"), {
      line: 4,
      column: 59,
      includes: ["dependency cycle a -> b -> a", "can ever start"],
    });
    expect(errorsOf(result)).toHaveLength(1);
  });

  it("counts `due.from` as a dependency when looking for cycles", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M, after: [c] }",
      "  - { id: b, title: B, owner: unit:buu, due: { in: P1M, from: a } }",
      "  - { id: c, title: C, owner: unit:buu, due: { in: P1M, from: b } }",
    );

    expectError(errorAt(result, "milestones[0].after[0]"), {
      line: 4,
      column: 59,
      includes: ["a -> c -> b -> a"],
    });
  });

  it("names a milestone that waits for itself", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M, after: [a] }",
    );

    expectError(errorAt(result, "milestones[0].after[0]"), {
      line: 4,
      column: 59,
      includes: ["cycle a -> a"],
    });
  });

  it("refuses due dates that do not exist", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: 2023-02-29 }",
      "  - { id: b, title: B, owner: unit:buu, due: 2024-04-31T12:00 }",
      "  - { id: c, title: C, owner: unit:buu, due: 2024-02-29 }",
    );

    expectError(errorAt(result, "milestones[0].due"), {
      line: 4,
      column: 46,
      includes: ["'2023-02-29' is not a date that exists"],
    });
    expectError(errorAt(result, "milestones[1].due"), {
      line: 5,
      column: 46,
      includes: ["'2024-04-31T12:00' is not a date"],
    });
    expect(errorsOf(result)).toHaveLength(2);
  });

  it("refuses a recurrence end date that does not exist", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - id: status",
      "    title: Status",
      "    owner: unit:buu",
      "    due: 2024-05-01",
      "    recurrence: { every: P1Y, until: 2027-06-31 }",
    );

    expectError(errorAt(result, "milestones[0].recurrence.until"), {
      line: 8,
      column: 38,
      includes: ["'2027-06-31' is not a date that exists"],
    });
  });

  it("refuses closing days that do not exist, in both forms, and accepts 02-29", () => {
    const result = load(
      ...HEADER,
      "calendar:",
      "  closingDays: [12-24, 02-29, 02-30, 2024-02-30, 2025-06-05]",
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M }",
    );

    expectError(errorAt(result, "calendar.closingDays[2]"), {
      line: 4,
      column: 31,
      includes: ["'02-30' is not a date that exists", "MM-DD"],
    });
    expectError(errorAt(result, "calendar.closingDays[3]"), {
      line: 4,
      column: 38,
      includes: ["'2024-02-30'"],
    });
    expect(errorsOf(result)).toHaveLength(2);
  });

  it("refuses an unknown timezone and suggests the likely one", () => {
    const result = load(
      ...HEADER,
      "timezone: Europe/Copenhagn",
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M }",
    );

    expectError(errorAt(result, "timezone"), {
      line: 3,
      column: 11,
      includes: ["unknown timezone 'Europe/Copenhagn'", "did you mean 'Europe/Copenhagen'?", "IANA"],
    });
  });

  it("refuses a recurrence that repeats every zero days", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: 2024-05-01, recurrence: { every: P0Y, count: 3 } }",
    );

    expectError(errorAt(result, "milestones[0].recurrence.every"), {
      line: 4,
      column: 79,
      includes: ["'P0Y' is zero", "must be more than zero"],
    });
  });

  it("refuses escalations after or every zero time, in a milestone and in the defaults", () => {
    const result = load(
      ...HEADER,
      "defaults:",
      "  escalation: { every: P0D }",
      "milestones:",
      "  - id: a",
      "    title: A",
      "    owner: unit:buu",
      "    due: P1M",
      "    escalation: { after: PT0H }",
    );

    expectError(errorAt(result, "defaults.escalation.every"), {
      line: 4,
      column: 24,
      includes: ["'P0D' is zero", "between escalations"],
    });
    expectError(errorAt(result, "milestones[0].escalation.after"), {
      line: 10,
      column: 26,
      includes: ["'PT0H' is zero", "first escalation after the deadline"],
    });
  });

  it("allows `owner: leader` only on a milestone with forEach", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - { id: a, title: A, owner: leader, due: P1M }",
      "  - { id: b, title: B, owner: leader, due: P1M, forEach: [school] }",
    );

    expectError(errorAt(result, "milestones[0].owner"), {
      line: 4,
      column: 31,
      includes: ["owner 'leader'", "needs forEach"],
    });
    expect(errorsOf(result)).toHaveLength(1);
  });

  it("allows `to: leader` only on a milestone with forEach", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M, escalation: { to: leader } }",
      "  - { id: b, title: B, due: P1M, forEach: [school], escalation: { to: leader } }",
    );

    expectError(errorAt(result, "milestones[0].escalation.to"), {
      line: 4,
      column: 69,
      includes: ["escalation to 'leader'", "needs forEach"],
    });
    expect(errorsOf(result)).toHaveLength(1);
  });

  it("requires an owner unless the milestone fans out or is not confirmed", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - { id: a, title: A, due: P1M }",
      "  - { id: b, title: B, due: P1M, forEach: [school] }",
      "  - { id: c, title: C, due: P1M, confirm: false }",
    );

    expectError(errorAt(result, "milestones[0].owner"), {
      line: 4,
      column: 5,
      includes: ["missing owner", "'unit:<unit id>' or 'param:<parameter name>'", "confirm: false"],
    });
    expect(errorsOf(result)).toHaveLength(1);
  });

  it("requires an explicit escalation for an owner without a manager", () => {
    const result = load(
      ...HEADER,
      "parameters:",
      "  caseworker: { type: email }",
      "milestones:",
      "  - { id: a, title: A, owner: 'param:caseworker', due: P1M }",
      "  - { id: b, title: B, owner: 'param:caseworker', due: P1M, escalation: { to: unit:team } }",
      "  - { id: c, title: C, owner: 'param:caseworker', due: P1M, escalation: false }",
      "  - { id: d, title: D, owner: 'unit:team', due: P1M }",
    );

    expectError(errorAt(result, "milestones[0].escalation"), {
      line: 6,
      column: 5,
      includes: [
        "inherited from defaults.escalation",
        "owner 'param:caseworker' has no manager",
        "escalation: false",
      ],
    });
    expect(errorsOf(result)).toHaveLength(1);
  });

  it("requires `param:<name>` to name a declared parameter of type email", () => {
    const result = load(
      ...HEADER,
      "parameters:",
      "  caseworker: { type: email }",
      "  caseRef: { type: string }",
      "milestones:",
      "  - { id: a, title: A, owner: 'param:casewroker', due: P1M, escalation: false }",
      "  - { id: b, title: B, owner: 'param:caseRef', due: P1M, escalation: false }",
    );

    expectError(errorAt(result, "milestones[0].owner"), {
      line: 7,
      column: 31,
      includes: ["unknown parameter 'casewroker'", "did you mean 'caseworker'?", "type email"],
    });
    expectError(errorAt(result, "milestones[1].owner"), {
      line: 8,
      column: 31,
      includes: ["parameter 'caseRef' has type string", "type email"],
    });
  });

  it("does not mistake inherited object properties for declared parameters", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - { id: a, title: A, owner: 'param:constructor', due: P1M, escalation: false }",
    );

    expectError(errorAt(result, "milestones[0].owner"), {
      line: 4,
      column: 31,
      includes: ["unknown parameter 'constructor'"],
    });
  });

  it("checks the recipient of a notice like any other", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - id: decision",
      "    title: Afgørelse",
      "    owner: unit:team",
      "    due: P4M",
      "    notices: [{ to: 'param:applicant', before: P7D }]",
    );

    expectError(errorAt(result, "milestones[0].notices[0].to"), {
      line: 8,
      column: 21,
      includes: ["unknown parameter 'applicant'"],
    });
  });

  it("refuses a recurrence that ends before its first due date, and accepts an absolute date-time", () => {
    const result = load(
      ...HEADER,
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: 2024-05-01, recurrence: { every: P1Y, until: 2024-04-30 } }",
      "  - { id: b, title: B, owner: unit:buu, due: 2024-05-01T10:00, recurrence: { every: P1Y, until: 2024-05-01 } }",
    );

    expectError(errorAt(result, "milestones[0].recurrence.until"), {
      line: 4,
      column: 91,
      includes: ["recurrence ends '2024-04-30' before the first due date '2024-05-01'"],
    });
    expect(errorsOf(result)).toHaveLength(1);
  });

  it("refuses a parameter pattern that is not a regular expression", () => {
    const result = load(
      ...HEADER,
      "parameters:",
      "  caseRef: { type: string, pattern: '[A-Z' }",
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M }",
    );

    expectError(errorAt(result, "parameters.caseRef.pattern"), {
      line: 4,
      column: 37,
      includes: ["'[A-Z' cannot be used as a pattern", "missing closing ]"],
    });
  });

  it.each([
    ["(a)\\1", "backreferences"],
    ["(?<=a)b", "lookaround"],
    ["a(?!b)", "lookaround"],
  ])("refuses at save a pattern the linear-time engine cannot run: %s", (pattern, named) => {
    const result = load(
      ...HEADER,
      "parameters:",
      `  caseRef: { type: string, pattern: '${pattern}' }`,
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M }",
    );

    expectError(errorAt(result, "parameters.caseRef.pattern"), {
      line: 4,
      column: 37,
      includes: ["cannot be used as a pattern", named],
    });
  });

  it("refuses CPR-looking text anywhere, without repeating the number", () => {
    const result = load(
      ...HEADER,
      "description: Sag vedr. 010203-1234",
      "source: 0102031234",
      "milestones:",
      "  - { id: a, title: A, owner: unit:buu, due: P1M }",
    );

    expectError(errorAt(result, "description"), {
      line: 3,
      column: 14,
      includes: ["looks like a CPR number", "stores no CPR numbers"],
    });
    // YAML reads 0102031234 as the number 102031234; the source text still gives it away.
    const source = errorsOf(result).filter((e) => e.path === "source" && e.message.includes("CPR"));
    expect(source.map((e) => [e.line, e.column])).toEqual([[4, 9]]);
    for (const e of errorsOf(result)) expect(e.message).not.toMatch(/0102031234|010203-1234|102031234/);
  });

  it("returns all semantic errors at once, sorted by line", () => {
    const result = load(
      ...HEADER,
      "timezone: Mars/Olympus",
      "milestones:",
      "  - { id: a, title: A, owner: leader, due: 2024-02-30 }",
      "  - { id: a, title: B, owner: unit:buu, due: P1M, after: [x] }",
    );

    const errors = errorsOf(result);

    expect(errors.map((e) => e.path)).toEqual([
      "timezone",
      "milestones[0].owner",
      "milestones[0].due",
      "milestones[1].id",
      "milestones[1].after[0]",
    ]);
    expect(errors.map((e) => e.line)).toEqual([3, 5, 5, 6, 6]);
  });
});

describe("validateWorkflow without a source", () => {
  it("reports at line 0 with the path, for definitions built in code", () => {
    const workflow = WorkflowSchema.parse({
      id: "w",
      title: "T",
      milestones: [{ id: "a", title: "A", due: "P1M", after: ["b"] }],
    });

    const errors = validateWorkflow(workflow, { file: "api" });

    expect(errors.map((e) => [e.file, e.line, e.column, e.path])).toEqual([
      ["api", 0, 0, "milestones[0].after[0]"],
      ["api", 0, 0, "milestones[0].owner"],
    ]);
  });

  it("scans texts for CPR numbers unless told the source was scanned", () => {
    const workflow = WorkflowSchema.parse({
      id: "w",
      title: "Sag 0102031234",
      milestones: [{ id: "a", title: "A", owner: "unit:buu", due: "P1M" }],
    });

    expect(validateWorkflow(workflow).map((e) => e.path)).toEqual(["title"]);
    expect(validateWorkflow(workflow, { checkCpr: false })).toEqual([]);
  });
});
