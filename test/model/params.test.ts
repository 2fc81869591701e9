import { describe, expect, it } from "vitest";
import { validateParams } from "../../shared/model/params.ts";
import { type Workflow, WorkflowSchema } from "../../shared/model/schema.ts";

function workflowWith(parameters: Record<string, unknown>): Workflow {
  return WorkflowSchema.parse({
    id: "case",
    title: "Sag",
    parameters,
    milestones: [{ id: "a", title: "A", owner: "unit:team", due: "P1M" }],
  });
}

const CASE = workflowWith({
  caseRef: { type: "string", pattern: "[A-Z]{2}-\\d{4}" },
  caseworker: { type: "email" },
  received: { type: "date" },
  children: { type: "number", required: false },
  urgent: { type: "boolean", required: false },
});

const VALID = { caseRef: "SA-2024", caseworker: "cw@kommune.dk", received: "2024-03-01" };

describe("validateParams", () => {
  it("coerces CLI strings to the declared types", () => {
    // Act
    const result = validateParams(CASE, { ...VALID, children: "2", urgent: "true" });

    // Assess
    expect(result).toEqual({
      ok: true,
      value: { ...VALID, children: 2, urgent: true },
    });
  });

  it("keeps values that already have their type", () => {
    const result = validateParams(CASE, { ...VALID, children: 3.5, urgent: false });

    expect(result.ok && result.value).toMatchObject({ children: 3.5, urgent: false });
  });

  it("reports a missing required parameter with its path and no position", () => {
    const result = validateParams(CASE, { caseRef: "SA-2024", caseworker: "cw@kommune.dk" }, "cli");

    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: "cli",
          line: 0,
          column: 0,
          path: "parameters.received",
          message: "missing required parameter 'received' (type date)",
        },
      ],
    });
  });

  it("refuses an unknown parameter, listing the allowed ones and suggesting the closest", () => {
    const result = validateParams(CASE, { ...VALID, caseref: "SA-2024" });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.path).toBe("parameters.caseref");
    expect(result.errors[0]?.message).toContain("unknown parameter 'caseref'; did you mean 'caseRef'?");
    expect(result.errors[0]?.message).toContain("allowed: caseRef, caseworker, received, children, urgent");
  });

  it("says so when a workflow takes no parameters", () => {
    const result = validateParams(workflowWith({}), { x: "1" });

    expect(!result.ok && result.errors[0]?.message).toBe(
      "unknown parameter 'x'; this workflow takes no parameters",
    );
  });

  it.each([
    ["children", "two", "'two' is not a number"],
    ["urgent", "yes", "'yes' is not a boolean; write true or false"],
    ["received", "01-03-2024", "'01-03-2024' is not a date; write YYYY-MM-DD"],
    ["received", "2024-02-30", "'2024-02-30' is not a date that exists"],
    ["caseworker", "not an address", "'not an address' is not an e-mail address"],
    ["caseRef", "SA-20245", "'SA-20245' does not match the pattern '[A-Z]{2}-\\d{4}'"],
  ])("refuses %s = %s", (name, value, message) => {
    const result = validateParams(CASE, { ...VALID, [name]: value });

    expect(!result.ok && result.errors.map((e) => [e.path, e.message])).toEqual([
      [`parameters.${name}`, expect.stringContaining(message)],
    ]);
  });

  it("matches the pattern against the whole value, not a part of it", () => {
    const result = validateParams(CASE, { ...VALID, caseRef: "xxSA-2024xx" });

    expect(result.ok).toBe(false);
  });

  it("refuses a CPR number in any parameter, without repeating it", () => {
    const result = validateParams(CASE, {
      ...VALID,
      caseRef: "Sag 010203-1234",
      children: 102031234,
      extra: "0102031234",
    });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual([
      "parameters.caseRef",
      "parameters.children",
      "parameters.extra",
    ]);
    for (const e of result.errors) {
      expect(e.message).toContain("fristflow stores no CPR numbers");
      expect(e.message).not.toMatch(/010203|102031234/);
    }
  });

  it("treats an empty optional value as not given, and an empty required one as an error", () => {
    const optional = validateParams(CASE, { ...VALID, children: "" });
    const required = validateParams(workflowWith({ caseRef: { type: "string" } }), { caseRef: "  " });

    expect(optional.ok && "children" in optional.value).toBe(false);
    expect(!required.ok && required.errors[0]?.message).toBe("must not be empty");
  });
});
