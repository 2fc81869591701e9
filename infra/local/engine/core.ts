/**
 * What one engine holds while it runs, shared by the scheduler, the stepper and the façade: the
 * executions it drives (each with the record last written), its counters, whether it has
 * stopped, and the one way to change an execution. `mutate` applies a decision to the latest
 * record and writes it, conditional on the version last seen, before anyone acts on it: that
 * write-first rule is what lets a new engine resume from the table after a crash.
 */
import type { Clock } from "../../../shared/time/clock.ts";
import type { Temporal } from "../../../shared/time/temporal.ts";
import type { Definition } from "./definition.ts";
import { EngineStoppedError, ExecutionOwnershipLostError } from "./errors.ts";
import type { Environment } from "./interpreter.ts";
import type { ExecutionRecord, ExecutionStore } from "./store.ts";
import type { Change } from "./transitions.ts";
import type { EngineEvent, EngineOptions, EngineStats } from "./types.ts";

/** An execution this engine holds: its last written record and what is under way for it. */
export interface Live {
  record: ExecutionRecord;
  /** Serialises changes to this execution (the driver, signals) so each sees the last write. */
  lane: Promise<unknown>;
  driver: Promise<void> | undefined;
  parkInFlight: boolean;
  /** The park Lambda has run (in this process) for the current token; false after a restart. */
  parkRan: boolean;
}

export class EngineCore {
  /** The running executions this engine drives, by ARN. */
  readonly live = new Map<string, Live>();
  readonly metrics: EngineStats = {
    stateTransitions: 0,
    lambdaInvocations: 0,
    writes: 0,
    executionsStarted: 0,
  };
  readonly random: () => number;
  /** DynamoDB writes under way: after a crash, run() returns only once they have landed or failed. */
  readonly writesInFlight = new Set<Promise<unknown>>();
  /** close() or crash() was called: no new work is taken. */
  closed = false;
  /** Nothing more is written (crash(), or close() once in-flight work is done). */
  stopped = false;
  /** Settles when the engine stops, so waits end at once. */
  readonly stoppedSignal: Promise<void>;
  private signalStopped: () => void = () => {};

  constructor(
    readonly options: EngineOptions,
    readonly definition: Definition,
    readonly machineName: string,
    readonly store: ExecutionStore,
  ) {
    this.random = options.random ?? Math.random;
    this.stoppedSignal = new Promise((done) => {
      this.signalStopped = done;
    });
  }

  get clock(): Clock {
    return this.options.clock;
  }

  get realMode(): boolean {
    return this.options.mode === "real";
  }

  now(): Temporal.Instant {
    return this.clock.now();
  }

  env(): Environment {
    return { now: this.now(), random: this.random };
  }

  /** From here on nothing is written and every wait ends. */
  stop(): void {
    this.stopped = true;
    this.signalStopped();
  }

  assertOpen(): void {
    if (this.closed || this.stopped) throw new EngineStoppedError();
  }

  emit(event: EngineEvent): void {
    this.options.hooks?.onEvent?.(event);
  }

  /** Takes on a running execution: from now on this engine drives it. */
  hold(record: ExecutionRecord): Live {
    const live: Live = {
      record,
      lane: Promise.resolve(),
      driver: undefined,
      parkInFlight: false,
      parkRan: false,
    };
    this.live.set(record.executionArn, live);
    return live;
  }

  /** Still the engine's own: not finished, not lost to another engine on the table. */
  holds(live: Live): boolean {
    return this.live.get(live.record.executionArn) === live;
  }

  /** Applies `decide` to the execution's latest record and writes the result, one change at a time. */
  mutate(live: Live, decide: (current: ExecutionRecord) => Change | null): Promise<void> {
    const task = live.lane.then(async () => {
      if (this.stopped) throw new EngineStoppedError();
      if (!this.holds(live)) return;
      const change = decide(live.record);
      if (change !== null) await this.commit(live, change);
    });
    live.lane = task.catch(() => undefined);
    return task;
  }

  private async commit(live: Live, change: Change): Promise<void> {
    const next: ExecutionRecord = { ...change.record, version: live.record.version + 1 };
    const executionArn = next.executionArn;
    try {
      await this.tracked(next.status === "RUNNING" ? this.store.save(next) : this.store.finish(next));
    } catch (err) {
      if (err instanceof ExecutionOwnershipLostError) this.live.delete(executionArn);
      throw err;
    }
    this.metrics.writes++;
    live.record = next;
    if (next.status !== "RUNNING") this.live.delete(executionArn);
    for (const event of change.events) {
      if (event.type === "StateEntered" || event.type === "StateRetried") this.metrics.stateTransitions++;
      this.emit(event);
    }
    this.emit({ type: "Persisted", executionArn, writes: this.metrics.writes });
    // A crash hook may have fired on the events above: the process is "dead" from here on.
    if (this.stopped) throw new EngineStoppedError();
  }

  /** Counts a DynamoDB write as in flight until it lands or fails. */
  tracked<T>(write: Promise<T>): Promise<T> {
    this.writesInFlight.add(write);
    const forget = () => this.writesInFlight.delete(write);
    write.then(forget, forget);
    return write;
  }
}
