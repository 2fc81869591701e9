import { describe, expect, it } from "vitest";
import { addDuration, subtractDuration } from "../../shared/time/arithmetic.ts";
import { createBusinessCalendar } from "../../shared/time/calendar.ts";
import { parseDuration } from "../../shared/time/duration.ts";
import { Temporal } from "../../shared/time/temporal.ts";

const cal = createBusinessCalendar({ holidays: "DK", closingDays: [] });
const cph = (text: string) => Temporal.ZonedDateTime.from(`${text}[Europe/Copenhagen]`);
const add = (at: string, d: string) => addDuration(cph(at), parseDuration(d), cal);
const sub = (at: string, d: string) => subtractDuration(cph(at), parseDuration(d), cal);
const local = (z: Temporal.ZonedDateTime) => z.toPlainDateTime().toString();

describe("addDuration: calendar parts", () => {
  it("clamps to the end of February in a leap year: 31 Jan 2024 + P1M = 29 Feb", () => {
    // Act
    const result = add("2024-01-31T10:00", "P1M");

    // Assess
    expect(local(result)).toBe("2024-02-29T10:00:00");
  });

  it("clamps to the end of February in a common year: 31 Jan 2023 + P1M = 28 Feb", () => {
    // Act
    const result = add("2023-01-31T10:00", "P1M");

    // Assess
    expect(local(result)).toBe("2023-02-28T10:00:00");
  });

  it("adds P4M (børnefaglig undersøgelse) on the calendar", () => {
    // Act / Assess
    expect(local(add("2024-10-31T09:00", "P4M"))).toBe("2025-02-28T09:00:00");
    expect(local(add("2024-02-29T09:00", "P1Y"))).toBe("2025-02-28T09:00:00");
    expect(local(add("2024-03-01T09:00", "P2W"))).toBe("2024-03-15T09:00:00");
  });

  it("P1D across the spring DST change keeps the wall clock (23 real hours)", () => {
    // Prepare
    const start = cph("2024-03-30T12:00");

    // Act
    const result = addDuration(start, parseDuration("P1D"), cal);

    // Assess
    expect(local(result)).toBe("2024-03-31T12:00:00");
    expect(start.until(result).total({ unit: "hours" })).toBe(23);
  });

  it("PT24H across the spring DST change is 24 elapsed hours: 13:00 local the next day", () => {
    // Prepare
    const start = cph("2024-03-30T12:00");

    // Act
    const result = addDuration(start, parseDuration("PT24H"), cal);

    // Assess
    expect(local(result)).toBe("2024-03-31T13:00:00");
    expect(result.offset).toBe("+02:00");
    expect(result.epochMilliseconds - start.epochMilliseconds).toBe(24 * 3_600_000);
  });

  it("PT24H across the autumn DST change ends at 11:00 local", () => {
    // Act / Assess
    expect(local(add("2024-10-26T12:00", "PT24H"))).toBe("2024-10-27T11:00:00");
    expect(local(add("2024-10-26T12:00", "P1D"))).toBe("2024-10-27T12:00:00");
  });

  it("adds the date part on the calendar before the time part", () => {
    // Act / Assess: P1DT2H from 30 March = 31 March 12:00 local, then 2 real hours.
    expect(local(add("2024-03-30T12:00", "P1DT2H"))).toBe("2024-03-31T14:00:00");
  });

  it("P0D returns the same instant", () => {
    // Prepare
    const start = cph("2024-03-30T12:00");

    // Act
    const result = addDuration(start, parseDuration("P0D"), cal);

    // Assess
    expect(result.equals(start)).toBe(true);
  });
});

describe("subtractDuration: calendar parts", () => {
  it("clamps month ends backwards too: 31 March 2023 - P1M = 28 Feb", () => {
    // Act / Assess
    expect(local(sub("2023-03-31T08:00", "P1M"))).toBe("2023-02-28T08:00:00");
  });

  it("PT24H back across the spring change is 24 real hours, P1D keeps the wall clock", () => {
    // Act / Assess
    expect(local(sub("2024-03-31T12:00", "PT24H"))).toBe("2024-03-30T11:00:00");
    expect(local(sub("2024-03-31T12:00", "P1D"))).toBe("2024-03-30T12:00:00");
  });

  it("reminder 14 days before a deadline", () => {
    // Act / Assess
    expect(local(sub("2024-10-31T23:59", "P14D"))).toBe("2024-10-17T23:59:00");
  });
});

describe("working days", () => {
  it("6 working days from Wednesday 2025-04-16 09:30 is Tuesday 2025-04-29 09:30", () => {
    // Act
    const result = add("2025-04-16T09:30", "6 working days");

    // Assess
    expect(local(result)).toBe("2025-04-29T09:30:00");
    expect(result.timeZoneId).toBe("Europe/Copenhagen");
  });

  it("Danish wording counts the same", () => {
    // Act / Assess
    expect(local(add("2025-04-16T09:30", "6 hverdage"))).toBe("2025-04-29T09:30:00");
  });

  it("keeps the wall-clock time across a DST change", () => {
    // Act: Friday 2024-03-29 is Langfredag; start Thursday 2024-03-21 (winter time).
    const result = add("2024-03-21T10:00", "5 working days");

    // Assess: 22, 25, 26, 27, (28-29 Easter, 30-31 weekend, 1 Apr 2. påskedag) 2 April.
    expect(local(result)).toBe("2024-04-02T10:00:00");
    expect(result.offset).toBe("+02:00");
  });

  it("counts backwards for subtractDuration", () => {
    // Act / Assess
    expect(local(sub("2025-04-29T09:30", "6 working days"))).toBe("2025-04-16T09:30:00");
  });

  it("uses the local date in the instant's zone, not the UTC date", () => {
    // Prepare: 00:30 Copenhagen on Monday 2025-04-28 is still Sunday in UTC.
    const start = cph("2025-04-28T00:30");

    // Act
    const result = addDuration(start, parseDuration("1 working day"), cal);

    // Assess
    expect(local(result)).toBe("2025-04-29T00:30:00");
  });

  it("0 working days moves a weekend moment to the next working day, same time", () => {
    // Act / Assess
    expect(local(add("2025-04-19T15:00", "0 working days"))).toBe("2025-04-22T15:00:00");
    expect(local(add("2025-04-16T15:00", "0 working days"))).toBe("2025-04-16T15:00:00");
  });

  it("a wall time that does not exist on the target day moves forward by the DST gap", () => {
    // Prepare: Denmark changes clocks on Sundays, which are never working days, so use a zone
    // that changed on a weekday. Asia/Amman sprang forward at 00:00 on Friday 2022-02-25.
    const plain = createBusinessCalendar({ holidays: "none", closingDays: [] });
    const start = Temporal.ZonedDateTime.from("2022-02-24T00:30[Asia/Amman]");

    // Act
    const result = addDuration(start, parseDuration("1 working day"), plain);

    // Assess
    expect(result.toPlainDate().toString()).toBe("2022-02-25");
    expect(result.toPlainTime().toString()).toBe("01:30:00");
  });
});
