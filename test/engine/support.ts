/**
 * Shared by the engine tests: a fresh engine table on the run's DynamoDB Local, an engine factory
 * with sensible test defaults, and an in-memory "world" of fake Lambdas for the instance loop.
 */
import { randomUUID } from "node:crypto";
import { DeleteTableCommand, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "../../infra/local/dynamodb.ts";
import {
  createEngine,
  type Engine,
  type EngineEvent,
  type FunctionRegistry,
  type Json,
  type JumpingClock,
} from "../../infra/local/engine/index.ts";
import { continuationName } from "../../shared/app/execution-names.ts";
import type { Signaller } from "../../shared/app/ports.ts";
import {
  buildInstanceLoop,
  CONTINUE_AS_NEW_ERROR_NAME,
  type LoopArns,
  TRANSIENT_ERROR_NAME,
} from "../../shared/loop/asl.ts";
import {
  DECIDE_AT_ONCE,
  type ParkInput,
  type SleepState,
  type StepInput,
  type StepOutput,
} from "../../shared/loop/contract.ts";
import { waitSeconds } from "../../shared/loop/wait.ts";
import type { Clock } from "../../shared/time/clock.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { dynamoDbEndpoint } from "../support/dynamodb.ts";

export const MACHINE_ARN = "arn:aws:states:eu-north-1:123456789012:stateMachine:fristflow-test";

export function fnArn(name: string): string {
  return `arn:aws:lambda:eu-north-1:123456789012:function:${name}`;
}

export interface EngineTable {
  doc: DynamoDBDocumentClient;
  tableName: string;
  drop(): Promise<void>;
}

export function engineTable(): EngineTable {
  const doc = createDocumentClient(dynamoDbEndpoint());
  const tableName = `engine-${randomUUID()}`;
  return {
    doc,
    tableName,
    drop: async () => {
      try {
        await doc.send(new DeleteTableCommand({ TableName: tableName }));
      } catch (err) {
        // A test that failed before its engine created the table has nothing to drop.
        if (!(err instanceof ResourceNotFoundException)) throw err;
      } finally {
        doc.destroy();
      }
    },
  };
}

type Mode = { mode: "real" | "manual"; clock: Clock } | { mode: "skip"; clock: JumpingClock };

export interface TestEngineOptions {
  table: EngineTable;
  definition: unknown;
  functions?: FunctionRegistry;
  random?: () => number;
  onEvent?: (event: EngineEvent, engine: Engine) => void;
}

/** An engine plus the events it emitted, for asserting the path an execution took. */
export interface TestEngine {
  engine: Engine;
  events: EngineEvent[];
  /** The states an execution entered, in order. */
  path(executionArn: string): string[];
}

export async function testEngine(options: TestEngineOptions & Mode): Promise<TestEngine> {
  const events: EngineEvent[] = [];
  let engine: Engine | undefined;
  const base = {
    doc: options.table.doc,
    tableName: options.table.tableName,
    functions: options.functions ?? {},
    definition: options.definition,
    stateMachineArn: MACHINE_ARN,
    random: options.random ?? (() => 0.5),
    hooks: {
      onEvent: (event: EngineEvent) => {
        events.push(event);
        if (engine) options.onEvent?.(event, engine);
      },
    },
  };
  engine =
    options.mode === "skip"
      ? await createEngine({ ...base, mode: "skip", clock: options.clock })
      : await createEngine({ ...base, mode: options.mode, clock: options.clock });
  const created = engine;
  return {
    engine: created,
    events,
    path: (executionArn) =>
      events.flatMap((e) => (e.type === "StateEntered" && e.executionArn === executionArn ? [e.state] : [])),
  };
}

export const LOOP_ARNS: LoopArns = {
  step: fnArn("step"),
  park: fnArn("park"),
  recordFailure: fnArn("record-failure"),
};

export const loopDefinition = () => buildInstanceLoop(LOOP_ARNS);

export class TransientError extends Error {
  override name = TRANSIENT_ERROR_NAME;
}

/**
 * A fake of everything behind the loop's three Lambdas, in memory: instances with a schedule of
 * notification instants, idempotent sending by key (like the real step, which claims keys in
 * DynamoDB), parking with the revision check and the loop count, leaving the loop the way the
 * real park does, and confirmations that bump the revision and wake a parked execution. Time
 * comes from the same clock the engine uses.
 */
export class FakeWorld {
  readonly instances = new Map<string, FakeInstance>();
  /** Every send attempt per key (re-runs included) and the sends that actually happened. */
  readonly attempts = new Map<string, number>();
  readonly sent = new Map<string, number>();
  readonly stepCalls: string[] = [];
  /** Where signals go: set to the current engine's (a restarted engine replaces it). */
  signaller: Signaller = { wake: async () => {}, finish: async () => {}, fail: async () => {} };
  /** Called inside a step that sent, after the sends and before returning: a crash test's hook. */
  afterSend: () => void = () => {};
  /** Runs inside the step, after it decided and before it sends: e.g. a confirmation racing it. */
  duringStep: (instanceId: string, call: number) => Promise<void> = async () => {};
  /** Executions the step ran in, per instance: to check continue-as-new chains. */
  readonly executionsSeen = new Map<string, Set<string>>();

  constructor(
    private readonly clock: Clock,
    private readonly limits = { loopsPerExecution: 500, daysPerExecution: 300 },
  ) {}

  add(instanceId: string, schedule: string[], options: { endAt?: string; failSteps?: number } = {}): void {
    const times = schedule.map((t) => Temporal.Instant.from(t));
    this.instances.set(instanceId, {
      rev: 1,
      schedule: times,
      endAt: Temporal.Instant.from(options.endAt ?? schedule.at(-1) ?? "1970-01-01T00:00:00Z"),
      token: null,
      failSteps: options.failSteps ?? 0,
      failuresInRow: 0,
      loops: { id: "", loops: 0 },
      confirmed: 0,
    });
  }

  key(instanceId: string, at: Temporal.Instant): string {
    return `${instanceId}/${at.toString()}`;
  }

  functions(): FunctionRegistry {
    return {
      [LOOP_ARNS.step]: async (payload) => this.step(payload as StepInput),
      [LOOP_ARNS.park]: async (payload) => this.park(payload as ParkInput),
      [LOOP_ARNS.recordFailure]: async (payload) => this.recordFailure(payload as { instanceId: string }),
    };
  }

  private instance(id: string): FakeInstance {
    const instance = this.instances.get(id);
    if (!instance) throw new Error(`no instance ${id}`);
    return instance;
  }

  /** Decides like the real step (what is due, when next, done, continue as new), then sends. */
  async step(input: StepInput): Promise<StepOutput> {
    const now = this.clock.now();
    const instance = this.instance(input.instanceId);
    this.stepCalls.push(input.instanceId);
    const seen = this.executionsSeen.get(input.instanceId) ?? new Set();
    seen.add(input.execution.id);
    this.executionsSeen.set(input.instanceId, seen);
    if (instance.failSteps > 0) {
      instance.failSteps--;
      throw new Error("the step broke for good");
    }
    instance.failuresInRow = 0;
    // The loop count as park recorded it (the real step reads it from the instance item).
    const loops = (instance.loops.id === input.execution.id ? instance.loops.loops : 0) + 1;
    const rev = instance.rev;
    const due = instance.schedule.filter(
      (t) => Temporal.Instant.compare(t, now) <= 0 && !this.sent.has(this.key(input.instanceId, t)),
    );
    const upcoming = instance.schedule.filter((t) => Temporal.Instant.compare(t, now) > 0);
    const done =
      due.length === 0 && upcoming.length === 0 && Temporal.Instant.compare(now, instance.endAt) >= 0;
    const age = now.since(Temporal.Instant.from(input.execution.startedAt)).total("hours") / 24;
    const next = upcoming[0] ?? (done ? null : instance.endAt);
    await this.duringStep(input.instanceId, this.stepCalls.filter((id) => id === input.instanceId).length);

    let sent = 0;
    for (const t of due) {
      const key = this.key(input.instanceId, t);
      this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
      if (this.sent.has(key)) continue;
      this.sent.set(key, 1);
      sent++;
    }
    if (due.length > 0) this.afterSend();
    const continueAsNew =
      !done && (loops >= this.limits.loopsPerExecution || age >= this.limits.daysPerExecution);
    // Like the real step: the Sleep after the batch counts from now.
    const wait = waitSeconds(next?.toString() ?? null, this.clock.now());
    return {
      instanceId: input.instanceId,
      rev,
      done,
      continueAsNew,
      waitSeconds: wait,
      execution: { id: input.execution.id, startedAt: input.execution.startedAt, loops },
      // Like the real step: the next execution, named by this one, starts asleep (its first step done).
      continuation: continueAsNew
        ? {
            name: continuationName(input.instanceId, input.execution.id, loops),
            step: { rev, done: false, continueAsNew: false, waitSeconds: wait, loops: 1 },
          }
        : null,
      sent,
      skipped: due.length - sent,
    };
  }

  /**
   * Like the real park: leave the loop when the step said so (done completes the token, continue
   * as new fails it); otherwise keep
   * the token and the loop count unless the instance changed since the step, then wake at once.
   */
  async park(input: ParkInput): Promise<{ parked: boolean }> {
    const instance = this.instance(input.instanceId);
    if (input.done) {
      await this.signaller.finish(input.taskToken, "done");
      return { parked: false };
    }
    if (input.continueAsNew) {
      await this.signaller.fail(input.taskToken, CONTINUE_AS_NEW_ERROR_NAME, "");
      return { parked: false };
    }
    if (instance.rev !== input.rev) {
      await this.signaller.wake(input.taskToken, { reason: "changed" });
      return { parked: false };
    }
    instance.token = input.taskToken;
    instance.loops = { id: input.execution.id, loops: input.execution.loops };
    return { parked: true };
  }

  recordFailure(input: { instanceId: string }): { giveUp: boolean; retryInSeconds: number } {
    const instance = this.instance(input.instanceId);
    instance.failuresInRow++;
    return { giveUp: instance.failuresInRow >= 3, retryInSeconds: 60 };
  }

  /** A confirmation: write first (bump rev), then wake the parked execution if there is one. */
  async confirm(instanceId: string): Promise<void> {
    const instance = this.instance(instanceId);
    instance.rev++;
    instance.confirmed++;
    const token = instance.token;
    instance.token = null;
    if (token !== null) await this.signaller.wake(token, { reason: "confirm" });
  }

  expectedKeys(): string[] {
    return [...this.instances.entries()].flatMap(([id, instance]) =>
      instance.schedule.map((t) => this.key(id, t)),
    );
  }
}

interface FakeInstance {
  rev: number;
  schedule: Temporal.Instant[];
  endAt: Temporal.Instant;
  token: string | null;
  failSteps: number;
  failuresInRow: number;
  /** What park last recorded: the execution and its loop count. */
  loops: { id: string; loops: number };
  confirmed: number;
}

/** Finds the one execution event of a type (for asserting outputs and errors). */
export function finalEvent(events: EngineEvent[], executionArn: string): EngineEvent | undefined {
  return events.find(
    (e) =>
      e.executionArn === executionArn && (e.type === "ExecutionSucceeded" || e.type === "ExecutionFailed"),
  );
}

export function asJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** An execution's input as a starter gives it without a first step: the loop decides at once. */
export function loopInput(instanceId: string): { instanceId: string; step: SleepState } {
  return { instanceId, step: { ...DECIDE_AT_ONCE } };
}
