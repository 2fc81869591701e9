import { Temporal } from "./temporal.ts";

export interface Clock {
  now(): Temporal.Instant;
}

export const systemClock: Clock = {
  now: () => Temporal.Now.instant(),
};

/** A clock that only moves when told to: tests and the demo's time-skipping drive it. */
export class ManualClock implements Clock {
  private current: Temporal.Instant;

  constructor(start: Temporal.Instant | string) {
    this.current = Temporal.Instant.from(start);
  }

  now(): Temporal.Instant {
    return this.current;
  }

  set(at: Temporal.Instant | string): void {
    this.current = Temporal.Instant.from(at);
  }

  /**
   * An instant has no time zone, so only exact units make sense: days and weeks count as 24 and
   * 168 hours (convenient in tests: "P3D"); years and months are refused because their length
   * depends on a calendar. Going backwards is refused too, since a clock that runs back is almost
   * always a test bug; use set() when that is really meant.
   */
  advance(by: Temporal.Duration | string): void {
    const d = Temporal.Duration.from(by);
    if (d.years !== 0 || d.months !== 0) {
      throw new RangeError(`ManualClock.advance: years and months have no fixed length (${d.toString()})`);
    }
    if (d.sign < 0) {
      throw new RangeError(`ManualClock.advance: cannot go back (${d.toString()}); use set()`);
    }
    const exact = Temporal.Duration.from({
      hours: d.weeks * 168 + d.days * 24 + d.hours,
      minutes: d.minutes,
      seconds: d.seconds,
      milliseconds: d.milliseconds,
      microseconds: d.microseconds,
      nanoseconds: d.nanoseconds,
    });
    this.current = this.current.add(exact);
  }
}
