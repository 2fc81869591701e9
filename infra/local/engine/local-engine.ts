/**
 * The Engine createEngine returns: StartExecution, SendTaskSuccess/Failure, describe and list,
 * the counters, close and crash. It wires the parts together: EngineCore (what the engine holds
 * and how an execution is changed), the Scheduler (when executions run) and the Stepper (what
 * one step of an execution does).
 */
import { randomUUID } from "node:crypto";
import type { LoopStarter, Signaller } from "../../../shared/app/ports.ts";
import { WAKE_ERROR_NAME } from "../../../shared/loop/asl.ts";
import { DECIDE_AT_ONCE } from "../../../shared/loop/contract.ts";
import { EngineCore } from "./core.ts";
import type { Definition } from "./definition.ts";
import { EngineError, EngineStoppedError, ExecutionAlreadyExistsError } from "./errors.ts";
import type { Json } from "./jsonpath.ts";
import { toJson } from "./lambda.ts";
import { executionArnOf, executionNameFor, isoMillis, isValidExecutionName } from "./names.ts";
import { Scheduler } from "./scheduler.ts";
import { Stepper } from "./stepper.ts";
import type { ExecutionRecord, ExecutionStore, TokenOutcome } from "./store.ts";
import { executionOfToken } from "./tokens.ts";
import { applyStep, tokenStep } from "./transitions.ts";
import type {
  Engine,
  EngineOptions,
  EngineStats,
  ExecutionDescription,
  RunOptions,
  RunResult,
} from "./types.ts";

export class LocalEngine implements Engine {
  readonly stateMachineArn: string;
  readonly signaller: Signaller;
  readonly starter: LoopStarter;

  private readonly core: EngineCore;
  private readonly scheduler: Scheduler;
  private resumed = false;

  constructor(options: EngineOptions, definition: Definition, machineName: string, store: ExecutionStore) {
    this.stateMachineArn = options.stateMachineArn;
    this.core = new EngineCore(options, definition, machineName, store);
    const stepper = new Stepper(this.core, {
      kick: (live) => this.scheduler.kick(live),
      start: (input, name) => this.start(input, name),
    });
    this.scheduler = new Scheduler(this.core, (live) => stepper.advance(live));
    this.signaller = {
      // As shared/app/sfn.ts does on AWS: a wake fails the parked task with the error Sleep catches.
      wake: (taskToken, payload) => this.sendTaskFailure(taskToken, WAKE_ERROR_NAME, payload.reason),
      finish: (taskToken, reason) => this.sendTaskSuccess(taskToken, { reason }),
      fail: (taskToken, error, cause) => this.sendTaskFailure(taskToken, error, cause),
    };
    this.starter = {
      start: async (instanceId, firstStep) => {
        const name = executionNameFor(instanceId);
        const execution = {
          id: executionArnOf(this.stateMachineArn, name),
          startedAt: isoMillis(this.core.now()),
        };
        const step = firstStep === undefined ? DECIDE_AT_ONCE : await firstStep(execution);
        try {
          await this.start({ instanceId, step }, name);
        } catch (err) {
          // Already started (and maybe finished, continuing as new): a retried start is done.
          if (!(err instanceof ExecutionAlreadyExistsError)) throw err;
        }
      },
    };
  }

  /** Loads every running execution; a task that was in flight when the last engine died is run again. */
  async resume(): Promise<void> {
    if (this.resumed) return;
    this.resumed = true;
    this.core.assertOpen();
    for (const record of await this.core.store.loadRunning()) {
      // Started by this engine before resume(): already held, and maybe already moving.
      if (!this.core.live.has(record.executionArn)) this.core.hold(record);
    }
    if (this.core.realMode) this.scheduler.startDueDrivers();
  }

  // ---------------------------------------------------------------- starting

  async start(input: Json, name?: string): Promise<string> {
    const core = this.core;
    core.assertOpen();
    const executionName = name ?? randomUUID();
    if (!isValidExecutionName(executionName)) {
      throw new EngineError(`'${executionName}' is not a valid execution name`);
    }
    const executionArn = executionArnOf(this.stateMachineArn, executionName);
    const startTime = isoMillis(core.now());
    const record: ExecutionRecord = {
      executionArn,
      name: executionName,
      stateMachineArn: this.stateMachineArn,
      stateMachineName: core.machineName,
      status: "RUNNING",
      input,
      startTime,
      position: { state: core.definition.startAt, input, enteredAt: startTime, retryCounts: [] },
      phase: { kind: "ready" },
      transitions: 1,
      version: 1,
    };
    const outcome = await core.tracked(core.store.create(record));
    if (!outcome.created) {
      const existing = outcome.existing;
      if (existing.status === "RUNNING" && JSON.stringify(existing.input) === JSON.stringify(input)) {
        return executionArn;
      }
      throw new ExecutionAlreadyExistsError(executionArn);
    }
    core.metrics.writes++;
    core.metrics.executionsStarted++;
    core.metrics.stateTransitions++;
    const live = core.hold(record);
    core.emit({ type: "ExecutionStarted", executionArn, input });
    core.emit({ type: "StateEntered", executionArn, state: record.position.state, input });
    core.emit({ type: "Persisted", executionArn, writes: core.metrics.writes });
    if (core.stopped) throw new EngineStoppedError();
    this.scheduler.kick(live);
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
    const core = this.core;
    core.assertOpen();
    const executionArn = executionOfToken(taskToken);
    const live = executionArn === undefined ? undefined : core.live.get(executionArn);
    if (!live) return;
    await core.mutate(live, (current) => {
      const phase = current.phase;
      if (phase.kind !== "parked" || phase.token !== taskToken || phase.early !== null) return null;
      // The park Lambda is still running (it may be the one signalling, having seen a change
      // since decide): keep the outcome durably and let the Lambda's return complete the task.
      if (live.parkInFlight)
        return { record: { ...current, phase: { ...phase, early: outcome } }, events: [] };
      return applyStep(core, current, tokenStep(core, current, outcome));
    });
    this.scheduler.kick(live);
  }

  // ---------------------------------------------------------------- running

  runUntilIdle(): Promise<void> {
    return this.scheduler.runUntilIdle();
  }

  run(options?: RunOptions): Promise<RunResult> {
    return this.scheduler.run(options);
  }

  // ---------------------------------------------------------------- reading

  async describe(executionArn: string): Promise<ExecutionDescription | undefined> {
    const live = this.core.live.get(executionArn);
    const record = live?.record ?? (await this.core.store.get(executionArn));
    return record === undefined ? undefined : describeRecord(record);
  }

  async list(): Promise<ExecutionDescription[]> {
    const store = this.core.store;
    const [running, finished] = await Promise.all([store.loadRunning(), store.loadFinished()]);
    return [...running, ...finished]
      .map(describeRecord)
      .sort((a, b) => a.startTime.localeCompare(b.startTime));
  }

  runningCount(): number {
    return this.core.live.size;
  }

  stats(): EngineStats {
    return { ...this.core.metrics };
  }

  // ---------------------------------------------------------------- stopping

  async close(): Promise<void> {
    const core = this.core;
    if (core.closed) return;
    core.closed = true;
    this.scheduler.stopTimer();
    const busy = [...core.live.values()].flatMap((live) => [live.driver ?? Promise.resolve(), live.lane]);
    await Promise.allSettled(busy);
    core.stop();
  }

  crash(): void {
    this.core.closed = true;
    this.scheduler.stopTimer();
    this.core.stop();
  }
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
