/**
 * Simulation, the scenario: the virtual year (its days and the hour of a day's office work), the
 * børnefaglige undersøgelser planned for it (start day, deadline, who confirms when, or never) and
 * the Ishøj timeline's names.
 */
import { Temporal } from "../shared/time/temporal.ts";

export const ZONE = "Europe/Copenhagen";
export const YEAR_START = Temporal.PlainDate.from("2023-11-01");
export const YEAR_DAYS = 366;
/** Cases start on days 0..212: the last one (31 May) is done by late October. */
export const START_DAYS = 213;
export const SILENT_SHARE = 0.25;
export const HTTP_CONCURRENCY = 8;
export const ISHOJ = "ishoj-staerke-faellesskaber";
export const CASE_WORKFLOW = "boernefaglig-undersoegelse";
export const SILENT_UNIT_LEADER = "dagplejen";

export interface CasePlan {
  index: number;
  startDay: number;
  ref: string;
  caseworker: string;
  teamleader: string;
  /** Day index of the confirmation, null: never. */
  confirmDay: number | null;
  dueDay: number;
  url: string | null;
  confirmed: boolean;
}

export interface Action {
  day: number;
  url: string;
  key: string;
  ishoj: boolean;
}

export function dayAt(day: number, hour: number): Temporal.Instant {
  return YEAR_START.add({ days: day })
    .toZonedDateTime({ timeZone: ZONE, plainTime: new Temporal.PlainTime(hour) })
    .toInstant();
}

export function dayIndexOf(instant: Temporal.Instant): number {
  const date = instant.toZonedDateTimeISO(ZONE).toPlainDate();
  return YEAR_START.until(date, { largestUnit: "days" }).days;
}

/** Every case of the year: started on days spread over the first 7 months, 25 % never confirmed. */
export function planCases(n: number, random: () => number): CasePlan[] {
  const cases: CasePlan[] = [];
  for (let i = 0; i < n; i++) {
    const startDay = Math.floor((i * START_DAYS) / n);
    const startDate = YEAR_START.add({ days: startDay });
    const dueDay = YEAR_START.until(startDate.add({ months: 4 }), { largestUnit: "days" }).days;
    const silent = random() < SILENT_SHARE;
    // Confirm between 25 days before and 5 days after the deadline (late ones get one escalation).
    const offset = Math.floor(random() * 31) - 25;
    const num = String(i + 1).padStart(5, "0");
    cases.push({
      index: i,
      startDay,
      ref: `BFU-${startDate.year}-${num}`,
      caseworker: `sagsbehandler.${num}@bench.ishoj.example`,
      teamleader: `teamleder.${String(i % 40).padStart(2, "0")}@bench.ishoj.example`,
      confirmDay: silent ? null : dueDay + offset,
      dueDay,
      url: null,
      confirmed: false,
    });
  }
  return cases;
}
