/**
 * The local engine: runs the instance loop's ASL (or any definition the interpreter supports)
 * durably on DynamoDB Local, with three clock modes:
 *
 * - real:   runs by itself; timers are setTimeout to the next wake-up.
 * - manual: nothing moves until a test calls runUntilIdle() (after advancing its ManualClock).
 * - skip:   run() alternates "run everything runnable" with "jump the clock to the earliest
 *           timer", like Temporal's time-skipping test server, so years pass in seconds.
 *
 * Durability. Every change to an execution is written to DynamoDB before the engine acts on it,
 * and a task's result only counts once the transition it causes is written. If the process dies
 * at any point, a new engine on the same table loads every RUNNING execution and carries on from
 * the last write. A task that was in flight is therefore run again: delivery is at-least-once,
 * the same guarantee Lambda's own retries give on AWS. The handlers are idempotent by design
 * (notifications carry keys claimed in DynamoDB), so "again" never means "twice" to a person.
 * Two steps are made exactly-once on top: a StartExecution without a Name gets a name derived
 * from the parent's position, so re-running it finds the child instead of starting a second one;
 * and a task token is written before the park Lambda ever sees it.
 *
 * Signals. Locally the confirm endpoint calls this engine's `signaller` in-process instead of
 * Step Functions' SendTaskSuccess over HTTP. Why not serve the SFN API on localhost so the real
 * client works unchanged: the app already talks to a small Signaller port (shared/app/ports.ts),
 * so in-process costs nothing, needs no port, no SigV4 parsing and no fake credentials, and keeps
 * one process and one clock for the whole local stack; an HTTP facade would only add a way to
 * fail. The AWS adapter of the same port is a few lines around @aws-sdk/client-sfn.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { LoopStarter, Signaller } from "../../../shared/app/ports.ts";
import type { Clock } from "../../../shared/time/clock.ts";
import { Temporal } from "../../../shared/time/temporal.ts";
import { type Definition, loadDefinition, type State } from "./definition.ts";
import {
  EngineError,
  EngineStoppedError,
  ExecutionAlreadyExistsError,
  ExecutionOwnershipLostError,
  StatesError,
  StatesErrors,
} from "./errors.ts";
import {
  asStatesError,
  completeTask,
  type Environment,
  type ExecutionInfo,
  enterState,
  failState,
  type Step,
  type TaskCall,
} from "./interpreter.ts";
import type { Json } from "./jsonpath.ts";
import type { JumpingClock } from "./skipping-clock.ts";
import { type ExecutionRecord, type ExecutionStatus, ExecutionStore, type TokenOutcome } from "./store.ts";

/** The Lambdas the engine can invoke, by function ARN: the local stack wires the real handlers in. */
export type FunctionRegistry = Record<string, (payload: unknown) => Promise<unknown>>;

export type EngineEvent =
  | { type: "ExecutionStarted"; executionArn: string; input: Json }
  | { type: "StateEntered"; executionArn: string; state: string; input: Json }
  | { type: "StateExited"; executionArn: string; state: string; output: Json }
  | { type: "TaskScheduled"; executionArn: string; state: string; resource: string }
  | { type: "StateRetried"; executionArn: string; state: string; error: string; retryAt: string }
  | { type: "StateCaught"; executionArn: string; state: string; error: string; next: string }
  | { type: "ExecutionSucceeded"; executionArn: string; output: Json }
  | { type: "ExecutionFailed"; executionArn: string; error: string; cause: string }
  /** A write reached DynamoDB (`writes` counts this engine's writes so far): the crash tests' hook. */
  | { type: "Persisted"; executionArn: string; writes: number };

export interface EngineHooks {
  /** Called synchronously for every event; may call engine.crash(). */
  onEvent?: (event: EngineEvent) => void;
  /** Unexpected failures in real mode (in manual and skip mode they reject runUntilIdle/run). */
  onError?: (error: unknown) => void;
}

interface CommonOptions {
  doc: DynamoDBDocumentClient;
  /** The engine's own table (created if missing), e.g. `fristflow-engine`. */
  tableName: string;
  functions: FunctionRegistry;
  /** The ASL definition, e.g. buildInstanceLoop(arns). Checked once here. */
  definition: unknown;
  /** `arn:aws:states:<region>:<account>:stateMachine:<name>`; executions' ARNs derive from it. */
  stateMachineArn: string;
  /** [0, 1), for FULL retry jitter. Default Math.random. */
  random?: () => number;
  hooks?: EngineHooks;
}

export type EngineOptions = CommonOptions &
  ({ mode: "real" | "manual"; clock: Clock } | { mode: "skip"; clock: JumpingClock });

export interface RunOptions {
  /**
   * Stop once the next timer lies after this instant (skip mode leaves the clock there). A
   * function is read again after each idle step: a driver whose own events arrive during the run
   * (the demo's simulated leaders get mail while notify runs) can move the stop point earlier.
   */
  until?: Temporal.Instant | string | (() => Temporal.Instant | string | undefined);
  /** Stop after this many state transitions: a guard against a loop that never ends. */
  maxSteps?: number;
}

export interface RunResult {
  /**
   * finished: no execution is running. until: the `until` instant was reached. blocked: running
   * executions only wait for signals (no timer). idle: manual mode ran what was due. maxSteps,
   * stopped: as named.
   */
  status: "finished" | "until" | "blocked" | "idle" | "maxSteps" | "stopped";
  transitions: number;
  now: Temporal.Instant;
}

export interface ExecutionDescription {
  executionArn: string;
  name: string;
  status: ExecutionStatus;
  input: Json;
  output?: Json;
  error?: string;
  cause?: string;
  startTime: string;
  stopTime?: string;
  /** While running: the state it is in. */
  state?: string;
}

export interface EngineStats {
  /** States entered plus retries: what AWS bills as state transitions. */
  stateTransitions: number;
  lambdaInvocations: number;
  /** Writes of execution records to DynamoDB. */
  writes: number;
  executionsStarted: number;
}

export interface Engine {
  readonly stateMachineArn: string;
  /** SendTaskSuccess by token, behind the app's port. */
  readonly signaller: Signaller;
  /** Starts the loop for an instance, idempotently (see executionNameFor). */
  readonly starter: LoopStarter;
  /** StartExecution: resolves with the execution ARN once the execution is written. */
  start(input: Json, name?: string): Promise<string>;
  /** Completes a parked task. An unknown or finished token resolves quietly (AWS: TaskDoesNotExist). */
  sendTaskSuccess(taskToken: string, output: Json): Promise<void>;
  sendTaskFailure(taskToken: string, error: string, cause?: string): Promise<void>;
  /** Runs everything runnable at the clock's current time, until nothing is. */
  runUntilIdle(): Promise<void>;
  /** Drives executions towards completion (skip mode: jumping over timers). */
  run(options?: RunOptions): Promise<RunResult>;
  describe(executionArn: string): Promise<ExecutionDescription | undefined>;
  /** Every execution this engine's table knows, running and finished. */
  list(): Promise<ExecutionDescription[]>;
  /** How many executions are running now. */
  runningCount(): number;
  stats(): EngineStats;
  /** Lets in-flight work finish, then stops. The DynamoDB client stays the caller's. */
  close(): Promise<void>;
  /**
   * For crash tests: behaves as if the process died this instant. Nothing more is written;
   * handlers already running finish, but their results are dropped.
   */
  crash(): void;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const definition = loadDefinition(options.definition);
  const machineName = stateMachineNameOf(options.stateMachineArn);
  const store = new ExecutionStore(options.doc, options.tableName);
  await store.ensureTable();
  const engine = new LocalEngine(options, definition, machineName, store);
  await engine.resume();
  return engine;
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:([A-Za-z0-9_-]{1,80})$/;

function stateMachineNameOf(arn: string): string {
  const match = STATE_MACHINE_ARN.exec(arn);
  if (!match?.[1])
    throw new EngineError(`'${arn}' is not a state machine ARN (arn:aws:states:…:stateMachine:name)`);
  return match[1];
}

/** AWS' rule for execution names: 1 to 80 characters, none of whitespace and `<>{}[]?*"#%\^|~\`$&,;:/`. */
const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]/u;
const NAME_FORBIDDEN_ALL = new RegExp(NAME_FORBIDDEN.source, "gu");

/**
 * The execution name the starter uses for an instance: the id itself when it is a valid name, so
 * starting twice is one execution (AWS: same name and input while running is the same start).
 */
export function executionNameFor(instanceId: string): string {
  const cleaned = instanceId.replace(NAME_FORBIDDEN_ALL, "-");
  if (cleaned === instanceId && cleaned.length <= 80 && cleaned.length > 0) return cleaned;
  const hash = createHash("sha256").update(instanceId).digest("hex").slice(0, 16);
  return `${cleaned.slice(0, 63)}-${hash}`;
}

/** `$$.Execution.StartTime` and friends: ISO-8601 with milliseconds, as AWS prints them. */
export function isoMillis(instant: Temporal.Instant): string {
  return instant.toString({ fractionalSecondDigits: 3 });
}

interface Live {
  record: ExecutionRecord;
  /** Serialises changes to this execution (the driver, signals) so each sees the last write. */
  lane: Promise<unknown>;
  driver: Promise<void> | undefined;
  parkInFlight: boolean;
  /** The park Lambda has run (in this process) for the current token; false after a restart. */
  parkRan: boolean;
}

interface Change {
  record: ExecutionRecord;
  events: EngineEvent[];
}

type TaskOutcome = { ok: true; result: Json } | { ok: false; error: StatesError };

const MAX_TIMER_MS = 2 ** 31 - 1;
/** Pure states run within one write; the cap keeps a Pass/Choice cycle from spinning forever. */
const MAX_FOLDED_STATES = 25;
const PURE_STATES: ReadonlySet<State["type"]> = new Set(["Choice", "Pass", "Succeed", "Fail"]);
const REAL_MODE_ERROR_RETRY_MS = 1_000;

class LocalEngine implements Engine {
  readonly stateMachineArn: string;
  readonly signaller: Signaller;
  readonly starter: LoopStarter;

  private readonly live = new Map<string, Live>();
  private readonly metrics: EngineStats = {
    stateTransitions: 0,
    lambdaInvocations: 0,
    writes: 0,
    executionsStarted: 0,
  };
  private readonly random: () => number;
  private readonly failures: unknown[] = [];
  private pumping = 0;
  private closed = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly changeWaiters = new Set<() => void>();
  /** DynamoDB writes under way: after a crash, run() returns only once they have landed or failed. */
  private readonly writesInFlight = new Set<Promise<unknown>>();
  /** run({ maxSteps }): drivers stop once stateTransitions reaches this. */
  private stepLimit = Number.POSITIVE_INFINITY;
  private readonly stoppedSignal: Promise<void>;
  private signalStopped: () => void = () => {};

  constructor(
    private readonly options: EngineOptions,
    private readonly definition: Definition,
    private readonly machineName: string,
    private readonly store: ExecutionStore,
  ) {
    this.stateMachineArn = options.stateMachineArn;
    this.random = options.random ?? Math.random;
    this.stoppedSignal = new Promise((done) => {
      this.signalStopped = done;
    });
    this.signaller = {
      wake: (taskToken, payload) => this.sendTaskSuccess(taskToken, payload),
    };
    this.starter = {
      start: async (instanceId) => {
        try {
          await this.start({ instanceId }, executionNameFor(instanceId));
        } catch (err) {
          // Already started (and maybe finished, continuing as new): a retried start is done.
          if (!(err instanceof ExecutionAlreadyExistsError)) throw err;
        }
      },
    };
  }

  private get clock(): Clock {
    return this.options.clock;
  }

  private get realMode(): boolean {
    return this.options.mode === "real";
  }

  private now(): Temporal.Instant {
    return this.clock.now();
  }

  private env(): Environment {
    return { now: this.now(), random: this.random };
  }

  /** Loads every running execution; a task that was in flight when the last engine died is run again. */
  async resume(): Promise<void> {
    for (const record of await this.store.loadRunning()) {
      this.live.set(record.executionArn, newLive(record));
    }
    if (this.realMode) this.startDueDrivers();
  }

  // ---------------------------------------------------------------- starting

  async start(input: Json, name?: string): Promise<string> {
    this.assertOpen();
    const executionName = name ?? randomUUID();
    if (executionName.length < 1 || executionName.length > 80 || NAME_FORBIDDEN.test(executionName)) {
      throw new EngineError(`'${executionName}' is not a valid execution name`);
    }
    const executionArn = `${this.stateMachineArn.replace(":stateMachine:", ":execution:")}:${executionName}`;
    const startTime = isoMillis(this.now());
    const record: ExecutionRecord = {
      executionArn,
      name: executionName,
      stateMachineArn: this.stateMachineArn,
      stateMachineName: this.machineName,
      status: "RUNNING",
      input,
      startTime,
      position: { state: this.definition.startAt, input, enteredAt: startTime, retryCounts: [] },
      phase: { kind: "ready" },
      transitions: 1,
      version: 1,
    };
    const outcome = await this.tracked(this.store.create(record));
    if (!outcome.created) {
      const existing = outcome.existing;
      if (existing.status === "RUNNING" && JSON.stringify(existing.input) === JSON.stringify(input)) {
        return executionArn;
      }
      throw new ExecutionAlreadyExistsError(executionArn);
    }
    this.metrics.writes++;
    this.metrics.executionsStarted++;
    this.metrics.stateTransitions++;
    const live = newLive(record);
    this.live.set(executionArn, live);
    this.emit({ type: "ExecutionStarted", executionArn, input });
    this.emit({ type: "StateEntered", executionArn, state: record.position.state, input });
    this.emit({ type: "Persisted", executionArn, writes: this.metrics.writes });
    if (this.stopped) throw new EngineStoppedError();
    this.kick(live);
    return executionArn;
  }

  // ---------------------------------------------------------------- signals

  sendTaskSuccess(taskToken: string, output: Json): Promise<void> {
    return this.settleToken(taskToken, { ok: true, output: toJson(output) });
  }

  sendTaskFailure(taskToken: string, error: string, cause = ""): Promise<void> {
    return this.settleToken(taskToken, { ok: false, error, cause });
  }

  private async settleToken(taskToken: string, outcome: TokenOutcome): Promise<void> {
    this.assertOpen();
    const executionArn = executionOfToken(taskToken);
    const live = executionArn === undefined ? undefined : this.live.get(executionArn);
    if (!live) return;
    await this.mutate(live, (current) => {
      const phase = current.phase;
      if (phase.kind !== "parked" || phase.token !== taskToken || phase.early !== null) return null;
      // The park Lambda is still running (it may be the one signalling, having seen a change
      // since decide): keep the outcome durably and let the Lambda's return complete the task.
      if (live.parkInFlight)
        return { record: { ...current, phase: { ...phase, early: outcome } }, events: [] };
      return this.applyStep(current, this.tokenStep(current, outcome));
    });
    this.kick(live);
  }

  private tokenStep(record: ExecutionRecord, outcome: TokenOutcome): Step {
    if (outcome.ok)
      return completeTask(this.definition, infoOf(record), record.position, outcome.output, this.env());
    return failState(
      this.definition,
      record.position,
      new StatesError(outcome.error, outcome.cause),
      this.env(),
    );
  }

  // ---------------------------------------------------------------- scheduling

  /** When the execution next has something to do; undefined: only a signal can move it. */
  private dueAt(live: Live): Temporal.Instant | "now" | undefined {
    const phase = live.record.phase;
    switch (phase.kind) {
      case "ready":
        return "now";
      case "retrying":
      case "waiting":
        return Temporal.Instant.from(phase.until);
      case "parked":
        if (live.parkInFlight) return undefined;
        if (phase.early !== null || !live.parkRan) return "now";
        return phase.timeoutAt === null ? undefined : Temporal.Instant.from(phase.timeoutAt);
      case "ended":
        return undefined;
    }
  }

  private isDue(live: Live): boolean {
    const due = this.dueAt(live);
    return due === "now" || (due !== undefined && Temporal.Instant.compare(due, this.now()) <= 0);
  }

  /** The earliest future wake-up of an execution that is not busy. */
  private earliestTimer(): Temporal.Instant | undefined {
    let earliest: Temporal.Instant | undefined;
    for (const live of this.live.values()) {
      if (live.driver) continue;
      const due = this.dueAt(live);
      if (due === undefined || due === "now") continue;
      if (earliest === undefined || Temporal.Instant.compare(due, earliest) < 0) earliest = due;
    }
    return earliest;
  }

  /** New work for an execution: in real mode (or while a run is pumping) start its driver now. */
  private kick(live: Live): void {
    if (this.stopped) return;
    if (this.realMode || this.pumping > 0) {
      if (this.isDue(live)) this.drive(live);
      this.armTimer();
    }
    this.notifyChange();
  }

  private startDueDrivers(): void {
    for (const live of this.live.values()) {
      if (!live.driver && this.isDue(live)) this.drive(live);
    }
    this.armTimer();
  }

  private armTimer(): void {
    if (!this.realMode || this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.earliestTimer();
    if (next === undefined) return;
    const ms = Math.min(
      MAX_TIMER_MS,
      Math.max(0, Number(next.epochMilliseconds - this.now().epochMilliseconds)),
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startDueDrivers();
    }, ms);
  }

  private drive(live: Live): void {
    if (live.driver || this.stopped) return;
    let failed = false;
    const driver = this.driveLoop(live)
      .catch((err: unknown) => {
        failed = true;
        this.onDriverError(live, err);
      })
      .finally(() => {
        live.driver = undefined;
        this.notifyChange();
        if (this.stopped) return;
        // A signal that arrived as the loop was ending found the driver still set and left the
        // work to it: pick it up now (not after a failure, which has its own retry).
        const held = this.live.get(live.record.executionArn) === live;
        const wanted = this.realMode || this.pumping > 0;
        if (!failed && held && wanted && !this.overBudget() && this.isDue(live)) this.drive(live);
        else if (this.realMode) this.armTimer();
      });
    live.driver = driver;
  }

  private async driveLoop(live: Live): Promise<void> {
    while (
      !this.stopped &&
      !this.overBudget() &&
      this.live.get(live.record.executionArn) === live &&
      this.isDue(live)
    ) {
      await this.advance(live);
    }
  }

  private onDriverError(live: Live, err: unknown): void {
    if (err instanceof EngineStoppedError) return;
    if (err instanceof ExecutionOwnershipLostError) this.live.delete(live.record.executionArn);
    if (this.realMode) {
      (this.options.hooks?.onError ?? console.error)(err);
      // E.g. DynamoDB Local restarting: try this execution again shortly rather than spin.
      setTimeout(() => this.kick(live), REAL_MODE_ERROR_RETRY_MS).unref();
    } else {
      this.failures.push(err);
    }
  }

  async runUntilIdle(): Promise<void> {
    this.assertOpen();
    this.pumping++;
    try {
      for (;;) {
        if (this.stopped) break;
        // After a failure, or past run()'s budget, start nothing new (a broken execution would
        // otherwise be driven round and round) but let running drivers finish.
        if (!this.overBudget() && this.failures.length === 0) this.startDueDrivers();
        const drivers = [...this.live.values()].flatMap((live) => (live.driver ? [live.driver] : []));
        if (drivers.length === 0) break;
        await Promise.race([Promise.all(drivers), this.stoppedSignal]);
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
    const first = this.metrics.stateTransitions;
    const result = (status: RunResult["status"]): RunResult => ({
      status,
      transitions: this.metrics.stateTransitions - first,
      now: this.now(),
    });
    const stopped = async () => {
      // Like a dead process whose last requests have reached DynamoDB (or not): settled either way.
      await Promise.allSettled([...this.writesInFlight]);
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
    return this.metrics.stateTransitions >= this.stepLimit;
  }

  private async runLoop(
    untilNow: () => Temporal.Instant | undefined,
    first: number,
    maxSteps: number,
    result: (status: RunResult["status"]) => RunResult,
    stopped: () => Promise<RunResult>,
  ): Promise<RunResult> {
    for (;;) {
      if (this.stopped) return stopped();
      if (this.realMode) {
        this.startDueDrivers();
      } else {
        await this.runUntilIdle();
      }
      if (this.stopped) return stopped();
      if (this.live.size === 0) return result("finished");
      if (this.metrics.stateTransitions - first >= maxSteps) return result("maxSteps");
      if (this.options.mode === "manual") return result("idle");
      const until = untilNow();
      const next = this.earliestTimer();
      const busy = [...this.live.values()].some((live) => live.driver !== undefined);
      if (this.options.mode === "skip") {
        // No timer at all counts as "the next timer lies after until": go there if asked to.
        if (next === undefined && until === undefined) return result("blocked");
        if (until !== undefined && (next === undefined || Temporal.Instant.compare(next, until) > 0)) {
          this.options.clock.advanceTo(until);
          await this.runUntilIdle();
          return result("until");
        }
        if (next !== undefined) this.options.clock.advanceTo(next);
        continue;
      }
      // Real mode: the background timers do the work; wait for something to change.
      if (until !== undefined && Temporal.Instant.compare(this.now(), until) >= 0) return result("until");
      if (!busy && next === undefined) return result("blocked");
      const horizon = [next, until].filter((t): t is Temporal.Instant => t !== undefined);
      const waitMs = horizon.length
        ? Math.max(
            0,
            Math.min(...horizon.map((t) => Number(t.epochMilliseconds - this.now().epochMilliseconds))),
          )
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
      void this.stoppedSignal.then(finish);
    });
  }

  private notifyChange(): void {
    for (const waiter of [...this.changeWaiters]) waiter();
  }

  // ---------------------------------------------------------------- advancing one execution

  private async advance(live: Live): Promise<void> {
    const record = live.record;
    switch (record.phase.kind) {
      case "ready":
      case "retrying":
        return this.runCurrentState(live);
      case "waiting": {
        const after = record.phase.after;
        return this.mutate(live, (current) =>
          current.version === record.version ? this.applyStep(current, after) : null,
        );
      }
      case "parked": {
        const phase = record.phase;
        if (phase.early !== null) {
          const early = phase.early;
          return this.mutate(live, (current) =>
            current.version === record.version
              ? this.applyStep(current, this.tokenStep(current, early))
              : null,
          );
        }
        if (!live.parkRan) {
          // After a restart: the park Lambda may or may not have stored the token; run it again.
          const step = enterState(this.definition, infoOf(record), record.position, this.env(), phase.token);
          if (step.kind !== "invoke") return this.mutate(live, (current) => this.applyStep(current, step));
          return this.runPark(live, step.call, phase.token);
        }
        return this.mutate(live, (current) =>
          current.version === record.version ? this.applyStep(current, this.timedOut(current)) : null,
        );
      }
      case "ended":
        return;
    }
  }

  private timedOut(record: ExecutionRecord): Step {
    return failState(
      this.definition,
      record.position,
      new StatesError(StatesErrors.Timeout, "The task was not completed within its timeout"),
      this.env(),
    );
  }

  private async runCurrentState(live: Live): Promise<void> {
    const record = live.record;
    const state = this.definition.states.get(record.position.state);
    const token = state !== undefined && waitsForToken(state) ? newTaskToken(record) : undefined;
    const step = enterState(this.definition, infoOf(record), record.position, this.env(), token);
    if (step.kind !== "invoke") {
      return this.mutate(live, (current) =>
        current.version === record.version ? this.applyStep(current, step) : null,
      );
    }
    const call = step.call;
    const scheduled: EngineEvent = {
      type: "TaskScheduled",
      executionArn: record.executionArn,
      state: record.position.state,
      resource: call.kind === "lambda" ? call.functionName : "states:startExecution",
    };
    if (call.kind === "lambda" && call.waitForTaskToken && token !== undefined) {
      const timeoutAt =
        call.timeoutSeconds === undefined
          ? null
          : isoMillis(this.now().add({ seconds: call.timeoutSeconds }));
      // The token is written before the park Lambda sees it, so any signal it leads to finds it.
      await this.mutate(live, (current) =>
        current.version === record.version
          ? {
              record: { ...current, phase: { kind: "parked", token, timeoutAt, early: null } },
              events: [scheduled],
            }
          : null,
      );
      const parked = live.record.phase;
      if (parked.kind !== "parked" || parked.token !== token) return;
      live.parkRan = false;
      return this.runPark(live, call, token);
    }
    this.emit(scheduled);
    const outcome = await this.runTask(call, record);
    await this.mutate(live, (current) => {
      if (current.version !== record.version) return null;
      const next = outcome.ok
        ? completeTask(this.definition, infoOf(current), current.position, outcome.result, this.env())
        : failState(this.definition, current.position, outcome.error, this.env());
      return this.applyStep(current, next);
    });
  }

  private async runPark(live: Live, call: TaskCall, token: string): Promise<void> {
    live.parkInFlight = true;
    let outcome: TaskOutcome;
    try {
      outcome = await this.runTask(call, live.record);
    } finally {
      live.parkInFlight = false;
      live.parkRan = true;
    }
    await this.mutate(live, (current) => {
      const phase = current.phase;
      if (phase.kind !== "parked" || phase.token !== token) return null;
      if (phase.early !== null) return this.applyStep(current, this.tokenStep(current, phase.early));
      if (!outcome.ok) {
        return this.applyStep(
          current,
          failState(this.definition, current.position, outcome.error, this.env()),
        );
      }
      if (
        phase.timeoutAt !== null &&
        Temporal.Instant.compare(Temporal.Instant.from(phase.timeoutAt), this.now()) <= 0
      ) {
        return this.applyStep(current, this.timedOut(current));
      }
      // Parked: nothing to write; the next change is a signal or the timeout.
      return null;
    });
  }

  /**
   * Turns an interpreter step into the next record and the events it stands for. States without
   * side effects or timers (Choice, Pass, Succeed, Fail) that follow are run in the same change:
   * they are pure functions of the position just reached, so after a crash they are simply
   * computed again, and writing each one would only cost a DynamoDB round trip per state.
   */
  private applyStep(current: ExecutionRecord, step: Step): Change {
    let change = this.applyOnce(current, step);
    for (let folded = 0; folded < MAX_FOLDED_STATES; folded++) {
      const record = change.record;
      if (record.status !== "RUNNING" || record.phase.kind !== "ready") break;
      const state = this.definition.states.get(record.position.state);
      if (state === undefined || !PURE_STATES.has(state.type)) break;
      const next = this.applyOnce(
        record,
        enterState(this.definition, infoOf(record), record.position, this.env()),
      );
      change = { record: next.record, events: [...change.events, ...next.events] };
    }
    return change;
  }

  private applyOnce(current: ExecutionRecord, step: Step): Change {
    const executionArn = current.executionArn;
    const from = current.position.state;
    const now = isoMillis(this.now());
    switch (step.kind) {
      case "transition": {
        const events: EngineEvent[] = [];
        if (step.caught) {
          events.push({
            type: "StateCaught",
            executionArn,
            state: from,
            error: step.caught.error,
            next: step.next,
          });
        } else {
          events.push({ type: "StateExited", executionArn, state: from, output: step.output });
        }
        events.push({ type: "StateEntered", executionArn, state: step.next, input: step.output });
        return {
          record: {
            ...current,
            position: { state: step.next, input: step.output, enteredAt: now, retryCounts: [] },
            phase: { kind: "ready" },
            transitions: current.transitions + 1,
          },
          events,
        };
      }
      case "succeeded":
        return {
          record: {
            ...current,
            status: "SUCCEEDED",
            output: step.output,
            stopTime: now,
            phase: { kind: "ended" },
          },
          events: [
            { type: "StateExited", executionArn, state: from, output: step.output },
            { type: "ExecutionSucceeded", executionArn, output: step.output },
          ],
        };
      case "failed":
        return {
          record: {
            ...current,
            status: "FAILED",
            error: step.error,
            cause: step.cause,
            stopTime: now,
            phase: { kind: "ended" },
          },
          events: [{ type: "ExecutionFailed", executionArn, error: step.error, cause: step.cause }],
        };
      case "wait":
        return {
          record: { ...current, phase: { kind: "waiting", until: isoMillis(step.until), after: step.after } },
          events: [],
        };
      case "retry":
        return {
          record: {
            ...current,
            position: { ...current.position, retryCounts: step.retryCounts },
            phase: { kind: "retrying", until: isoMillis(step.until) },
          },
          events: [
            {
              type: "StateRetried",
              executionArn,
              state: from,
              error: step.error,
              retryAt: isoMillis(step.until),
            },
          ],
        };
      case "invoke":
        // enterState only asks for work when a state is entered; never as a follow-up.
        throw new EngineError(`'${from}' asked for a task where a transition was expected`);
    }
  }

  // ---------------------------------------------------------------- persistence

  /** Applies `decide` to the execution's latest record and writes the result, one change at a time. */
  private mutate(live: Live, decide: (current: ExecutionRecord) => Change | null): Promise<void> {
    const task = live.lane.then(async () => {
      if (this.stopped) throw new EngineStoppedError();
      if (this.live.get(live.record.executionArn) !== live) return;
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

  // ---------------------------------------------------------------- integrations

  private async runTask(call: TaskCall, record: ExecutionRecord): Promise<TaskOutcome> {
    try {
      const result =
        call.kind === "lambda" ? await this.invokeLambda(call) : await this.startChild(call, record);
      return { ok: true, result };
    } catch (err) {
      if (err instanceof EngineStoppedError) throw err;
      return { ok: false, error: asStatesError(err) };
    }
  }

  private async invokeLambda(call: Extract<TaskCall, { kind: "lambda" }>): Promise<Json> {
    const handler = this.lookupFunction(call.functionName);
    if (handler === undefined) {
      throw new StatesError(
        "Lambda.ResourceNotFoundException",
        `Function not found: ${call.functionName} (Service: Lambda, Status Code: 404)`,
      );
    }
    this.metrics.lambdaInvocations++;
    let returned: unknown;
    try {
      // The handler gets its own copy, as a Lambda gets a deserialised event.
      const invocation = handler(structuredClone(call.payload));
      returned =
        this.realMode && !call.waitForTaskToken && call.timeoutSeconds !== undefined
          ? await withTimeout(invocation, call.timeoutSeconds * 1000)
          : await invocation;
    } catch (err) {
      if (err instanceof StatesError && err.error === StatesErrors.Timeout) throw err;
      throw lambdaFailure(err);
    }
    let payload: Json;
    try {
      payload = toJson(returned);
    } catch (err) {
      throw new StatesError("Runtime.MarshalError", `The function's result is not JSON: ${String(err)}`);
    }
    if (!call.wrapResult) return payload;
    // The shape of lambda:invoke's result on AWS (the ResultSelector `$.Payload` depends on it).
    return {
      ExecutedVersion: "$LATEST",
      Payload: payload,
      SdkHttpMetadata: {
        AllHttpHeaders: { "Content-Type": ["application/json"], "X-Amz-Executed-Version": ["$LATEST"] },
        HttpHeaders: { "Content-Type": "application/json", "X-Amz-Executed-Version": "$LATEST" },
        HttpStatusCode: 200,
      },
      SdkResponseMetadata: { RequestId: randomUUID() },
      StatusCode: 200,
    };
  }

  /** A registry key is a function ARN; FunctionName may also be the bare name, as Lambda allows. */
  private lookupFunction(functionName: string): ((payload: unknown) => Promise<unknown>) | undefined {
    const functions = this.options.functions;
    if (Object.hasOwn(functions, functionName)) return functions[functionName];
    if (functionName.includes(":")) return undefined;
    const key = Object.keys(functions).find((arn) => arn.endsWith(`:function:${functionName}`));
    return key === undefined ? undefined : functions[key];
  }

  /**
   * The states:startExecution integration, for this state machine (continue-as-new). Without a
   * Name, the child's name is derived from the parent's position, so a re-run after a crash
   * finds the child it already started instead of starting a second loop for the same instance.
   */
  private async startChild(
    call: Extract<TaskCall, { kind: "startExecution" }>,
    parent: ExecutionRecord,
  ): Promise<Json> {
    if (call.stateMachineArn !== this.stateMachineArn) {
      throw new StatesError(
        "StepFunctions.StateMachineDoesNotExistException",
        `State Machine Does Not Exist: '${call.stateMachineArn}' (the local engine runs only ${this.stateMachineArn})`,
      );
    }
    const derived = call.name === undefined;
    const name = call.name ?? childName(parent);
    let executionArn: string;
    try {
      executionArn = await this.start(call.input, name);
    } catch (err) {
      if (!(err instanceof ExecutionAlreadyExistsError)) throw err;
      if (!derived) throw new StatesError("StepFunctions.ExecutionAlreadyExistsException", err.message);
      executionArn = err.executionArn;
      await this.adopt(executionArn);
    }
    const child = await this.store.get(executionArn);
    return { ExecutionArn: executionArn, StartDate: child?.startTime ?? isoMillis(this.now()) };
  }

  /**
   * A re-run StartExecution found its child already written: if that child is running but not
   * held here (written by an engine that died after this one loaded), take it on.
   */
  private async adopt(executionArn: string): Promise<void> {
    if (this.live.has(executionArn)) return;
    const record = await this.store.get(executionArn);
    if (record?.status !== "RUNNING" || this.live.has(executionArn)) return;
    const live = newLive(record);
    this.live.set(executionArn, live);
    this.kick(live);
  }

  private tracked<T>(write: Promise<T>): Promise<T> {
    this.writesInFlight.add(write);
    const forget = () => this.writesInFlight.delete(write);
    write.then(forget, forget);
    return write;
  }

  // ---------------------------------------------------------------- reading

  async describe(executionArn: string): Promise<ExecutionDescription | undefined> {
    const live = this.live.get(executionArn);
    const record = live?.record ?? (await this.store.get(executionArn));
    return record === undefined ? undefined : describeRecord(record);
  }

  async list(): Promise<ExecutionDescription[]> {
    const [running, finished] = await Promise.all([this.store.loadRunning(), this.store.loadFinished()]);
    return [...running, ...finished]
      .map(describeRecord)
      .sort((a, b) => a.startTime.localeCompare(b.startTime));
  }

  runningCount(): number {
    return this.live.size;
  }

  stats(): EngineStats {
    return { ...this.metrics };
  }

  // ---------------------------------------------------------------- stopping

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const busy = [...this.live.values()].flatMap((live) => [live.driver ?? Promise.resolve(), live.lane]);
    await Promise.allSettled(busy);
    this.stopped = true;
    this.signalStopped();
  }

  crash(): void {
    this.stopped = true;
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.signalStopped();
  }

  private assertOpen(): void {
    if (this.closed || this.stopped) throw new EngineStoppedError();
  }

  private emit(event: EngineEvent): void {
    this.options.hooks?.onEvent?.(event);
  }
}

function newLive(record: ExecutionRecord): Live {
  return { record, lane: Promise.resolve(), driver: undefined, parkInFlight: false, parkRan: false };
}

function waitsForToken(state: State): boolean {
  return state.type === "Task" && state.resource.kind === "lambda:invoke" && state.resource.waitForTaskToken;
}

function infoOf(record: ExecutionRecord): ExecutionInfo {
  return {
    executionArn: record.executionArn,
    name: record.name,
    stateMachineArn: record.stateMachineArn,
    stateMachineName: record.stateMachineName,
    input: record.input,
    startTime: record.startTime,
  };
}

function describeRecord(record: ExecutionRecord): ExecutionDescription {
  const description: ExecutionDescription = {
    executionArn: record.executionArn,
    name: record.name,
    status: record.status,
    input: record.input,
    startTime: record.startTime,
  };
  if (record.output !== undefined) description.output = record.output;
  if (record.error !== undefined) description.error = record.error;
  if (record.cause !== undefined) description.cause = record.cause;
  if (record.stopTime !== undefined) description.stopTime = record.stopTime;
  if (record.status === "RUNNING") description.state = record.position.state;
  return description;
}

/**
 * Task tokens are opaque to their holders but carry the execution ARN, so a signal finds its
 * execution without a lookup table; the random part makes an old token useless once replaced.
 */
function newTaskToken(record: ExecutionRecord): string {
  const arn = Buffer.from(record.executionArn, "utf8").toString("base64url");
  return `fftt1.${arn}.${record.transitions}.${randomBytes(12).toString("base64url")}`;
}

function executionOfToken(token: string): string | undefined {
  const parts = token.split(".");
  if (parts.length !== 4 || parts[0] !== "fftt1" || !parts[1]) return undefined;
  return Buffer.from(parts[1], "base64url").toString("utf8");
}

/** A child name fixed by the parent's position and attempt: the same on every re-run of that step. */
function childName(parent: ExecutionRecord): string {
  const attempt = parent.position.retryCounts.reduce((a, b) => a + b, 0);
  const hex = createHash("sha256")
    .update(`${parent.executionArn}|${parent.transitions}|${attempt}`)
    .digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * How the lambda:invoke integration reports a function error: Error is the errorType (a thrown
 * Error's `name`), Cause the Lambda error document as JSON text.
 */
function lambdaFailure(err: unknown): StatesError {
  const errorType = err instanceof Error ? err.name : "Error";
  const errorMessage = err instanceof Error ? err.message : String(err);
  const trace = err instanceof Error && err.stack ? err.stack.split("\n").slice(0, 12) : [];
  return new StatesError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}

/** What a Lambda's return value becomes after JSON serialisation (undefined -> null, Dates -> strings). */
function toJson(value: unknown): Json {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as Json);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StatesError(StatesErrors.Timeout, `The task did not finish within ${ms / 1000} s`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
