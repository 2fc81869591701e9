import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBusinessCalendar, isRealDate, isValidTimeZone } from "../../shared/time/calendar.ts";
import { Temporal } from "../../shared/time/temporal.ts";

const date = (text: string) => Temporal.PlainDate.from(text);
const dk = createBusinessCalendar({ holidays: "DK", closingDays: [] });

describe("Danish public holidays", () => {
  it.each([
    ["2025-01-01", "Nytårsdag"],
    ["2025-04-17", "Skærtorsdag"],
    ["2025-04-18", "Langfredag"],
    ["2025-04-20", "Påskedag"],
    ["2025-04-21", "Anden påskedag"],
    ["2025-05-29", "Kristi Himmelfartsdag"],
    ["2025-06-08", "Pinsedag"],
    ["2025-06-09", "Anden Pinsedag"],
    ["2025-12-25", "Juledag"],
    ["2025-12-26", "Anden Juledag"],
    ["2023-05-05", "Store Bededag"],
  ])("%s is closed: %s", (text, name) => {
    // Act
    const reason = dk.closedReason(date(text));

    // Assess
    expect(reason).toBe(name);
    expect(dk.isWorkingDay(date(text))).toBe(false);
  });

  it("Store Bededag 2023-05-05 is closed, but the same Friday in 2024 (2024-04-26) is a working day", () => {
    // Act
    const in2023 = dk.isWorkingDay(date("2023-05-05"));
    const in2024 = dk.isWorkingDay(date("2024-04-26"));

    // Assess
    expect(in2023).toBe(false);
    expect(in2024).toBe(true);
    expect(dk.closedReason(date("2024-04-26"))).toBeNull();
  });

  it("no Friday from 2024 to 2030 is Store Bededag", () => {
    // Prepare
    const names = new Set<string>();

    // Act
    for (
      let d = date("2024-01-01");
      Temporal.PlainDate.compare(d, date("2030-12-31")) <= 0;
      d = d.add({ days: 1 })
    ) {
      const reason = dk.closedReason(d);
      if (reason) names.add(reason);
    }

    // Assess
    expect(names.has("Store Bededag")).toBe(false);
    expect(names.has("Langfredag")).toBe(true);
  });

  it.each([
    ["2025-06-05", "Grundlovsdag"],
    ["2025-12-24", "juleaften"],
    ["2025-12-31", "nytårsaften"],
    ["2025-05-01", "1. maj"],
  ])("%s (%s) is a working day unless the municipality closes it", (text) => {
    // Act / Assess
    expect(dk.isWorkingDay(date(text))).toBe(true);
  });

  it("holidays 'none' knows no holidays but still closes weekends", () => {
    // Prepare
    const plain = createBusinessCalendar({ holidays: "none", closingDays: [] });

    // Act / Assess
    expect(plain.isWorkingDay(date("2025-12-25"))).toBe(true);
    expect(plain.closedReason(date("2025-12-27"))).toBe("lørdag");
    expect(plain.closedReason(date("2025-12-28"))).toBe("søndag");
  });

  it("names a holiday on a Sunday by the holiday, and an ordinary weekend by the weekday", () => {
    // Act / Assess
    expect(dk.closedReason(date("2025-04-20"))).toBe("Påskedag");
    expect(dk.closedReason(date("2025-04-19"))).toBe("lørdag");
    expect(dk.closedReason(date("2025-04-13"))).toBe("søndag");
    expect(dk.closedReason(date("2025-04-16"))).toBeNull();
  });
});

describe("closing days", () => {
  const municipality = createBusinessCalendar({
    holidays: "DK",
    closingDays: ["12-24", "12-31", "2025-06-05"],
  });

  it("honours an annual closing day in every year", () => {
    // Act / Assess
    for (const year of [2024, 2025, 2026, 2030]) {
      expect(municipality.isWorkingDay(date(`${year}-12-31`)) || date(`${year}-12-31`).dayOfWeek >= 6).toBe(
        false,
      );
    }
    expect(municipality.closedReason(date("2025-12-24"))).toBe("lukkedag");
    expect(municipality.closedReason(date("2024-12-24"))).toBe("lukkedag");
  });

  it("honours a one-off closing day only in its year", () => {
    // Act / Assess
    expect(municipality.closedReason(date("2025-06-05"))).toBe("lukkedag");
    expect(municipality.isWorkingDay(date("2026-06-05"))).toBe(true);
  });

  it("prefers the weekday over 'lukkedag' when a closing day falls on a weekend", () => {
    // 2022-12-24 was a Saturday.
    expect(municipality.closedReason(date("2022-12-24"))).toBe("lørdag");
  });

  it("counts working days around closing days", () => {
    // Prepare: Tue 2025-12-23; closed 24 (lukkedag), 25, 26 (holidays), 27-28 (weekend).
    const start = date("2025-12-23");

    // Act
    const next = municipality.addWorkingDays(start, 1);

    // Assess
    expect(next.toString()).toBe("2025-12-29");
    expect(dk.addWorkingDays(start, 1).toString()).toBe("2025-12-24");
  });

  it("accepts 29 February as an annual closing day, applying in leap years", () => {
    // Prepare
    const cal = createBusinessCalendar({ holidays: "none", closingDays: ["02-29"] });

    // Act / Assess: 2024-02-29 was a Thursday.
    expect(cal.closedReason(date("2024-02-29"))).toBe("lukkedag");
    expect(cal.isWorkingDay(date("2024-02-28"))).toBe(true);
  });

  it.each(["13-01", "02-30", "2023-02-29", "24-12", "12/24", "christmas", "2025-6-5"])(
    "rejects the malformed closing day %j",
    (text) => {
      // Act
      const act = () => createBusinessCalendar({ holidays: "DK", closingDays: [text] });

      // Assess
      expect(act).toThrow(RangeError);
      expect(act).toThrow(JSON.stringify(text));
    },
  );
});

describe("working-day arithmetic", () => {
  it("6 working days from Wednesday 2025-04-16 (before Easter) is 2025-04-29", () => {
    // Prepare
    const wednesday = date("2025-04-16");

    // Act
    const result = dk.addWorkingDays(wednesday, 6);

    // Assess: Thu 17 - Mon 21 are Easter and weekend; 22, 23, 24, 25, 28, 29 count.
    expect(result.toString()).toBe("2025-04-29");
  });

  it("counts back over Easter the same way", () => {
    // Act / Assess
    expect(dk.subtractWorkingDays(date("2025-04-29"), 6).toString()).toBe("2025-04-16");
  });

  it("n = 0 means the next (or previous) working day, or the date itself if working", () => {
    // Act / Assess
    expect(dk.addWorkingDays(date("2025-04-16"), 0).toString()).toBe("2025-04-16");
    expect(dk.addWorkingDays(date("2025-04-17"), 0).toString()).toBe("2025-04-22");
    expect(dk.subtractWorkingDays(date("2025-04-21"), 0).toString()).toBe("2025-04-16");
  });

  it("nextWorkingDay and previousWorkingDay skip closed days and keep working days", () => {
    // Act / Assess
    expect(dk.nextWorkingDay(date("2025-12-25")).toString()).toBe("2025-12-29");
    expect(dk.previousWorkingDay(date("2025-12-28")).toString()).toBe("2025-12-24");
    expect(dk.nextWorkingDay(date("2025-12-24")).toString()).toBe("2025-12-24");
    expect(dk.previousWorkingDay(date("2025-12-24")).toString()).toBe("2025-12-24");
  });

  it("crosses year boundaries in both directions", () => {
    // Act / Assess: 2025-12-31 is Wednesday; 1 Jan 2026 is Nytårsdag.
    expect(dk.addWorkingDays(date("2025-12-31"), 1).toString()).toBe("2026-01-02");
    expect(dk.subtractWorkingDays(date("2026-01-02"), 1).toString()).toBe("2025-12-31");
    expect(dk.previousWorkingDay(date("2026-01-01")).toString()).toBe("2025-12-31");
  });

  it("a negative n counts the other way", () => {
    // Act / Assess
    expect(dk.addWorkingDays(date("2025-04-29"), -6).toString()).toBe("2025-04-16");
    expect(dk.subtractWorkingDays(date("2025-04-16"), -6).toString()).toBe("2025-04-29");
  });

  it("rejects a fractional count", () => {
    // Act / Assess
    expect(() => dk.addWorkingDays(date("2025-04-16"), 1.5)).toThrow(RangeError);
  });

  it("agrees with a naive day-by-day count for n up to 1000 over several years", () => {
    // Prepare
    const start = date("2023-03-01");
    const naive: string[] = [];
    for (let d = start; naive.length < 1000; ) {
      d = d.add({ days: 1 });
      if (dk.isWorkingDay(d)) naive.push(d.toString());
    }

    // Act / Assess
    for (const n of [1, 2, 5, 99, 250, 251, 500, 777, 1000]) {
      expect(dk.addWorkingDays(start, n).toString()).toBe(naive[n - 1]);
    }
  });

  it("fails rather than loops forever when every day is closed", () => {
    // Prepare
    const closingDays: string[] = [];
    for (let d = date("2024-01-01"); d.year === 2024; d = d.add({ days: 1 })) {
      closingDays.push(d.toString().slice(5));
    }
    const closed = createBusinessCalendar({ holidays: "none", closingDays });

    // Act / Assess
    expect(() => closed.addWorkingDays(date("2025-01-01"), 1)).toThrow(/no working day/);
    expect(() => closed.previousWorkingDay(date("2025-01-01"))).toThrow(/no working day/);
  });

  it("returns a date in the caller's calendar when given a non-ISO date", () => {
    // Prepare
    const gregory = date("2025-04-16").withCalendar("gregory");

    // Act
    const result = dk.addWorkingDays(gregory, 6);

    // Assess
    expect(result.calendarId).toBe("gregory");
    expect(result.withCalendar("iso8601").toString()).toBe("2025-04-29");
  });
});

describe("working-day properties", () => {
  const anyDate = fc
    .integer({ min: 0, max: 365 * 150 })
    .map((offset) => date("1950-01-01").add({ days: offset }));
  const calendars = fc.constantFrom(
    dk,
    createBusinessCalendar({ holidays: "DK", closingDays: ["12-24", "12-31", "06-05", "2025-05-02"] }),
    createBusinessCalendar({ holidays: "none", closingDays: [] }),
  );

  it("addWorkingDays(d, n) is a working day strictly after d for n >= 1", () => {
    fc.assert(
      fc.property(calendars, anyDate, fc.integer({ min: 1, max: 1000 }), (cal, d, n) => {
        const result = cal.addWorkingDays(d, n);
        expect(cal.isWorkingDay(result)).toBe(true);
        expect(Temporal.PlainDate.compare(result, d)).toBe(1);
      }),
    );
  });

  it("subtractWorkingDays(addWorkingDays(d, n), n) is d for a working day d", () => {
    fc.assert(
      fc.property(calendars, anyDate, fc.integer({ min: 0, max: 1000 }), (cal, anyD, n) => {
        const d = cal.nextWorkingDay(anyD);
        expect(cal.subtractWorkingDays(cal.addWorkingDays(d, n), n).toString()).toBe(d.toString());
      }),
    );
  });

  it("addWorkingDays(d, n + 1) is the next working day after addWorkingDays(d, n)", () => {
    fc.assert(
      fc.property(calendars, anyDate, fc.integer({ min: 1, max: 600 }), (cal, d, n) => {
        const a = cal.addWorkingDays(d, n);
        const b = cal.addWorkingDays(d, n + 1);
        expect(b.toString()).toBe(cal.addWorkingDays(a, 1).toString());
        for (let x = a.add({ days: 1 }); Temporal.PlainDate.compare(x, b) < 0; x = x.add({ days: 1 })) {
          expect(cal.isWorkingDay(x)).toBe(false);
        }
      }),
    );
  });

  it("nextWorkingDay is the earliest working day on or after d", () => {
    fc.assert(
      fc.property(calendars, anyDate, (cal, d) => {
        const next = cal.nextWorkingDay(d);
        expect(cal.isWorkingDay(next)).toBe(true);
        for (let x = d; Temporal.PlainDate.compare(x, next) < 0; x = x.add({ days: 1 })) {
          expect(cal.isWorkingDay(x)).toBe(false);
        }
      }),
    );
  });
});

describe("isRealDate", () => {
  it.each([
    ["2024-02-29", true],
    ["2000-02-29", true],
    ["2025-12-31", true],
    ["2023-02-29", false],
    ["1900-02-29", false],
    ["2024-02-30", false],
    ["2024-04-31", false],
    ["2024-13-01", false],
    ["2024-00-10", false],
    ["2024-01-00", false],
    ["2024-1-01", false],
    ["20240101", false],
    ["2024-01-01T00:00", false],
    [" 2024-01-01", false],
    ["", false],
  ])("isRealDate(%j) is %s", (text, expected) => {
    // Act / Assess
    expect(isRealDate(text)).toBe(expected);
  });
});

describe("isValidTimeZone", () => {
  it.each([
    ["Europe/Copenhagen", true],
    ["UTC", true],
    ["America/New_York", true],
    ["Europe/Cph", false],
    ["Mars/Olympus_Mons", false],
    ["", false],
    ["   ", false],
  ])("isValidTimeZone(%j) is %s", (tz, expected) => {
    // Act / Assess
    expect(isValidTimeZone(tz)).toBe(expected);
  });
});
