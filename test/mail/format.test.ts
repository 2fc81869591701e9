import { describe, expect, it } from "vitest";
import { pickText, relativeDays } from "../../shared/mail/format.ts";
import { mailStrings } from "../../shared/mail/strings.ts";
import { Temporal } from "../../shared/time/temporal.ts";

const da = mailStrings("da");
const en = mailStrings("en");
const tz = "Europe/Copenhagen";
const due = Temporal.Instant.from("2024-10-31T22:59:00Z"); // 31 Oct 23:59 local

describe("relativeDays", () => {
  const cases: Array<[string, string, string]> = [
    ["the evening before, local time", "2024-10-30T22:30:00Z", "1 dag tilbage"],
    ["just after local midnight on the day", "2024-10-30T23:05:00Z", "i dag"],
    ["on the day after the deadline time", "2024-10-31T23:00:00Z", "1 dag over fristen"],
    ["many days after", "2024-11-12T09:00:00Z", "12 dage over fristen"],
  ];
  for (const [when, now, text] of cases) {
    it(`counts calendar days in the timezone: ${when}`, () => {
      // Act
      const result = relativeDays(due, Temporal.Instant.from(now), tz, da);

      // Assess
      expect(result).toBe(text);
    });
  }

  it("says the deadline has passed on the day itself once the time is over", () => {
    // Prepare
    const noonDue = Temporal.Instant.from("2024-10-31T11:00:00Z");

    // Act
    const result = relativeDays(noonDue, Temporal.Instant.from("2024-10-31T15:00:00Z"), tz, en);

    // Assess
    expect(result).toBe("today – the deadline has passed");
  });

  it("counts across the summer-time change by dates, not 24-hour blocks", () => {
    // Prepare: 27 October 2024 has 25 hours in Copenhagen.
    const now = Temporal.Instant.from("2024-10-26T21:30:00Z"); // 26 Oct 23:30 CEST

    // Act
    const result = relativeDays(due, now, tz, en);

    // Assess
    expect(result).toBe("5 days left");
  });
});

describe("pickText", () => {
  it("takes the wanted language and falls back to Danish", () => {
    // Act / Assess
    expect(pickText({ da: "Handleplan", en: "Action plan" }, "en")).toBe("Action plan");
    expect(pickText({ da: "Handleplan" }, "en")).toBe("Handleplan");
    expect(pickText({ da: "Handleplan", en: "Action plan" }, "da")).toBe("Handleplan");
    expect(pickText("Handleplan", "en")).toBe("Handleplan");
  });
});
