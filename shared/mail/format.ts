/** Formatting helpers for mail: language fallback, local dates and HTML escaping. */
import { Temporal } from "../time/temporal.ts";
import type { MailStrings } from "./strings.ts";

// One escaping rule for everything we render, pages and mail alike.
export { escapeHtml } from "../http/html.ts";
export { pickText } from "../model/text.ts";

/**
 * "torsdag den 31. oktober 2024 kl. 23:59". Names and order come from Intl (CLDR) in the
 * instance's timezone; only the hour-minute separator is replaced, because CLDR's Danish "23.59"
 * reads like a date or a decimal in mail and the rest of the product writes 23:59.
 */
export function formatLongDate(at: Temporal.Instant, timezone: string, strings: MailStrings): string {
  const parts = new Intl.DateTimeFormat(strings.intlLocale, {
    timeZone: timezone,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(at.epochMilliseconds));
  return parts
    .map((p, i) =>
      p.type === "literal" && parts[i - 1]?.type === "hour" && parts[i + 1]?.type === "minute"
        ? strings.timeSeparator
        : p.value,
    )
    .join("");
}

/** "31.10.2024" in Danish, "31 Oct 2024" in English: short enough for a subject line. */
export function formatShortDate(at: Temporal.Instant, timezone: string, strings: MailStrings): string {
  const numeric = strings.intlLocale.startsWith("da");
  return new Intl.DateTimeFormat(strings.intlLocale, {
    timeZone: timezone,
    day: numeric ? "2-digit" : "numeric",
    month: numeric ? "2-digit" : "short",
    year: "numeric",
  }).format(new Date(at.epochMilliseconds));
}

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
  const dueDate = due.toZonedDateTimeISO(timezone).toPlainDate();
  const today = now.toZonedDateTimeISO(timezone).toPlainDate();
  const days = today.until(dueDate, { largestUnit: "days" }).days;
  if (days > 0) return strings.relative.daysLeft(days);
  if (days < 0) return strings.relative.daysOverdue(-days);
  return Temporal.Instant.compare(now, due) < 0 ? strings.relative.today : strings.relative.todayPassed;
}
