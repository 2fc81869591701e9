/**
 * The embedded local stack: DynamoDB Local, the local engine running the one instance-loop
 * state machine, the Lambda handlers called in-process, the HTTP app (confirm pages, admin API,
 * dashboard) and a file outbox for mail. Same artefacts as AWS; only the adapters differ.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Context as LambdaContext } from "aws-lambda";
import { createParkHandler } from "../../functions/park.ts";
import { createRecordFailureHandler } from "../../functions/record-failure.ts";
import { createStepHandler } from "../../functions/step.ts";
import { accessLogDaysFrom } from "../../shared/app/access-log.ts";
import { DefinitionCache } from "../../shared/app/definitions.ts";
import { ensureLocalUsers } from "../../shared/app/people.ts";
import type { AppSettings } from "../../shared/app/ports.ts";
import { createHttpApp } from "../../shared/http/app.ts";
import { type Env, readLoginSettings, readSamlSettings } from "../../shared/http/login-settings.ts";
import { NodeSamlLogin, type SamlSettings } from "../../shared/http/saml.ts";
import { FileLinkKeyProvider, type LinkKeyProvider } from "../../shared/links/keys.ts";
import { buildInstanceLoop, type LoopArns } from "../../shared/loop/asl.ts";
import { type OutboxRecord as FileOutboxRecord, FileOutboxTransport } from "../../shared/mail/transport.ts";
import type { LocalUser } from "../../shared/model/people.ts";
import { dynamoStores } from "../../shared/store/dynamo/index.ts";
import { ConflictError } from "../../shared/store/errors.ts";
import type { Stores } from "../../shared/store/ports.ts";
import { ensureTable } from "../../shared/store/table.ts";
import { type Clock, systemClock } from "../../shared/time/clock.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { adminTokenIn, openDataFolder } from "./data-folder.ts";
import { createDocumentClient, createLocalDynamoDbClient } from "./dynamodb.ts";
import { superviseDynamoDbLocal } from "./dynamodb-supervisor.ts";
import { createEngine, type Engine, type EngineHooks } from "./engine/engine.ts";
import { SkippingClock } from "./engine/skipping-clock.ts";
import { LocalStackError } from "./errors.ts";
import { createLocalLog, type LogLevel } from "./log.ts";
import { subjectOf } from "./mail-subject.ts";
import { localUsers } from "./oidc/users-file.ts";
import { seedDirectory, seedTemplates } from "./seed.ts";
import { localLogin, serveLocal } from "./web-server.ts";

export { DATA_FORMAT_VERSION } from "./data-folder.ts";
export { LocalStackError } from "./errors.ts";
export const TABLE_NAME = "fristflow";
export const ENGINE_TABLE_NAME = "fristflow-engine";
const LOCAL_ACCOUNT = "000000000000";
const LOCAL_REGION = "eu-north-1";

export interface LocalStackOptions {
  /** Where everything is kept between runs. Undefined: a throwaway folder, removed on stop. */
  dataDir?: string;
  /** HTTP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** real: wall-clock time. skip: virtual time from `startAt`, jumping over quiet periods. */
  clockMode?: "real" | "skip";
  /** Skip mode's starting instant. */
  startAt?: Temporal.Instant | string;
  /** Load the bundled workflow templates and, into an empty directory, the sample units. */
  seed?: boolean;
  organisation?: string;
  /** The Reply-To of staff mails; default FRISTFLOW_REPLY_TO, unset: none. */
  replyTo?: string;
  /**
   * What is printed on the console (stderr); quiet by default, since the CLI prints its own lines.
   * Warnings and errors (with the error id a 500 page shows) also go to fristflow.log in the data
   * folder whatever this says.
   */
  logLevel?: LogLevel;
  /** Lines for the person running the stack (DynamoDB Local died, is back); default stderr. */
  onNotice?: (line: string) => void;
  /**
   * The stack could not go on (DynamoDB Local died in memory, or would not come back) and has
   * stopped itself; the error says why. Default: the notice channel.
   */
  onFatal?: (error: Error) => void;
  engineHooks?: EngineHooks;
  /** Called for each mail put in the outbox (the demo's simulated leaders read them). */
  onMail?: (mail: { record: OutboxMailSummary; raw: string }) => void | Promise<void>;
  /**
   * Where the login settings come from (shared/http/login-settings.ts: SAML, roles from groups);
   * default this process's environment. SAML stays off unless its variables are set.
   */
  env?: Env;
}

export interface OutboxMailSummary {
  messageId: string;
  to: string[];
  subject: string;
  at: string;
  path: string;
}

export interface LocalStack {
  url: string;
  adminToken: string;
  /** The people the embedded OpenID provider logs in (from `usersFile`), with their passwords. */
  users: readonly LocalUser[];
  usersFile: string;
  /** The embedded provider's issuer URL (`<url>/oidc`). */
  issuer: string;
  dataDir: string;
  outboxDir: string;
  /** DynamoDB Local's endpoint (127.0.0.1) and its JVM's current pid. */
  dynamoDb: { endpoint: string; pid(): number; restarts(): number };
  stores: Stores;
  /** The key confirm links are signed with (tools that read a mailed link check it with it). */
  linkKey: LinkKeyProvider;
  doc: DynamoDBDocumentClient;
  engine: Engine;
  clock: Clock;
  /** Set in skip mode: the clock the engine jumps. */
  skippingClock: SkippingClock | null;
  stop(): Promise<void>;
}

const ARN = (name: string) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:fristflow-${name}`;
export const LOCAL_LOOP_ARNS: LoopArns = {
  step: ARN("step"),
  park: ARN("park"),
  recordFailure: ARN("record-failure"),
};
const STATE_MACHINE_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:fristflow-instance-loop`;

function quietLogger(level: LocalStackOptions["logLevel"]): Logger {
  return new Logger({ serviceName: "fristflow-local", logLevel: level ?? "SILENT" });
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const folder = await openDataFolder(options.dataDir);
  const { dir: dataDir, secretsDir, outboxDir } = folder;
  const notice = options.onNotice ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = createLocalLog({ file: folder.logFile, consoleLevel: options.logLevel ?? "SILENT" });

  const cleanups: (() => Promise<void> | void)[] = [() => folder.close()];
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    })();
    return stopping;
  };
  const giveUp = (error: Error) => {
    log.error("local stack stopping", { error: { name: error.name, message: error.message } });
    void stop().then(() => (options.onFatal ?? ((e: Error) => notice(`fristflow: ${e.message}`)))(error));
  };
  try {
    const dynamo = await superviseDynamoDbLocal({
      ...(folder.dynamoDbDir === undefined ? {} : { dataDir: folder.dynamoDbDir }),
      notice: (line) => {
        log.warn(line, {});
        notice(line);
      },
      onJvm: (pid) => folder.lock?.setJvmPid(pid),
      onGiveUp: giveUp,
    });
    cleanups.push(() => dynamo.stop());
    const client = createLocalDynamoDbClient(dynamo.endpoint);
    const doc = createDocumentClient(dynamo.endpoint);
    // Their keep-alive sockets would otherwise outlive the stack.
    cleanups.push(() => {
      doc.destroy();
      client.destroy();
    });
    await ensureTable(client, TABLE_NAME);

    const skippingClock =
      options.clockMode === "skip" ? new SkippingClock(options.startAt ?? Temporal.Now.instant()) : null;
    const clock: Clock = skippingClock ?? systemClock;
    const stores = dynamoStores(doc, TABLE_NAME, clock);
    const linkKey = new FileLinkKeyProvider(join(secretsDir, "link-key"));
    const adminToken = await adminTokenIn(secretsDir);
    const port = options.port ?? 3000;
    // The URL in mails is only known once the server listens (port 0): settings read it late.
    const settings: AppSettings = {
      publicBaseUrl: `http://127.0.0.1:${port}`,
      mailFrom: "fristflow@fristflow.localhost",
      organisation: options.organisation ?? "Ishøj Kommune",
      ...accessLogSettings(process.env),
      ...replyToSettings(options.replyTo ?? process.env.FRISTFLOW_REPLY_TO),
    };
    const logger = quietLogger(options.logLevel);
    const transport = new FileOutboxTransport(
      outboxDir,
      async (record: FileOutboxRecord) => {
        const raw = await readFile(record.path, "utf8");
        const summary = {
          messageId: record.messageId,
          to: record.to,
          subject: await subjectOf(raw),
          at: record.storedAt,
          path: record.path,
        };
        try {
          await stores.outbox.put({ ...summary, raw });
        } catch (error) {
          // A send repeated after a crash (the outbox kept the first file): recorded already.
          if (record.repeated && error instanceof ConflictError) return;
          throw error;
        }
        // The mail is delivered once it is in the outbox: an observer's failure must not turn
        // it into a failed send (which would release the claim and send it again).
        try {
          await options.onMail?.({ record: summary, raw });
        } catch (error) {
          log.error("outbox observer failed", {
            error: error instanceof Error ? error.message : String(error),
          });
        }
      },
      clock,
    );

    const definitions = new DefinitionCache();
    // The engine calls the very handlers the Lambdas run, and they reach the engine back through
    // its signaller: the engine is created paused, the registry filled, and only then (with the
    // HTTP server listening, so mails carry the right URL) are running executions resumed.
    const functions: Record<string, (payload: unknown) => Promise<unknown>> = {};
    const engine = await createEngine({
      doc,
      tableName: ENGINE_TABLE_NAME,
      functions,
      definition: buildInstanceLoop(LOCAL_LOOP_ARNS),
      stateMachineArn: STATE_MACHINE_ARN,
      ...(skippingClock ? { mode: "skip" as const, clock: skippingClock } : { mode: "real" as const, clock }),
      hooks: {
        ...options.engineHooks,
        onError:
          options.engineHooks?.onError ??
          ((error: unknown) =>
            log.error("engine step failed, retried in a second", {
              error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
            })),
      },
      resume: false,
    });
    cleanups.push(() => engine.close());
    // Handlers read nothing from the Lambda context; in-process calls pass an empty one.
    const inProcess = {} as LambdaContext;
    const invoke =
      (handler: (event: unknown, context: LambdaContext) => Promise<unknown>) => (payload: unknown) =>
        handler(payload, inProcess);
    functions[LOCAL_LOOP_ARNS.step] = invoke(
      createStepHandler({
        ...stores,
        clock,
        settings,
        transport,
        linkKey,
        definitions,
        logger,
        random: Math.random,
        // Virtual time must not wait for real backoff in skip mode.
        sleep: skippingClock ? async () => undefined : (ms) => new Promise((r) => setTimeout(r, ms)),
      }),
    );
    functions[LOCAL_LOOP_ARNS.park] = invoke(
      createParkHandler({ ...stores, signaller: engine.signaller, logger }),
    );
    functions[LOCAL_LOOP_ARNS.recordFailure] = invoke(
      createRecordFailureHandler({ ...stores, clock, logger }),
    );

    if (options.seed !== false) {
      await seedTemplates(stores);
      await seedDirectory(stores);
    }

    // Staff log in through the embedded OpenID provider, with the users file's people.
    const people = await localUsers(dataDir);
    await ensureLocalUsers(stores, people.users);
    const login = localLogin(people.users);
    // Read before anything listens, so a wrong variable stops the start with its name.
    const env = options.env ?? process.env;
    const logins = readLoginSettings(env, settings.publicBaseUrl);
    login.settings.groupClaim = logins.oidcGroupClaim;
    const saml = logins.saml === undefined ? undefined : localSaml(env, settings, stores, clock);

    const app = createHttpApp({
      ...stores,
      oidc: login.login,
      ...(saml === undefined ? {} : { saml }),
      ...(logins.groupRoles === undefined ? {} : { groupRoles: logins.groupRoles }),
      clock,
      signaller: engine.signaller,
      starter: engine.starter,
      settings,
      linkKey,
      adminToken: async () => adminToken,
      logger: log,
      // The notice a caseworker approves goes out through the loop's outbox.
      mailTransport: transport,
    });
    const server = await serveLocal(app.fetch, port, login);
    cleanups.push(() => server.close());
    settings.publicBaseUrl = server.url;
    // Only now: resumed executions call functions that exist and mail links to the real port.
    await engine.resume();

    return {
      url: settings.publicBaseUrl,
      adminToken,
      users: people.users,
      usersFile: people.path,
      issuer: login.settings.issuer,
      dataDir,
      outboxDir,
      dynamoDb: { endpoint: dynamo.endpoint, pid: () => dynamo.pid(), restarts: () => dynamo.restarts() },
      stores,
      linkKey,
      doc,
      engine,
      clock,
      skippingClock,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The SAML login on the stack's address, which (with port 0) is known only once the server listens. */
function localSaml(env: Env, settings: AppSettings, stores: Stores, clock: Clock): NodeSamlLogin {
  let at = "";
  let current: SamlSettings | undefined;
  return new NodeSamlLogin(
    () => {
      if (current === undefined || at !== settings.publicBaseUrl) {
        at = settings.publicBaseUrl;
        current = readSamlSettings(env, at);
      }
      if (current === undefined) throw new Error("SAML settings went away");
      return current;
    },
    stores.samlRequests,
    clock,
  );
}

/** The reply address, read once at start: not an address stops the start, naming the variable. */
function replyToSettings(value: string | undefined): Pick<AppSettings, "replyTo"> {
  if (value === undefined || value === "") return {};
  if (!EMAIL.test(value)) throw new LocalStackError("FRISTFLOW_REPLY_TO must be an e-mail address");
  return { replyTo: value };
}
const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

/** FRISTFLOW_ACCESS_LOG_DAYS, read once at start: a bad value stops the start, naming the variable. */
function accessLogSettings(
  env: Record<string, string | undefined>,
): Pick<AppSettings, "accessLogRetentionDays"> {
  let days: number | undefined;
  try {
    days = accessLogDaysFrom(env);
  } catch (err) {
    throw new LocalStackError(err instanceof Error ? err.message : String(err));
  }
  return days === undefined ? {} : { accessLogRetentionDays: days };
}
