/**
 * From the interpreter's steps to execution records: what the record becomes after a step and
 * which events that stands for. No I/O; the engine writes the change (EngineCore.mutate) and
 * only then acts on it.
 */
import type { Temporal } from "../../../shared/time/temporal.ts";
import type { Definition, State } from "./definition.ts";
import { EngineError, StatesError, StatesErrors } from "./errors.ts";
import {
  completeTask,
  type Environment,
  type ExecutionInfo,
  enterState,
  failState,
  type Step,
} from "./interpreter.ts";
import type { Json } from "./jsonpath.ts";
import { isoMillis } from "./names.ts";
import type { ExecutionRecord, TokenOutcome } from "./store.ts";
import type { EngineEvent } from "./types.ts";

/** What a step makes of an execution: the next record and the events it stands for. */
export interface Change {
  record: ExecutionRecord;
  events: EngineEvent[];
}

/** How a task ended: its result, or the error Step Functions would see. */
export type TaskOutcome = { ok: true; result: Json } | { ok: false; error: StatesError };

/** What the transition functions read: the definition and the engine's clock and randomness. */
export interface StepContext {
  readonly definition: Definition;
  now(): Temporal.Instant;
  env(): Environment;
}

/** Pure states run within one write; the cap keeps a Pass/Choice cycle from spinning forever. */
const MAX_FOLDED_STATES = 25;
const PURE_STATES: ReadonlySet<State["type"]> = new Set(["Choice", "Pass", "Succeed", "Fail"]);

/** A task's result (or a signal's output) completes the current state; an error fails it. */
export function taskStep(ctx: StepContext, record: ExecutionRecord, outcome: TaskOutcome): Step {
  return outcome.ok
    ? completeTask(ctx.definition, infoOf(record), record.position, outcome.result, ctx.env())
    : failState(ctx.definition, record.position, outcome.error, ctx.env());
}

/** SendTaskSuccess/Failure on the parked task. */
export function tokenStep(ctx: StepContext, record: ExecutionRecord, outcome: TokenOutcome): Step {
  if (outcome.ok)
    return completeTask(ctx.definition, infoOf(record), record.position, outcome.output, ctx.env());
  return failState(ctx.definition, record.position, new StatesError(outcome.error, outcome.cause), ctx.env());
}

/** The parked task's TimeoutSeconds ran out: States.Timeout, which Retry and Catch may take. */
export function timedOut(ctx: StepContext, record: ExecutionRecord): Step {
  return failState(
    ctx.definition,
    record.position,
    new StatesError(StatesErrors.Timeout, "The task was not completed within its timeout"),
    ctx.env(),
  );
}

/**
 * Turns an interpreter step into the next record and the events it stands for. States without
 * side effects or timers (Choice, Pass, Succeed, Fail) that follow are run in the same change:
 * they are pure functions of the position just reached, so after a crash they are simply
 * computed again, and writing each one would only cost a DynamoDB round trip per state.
 */
export function applyStep(ctx: StepContext, current: ExecutionRecord, step: Step): Change {
  let change = applyOnce(ctx, current, step);
  for (let folded = 0; folded < MAX_FOLDED_STATES; folded++) {
    const record = change.record;
    if (record.status !== "RUNNING" || record.phase.kind !== "ready") break;
    const state = ctx.definition.states.get(record.position.state);
    if (state === undefined || !PURE_STATES.has(state.type)) break;
    const next = applyOnce(
      ctx,
      record,
      enterState(ctx.definition, infoOf(record), record.position, ctx.env()),
    );
    change = { record: next.record, events: [...change.events, ...next.events] };
  }
  return change;
}

function applyOnce(ctx: StepContext, current: ExecutionRecord, step: Step): Change {
  const executionArn = current.executionArn;
  const from = current.position.state;
  const now = isoMillis(ctx.now());
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

export function waitsForToken(state: State): boolean {
  return state.type === "Task" && state.resource.kind === "lambda:invoke" && state.resource.waitForTaskToken;
}

export function infoOf(record: ExecutionRecord): ExecutionInfo {
  return {
    executionArn: record.executionArn,
    name: record.name,
    stateMachineArn: record.stateMachineArn,
    stateMachineName: record.stateMachineName,
    input: record.input,
    startTime: record.startTime,
  };
}
