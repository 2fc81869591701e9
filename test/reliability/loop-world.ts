/**
 * The instance loop wired as infra/local/stack.ts wires it (the one ASL on the local engine in
 * skip mode, the three real Lambda handlers in-process, the store on DynamoDB Local), but with the
 * seams a fault test needs and the stack does not offer: the store's DynamoDB client (middleware
 * that throttles), the mail transport (SES with a scripted HTTP handler), and a wrapper around each
 * Lambda (one that throws, or a second worker racing the first).
 */

import { Logger } from "@aws-lambda-powertools/logger";
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import type { Context as LambdaContext } from "aws-lambda";
import { createParkHandler } from "../../functions/park.ts";
import { createRecordFailureHandler } from "../../functions/record-failure.ts";
import { createStepHandler } from "../../functions/step.ts";
import { createLocalDynamoDbClient, LOCAL_REGION } from "../../infra/local/dynamodb.ts";
import type { Engine, EngineEvent } from "../../infra/local/engine/index.ts";
import { SkippingClock } from "../../infra/local/engine/index.ts";
import { DefinitionCache } from "../../shared/app/definitions.ts";
import type { NotifyDeps } from "../../shared/app/notify.ts";
import type { LoopArns } from "../../shared/loop/asl.ts";
import { WAKE_ERROR_NAME } from "../../shared/loop/asl.ts";
import type { MailTransport } from "../../shared/mail/transport.ts";
import type { Unit, Workflow } from "../../shared/model/schema.ts";
import {
  createStoreDocumentClient,
  dynamoStores,
  ensureTable,
  type Stores,
} from "../../shared/store/index.ts";
import { resolveStart } from "../../shared/timeline/plan.ts";
import { createOutbox, fixedLinkKey, type Outbox, SETTINGS } from "../app/fixtures.ts";
import { type EngineTable, engineTable, LOOP_ARNS, loopDefinition, testEngine } from "../engine/support.ts";
import { dynamoDbEndpoint } from "../support/dynamodb.ts";

export type LambdaFn = (payload: unknown) => Promise<unknown>;

export interface LoopWorldOptions {
  /** Virtual start of the clock (and of instances started without their own start). */
  start: string;
  /** Default: a file outbox in a temp folder, like the local stack's. */
  transport?: (outbox: Outbox) => MailTransport;
  /** Called with the store's low-level client before use: add middleware here. */
  dynamo?: (client: DynamoDBClient) => void;
  /** Wraps a Lambda as the engine calls it. */
  wrap?: Partial<Record<keyof LoopArns, (inner: LambdaFn) => LambdaFn>>;
  notify?: Partial<NotifyDeps>;
}

export interface LoopWorld {
  stores: Stores;
  /** A store on the same table whose client has no injected faults, for the test's own reads. */
  reader: Stores;
  clock: SkippingClock;
  engine: Engine;
  events: EngineEvent[];
  outbox: Outbox;
  /** The backoff waits sendWithRetry asked for (virtual: nothing sleeps). */
  mailSleeps: number[];
  /**
   * For crash tests: the engine dies as in engine.crash() (nothing more is written) and a new one
   * takes over the same tables, resuming every execution; handlers still running are left behind.
   */
  restart(): Promise<Engine>;
  /** Stores the definition (next version) and starts an instance over the given units. */
  startInstance(
    definition: Workflow,
    options?: { units?: Unit[]; params?: Record<string, string>; start?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

const silent = () => new Logger({ serviceName: "fristflow-reliability", logLevel: "SILENT" });

let counter = 0;
/** Attempts the store's DynamoDB client makes per request (the SDK's default for DynamoDB). */
export const SDK_ATTEMPTS = 4;

/** A Sleep state's ordinary ways on (its timer, a signal's wake): caught, but not faults. */
export function isWakeUp(error: string): boolean {
  return error === "States.Timeout" || error === WAKE_ERROR_NAME;
}

export async function loopWorld(options: LoopWorldOptions): Promise<LoopWorld> {
  const endpoint = dynamoDbEndpoint();
  const tableName = `reliability-${Date.now()}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  const admin = createLocalDynamoDbClient(endpoint);
  await ensureTable(admin, tableName);
  // The SDK's own retry strategy and error classification (4 attempts, as the DynamoDB client
  // defaults to), with 10-ms waits instead of its 1-s throttling base: dozens of throttles in seconds.
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    retryStrategy: new ConfiguredRetryStrategy(SDK_ATTEMPTS, (attempt) => 10 * attempt),
  });
  options.dynamo?.(client);
  const doc: DynamoDBDocumentClient = createStoreDocumentClient(client);
  const clock = new SkippingClock(options.start);
  const stores = dynamoStores(doc, tableName, clock);
  const reader = dynamoStores(createStoreDocumentClient(admin), tableName, clock);
  const outbox = await createOutbox(clock);
  const transport = options.transport?.(outbox) ?? outbox.transport;
  const linkKey = fixedLinkKey();
  const definitions = new DefinitionCache();
  const mailSleeps: number[] = [];
  const functions: Record<string, LambdaFn> = {};
  const table: EngineTable = engineTable();
  const newEngine = () =>
    testEngine({ table, definition: loopDefinition(), functions, mode: "skip", clock, random: () => 0.5 });
  const engines = [await newEngine()];
  const current = () => engines[engines.length - 1] as Awaited<ReturnType<typeof newEngine>>;
  // Park wakes whichever engine runs now (a restart replaces it), as the SFN client would.
  const signaller = {
    wake: (token: string, payload: { reason: string }) => current().engine.signaller.wake(token, payload),
    finish: (token: string, reason: string) => current().engine.signaller.finish(token, reason),
    fail: (token: string, error: string, cause: string) =>
      current().engine.signaller.fail(token, error, cause),
  };
  const inProcess = {} as LambdaContext;
  const lambda =
    (handler: (event: unknown, context: LambdaContext) => Promise<unknown>): LambdaFn =>
    (payload) =>
      handler(payload, inProcess);
  const handlers: Record<keyof LoopArns, LambdaFn> = {
    step: lambda(
      createStepHandler({
        ...stores,
        clock,
        settings: SETTINGS,
        transport,
        linkKey,
        definitions,
        logger: silent(),
        random: () => 0.5,
        sleep: async (ms: number) => {
          mailSleeps.push(ms);
        },
        ...options.notify,
      }),
    ),
    park: lambda(createParkHandler({ ...stores, signaller, logger: silent() })),
    recordFailure: lambda(createRecordFailureHandler({ ...stores, clock, logger: silent() })),
  };
  for (const name of Object.keys(handlers) as (keyof LoopArns)[]) {
    const wrap = options.wrap?.[name];
    functions[LOOP_ARNS[name]] = wrap ? wrap(handlers[name]) : handlers[name];
  }

  return {
    stores,
    reader,
    clock,
    get engine() {
      return current().engine;
    },
    get events() {
      return engines.flatMap((e) => e.events);
    },
    outbox,
    mailSleeps,
    restart: async () => {
      current().engine.crash();
      engines.push(await newEngine());
      return current().engine;
    },
    startInstance: async (definition, instance = {}) => {
      const saved = await reader.workflows.putVersion({
        workflowId: definition.id,
        source: "reliability test",
        definition,
        createdBy: "test",
      });
      for (const unit of instance.units ?? []) await reader.units.put(unit);
      const instanceId = `${definition.id}-${saved.version}-${++counter}`;
      await reader.instances.create({
        instanceId,
        workflowId: definition.id,
        workflowVersion: saved.version,
        startAt: resolveStart(instance.start ?? options.start, definition.timezone).toString(),
        params: instance.params ?? {},
        units: (instance.units ?? []).map((u) => ({ id: u.id, type: u.type, name: u.name })),
        createdBy: "test",
      });
      await current().engine.starter.start(instanceId);
      return instanceId;
    },
    close: async () => {
      await current()
        .engine.close()
        .catch(() => undefined);
      await table.drop();
      await outbox.remove();
      await admin.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
      admin.destroy();
    },
  };
}
