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
 *
 * The parts: types.ts (the public contract), local-engine.ts (the Engine itself, wiring the
 * rest), core.ts (what an engine holds; the one write path), scheduler.ts (drivers, timers and
 * the three modes), stepper.ts (one step of one execution), transitions.ts (steps to records),
 * lambda.ts (the lambda:invoke integration), names.ts and tokens.ts (names, ARNs, task tokens),
 * store.ts (the table), and interpreter.ts with its helpers (the ASL itself).
 */
import { loadDefinition } from "./definition.ts";
import { LocalEngine } from "./local-engine.ts";
import { stateMachineNameOf } from "./names.ts";
import { ExecutionStore } from "./store.ts";
import type { Engine, EngineOptions } from "./types.ts";

export { executionNameFor, isoMillis } from "./names.ts";
export type {
  Engine,
  EngineEvent,
  EngineHooks,
  EngineOptions,
  EngineStats,
  ExecutionDescription,
  FunctionRegistry,
  RunOptions,
  RunResult,
} from "./types.ts";

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const definition = loadDefinition(options.definition);
  const machineName = stateMachineNameOf(options.stateMachineArn);
  const store = new ExecutionStore(options.doc, options.tableName);
  await store.ensureTable();
  const engine = new LocalEngine(options, definition, machineName, store);
  if (options.resume !== false) await engine.resume();
  return engine;
}
