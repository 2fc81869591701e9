import { describe, expect, it } from "vitest";
import {
  DurationSyntaxError,
  hasTimePart,
  isZeroDuration,
  parseDuration,
  toTemporalDuration,
} from "../../shared/time/duration.ts";

const zero = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };

describe("parseDuration: ISO 8601 durations", () => {
  it.each([
    ["P4M", { ...zero, months: 4 }],
    ["P1Y", { ...zero, years: 1 }],
    ["P14D", { ...zero, days: 14 }],
    ["P2W", { ...zero, weeks: 2 }],
    ["PT24H", { ...zero, hours: 24 }],
    ["P1DT2H", { ...zero, days: 1, hours: 2 }],
    ["P0D", zero],
    ["P1Y2M3W4DT5H6M7S", { years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7 }],
    ["PT30M", { ...zero, minutes: 30 }],
    ["  p3d ", { ...zero, days: 3 }],
  ])("accepts %j", (text, expected) => {
    // Act
    const parsed = parseDuration(text);

    // Assess
    expect(parsed).toEqual({ kind: "calendar", ...expected });
  });

  it("tells M in the date part (months) from M in the time part (minutes)", () => {
    // Act
    const parsed = parseDuration("P1MT1M");

    // Assess
    expect(parsed).toMatchObject({ months: 1, minutes: 1 });
  });
});

describe("parseDuration: working days", () => {
  it.each([
    ["6 working days", 6],
    ["1 working day", 1],
    ["6 hverdage", 6],
    ["1 hverdag", 1],
    ["0 working days", 0],
    ["10  Working Days", 10],
  ])("accepts %j", (text, days) => {
    // Act
    const parsed = parseDuration(text);

    // Assess
    expect(parsed).toEqual({ kind: "workingDays", days });
  });
});

describe("parseDuration: rejects", () => {
  it.each([
    "",
    "P",
    "PT",
    "P1DT",
    "4M",
    "P-1D",
    "-P1D",
    "P1.5D",
    "PT0,5H",
    "P1D2M",
    "P1H",
    "1 day",
    "six working days",
    "-1 working days",
    "1.5 hverdage",
    "6 arbejdsdage",
    "P4M and 6 working days",
    "100001 working days",
    "P99999999999Y",
  ])("rejects %j with a DurationSyntaxError that says what is allowed", (text) => {
    // Act
    const act = () => parseDuration(text);

    // Assess
    expect(act).toThrow(DurationSyntaxError);
    expect(act).toThrow(/Allowed: an ISO 8601 duration .*"6 working days"/);
    expect(act).toThrow(JSON.stringify(text));
  });

  it("is an Error with its own name, so logs show what went wrong", () => {
    // Prepare
    let caught: unknown;

    // Act
    try {
      parseDuration("soon");
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).name).toBe("DurationSyntaxError");
  });
});

describe("hasTimePart / isZeroDuration / toTemporalDuration", () => {
  it.each([
    ["PT24H", true],
    ["PT1M", true],
    ["PT1S", true],
    ["P1DT2H", true],
    ["P1D", false],
    ["P4M", false],
    ["6 working days", false],
  ])("hasTimePart(%j) is %s", (text, expected) => {
    // Act / Assess
    expect(hasTimePart(parseDuration(text))).toBe(expected);
  });

  it.each([
    ["P0D", true],
    ["PT0S", true],
    ["P0Y0M0W0DT0H0M0S", true],
    ["0 hverdage", true],
    ["PT1S", false],
    ["P1W", false],
    ["1 hverdag", false],
  ])("isZeroDuration(%j) is %s", (text, expected) => {
    // Act / Assess
    expect(isZeroDuration(parseDuration(text))).toBe(expected);
  });

  it("converts every field to a Temporal.Duration", () => {
    // Prepare
    const parsed = parseDuration("P1Y2M3W4DT5H6M7S");
    if (parsed.kind !== "calendar") throw new Error("expected a calendar duration");

    // Act
    const d = toTemporalDuration(parsed);

    // Assess
    expect(d.toString()).toBe("P1Y2M3W4DT5H6M7S");
  });
});
