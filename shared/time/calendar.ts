import Holidays from "date-holidays";
import { Temporal } from "./temporal.ts";

export interface CalendarConfig {
  holidays: "DK" | "none";
  /** "MM-DD" closes that day every year; "YYYY-MM-DD" closes one date. */
  closingDays: string[];
}

export interface BusinessCalendar {
  isWorkingDay(date: Temporal.PlainDate): boolean;
  /**
   * null when a working day; else the holiday's Danish name ("Langfredag"), "lørdag"/"søndag", or
   * "lukkedag" (a configured closing day), in that order of precedence: a holiday on a Sunday is
   * reported as the holiday because that is what a reader recognises ("Påskedag", not "søndag").
   */
  closedReason(date: Temporal.PlainDate): string | null;
  /** The n-th working day after `date` (date itself not counted); n = 0 returns nextWorkingDay(date). */
  addWorkingDays(date: Temporal.PlainDate, n: number): Temporal.PlainDate;
  /** Same, backwards: the n-th working day before date; n = 0 returns previousWorkingDay(date). */
  subtractWorkingDays(date: Temporal.PlainDate, n: number): Temporal.PlainDate;
  /** date itself if working. */
  nextWorkingDay(date: Temporal.PlainDate): Temporal.PlainDate;
  /** date itself if working. */
  previousWorkingDay(date: Temporal.PlainDate): Temporal.PlainDate;
}

// ---------------------------------------------------------------------------------------------
// Dates as day numbers. The planner asks in hot loops, and Temporal objects (especially the
// polyfill's) cost microseconds per operation; plain integers keep lookups and jumps cheap.

/** Days since 1970-01-01 in the proleptic Gregorian calendar. */
function epochDay(year: number, month: number, day: number): number {
  // Counting years from March puts the leap day last, so the day-of-year formula needs no branch.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function fromEpochDay(n: number): Temporal.PlainDate {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return new Temporal.PlainDate(year, month, day);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function toIso(date: Temporal.PlainDate): Temporal.PlainDate {
  return date.calendarId === "iso8601" ? date : date.withCalendar("iso8601");
}

/** The calendar's answers are ISO dates; callers holding another calendar get theirs back. */
function inCalendarOf(result: Temporal.PlainDate, like: Temporal.PlainDate): Temporal.PlainDate {
  return like.calendarId === "iso8601" ? result : result.withCalendar(like.calendarId);
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAY_PATTERN = /^(\d{2})-(\d{2})$/;

export function isRealDate(text: string): boolean {
  const m = DATE_PATTERN.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Anything Temporal accepts as a zone, since that is what the arithmetic will be handed: IANA
 * names ("Europe/Copenhagen", case-insensitively), "UTC", and fixed offsets ("+01:00").
 */
export function isValidTimeZone(tz: string): boolean {
  if (tz.trim() === "") return false;
  try {
    Temporal.ZonedDateTime.from({ year: 2000, month: 1, day: 1, timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Danish public holidays, shared by all calendars: they do not depend on the configuration.

/** Store Bededag was abolished as a public holiday by law from 2024 (lov nr. 115 af 28/02/2023). */
const LAST_STORE_BEDEDAG_YEAR = 2023;

let danishHolidaysSource: Holidays | undefined;
const danishHolidaysByYear = new Map<number, ReadonlyMap<number, string>>();

/** Public holidays of a year, keyed by epoch day, with their Danish names. */
function danishPublicHolidays(year: number): ReadonlyMap<number, string> {
  const cached = danishHolidaysByYear.get(year);
  if (cached) return cached;
  danishHolidaysSource ??= new Holidays("DK");
  const result = new Map<number, string>();
  // The language is passed on every call because getHolidays(year, lang) makes `lang` sticky on
  // the instance: the names are shown to users and must stay Danish.
  for (const h of danishHolidaysSource.getHolidays(year, "da")) {
    // Grundlovsdag, juleaften, 1. maj etc. come back as "observance": not days off by law.
    if (h.type !== "public") continue;
    // date-holidays 3.37 already stops at 2023; this guards against a data regression, since a
    // wrong holiday silently shifts every working-day deadline around it.
    if (h.name === "Store Bededag" && year > LAST_STORE_BEDEDAG_YEAR) continue;
    // `date` is local wall time "YYYY-MM-DD hh:mm:ss"; `start` is a JS Date in the host's zone.
    const m = DATE_PATTERN.exec(h.date.slice(0, 10));
    if (!m) continue;
    const day = epochDay(Number(m[1]), Number(m[2]), Number(m[3]));
    if (!result.has(day)) result.set(day, h.name);
  }
  danishHolidaysByYear.set(year, result);
  return result;
}

// ---------------------------------------------------------------------------------------------

interface YearTable {
  first: number;
  /** Closed reason per day of the year (index = epoch day - first); null = working day. */
  reasons: (string | null)[];
  /** The year's working days as epoch days, ascending: lets n working days be a jump, not a walk. */
  working: Int32Array;
}

/** If this many years in a row have no working day, the configuration closes every day. */
const MAX_EMPTY_YEARS = 50;

function parseClosingDays(closingDays: string[]): { annual: Set<string>; once: Set<number> } {
  const annual = new Set<string>();
  const once = new Set<number>();
  for (const text of closingDays) {
    const md = MONTH_DAY_PATTERN.exec(text);
    if (md) {
      const month = Number(md[1]);
      const day = Number(md[2]);
      // 29 February is a valid recurring closing day: it applies in leap years only.
      if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2024, month)) {
        throw new RangeError(`Closing day ${JSON.stringify(text)} is not a real month and day`);
      }
      annual.add(text);
      continue;
    }
    const full = DATE_PATTERN.exec(text);
    if (full && isRealDate(text)) {
      once.add(epochDay(Number(full[1]), Number(full[2]), Number(full[3])));
      continue;
    }
    throw new RangeError(
      `Closing day ${JSON.stringify(text)} must be "MM-DD" (every year) or "YYYY-MM-DD" (one date)`,
    );
  }
  return { annual, once };
}

/** Index of the first element > value (or >= value when `inclusive`). */
function search(sorted: Int32Array, value: number, inclusive: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v < value || (!inclusive && v === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createBusinessCalendar(config: CalendarConfig): BusinessCalendar {
  const { annual, once } = parseClosingDays(config.closingDays);
  const useDanishHolidays = config.holidays === "DK";
  const years = new Map<number, YearTable>();

  function table(year: number): YearTable {
    const cached = years.get(year);
    if (cached) return cached;
    const first = epochDay(year, 1, 1);
    const length = isLeapYear(year) ? 366 : 365;
    const holidays = useDanishHolidays ? danishPublicHolidays(year) : undefined;
    const reasons: (string | null)[] = new Array(length);
    const working: number[] = [];
    let month = 1;
    let day = 1;
    for (let i = 0; i < length; i++) {
      const epoch = first + i;
      // 1970-01-01 was a Thursday; ISO weekday 1 = Monday.
      const weekday = ((((epoch + 3) % 7) + 7) % 7) + 1;
      const monthDay = `${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
      const reason =
        holidays?.get(epoch) ??
        (weekday === 6 ? "lørdag" : weekday === 7 ? "søndag" : null) ??
        (annual.has(monthDay) || once.has(epoch) ? "lukkedag" : null);
      reasons[i] = reason;
      if (reason === null) working.push(epoch);
      if (day === daysInMonth(year, month)) {
        month++;
        day = 1;
      } else {
        day++;
      }
    }
    const built: YearTable = { first, reasons, working: Int32Array.from(working) };
    years.set(year, built);
    return built;
  }

  function reasonOf(date: Temporal.PlainDate): string | null {
    const iso = toIso(date);
    const t = table(iso.year);
    return t.reasons[epochDay(iso.year, iso.month, iso.day) - t.first] ?? null;
  }

  function noWorkingDays(): never {
    throw new RangeError(`The calendar has no working day in ${MAX_EMPTY_YEARS} consecutive years`);
  }

  /**
   * The `count`-th working day after (forward) or before (backward) `date`; with count = 0, `date`
   * itself if working. Whole years of working days are skipped at once, so n = 1000 costs a few
   * table lookups rather than 1400 day-by-day steps.
   */
  function step(date: Temporal.PlainDate, count: number, forward: boolean): Temporal.PlainDate {
    if (!Number.isSafeInteger(count)) {
      throw new RangeError(`Working-day count must be an integer, got ${count}`);
    }
    const iso = toIso(date);
    const start = epochDay(iso.year, iso.month, iso.day);
    // count = 0 means "on or after/before"; otherwise the start day itself is excluded.
    const inclusive = count === 0;
    let remaining = Math.max(count, 1);
    let year = iso.year;
    let empty = 0;
    let t = table(year);
    if (forward) {
      let i = search(t.working, start, inclusive);
      for (;;) {
        const available = t.working.length - i;
        if (remaining <= available) {
          return inCalendarOf(fromEpochDay(t.working[i + remaining - 1] as number), date);
        }
        remaining -= available;
        empty = t.working.length === 0 ? empty + 1 : 0;
        if (empty >= MAX_EMPTY_YEARS) noWorkingDays();
        t = table(++year);
        i = 0;
      }
    }
    // Backward: j = number of working days in this year strictly before (or up to) start.
    let j = search(t.working, start, !inclusive);
    for (;;) {
      if (remaining <= j) return inCalendarOf(fromEpochDay(t.working[j - remaining] as number), date);
      remaining -= j;
      empty = t.working.length === 0 ? empty + 1 : 0;
      if (empty >= MAX_EMPTY_YEARS) noWorkingDays();
      t = table(--year);
      j = t.working.length;
    }
  }

  const calendar: BusinessCalendar = {
    isWorkingDay: (date) => reasonOf(date) === null,
    closedReason: reasonOf,
    addWorkingDays: (date, n) => (n < 0 ? step(date, -n, false) : step(date, n, true)),
    subtractWorkingDays: (date, n) => (n < 0 ? step(date, -n, true) : step(date, n, false)),
    nextWorkingDay: (date) => step(date, 0, true),
    previousWorkingDay: (date) => step(date, 0, false),
  };
  return calendar;
}
