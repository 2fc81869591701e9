/**
 * How fristflow writes dates and times for people: the one locale map and the one set of
 * formats, used by the mails, the confirm pages, the dashboard, the Gantt chart and the CLI's
 * plan table. Always in a given timezone (the workflow's), never the machine's. Pure.
 *
 * Names and order come from Intl (CLDR). One thing is changed: the hour-minute separator is ":"
 * in both languages, because CLDR's Danish "23.59" reads like a date or a decimal and the rest of
 * the product (and most Danish systems) write 23:59.
 */
import { Temporal } from "./temporal.ts";

/** The product's languages (the model's `Language`) and the Intl locale each is written in. */
export const INTL_LOCALE = { da: "da-DK", en: "en-GB" } as const;

export type DateLanguage = keyof typeof INTL_LOCALE;

/** An instant as Temporal or as an ISO 8601 string (what the store and the API carry). */
export type InstantLike = Temporal.Instant | string;

function toDate(at: InstantLike): Date {
  return typeof at === "string" ? new Date(at) : new Date(at.epochMilliseconds);
}

const TIME = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } as const;

/**
 * Building an Intl.DateTimeFormat costs far more than formatting with one (a confirm page took
 * more CPU making its two formatters than rendering the rest), and a format never changes, so
 * each (style, locale, timezone) is made once. Bounded: timezones come from definitions, a
 * handful in practice, but the cache must not grow with whatever a caller passes.
 */
const FORMATS = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATS = 256;

function dateFormat(
  style: string,
  locale: string,
  timezone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${style} ${locale} ${timezone}`;
  let format = FORMATS.get(key);
  if (format === undefined) {
    // Made before it is stored, so an unknown timezone throws every time and is never kept.
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: timezone });
    if (FORMATS.size >= MAX_FORMATS) FORMATS.clear();
    FORMATS.set(key, format);
  }
  return format;
}

/** Intl's parts with the literal between hour and minute written as ":". */
function withColonTime(format: Intl.DateTimeFormat, at: InstantLike): string {
  const parts = format.formatToParts(toDate(at));
  return parts
    .map((p, i) =>
      p.type === "literal" && parts[i - 1]?.type === "hour" && parts[i + 1]?.type === "minute"
        ? ":"
        : p.value,
    )
    .join("");
}

/** "torsdag den 31. oktober 2024 kl. 23:59" / "Thursday, 31 October 2024 at 23:59": a deadline in a mail. */
export function formatWeekdayDateTime(at: InstantLike, timezone: string, language: DateLanguage): string {
  const format = dateFormat("weekday-date-time", INTL_LOCALE[language], timezone, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    ...TIME,
  });
  return withColonTime(format, at);
}

/** "2. maj 2024 kl. 10:00" / "2 May 2024 at 10:00": when something happened. */
export function formatLongDateTime(at: InstantLike, timezone: string, language: DateLanguage): string {
  const format = dateFormat("long-date-time", INTL_LOCALE[language], timezone, {
    day: "numeric",
    month: "long",
    year: "numeric",
    ...TIME,
  });
  return withColonTime(format, at);
}

/** "2. maj 2024" / "2 May 2024": headings and the report. */
export function formatLongDate(at: InstantLike, timezone: string, language: DateLanguage): string {
  return dateFormat("long-date", INTL_LOCALE[language], timezone, {
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(toDate(at));
}

/** "31. okt. 2024" / "31 Oct 2024": labels where space is short (the Gantt chart). */
export function formatMediumDate(at: InstantLike, timezone: string, language: DateLanguage): string {
  return dateFormat("medium-date", INTL_LOCALE[language], timezone, {
    day: "numeric",
    month: "short",
    year: "numeric",
  }).format(toDate(at));
}

/** "31.10.2024" in Danish, "31 Oct 2024" in English: short enough for a mail's subject line. */
export function formatShortDate(at: InstantLike, timezone: string, language: DateLanguage): string {
  const numeric = language === "da";
  return dateFormat("short-date", INTL_LOCALE[language], timezone, {
    day: numeric ? "2-digit" : "numeric",
    month: numeric ? "2-digit" : "short",
    year: "numeric",
  }).format(toDate(at));
}

/**
 * "31.10.2024 23:59", or "31.10.2024" without the time: tables and lists, in Danish conventions
 * whatever the language (a column of dates reads the same on every page and in the CLI).
 */
export function formatNumeric(at: InstantLike, timezone: string, options: { time?: boolean } = {}): string {
  const withTime = options.time ?? true;
  const parts = dateFormat(withTime ? "numeric-date-time" : "numeric-date", INTL_LOCALE.da, timezone, {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    ...(withTime ? TIME : {}),
  }).formatToParts(toDate(at));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const date = `${get("day")}.${get("month")}.${get("year")}`;
  return withTime ? `${date} ${get("hour")}:${get("minute")}` : date;
}

/**
 * Calendar days from `now` to `due` in the timezone (what a reader means by "in 3 days"), not
 * 24-hour blocks: a deadline at 23:59 tomorrow is 1 day away whether it is morning or evening now,
 * also across a summer-time change. Negative once the due date has passed; 0 on the day itself.
 */
export function calendarDaysUntil(due: InstantLike, now: InstantLike, timezone: string): number {
  const day = (at: InstantLike) =>
    (typeof at === "string" ? Temporal.Instant.from(at) : at).toZonedDateTimeISO(timezone).toPlainDate();
  return day(now).until(day(due), { largestUnit: "days" }).days;
}
