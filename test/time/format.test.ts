import { describe, expect, it } from "vitest";
import {
  calendarDaysUntil,
  formatLongDate,
  formatLongDateTime,
  formatMediumDate,
  formatNumeric,
  formatShortDate,
  formatWeekdayDateTime,
  INTL_LOCALE,
} from "../../shared/time/format.ts";
import { Temporal } from "../../shared/time/temporal.ts";

const tz = "Europe/Copenhagen";
const due = "2024-10-31T22:59:00Z"; // Thursday 31 October 23:59 in Copenhagen (CET)
const summer = "2024-06-05T10:00:00Z"; // Wednesday 5 June 12:00 in Copenhagen (CEST)

describe("the locale map", () => {
  it("writes Danish as da-DK and English as en-GB", () => {
    // Assess
    expect(INTL_LOCALE).toEqual({ da: "da-DK", en: "en-GB" });
  });
});

describe("formatWeekdayDateTime", () => {
  it("writes Danish long dates with names from Intl and a colon in the time", () => {
    // Act / Assess
    expect(formatWeekdayDateTime(Temporal.Instant.from(summer), tz, "da")).toBe(
      "onsdag den 5. juni 2024 kl. 12:00",
    );
    expect(formatWeekdayDateTime(due, tz, "da")).toBe("torsdag den 31. oktober 2024 kl. 23:59");
  });

  it("writes English the British way", () => {
    // Act / Assess
    expect(formatWeekdayDateTime(due, tz, "en")).toBe("Thursday, 31 October 2024 at 23:59");
  });

  it("writes the time in the given zone, not the machine's", () => {
    // Act / Assess
    expect(formatWeekdayDateTime(due, "UTC", "da")).toBe("torsdag den 31. oktober 2024 kl. 22:59");
  });
});

describe("formatLongDateTime", () => {
  it("says when something happened, with a colon in the time in both languages", () => {
    // Act / Assess
    expect(formatLongDateTime("2024-05-02T08:00:00Z", tz, "da")).toBe("2. maj 2024 kl. 10:00");
    expect(formatLongDateTime("2024-05-02T08:00:00Z", tz, "en")).toBe("2 May 2024 at 10:00");
  });
});

describe("formatLongDate", () => {
  it("writes the day, the month's name and the year", () => {
    // Act / Assess
    expect(formatLongDate("2024-05-02T08:00:00Z", tz, "da")).toBe("2. maj 2024");
    expect(formatLongDate("2024-05-02T08:00:00Z", tz, "en")).toBe("2 May 2024");
  });

  it("takes the date where the zone is: late on New Year's Eve UTC is next year in Copenhagen", () => {
    // Act / Assess
    expect(formatLongDate("2024-12-31T23:30:00Z", tz, "da")).toBe("1. januar 2025");
  });
});

describe("formatMediumDate", () => {
  it("abbreviates the month", () => {
    // Act / Assess
    expect(formatMediumDate(due, tz, "da")).toBe("31. okt. 2024");
    expect(formatMediumDate(due, tz, "en")).toBe("31 Oct 2024");
  });
});

describe("formatShortDate", () => {
  it("writes subject dates short: numeric in Danish, the month abbreviated in English", () => {
    // Act / Assess
    expect(formatShortDate(due, tz, "da")).toBe("31.10.2024");
    expect(formatShortDate(Temporal.Instant.from(due), tz, "en")).toBe("31 Oct 2024");
    expect(formatShortDate(due, "UTC", "da")).toBe("31.10.2024");
    expect(formatShortDate("2024-12-31T23:30:00Z", tz, "da")).toBe("01.01.2025");
  });
});

describe("formatNumeric", () => {
  it("writes dd.mm.yyyy hh:mm, or the date alone", () => {
    // Act / Assess
    expect(formatNumeric(due, tz)).toBe("31.10.2024 23:59");
    expect(formatNumeric(due, tz, { time: false })).toBe("31.10.2024");
    expect(formatNumeric("2024-03-05T06:07:00Z", tz)).toBe("05.03.2024 07:07");
  });

  it("writes midnight as 00:00, not 24:00", () => {
    // Act / Assess
    expect(formatNumeric("2024-05-01T22:00:00Z", tz)).toBe("02.05.2024 00:00");
  });
});

describe("calendarDaysUntil", () => {
  const cases: Array<[string, string, number]> = [
    ["the evening before, local time", "2024-10-30T22:30:00Z", 1],
    ["just after local midnight on the day", "2024-10-30T23:05:00Z", 0],
    ["on the day after the deadline time", "2024-10-31T23:00:00Z", -1],
    ["across the summer-time change (27 October has 25 hours)", "2024-10-26T21:30:00Z", 5],
  ];
  for (const [when, now, days] of cases) {
    it(`counts calendar days in the timezone: ${when}`, () => {
      // Act / Assess
      expect(calendarDaysUntil(due, now, tz)).toBe(days);
      expect(calendarDaysUntil(Temporal.Instant.from(due), Temporal.Instant.from(now), tz)).toBe(days);
    });
  }
});

describe("reused formats", () => {
  it("keep zones, languages and styles apart when the same ones are asked for again and again", () => {
    // Act: interleaved, so a format kept for one call would show up in the next.
    const seen = [1, 2].flatMap(() => [
      formatLongDateTime(due, tz, "da"),
      formatLongDateTime(due, "UTC", "da"),
      formatLongDateTime(due, tz, "en"),
      formatNumeric(due, tz),
      formatNumeric(due, tz, { time: false }),
    ]);
    // Assess
    const once = [
      "31. oktober 2024 kl. 23:59",
      "31. oktober 2024 kl. 22:59",
      "31 October 2024 at 23:59",
      "31.10.2024 23:59",
      "31.10.2024",
    ];
    expect(seen).toEqual([...once, ...once]);
  });

  it("refuse an unknown timezone every time, not only the first", () => {
    // Act / Assess
    for (let i = 0; i < 2; i++) {
      expect(() => formatLongDateTime(due, "Mars/Olympus", "da")).toThrow(RangeError);
    }
  });
});
