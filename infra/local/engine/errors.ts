/**
 * The local engine's errors, in two families that must not be mixed up:
 *
 * - `StatesError`: an error *inside* an execution, named the way Step Functions names it
 *   (`States.Timeout`, a Lambda's errorType, ...). Retry and Catch match these by name, and an
 *   execution that fails ends with one.
 * - `EngineError` and its subclasses: the engine itself was misused (an invalid definition, a
 *   duplicate execution name). These are thrown to the caller and never enter an execution.
 */
import { type ErrorCategory, FristflowError } from "../../../shared/errors/errors.ts";

/** Step Functions' predefined error names (only the ones this engine can raise or match). */
export const StatesErrors = {
  /** Wildcard in ErrorEquals: every error except the terminal ones below. */
  ALL: "States.ALL",
  /** Wildcard in a Task's ErrorEquals: like ALL, but not States.Timeout. */
  TaskFailed: "States.TaskFailed",
  Timeout: "States.Timeout",
  /** A path or template could not be applied. Terminal: never retried, never caught. */
  Runtime: "States.Runtime",
  ResultPathMatchFailure: "States.ResultPathMatchFailure",
  NoChoiceMatched: "States.NoChoiceMatched",
  IntrinsicFailure: "States.IntrinsicFailure",
} as const;

/** What Step Functions calls `Error` and `Cause`; `name` is the Error, `message` the Cause. */
export class StatesError extends FristflowError {
  /** What the states' Retry and Catch make of it is up to the definition, not to a category. */
  readonly category: ErrorCategory = "internal";

  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }

  get error(): string {
    return this.name;
  }

  get causeText(): string {
    return this.message;
  }
}

/**
 * Errors that end the execution at once: AWS documents that a Retry or Catch on States.ALL does
 * not match States.Runtime (a broken path in the definition will not heal by retrying).
 */
export function isTerminalError(errorName: string): boolean {
  return errorName === StatesErrors.Runtime;
}

/**
 * Whether one ErrorEquals list matches an error, with the spec's wildcards. Order matters only
 * between retriers or catchers (the first match wins), not inside one list.
 */
export function errorEqualsMatches(errorEquals: readonly string[], errorName: string): boolean {
  if (isTerminalError(errorName)) return false;
  return errorEquals.some(
    (candidate) =>
      candidate === errorName ||
      candidate === StatesErrors.ALL ||
      (candidate === StatesErrors.TaskFailed && errorName !== StatesErrors.Timeout),
  );
}

/** The engine was misused: a name or ARN it cannot take, a step where it cannot be. */
export class EngineError extends FristflowError {
  readonly category: ErrorCategory = "invalid";
}

/** The definition uses something the engine does not implement or breaks the spec. */
export class DefinitionError extends EngineError {}

/** StartExecution with a name already used by another execution (AWS: ExecutionAlreadyExists). */
export class ExecutionAlreadyExistsError extends EngineError {
  override readonly category: ErrorCategory = "conflict";

  constructor(readonly executionArn: string) {
    super(`An execution named like ${executionArn} already exists with another input or has finished`);
  }
}

/**
 * Another engine changed an execution this engine holds (its version moved on). Two engines on
 * one table would run every step twice; the loser stops touching that execution instead.
 */
export class ExecutionOwnershipLostError extends EngineError {
  override readonly category: ErrorCategory = "conflict";

  constructor(readonly executionArn: string) {
    super(`Execution ${executionArn} was changed by another engine; this engine lets go of it`);
  }
}

/** Raised inside an engine after crash(): everything it still had in flight is dropped. */
export class EngineStoppedError extends EngineError {
  override readonly category: ErrorCategory = "unavailable";

  constructor() {
    super("The engine was stopped; nothing more is written");
  }
}
