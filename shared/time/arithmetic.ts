import type { BusinessCalendar } from "./calendar.ts";
import { type ParsedDuration, toTemporalDuration } from "./duration.ts";
import type { Temporal } from "./temporal.ts";

/**
 * Date parts (Y/M/W/D) in calendar time with month-end clamping (31 Jan + P1M = 28/29 Feb), time
 * parts as elapsed time (PT24H across the DST change = 24 real hours); working days via the
 * calendar, keeping the wall-clock time.
 *
 * This is exactly Temporal's ZonedDateTime arithmetic (date part on the wall calendar with
 * overflow "constrain", then the time part on the timeline), which is what a caseworker means:
 * "P1D" is "same time tomorrow", "PT24H" is "24 hours from now".
 */
export function addDuration(
  at: Temporal.ZonedDateTime,
  d: ParsedDuration,
  cal: BusinessCalendar,
): Temporal.ZonedDateTime {
  if (d.kind === "workingDays") return onDate(at, cal.addWorkingDays(at.toPlainDate(), d.days));
  return at.add(toTemporalDuration(d));
}

/** The mirror of addDuration: date part back on the wall calendar, then the time part. */
export function subtractDuration(
  at: Temporal.ZonedDateTime,
  d: ParsedDuration,
  cal: BusinessCalendar,
): Temporal.ZonedDateTime {
  if (d.kind === "workingDays") return onDate(at, cal.subtractWorkingDays(at.toPlainDate(), d.days));
  return at.subtract(toTemporalDuration(d));
}

/**
 * Same wall-clock time on another date. If that time does not exist there (the spring-forward
 * gap) Temporal's "compatible" disambiguation moves it later by the gap, as a wall clock would.
 */
function onDate(at: Temporal.ZonedDateTime, date: Temporal.PlainDate): Temporal.ZonedDateTime {
  return date
    .toZonedDateTime({ timeZone: at.timeZoneId, plainTime: at.toPlainTime() })
    .withCalendar(at.calendarId);
}
