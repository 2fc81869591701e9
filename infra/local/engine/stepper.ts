/**
 * Advancing one execution by one step: run its current state (a task, with a waitForTaskToken
 * task's token written before the park Lambda sees it), end a Wait or a retry backoff, or time a
 * parked task out; and the task integrations behind it (lambda:invoke, states:startExecution).
 * Each step's result counts only once the change it causes is written (EngineCore.mutate).
 */
import { Temporal } from "../../../shared/time/temporal.ts";
import type { EngineCore, Live } from "./core.ts";
import { EngineStoppedError, ExecutionAlreadyExistsError, StatesError } from "./errors.ts";
import { asStatesError, enterState, type TaskCall } from "./interpreter.ts";
import type { Json } from "./jsonpath.ts";
import { invokeLambda } from "./lambda.ts";
import { childName, isoMillis } from "./names.ts";
import type { ExecutionRecord } from "./store.ts";
import { newTaskToken } from "./tokens.ts";
import {
  applyStep,
  infoOf,
  type TaskOutcome,
  taskStep,
  timedOut,
  tokenStep,
  waitsForToken,
} from "./transitions.ts";
import type { EngineEvent } from "./types.ts";

/** What the stepper asks of the engine around it. */
export interface StepperHost {
  /** New work for an execution (the scheduler starts its driver when it should run). */
  kick(live: Live): void;
  /** StartExecution of this state machine. */
  start(input: Json, name: string): Promise<string>;
}

export class Stepper {
  constructor(
    private readonly core: EngineCore,
    private readonly host: StepperHost,
  ) {}

  async advance(live: Live): Promise<void> {
    const core = this.core;
    const record = live.record;
    switch (record.phase.kind) {
      case "ready":
      case "retrying":
        return this.runCurrentState(live);
      case "waiting": {
        const after = record.phase.after;
        return core.mutate(live, (current) =>
          current.version === record.version ? applyStep(core, current, after) : null,
        );
      }
      case "parked": {
        const phase = record.phase;
        if (phase.early !== null) {
          const early = phase.early;
          return core.mutate(live, (current) =>
            current.version === record.version
              ? applyStep(core, current, tokenStep(core, current, early))
              : null,
          );
        }
        if (!live.parkRan) {
          // After a restart: the park Lambda may or may not have stored the token; run it again.
          const step = enterState(core.definition, infoOf(record), record.position, core.env(), phase.token);
          if (step.kind !== "invoke") return core.mutate(live, (current) => applyStep(core, current, step));
          return this.runPark(live, step.call, phase.token);
        }
        return core.mutate(live, (current) =>
          current.version === record.version ? applyStep(core, current, timedOut(core, current)) : null,
        );
      }
      case "ended":
        return;
    }
  }

  private async runCurrentState(live: Live): Promise<void> {
    const core = this.core;
    const record = live.record;
    const state = core.definition.states.get(record.position.state);
    const token = state !== undefined && waitsForToken(state) ? newTaskToken(record) : undefined;
    const step = enterState(core.definition, infoOf(record), record.position, core.env(), token);
    if (step.kind !== "invoke") {
      return core.mutate(live, (current) =>
        current.version === record.version ? applyStep(core, current, step) : null,
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
          : isoMillis(core.now().add({ seconds: call.timeoutSeconds }));
      // The token is written before the park Lambda sees it, so any signal it leads to finds it.
      await core.mutate(live, (current) =>
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
    core.emit(scheduled);
    const outcome = await this.runTask(call, record);
    await core.mutate(live, (current) =>
      current.version === record.version ? applyStep(core, current, taskStep(core, current, outcome)) : null,
    );
  }

  private async runPark(live: Live, call: TaskCall, token: string): Promise<void> {
    const core = this.core;
    live.parkInFlight = true;
    let outcome: TaskOutcome;
    try {
      outcome = await this.runTask(call, live.record);
    } finally {
      live.parkInFlight = false;
      live.parkRan = true;
    }
    await core.mutate(live, (current) => {
      const phase = current.phase;
      if (phase.kind !== "parked" || phase.token !== token) return null;
      if (phase.early !== null) return applyStep(core, current, tokenStep(core, current, phase.early));
      if (!outcome.ok) return applyStep(core, current, taskStep(core, current, outcome));
      if (
        phase.timeoutAt !== null &&
        Temporal.Instant.compare(Temporal.Instant.from(phase.timeoutAt), core.now()) <= 0
      ) {
        return applyStep(core, current, timedOut(core, current));
      }
      // Parked: nothing to write; the next change is a signal or the timeout.
      return null;
    });
  }

  private async runTask(call: TaskCall, record: ExecutionRecord): Promise<TaskOutcome> {
    try {
      const result =
        call.kind === "lambda"
          ? await invokeLambda(call, {
              functions: this.core.options.functions,
              enforceTimeout: this.core.realMode,
              onInvoke: () => {
                this.core.metrics.lambdaInvocations++;
              },
            })
          : await this.startChild(call, record);
      return { ok: true, result };
    } catch (err) {
      if (err instanceof EngineStoppedError) throw err;
      return { ok: false, error: asStatesError(err) };
    }
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
    const stateMachineArn = this.core.options.stateMachineArn;
    if (call.stateMachineArn !== stateMachineArn) {
      throw new StatesError(
        "StepFunctions.StateMachineDoesNotExistException",
        `State Machine Does Not Exist: '${call.stateMachineArn}' (the local engine runs only ${stateMachineArn})`,
      );
    }
    const derived = call.name === undefined;
    const name = call.name ?? childName(parent);
    let executionArn: string;
    try {
      executionArn = await this.host.start(call.input, name);
    } catch (err) {
      if (!(err instanceof ExecutionAlreadyExistsError)) throw err;
      if (!derived) throw new StatesError("StepFunctions.ExecutionAlreadyExistsException", err.message);
      executionArn = err.executionArn;
      await this.adopt(executionArn);
    }
    const child = await this.core.store.get(executionArn);
    return { ExecutionArn: executionArn, StartDate: child?.startTime ?? isoMillis(this.core.now()) };
  }

  /**
   * A re-run StartExecution found its child already written: if that child is running but not
   * held here (written by an engine that died after this one loaded), take it on.
   */
  private async adopt(executionArn: string): Promise<void> {
    const core = this.core;
    if (core.live.has(executionArn)) return;
    const record = await core.store.get(executionArn);
    if (record?.status !== "RUNNING" || core.live.has(executionArn)) return;
    this.host.kick(core.hold(record));
  }
}
