import { describe, expect, it } from "vitest";
import { looksLikeCpr, maskCpr, numberLooksLikeCpr } from "../../shared/model/cpr.ts";

describe("looksLikeCpr", () => {
  it.each([
    ["010203-1234", true],
    ["0102031234", true],
    ["010203 1234", true],
    ["010203\u20131234", true],
    ["Sag 010203-1234", true],
    ["barn: 290200-4321 (mor)", true],
    ["320199-1234", false],
    ["1234567890", false],
    ["310403-1234", false],
    ["case-2024-001", false],
    ["2024-10-31", false],
    ["01020312345", false],
    ["J.nr. 2024-0012345", false],
    ["", false],
  ])("%s -> %s", (value, expected) => {
    // Act
    const result = looksLikeCpr(value);

    // Assess
    expect(result).toBe(expected);
  });

  it("accepts 29 February only for a year that has it in 19xx or 20xx", () => {
    expect(looksLikeCpr("290200-1234")).toBe(true);
    expect(looksLikeCpr("290201-1234")).toBe(false);
  });
});

describe("numberLooksLikeCpr", () => {
  it("puts back the leading zero that YAML and JSON drop", () => {
    expect(numberLooksLikeCpr(102031234)).toBe(true);
    expect(numberLooksLikeCpr(1502031234)).toBe(true);
    expect(numberLooksLikeCpr(42)).toBe(false);
    expect(numberLooksLikeCpr(1234567890)).toBe(false);
    expect(numberLooksLikeCpr(10203.1234)).toBe(false);
  });
});

describe("maskCpr", () => {
  it("hides every CPR-looking part and keeps the rest", () => {
    expect(maskCpr("Sag 010203-1234 og 0203041234.")).toBe("Sag XXXXXX-XXXX og XXXXXX-XXXX.");
    expect(maskCpr("case-2024-001")).toBe("case-2024-001");
  });
});
