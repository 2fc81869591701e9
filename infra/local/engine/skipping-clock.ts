/**
 * The clock of skip mode: virtual time that stands still while work is runnable and jumps to the
 * next timer when nothing is (like Temporal's time-skipping test server). The engine and the
 * Lambda handlers must share one instance, so decide() sees the same "now" the engine's timers use.
 */
import type { Clock } from "../../../shared/time/clock.ts";
import { Temporal } from "../../../shared/time/temporal.ts";

/** A clock the engine can move forward to a timer. */
export interface JumpingClock extends Clock {
  /** Moves to `at`; an instant at or before now leaves the clock where it is (time never runs back). */
  advanceTo(at: Temporal.Instant): void;
}

export interface SkippingClockOptions {
  /**
   * When given, time also flows between jumps at this clock's pace (for a demo someone watches).
   * Without it time only moves by jumps, which keeps tests exactly reproducible.
   */
  ticking?: Clock;
}

export class SkippingClock implements JumpingClock {
  private base: Temporal.Instant;
  private tickedFrom: Temporal.Instant | undefined;
  private readonly ticking: Clock | undefined;
  private skippedNs = 0n;

  constructor(start: Temporal.Instant | string, options: SkippingClockOptions = {}) {
    this.base = Temporal.Instant.from(start);
    this.ticking = options.ticking;
    this.tickedFrom = this.ticking?.now();
  }

  now(): Temporal.Instant {
    if (this.ticking === undefined || this.tickedFrom === undefined) return this.base;
    const elapsed = this.ticking.now().since(this.tickedFrom);
    return this.base.add(elapsed);
  }

  advanceTo(at: Temporal.Instant | string): void {
    const target = Temporal.Instant.from(at);
    const current = this.now();
    if (Temporal.Instant.compare(target, current) <= 0) return;
    this.skippedNs += target.epochNanoseconds - current.epochNanoseconds;
    this.base = target;
    this.tickedFrom = this.ticking?.now();
  }

  /** How much virtual time the jumps added (not counting ticking): for reports like "5 years in 4 s". */
  skipped(): Temporal.Duration {
    return Temporal.Duration.from({ milliseconds: Number(this.skippedNs / 1_000_000n) }).round({
      largestUnit: "hours",
    });
  }
}
