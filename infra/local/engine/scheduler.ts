/**
 * When executions run. Each execution has at most one driver, a loop that advances it while it
 * is due; this module starts drivers, arms the real-mode timer, and runs the three modes' loops:
 * real (timers fire by themselves), manual (runUntilIdle after a test moves the clock) and skip
 * (run what is runnable, then jump the clock to the earliest timer).
 */
import { Temporal } from "../../../shared/time/temporal.ts";
import type { EngineCore, Live } from "./core.ts";
import { EngineStoppedError, ExecutionOwnershipLostError } from "./errors.ts";
import type { RunOptions, RunResult } from "./types.ts";

const MAX_TIMER_MS = 2 ** 31 - 1;
const REAL_MODE_ERROR_RETRY_MS = 1_000;

/**
 * A phase's instant, parsed once. The scheduler asks for every live execution's due time on each
 * clock step (in skip mode one per timer: thousands per virtual year, times every live
 * execution); phases are never changed in place (a transition writes a new one), so the parse
 * can be kept with the phase.
 */
const parsed = new WeakMap<object, Temporal.Instant>();
function instantOf(phase: object, iso: string): Temporal.Instant {
  let instant = parsed.get(phase);
  if (instant === undefined) {
    instant = Temporal.Instant.from(iso);
    parsed.set(phase, instant);
  }
  return instant;
}

/** When the execution next has something to do; undefined: only a signal can move it. */
function dueAt(live: Live): Temporal.Instant | "now" | undefined {
  const phase = live.record.phase;
  switch (phase.kind) {
    case "ready":
      return "now";
    case "retrying":
    case "waiting":
      return instantOf(phase, phase.until);
    case "parked":
      if (live.parkInFlight) return undefined;
      if (phase.early !== null || !live.parkRan) return "now";
      return phase.timeoutAt === null ? undefined : instantOf(phase, phase.timeoutAt);
    case "ended":
      return undefined;
  }
}

export class Scheduler {
  private pumping = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly failures: unknown[] = [];
  private readonly changeWaiters = new Set<() => void>();
  /** run({ maxSteps }): drivers stop once stateTransitions reaches this. */
  private stepLimit = Number.POSITIVE_INFINITY;

  constructor(
    private readonly core: EngineCore,
    /** Takes one step of an execution that is due (the Stepper). */
    private readonly advance: (live: Live) => Promise<void>,
  ) {}

  private isDue(live: Live): boolean {
    const due = dueAt(live);
    return due === "now" || (due !== undefined && Temporal.Instant.compare(due, this.core.now()) <= 0);
  }

  /** The earliest future wake-up of an execution that is not busy. */
  private earliestTimer(): Temporal.Instant | undefined {
    let earliest: Temporal.Instant | undefined;
    for (const live of this.core.live.values()) {
      if (live.driver) continue;
      const due = dueAt(live);
      if (due === undefined || due === "now") continue;
      if (earliest === undefined || Temporal.Instant.compare(due, earliest) < 0) earliest = due;
    }
    return earliest;
  }

  /** New work for an execution: in real mode (or while a run is pumping) start its driver now. */
  kick(live: Live): void {
    // Closing: in-flight work finishes, nothing new starts (a timer armed now would keep the
    // process alive after close).
    if (this.core.stopped || this.core.closed) return;
    if (this.core.realMode || this.pumping > 0) {
      if (this.isDue(live)) this.drive(live);
      this.armTimer();
    }
    this.notifyChange();
  }

  startDueDrivers(): void {
    if (this.core.closed) return;
    for (const live of this.core.live.values()) {
      if (!live.driver && this.isDue(live)) this.drive(live);
    }
    this.armTimer();
  }

  /** No more timers (close, crash). */
  stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private armTimer(): void {
    if (!this.core.realMode || this.core.stopped || this.core.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.earliestTimer();
    if (next === undefined) return;
    const ms = Math.min(
      MAX_TIMER_MS,
      Math.max(0, Number(next.epochMilliseconds - this.core.now().epochMilliseconds)),
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startDueDrivers();
    }, ms);
  }

  private drive(live: Live): void {
    if (live.driver || this.core.stopped) return;
    let failed = false;
    const driver = this.driveLoop(live)
      .catch((err: unknown) => {
        failed = true;
        this.onDriverError(live, err);
      })
      .finally(() => {
        live.driver = undefined;
        this.notifyChange();
        if (this.core.stopped || this.core.closed) return;
        // A signal that arrived as the loop was ending found the driver still set and left the
        // work to it: pick it up now (not after a failure, which has its own retry).
        const held = this.core.holds(live);
        const wanted = this.core.realMode || this.pumping > 0;
        if (!failed && held && wanted && !this.overBudget() && this.isDue(live)) this.drive(live);
        else if (this.core.realMode) this.armTimer();
      });
    live.driver = driver;
  }

  private async driveLoop(live: Live): Promise<void> {
    while (!this.core.stopped && !this.overBudget() && this.core.holds(live) && this.isDue(live)) {
      await this.advance(live);
    }
  }

  private onDriverError(live: Live, err: unknown): void {
    if (err instanceof EngineStoppedError) return;
    if (err instanceof ExecutionOwnershipLostError) this.core.live.delete(live.record.executionArn);
    if (this.core.realMode) {
      (this.core.options.hooks?.onError ?? console.error)(err);
      // E.g. DynamoDB Local restarting: try this execution again shortly rather than spin.
      setTimeout(() => this.kick(live), REAL_MODE_ERROR_RETRY_MS).unref();
    } else {
      this.failures.push(err);
    }
  }

  async runUntilIdle(): Promise<void> {
    this.core.assertOpen();
    this.pumping++;
    try {
      for (;;) {
        if (this.core.stopped) break;
        // After a failure, or past run()'s budget, start nothing new (a broken execution would
        // otherwise be driven round and round) but let running drivers finish.
        if (!this.overBudget() && this.failures.length === 0) this.startDueDrivers();
        const drivers = [...this.core.live.values()].flatMap((live) => (live.driver ? [live.driver] : []));
        if (drivers.length === 0) break;
        await Promise.race([Promise.all(drivers), this.core.stoppedSignal]);
      }
    } finally {
      this.pumping--;
    }
    const failures = this.failures.splice(0);
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, "Several executions failed to advance");
  }

  async run(options: RunOptions = {}): Promise<RunResult> {
    const limit = options.until;
    const until = (): Temporal.Instant | undefined => {
      const value = typeof limit === "function" ? limit() : limit;
      return value === undefined ? undefined : Temporal.Instant.from(value);
    };
    const maxSteps = options.maxSteps ?? Number.POSITIVE_INFINITY;
    const first = this.core.metrics.stateTransitions;
    const result = (status: RunResult["status"]): RunResult => ({
      status,
      transitions: this.core.metrics.stateTransitions - first,
      now: this.core.now(),
    });
    const stopped = async () => {
      // Like a dead process whose last requests have reached DynamoDB (or not): settled either way.
      await Promise.allSettled([...this.core.writesInFlight]);
      return result("stopped");
    };
    // The budget also stops drivers mid-way, so a loop without timers cannot run forever.
    this.stepLimit = first + maxSteps;
    try {
      return await this.runLoop(until, first, maxSteps, result, stopped);
    } finally {
      this.stepLimit = Number.POSITIVE_INFINITY;
    }
  }

  private overBudget(): boolean {
    return this.core.metrics.stateTransitions >= this.stepLimit;
  }

  private async runLoop(
    untilNow: () => Temporal.Instant | undefined,
    first: number,
    maxSteps: number,
    result: (status: RunResult["status"]) => RunResult,
    stopped: () => Promise<RunResult>,
  ): Promise<RunResult> {
    const options = this.core.options;
    for (;;) {
      if (this.core.stopped) return stopped();
      if (this.core.realMode) {
        this.startDueDrivers();
      } else {
        await this.runUntilIdle();
      }
      if (this.core.stopped) return stopped();
      if (this.core.live.size === 0) return result("finished");
      if (this.core.metrics.stateTransitions - first >= maxSteps) return result("maxSteps");
      if (options.mode === "manual") return result("idle");
      const until = untilNow();
      const next = this.earliestTimer();
      const busy = [...this.core.live.values()].some((live) => live.driver !== undefined);
      if (options.mode === "skip") {
        // No timer at all counts as "the next timer lies after until": go there if asked to.
        if (next === undefined && until === undefined) return result("blocked");
        if (until !== undefined && (next === undefined || Temporal.Instant.compare(next, until) > 0)) {
          options.clock.advanceTo(until);
          await this.runUntilIdle();
          return result("until");
        }
        if (next !== undefined) options.clock.advanceTo(next);
        continue;
      }
      // Real mode: the background timers do the work; wait for something to change.
      const now = () => this.core.now();
      if (until !== undefined && Temporal.Instant.compare(now(), until) >= 0) return result("until");
      if (!busy && next === undefined) return result("blocked");
      const horizon = [next, until].filter((t): t is Temporal.Instant => t !== undefined);
      const waitMs = horizon.length
        ? Math.max(0, Math.min(...horizon.map((t) => Number(t.epochMilliseconds - now().epochMilliseconds))))
        : MAX_TIMER_MS;
      await this.waitForChange(Math.min(waitMs, MAX_TIMER_MS));
    }
  }

  private waitForChange(ms: number): Promise<void> {
    return new Promise((done) => {
      const finish = () => {
        clearTimeout(timer);
        this.changeWaiters.delete(finish);
        done();
      };
      const timer = setTimeout(finish, ms);
      this.changeWaiters.add(finish);
      void this.core.stoppedSignal.then(finish);
    });
  }

  private notifyChange(): void {
    for (const waiter of [...this.changeWaiters]) waiter();
  }
}
