import { type ErrorCategory, FristflowError } from "../errors/errors.ts";
import { Temporal } from "./temporal.ts";

export type ParsedDuration =
  | {
      kind: "calendar";
      years: number;
      months: number;
      weeks: number;
      days: number;
      hours: number;
      minutes: number;
      seconds: number;
    }
  | { kind: "workingDays"; days: number };

export class DurationSyntaxError extends FristflowError {
  readonly category: ErrorCategory = "invalid";
}

/**
 * Beyond this a working-day count is surely a typo (100 000 working days is ~400 years), and
 * refusing it keeps the calendar from walking centuries of holiday tables.
 */
const MAX_WORKING_DAYS = 100_000;

const ALLOWED =
  'Allowed: an ISO 8601 duration with whole, non-negative numbers ("P4M", "P1Y", "P2W", "P14D", "PT24H", ' +
  '"P1DT2H", "P0D"), or a count of working days ("6 working days", "1 working day", "6 hverdage", "1 hverdag").';

const ISO_PATTERN =
  /^P(?:(?<years>\d+)Y)?(?:(?<months>\d+)M)?(?:(?<weeks>\d+)W)?(?:(?<days>\d+)D)?(?:T(?:(?<hours>\d+)H)?(?:(?<minutes>\d+)M)?(?:(?<seconds>\d+)S)?)?$/;

// Singular and plural are both accepted whatever the count: "1 working days" is not worth a failed
// deploy of a workflow definition.
const WORKING_DAYS_PATTERN = /^(?<count>\d+)\s+(?:working\s+days?|hverdag(?:e)?)$/i;

function fail(text: string, why?: string): never {
  const shown = JSON.stringify(text);
  throw new DurationSyntaxError(
    why ? `Invalid duration ${shown}: ${why}. ${ALLOWED}` : `Invalid duration ${shown}. ${ALLOWED}`,
  );
}

function toCount(text: string, digits: string | undefined): number {
  if (digits === undefined) return 0;
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) fail(text, `${digits} is too large`);
  return value;
}

export function parseDuration(text: string): ParsedDuration {
  const trimmed = text.trim();

  const working = WORKING_DAYS_PATTERN.exec(trimmed);
  if (working) {
    const days = toCount(text, working.groups?.count);
    if (days > MAX_WORKING_DAYS) fail(text, `at most ${MAX_WORKING_DAYS} working days`);
    return { kind: "workingDays", days };
  }

  // Temporal and ISO 8601 both accept lower-case designators, so we do too.
  const upper = trimmed.toUpperCase();
  const iso = ISO_PATTERN.exec(upper);
  // The pattern lets every part be absent, so "P", "PT" and "P1DT" slip through it; ISO 8601
  // requires at least one component, and one after a "T".
  if (!iso || upper === "P" || upper.endsWith("T")) fail(text);
  const g = iso.groups ?? {};
  const parsed: ParsedDuration = {
    kind: "calendar",
    years: toCount(text, g.years),
    months: toCount(text, g.months),
    weeks: toCount(text, g.weeks),
    days: toCount(text, g.days),
    hours: toCount(text, g.hours),
    minutes: toCount(text, g.minutes),
    seconds: toCount(text, g.seconds),
  };
  try {
    toTemporalDuration(parsed);
  } catch (error) {
    // Temporal has its own upper bounds per unit; surface them as a syntax problem of the
    // definition rather than a RangeError deep inside the planner later.
    fail(text, error instanceof Error ? error.message : "out of range");
  }
  return parsed;
}

export function hasTimePart(d: ParsedDuration): boolean {
  return d.kind === "calendar" && (d.hours !== 0 || d.minutes !== 0 || d.seconds !== 0);
}

export function isZeroDuration(d: ParsedDuration): boolean {
  if (d.kind === "workingDays") return d.days === 0;
  return (
    d.years === 0 &&
    d.months === 0 &&
    d.weeks === 0 &&
    d.days === 0 &&
    d.hours === 0 &&
    d.minutes === 0 &&
    d.seconds === 0
  );
}

export function toTemporalDuration(d: ParsedDuration & { kind: "calendar" }): Temporal.Duration {
  return Temporal.Duration.from({
    years: d.years,
    months: d.months,
    weeks: d.weeks,
    days: d.days,
    hours: d.hours,
    minutes: d.minutes,
    seconds: d.seconds,
  });
}
