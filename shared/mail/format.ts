/** Formatting helpers for mail: language fallback and days left. Dates: shared/time/format.ts; HTML: shared/html. */
import { calendarDaysUntil } from "../time/format.ts";
import { Temporal } from "../time/temporal.ts";
import type { MailStrings } from "./strings.ts";

export { pickText } from "../model/text.ts";

/**
 * "3 dage tilbage", "i dag", "2 dage over fristen": counted in calendar days in the instance's
 * timezone (what a reader means by "in 3 days"), not in 24-hour blocks, so a deadline at 23:59
 * tomorrow is "1 dag tilbage" whether it is morning or evening now.
 */
export function relativeDays(
  due: Temporal.Instant,
  now: Temporal.Instant,
  timezone: string,
  strings: MailStrings,
): string {
  const days = calendarDaysUntil(due, now, timezone);
  if (days > 0) return strings.relative.daysLeft(days);
  if (days < 0) return strings.relative.daysOverdue(-days);
  return Temporal.Instant.compare(now, due) < 0 ? strings.relative.today : strings.relative.todayPassed;
}
