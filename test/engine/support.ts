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
import { buildInstanceLoop, type LoopArns, TRANSIENT_ERROR_NAME } from "../../shared/loop/asl.ts";
import type { DecideInput, DecideOutput } from "../../shared/loop/contract.ts";
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
  decide: fnArn("decide"),
  notify: fnArn("notify"),
  park: fnArn("park"),
  recordFailure: fnArn("record-failure"),
};

export const loopDefinition = () => buildInstanceLoop(LOOP_ARNS);

export class TransientError extends Error {
  override name = TRANSIENT_ERROR_NAME;
}

/**
 * A fake of everything behind the loop's four Lambdas, in memory: instances with a schedule of
 * notification instants, idempotent sending by key (like the real notify, which claims keys in
 * DynamoDB), parking with the revision check, and confirmations that bump the revision and wake
 * a parked execution. Time comes from the same clock the engine uses.
 */
export class FakeWorld {
  readonly instances = new Map<string, FakeInstance>();
  /** Every notify call per key (re-runs included) and the sends that actually happened. */
  readonly attempts = new Map<string, number>();
  readonly sent = new Map<string, number>();
  readonly decideCalls: string[] = [];
  /** Where signals go: set to the current engine (a restarted engine replaces it). */
  signal: (token: string) => Promise<void> = async () => {};
  /** Called inside notify after the sends and before returning: a crash test's hook. */
  afterNotify: () => void = () => {};
  /** Runs inside decide, after it read the instance: e.g. a confirmation racing it. */
  duringDecide: (instanceId: string, call: number) => Promise<void> = async () => {};
  /** Executions decide() ran for, per instance: to check continue-as-new chains. */
  readonly executionsSeen = new Map<string, Set<string>>();

  constructor(
    private readonly clock: Clock,
    private readonly limits = { loopsPerExecution: 500, daysPerExecution: 300 },
  ) {}

  add(instanceId: string, schedule: string[], options: { endAt?: string; failDecides?: number } = {}): void {
    const times = schedule.map((t) => Temporal.Instant.from(t));
    this.instances.set(instanceId, {
      rev: 1,
      schedule: times,
      endAt: Temporal.Instant.from(options.endAt ?? schedule.at(-1) ?? "1970-01-01T00:00:00Z"),
      token: null,
      failDecides: options.failDecides ?? 0,
      failuresInRow: 0,
      loopsByExecution: new Map(),
      confirmed: 0,
    });
  }

  key(instanceId: string, at: Temporal.Instant): string {
    return `${instanceId}/${at.toString()}`;
  }

  functions(): FunctionRegistry {
    return {
      [LOOP_ARNS.decide]: async (payload) => {
        const input = payload as DecideInput;
        const output = this.decide(input);
        await this.duringDecide(
          input.instanceId,
          this.decideCalls.filter((id) => id === input.instanceId).length,
        );
        return output;
      },
      [LOOP_ARNS.notify]: async (payload) =>
        this.notify(
          payload as { instanceId: string; notifications: { key: string }[]; nextWakeAt: string | null },
        ),
      [LOOP_ARNS.park]: async (payload) =>
        this.park(payload as { instanceId: string; rev: number; taskToken: string }),
      [LOOP_ARNS.recordFailure]: async (payload) => this.recordFailure(payload as { instanceId: string }),
    };
  }

  private instance(id: string): FakeInstance {
    const instance = this.instances.get(id);
    if (!instance) throw new Error(`no instance ${id}`);
    return instance;
  }

  decide(input: DecideInput): DecideOutput {
    const now = this.clock.now();
    const instance = this.instance(input.instanceId);
    this.decideCalls.push(input.instanceId);
    const seen = this.executionsSeen.get(input.instanceId) ?? new Set();
    seen.add(input.execution.id);
    this.executionsSeen.set(input.instanceId, seen);
    if (instance.failDecides > 0) {
      instance.failDecides--;
      throw new Error("decide broke for good");
    }
    instance.failuresInRow = 0;
    const loops = (instance.loopsByExecution.get(input.execution.id) ?? 0) + 1;
    instance.loopsByExecution.set(input.execution.id, loops);
    const due = instance.schedule.filter(
      (t) => Temporal.Instant.compare(t, now) <= 0 && !this.sent.has(this.key(input.instanceId, t)),
    );
    const upcoming = instance.schedule.filter((t) => Temporal.Instant.compare(t, now) > 0);
    const done =
      due.length === 0 && upcoming.length === 0 && Temporal.Instant.compare(now, instance.endAt) >= 0;
    const age = now.since(Temporal.Instant.from(input.execution.startedAt)).total("hours") / 24;
    const next = upcoming[0] ?? (done ? null : instance.endAt);
    return {
      instanceId: input.instanceId,
      rev: instance.rev,
      done,
      continueAsNew: !done && (loops >= this.limits.loopsPerExecution || age >= this.limits.daysPerExecution),
      notify: due.length > 0,
      notifications: due.map((t, index) => ({
        key: this.key(input.instanceId, t),
        kind: "reminder" as const,
        occurrenceKey: "m",
        milestoneId: "m",
        unitId: null,
        index,
        dueAt: t.toString(),
        at: t.toString(),
        recipient: { kind: "param" as const, name: "owner" },
      })),
      nextWakeAt: next?.toString() ?? null,
      waitSeconds: next === null ? 1 : Math.max(1, Math.ceil(next.since(now).total("seconds"))),
    };
  }

  notify(input: { instanceId: string; notifications: { key: string }[]; nextWakeAt: string | null }): {
    sent: number;
    skipped: number;
    waitSeconds: number;
  } {
    let sent = 0;
    for (const { key } of input.notifications) {
      this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
      if (this.sent.has(key)) continue;
      this.sent.set(key, 1);
      sent++;
    }
    this.afterNotify();
    // Like the real notify: the Sleep after the batch counts from now, not from decide.
    return {
      sent,
      skipped: input.notifications.length - sent,
      waitSeconds: waitSeconds(input.nextWakeAt, this.clock.now()),
    };
  }

  /** Like the real park: keep the token unless the instance changed since decide, then wake at once. */
  async park(input: { instanceId: string; rev: number; taskToken: string }): Promise<{ parked: boolean }> {
    const instance = this.instance(input.instanceId);
    if (instance.rev !== input.rev) {
      await this.signal(input.taskToken);
      return { parked: false };
    }
    instance.token = input.taskToken;
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
    if (token !== null) await this.signal(token);
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
  failDecides: number;
  failuresInRow: number;
  loopsByExecution: Map<string, number>;
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
