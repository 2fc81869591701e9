import { describe, expect, it } from "vitest";
import {
  closest,
  editDistance,
  formatError,
  formatErrors,
  formatPath,
  quote,
} from "../../shared/model/errors.ts";

describe("formatError", () => {
  it("writes file:line:column path: message", () => {
    const text = formatError({
      file: "workflows/x.yaml",
      line: 12,
      column: 7,
      path: "milestones[3].due",
      message: "bad",
    });

    expect(text).toBe("workflows/x.yaml:12:7 milestones[3].due: bad");
  });

  it("leaves out the path for the document and the position when there is none", () => {
    expect(formatError({ file: "x.yaml", line: 1, column: 1, path: "", message: "empty" })).toBe(
      "x.yaml:1:1: empty",
    );
    expect(formatError({ file: "cli", line: 0, column: 0, path: "parameters.a", message: "m" })).toBe(
      "cli parameters.a: m",
    );
  });

  it("puts one error on each line", () => {
    const a = { file: "a", line: 1, column: 2, path: "x", message: "m1" };
    const b = { file: "a", line: 3, column: 4, path: "y", message: "m2" };

    expect(formatErrors([a, b])).toBe("a:1:2 x: m1\na:3:4 y: m2");
  });
});

describe("formatPath and quote", () => {
  it("renders indices in brackets and odd keys quoted", () => {
    expect(formatPath(["milestones", 3, "due"])).toBe("milestones[3].due");
    expect(formatPath([0, "leader"])).toBe("[0].leader");
    expect(formatPath(["a b"])).toBe('["a b"]');
  });

  it("escapes control characters, shortens long values and masks CPR numbers", () => {
    expect(quote("a\nb")).toBe("'a\\nb'");
    expect(quote("x".repeat(100))).toBe(`'${"x".repeat(60)}…'`);
    expect(quote("Sag 010203-1234")).toBe("'Sag XXXXXX-XXXX'");
  });
});

describe("typo suggestions", () => {
  it("counts a transposition as one edit", () => {
    expect(editDistance("adoptoin", "adoption")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("suggests only candidates close enough to be a typo", () => {
    expect(closest("adoptoin", ["plan", "adoption"])).toBe("adoption");
    expect(closest("budget", ["plan", "adoption"])).toBeUndefined();
  });
});
