import { describe, expect, it } from "vitest";
import * as time from "../../shared/time/index.ts";

describe("shared/time index", () => {
  it("re-exports the whole public API", () => {
    // Act
    const names = Object.keys(time).sort();

    // Assess
    expect(names).toEqual(
      [
        "DurationSyntaxError",
        "ManualClock",
        "Temporal",
        "addDuration",
        "createBusinessCalendar",
        "hasTimePart",
        "isRealDate",
        "isValidTimeZone",
        "isZeroDuration",
        "parseDuration",
        "subtractDuration",
        "systemClock",
        "toTemporalDuration",
      ].sort(),
    );
  });
});
