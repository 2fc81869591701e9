/**
 * The local engine's public contract: what the local stack, the benchmarks and the tests see.
 * createEngine (engine.ts) returns an Engine; everything else here describes its options,
 * its events and what it reports.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { LoopStarter, Signaller } from "../../../shared/app/ports.ts";
import type { Clock } from "../../../shared/time/clock.ts";
import type { Temporal } from "../../../shared/time/temporal.ts";
import type { Json } from "./jsonpath.ts";
import type { JumpingClock } from "./skipping-clock.ts";
import type { ExecutionStatus } from "./store.ts";

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
  /**
   * Load the running executions (and, in real mode, run what is due) at once. Default true. The
   * local stack says false and calls resume() once every function is registered and the HTTP
   * server listens: a resumed execution's first step calls a Lambda, and one that is not there
   * yet fails as Lambda.ResourceNotFoundException.
   */
  resume?: boolean;
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
  /**
   * Takes on the executions that were running when the last engine on the table stopped; done by
   * createEngine unless its `resume` option is false. A second call does nothing.
   */
  resume(): Promise<void>;
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
