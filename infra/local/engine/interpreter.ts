/**
 * The interpreter proper: pure functions from (definition, where an execution stands, now) to the
 * next step. It does no I/O and keeps no state, so the engine can persist a position, die, load
 * it again and carry on with exactly the same result; and tests can drive it without DynamoDB.
 *
 * The engine calls `enterState` for the state an execution is at. That either settles the state
 * (a transition, a Wait timer, the end) or asks for a task to be run; the task's outcome then goes
 * back through `completeTask` or `failState`, which applies ResultSelector/ResultPath/OutputPath
 * or Retry/Catch.
 */
import type { Temporal } from "../../../shared/time/temporal.ts";
import { evaluateRule, parseTimestamp } from "./choice.ts";
import type {
  Catcher,
  ChoiceState,
  Definition,
  FailState,
  PassState,
  State,
  TaskState,
  WaitState,
} from "./definition.ts";
import { errorEqualsMatches, isTerminalError, StatesError, StatesErrors } from "./errors.ts";
import { isObject, type Json, mustQuery, parsePath, preview } from "./jsonpath.ts";
import { applyInputPath, applyOutputPath, applyResultPath, resolveTemplate } from "./payload.ts";

/** What an execution is, independent of where it stands: the context object's fixed part. */
export interface ExecutionInfo {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  input: Json;
  /** ISO-8601 with milliseconds, as `$$.Execution.StartTime` shows it on AWS. */
  startTime: string;
}

/** Where an execution stands: the state it is in and everything that state needs to run again. */
export interface Position {
  state: string;
  /** The state's raw input (before InputPath). */
  input: Json;
  enteredAt: string;
  /** Attempts used per retrier of this state (index = retrier); reset on entering a new state. */
  retryCounts: number[];
}

export type Continuation =
  | { kind: "transition"; next: string; output: Json }
  | { kind: "succeeded"; output: Json };

export type TaskCall =
  | {
      kind: "lambda";
      functionName: string;
      payload: Json;
      /** The optimized integration wraps the return value in `{ Payload, StatusCode, … }`. */
      wrapResult: boolean;
      waitForTaskToken: boolean;
      timeoutSeconds: number | undefined;
    }
  | { kind: "startExecution"; stateMachineArn: string; input: Json; name: string | undefined };

export type Step =
  | (Continuation & { caught?: { error: string; cause: string } })
  | { kind: "failed"; error: string; cause: string }
  | { kind: "wait"; until: Temporal.Instant; after: Continuation }
  | { kind: "retry"; until: Temporal.Instant; retryCounts: number[]; error: string; cause: string }
  | { kind: "invoke"; call: TaskCall };

/** `$$`: what a state can read about its execution. `Task.Token` only in waitForTaskToken tasks. */
export function contextObject(execution: ExecutionInfo, position: Position, taskToken?: string): Json {
  const context: { [key: string]: Json } = {
    Execution: {
      Id: execution.executionArn,
      Input: execution.input,
      Name: execution.name,
      RoleArn: "arn:aws:iam::000000000000:role/fristflow-local",
      StartTime: execution.startTime,
      RedriveCount: 0,
    },
    State: {
      EnteredTime: position.enteredAt,
      Name: position.state,
      RetryCount: position.retryCounts.reduce((a, b) => a + b, 0),
    },
    StateMachine: { Id: execution.stateMachineArn, Name: execution.stateMachineName },
  };
  if (taskToken !== undefined) context.Task = { Token: taskToken };
  return context;
}

export function stateOf(definition: Definition, name: string): State {
  const state = definition.states.get(name);
  // loadDefinition checked every target, so this only happens with a position from another definition.
  if (!state) throw new StatesError(StatesErrors.Runtime, `The state machine has no state named '${name}'`);
  return state;
}

export interface Environment {
  now: Temporal.Instant;
  /** A number in [0, 1) for FULL jitter; injected so tests can pin it. */
  random: () => number;
}

/**
 * Runs the state at `position` as far as it goes without outside work. `taskToken` is the token a
 * waitForTaskToken task hands out, made by the engine before entering (it must be persisted first).
 */
export function enterState(
  definition: Definition,
  execution: ExecutionInfo,
  position: Position,
  env: Environment,
  taskToken?: string,
): Step {
  const state = stateOf(definition, position.state);
  const context = contextObject(execution, position, taskToken);
  try {
    switch (state.type) {
      case "Task":
        return { kind: "invoke", call: taskCall(state, position.input, context) };
      case "Pass":
        return pass(state, position.input, context);
      case "Wait":
        return wait(state, position.input, context, env.now);
      case "Choice":
        return choose(state, position.input, context);
      case "Succeed":
        return {
          kind: "succeeded",
          output: applyOutputPath(
            state.outputPath,
            applyInputPath(state.inputPath, position.input, context),
            context,
          ),
        };
      case "Fail":
        return fail(state, position.input, context);
    }
  } catch (err) {
    return failState(definition, position, asStatesError(err), env);
  }
}

/** A task's result went through; shape it and move on. */
export function completeTask(
  definition: Definition,
  execution: ExecutionInfo,
  position: Position,
  result: Json,
  env: Environment,
): Step {
  const state = stateOf(definition, position.state);
  if (state.type !== "Task") {
    return { kind: "failed", error: StatesErrors.Runtime, cause: `'${state.name}' is not a Task state` };
  }
  const context = contextObject(execution, position);
  try {
    const selected =
      state.resultSelector === undefined ? result : resolveTemplate(state.resultSelector, result, context);
    const output = applyOutputPath(
      state.outputPath,
      applyResultPath(state.resultPath, position.input, selected),
      context,
    );
    return continueWith(state.next, output);
  } catch (err) {
    return failState(definition, position, asStatesError(err), env);
  }
}

/**
 * The state failed with `error`: the first retrier whose ErrorEquals matches decides (a retrier
 * that has used up its attempts sends the error on to Catch, later retriers are not consulted);
 * then the first matching catcher; otherwise the execution fails.
 */
export function failState(
  definition: Definition,
  position: Position,
  error: StatesError,
  env: Environment,
): Step {
  const failed: Step = { kind: "failed", error: error.error, cause: error.causeText };
  if (isTerminalError(error.error)) return failed;
  const state = stateOf(definition, position.state);
  if (state.type !== "Task") return failed;

  const index = state.retry.findIndex((retrier) => errorEqualsMatches(retrier.errorEquals, error.error));
  const retrier = state.retry[index];
  if (retrier) {
    const used = position.retryCounts[index] ?? 0;
    if (used < retrier.maxAttempts) {
      const retryCounts = [...position.retryCounts];
      while (retryCounts.length < state.retry.length) retryCounts.push(0);
      retryCounts[index] = used + 1;
      return {
        kind: "retry",
        until: env.now.add({ milliseconds: retryDelayMs(retrier, used, env.random) }),
        retryCounts,
        error: error.error,
        cause: error.causeText,
      };
    }
  }

  const catcher = state.catch.find((c) => errorEqualsMatches(c.errorEquals, error.error));
  if (catcher) return caught(catcher, position.input, error);
  return failed;
}

/**
 * IntervalSeconds * BackoffRate^attempt, capped by MaxDelaySeconds; FULL jitter draws uniformly
 * below that (AWS's "full jitter"), so many failing executions do not retry in lockstep.
 */
export function retryDelayMs(
  retrier: {
    intervalSeconds: number;
    backoffRate: number;
    maxDelaySeconds: number | undefined;
    jitter: string;
  },
  attempt: number,
  random: () => number,
): number {
  let seconds = retrier.intervalSeconds * retrier.backoffRate ** attempt;
  if (retrier.maxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.maxDelaySeconds);
  if (retrier.jitter === "FULL") seconds *= random();
  return Math.round(seconds * 1000);
}

function caught(catcher: Catcher, input: Json, error: StatesError): Step {
  const errorOutput: Json = { Error: error.error, Cause: error.causeText };
  try {
    return {
      kind: "transition",
      next: catcher.next,
      output: applyResultPath(catcher.resultPath, input, errorOutput),
      caught: { error: error.error, cause: error.causeText },
    };
  } catch (err) {
    // A catcher whose ResultPath cannot be applied has nowhere left to send the error.
    const e = asStatesError(err);
    return { kind: "failed", error: e.error, cause: e.causeText };
  }
}

function continueWith(next: string | null, output: Json): Continuation {
  return next === null ? { kind: "succeeded", output } : { kind: "transition", next, output };
}

function taskCall(state: TaskState, input: Json, context: Json): TaskCall {
  const effective = applyInputPath(state.inputPath, input, context);
  const parameters =
    state.parameters === undefined ? effective : resolveTemplate(state.parameters, effective, context);
  const timeoutSeconds = taskTimeout(state, effective, context);
  switch (state.resource.kind) {
    case "lambda:invoke": {
      if (!isObject(parameters) || typeof parameters.FunctionName !== "string") {
        throw new StatesError(
          StatesErrors.Runtime,
          `'${state.name}': lambda:invoke needs a FunctionName string`,
        );
      }
      return {
        kind: "lambda",
        functionName: parameters.FunctionName,
        // Lambda's Invoke sends an empty event when no Payload is given.
        payload: Object.hasOwn(parameters, "Payload") ? (parameters.Payload ?? null) : {},
        wrapResult: true,
        waitForTaskToken: state.resource.waitForTaskToken,
        timeoutSeconds,
      };
    }
    case "lambda:function":
      return {
        kind: "lambda",
        functionName: state.resource.functionArn,
        payload: parameters,
        wrapResult: false,
        waitForTaskToken: false,
        timeoutSeconds,
      };
    case "states:startExecution": {
      if (!isObject(parameters) || typeof parameters.StateMachineArn !== "string") {
        throw new StatesError(
          StatesErrors.Runtime,
          `'${state.name}': startExecution needs a StateMachineArn string`,
        );
      }
      const rawInput = parameters.Input ?? {};
      let childInput: Json = rawInput;
      // The API takes Input as a JSON string; the integration also accepts an object and serialises it.
      if (typeof rawInput === "string") {
        try {
          childInput = JSON.parse(rawInput) as Json;
        } catch {
          throw new StatesError(
            "StepFunctions.InvalidExecutionInputException",
            `Input is not JSON: ${rawInput}`,
          );
        }
      }
      const name = parameters.Name;
      return {
        kind: "startExecution",
        stateMachineArn: parameters.StateMachineArn,
        input: childInput,
        name: typeof name === "string" ? name : undefined,
      };
    }
  }
}

/**
 * TimeoutSecondsPath reads the state's input after InputPath (what Parameters is built from,
 * not what it builds), which is how the instance loop points it at `$.step.wait.seconds`.
 */
function taskTimeout(state: TaskState, effective: Json, context: Json): number | undefined {
  if (state.timeoutSeconds !== undefined) return state.timeoutSeconds;
  if (state.timeoutSecondsPath === undefined) return undefined;
  const value = mustQuery(parsePath(state.timeoutSecondsPath), effective, context, "TimeoutSecondsPath");
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new StatesError(
      StatesErrors.Runtime,
      `TimeoutSecondsPath '${state.timeoutSecondsPath}' must select a positive integer, found ${preview(value)}`,
    );
  }
  return value;
}

function pass(state: PassState, input: Json, context: Json): Step {
  const effective = applyInputPath(state.inputPath, input, context);
  let result: Json = effective;
  if (state.result !== undefined) result = state.result.value;
  else if (state.parameters !== undefined) result = resolveTemplate(state.parameters, effective, context);
  const output = applyOutputPath(state.outputPath, applyResultPath(state.resultPath, input, result), context);
  return continueWith(state.next, output);
}

function wait(state: WaitState, input: Json, context: Json, now: Temporal.Instant): Step {
  const effective = applyInputPath(state.inputPath, input, context);
  let until: Temporal.Instant;
  if (state.seconds !== undefined || state.secondsPath !== undefined) {
    const seconds =
      state.seconds ?? mustQuery(parsePath(state.secondsPath ?? "$"), effective, context, "SecondsPath");
    if (typeof seconds !== "number" || !Number.isInteger(seconds) || seconds < 0) {
      throw new StatesError(
        StatesErrors.Runtime,
        `SecondsPath must select a non-negative integer, found ${preview(seconds)}`,
      );
    }
    until = now.add({ seconds });
  } else {
    const text =
      state.timestamp ??
      mustQuery(parsePath(state.timestampPath ?? "$"), effective, context, "TimestampPath");
    const at = typeof text === "string" ? parseTimestamp(text) : undefined;
    if (at === undefined) {
      throw new StatesError(
        StatesErrors.Runtime,
        `The Wait timestamp ${preview(text)} is not an RFC 3339 timestamp`,
      );
    }
    // AWS documents that a Timestamp wait counts whole seconds and drops the milliseconds.
    until = at.round({ smallestUnit: "second", roundingMode: "trunc" });
  }
  const output = applyOutputPath(state.outputPath, effective, context);
  return { kind: "wait", until, after: continueWith(state.next, output) };
}

function choose(state: ChoiceState, input: Json, context: Json): Step {
  const effective = applyInputPath(state.inputPath, input, context);
  const output = applyOutputPath(state.outputPath, effective, context);
  for (const rule of state.choices) {
    if (evaluateRule(rule, effective, context)) return { kind: "transition", next: rule.Next, output };
  }
  if (state.default !== undefined) return { kind: "transition", next: state.default, output };
  return {
    kind: "failed",
    error: StatesErrors.NoChoiceMatched,
    cause: `No Choice rule of '${state.name}' matched and it has no Default`,
  };
}

function fail(state: FailState, input: Json, context: Json): Step {
  const read = (path: string | undefined, fixed: string | undefined, what: string): string => {
    if (path === undefined) return fixed ?? "";
    const value = mustQuery(parsePath(path), input, context, what);
    return typeof value === "string" ? value : JSON.stringify(value);
  };
  return {
    kind: "failed",
    error: read(state.errorPath, state.error, "ErrorPath"),
    cause: read(state.causePath, state.cause, "CausePath"),
  };
}

export function asStatesError(err: unknown): StatesError {
  if (err instanceof StatesError) return err;
  // Anything else thrown while applying paths is a bug in a path or template: terminal, like AWS.
  const message = err instanceof Error ? err.message : String(err);
  return new StatesError(StatesErrors.Runtime, message);
}
