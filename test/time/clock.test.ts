import { describe, expect, it } from "vitest";
import { ManualClock, systemClock } from "../../shared/time/clock.ts";
import { Temporal } from "../../shared/time/temporal.ts";

describe("systemClock", () => {
  it("reads the real time", () => {
    // Prepare
    const before = Date.now();

    // Act
    const now = systemClock.now();

    // Assess
    expect(now.epochMilliseconds).toBeGreaterThanOrEqual(before);
    expect(now.epochMilliseconds).toBeLessThanOrEqual(Date.now());
  });
});

describe("ManualClock", () => {
  it("starts where it is told, from a string or an Instant", () => {
    // Act
    const fromString = new ManualClock("2024-03-30T11:00:00Z");
    const fromInstant = new ManualClock(Temporal.Instant.from("2024-03-30T11:00:00Z"));

    // Assess
    expect(fromString.now().toString()).toBe("2024-03-30T11:00:00Z");
    expect(fromInstant.now().equals(fromString.now())).toBe(true);
  });

  it("does not move by itself", async () => {
    // Prepare
    const clock = new ManualClock("2024-01-01T00:00:00Z");

    // Act
    await new Promise((resolve) => setTimeout(resolve, 5));

    // Assess
    expect(clock.now().toString()).toBe("2024-01-01T00:00:00Z");
  });

  it("set() jumps anywhere, including backwards", () => {
    // Prepare
    const clock = new ManualClock("2024-01-01T00:00:00Z");

    // Act
    clock.set("2023-06-01T12:00:00+02:00");

    // Assess
    expect(clock.now().toString()).toBe("2023-06-01T10:00:00Z");
  });

  it("advance() adds exact time; a day is 24 hours since an instant has no zone", () => {
    // Prepare
    const clock = new ManualClock("2024-03-30T11:00:00Z");

    // Act
    clock.advance("P1DT2H");
    clock.advance(Temporal.Duration.from({ minutes: 30 }));
    clock.advance("P1W");

    // Assess
    expect(clock.now().toString()).toBe("2024-04-07T13:30:00Z");
  });

  it("advance() refuses years, months and negative durations", () => {
    // Prepare
    const clock = new ManualClock("2024-01-01T00:00:00Z");

    // Act / Assess
    expect(() => clock.advance("P1M")).toThrow(/no fixed length/);
    expect(() => clock.advance("P1Y")).toThrow(/no fixed length/);
    expect(() => clock.advance("-PT1H")).toThrow(/use set\(\)/);
    expect(clock.now().toString()).toBe("2024-01-01T00:00:00Z");
  });
});
