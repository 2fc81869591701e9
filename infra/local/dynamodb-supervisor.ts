/**
 * Keeps the stack's DynamoDB Local running. When its JVM dies (killed, out of memory), it says so
 * and starts a new one on the same port and data folder, so every client's endpoint stays right
 * and requests succeed again within seconds. In memory there is nothing to restart onto (the data
 * died with the JVM): it gives up with a message saying so, and the stack stops.
 */
import { type DynamoDbLocal, type JvmExit, startDynamoDbLocal } from "./dynamodb.ts";

/** More deaths than this within the window is a JVM that cannot stay up: give up. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const START_ATTEMPTS = 3;
const START_RETRY_MS = 1_000;

export interface SupervisorOptions {
  /** Undefined: in memory. */
  dataDir?: string;
  /** A line for the person running the stack. */
  notice: (line: string) => void;
  /** The JVM changed (started or restarted); e.g. recorded in the data folder's lock. */
  onJvm?: (pid: number) => void | Promise<void>;
  /** The JVM is gone for good; the stack should stop. */
  onGiveUp: (error: Error) => void;
}

export interface SupervisedDynamoDb {
  endpoint: string;
  port: number;
  /** The current JVM's pid. */
  pid(): number;
  /** How many times the JVM was restarted. */
  restarts(): number;
  stop(): Promise<void>;
}

function how(exit: JvmExit): string {
  return exit.signal === null ? `with code ${exit.code}` : `on signal ${exit.signal}`;
}

export async function superviseDynamoDbLocal(options: SupervisorOptions): Promise<SupervisedDynamoDb> {
  const start = (port?: number) =>
    startDynamoDbLocal({
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(port === undefined ? {} : { port }),
    });
  let current: DynamoDbLocal = await start();
  let stopping = false;
  const deaths: number[] = [];
  let restarts = 0;

  const restart = async (exit: JvmExit): Promise<void> => {
    const dead = current;
    const now = performance.now();
    deaths.push(now);
    while (deaths.length > 0 && (deaths[0] ?? now) < now - RESTART_WINDOW_MS) deaths.shift();
    if (options.dataDir === undefined) {
      options.onGiveUp(
        new Error(
          `DynamoDB Local (pid ${dead.pid}) exited ${how(exit)}. It ran in memory (--ephemeral), so its data is gone: fristflow stops. Start it again for a fresh run.`,
        ),
      );
      return;
    }
    if (deaths.length > MAX_RESTARTS) {
      options.onGiveUp(
        new Error(
          `DynamoDB Local died ${deaths.length} times within ${RESTART_WINDOW_MS / 1000} s (last: pid ${dead.pid} exited ${how(exit)}): fristflow stops. The data in ${options.dataDir} is kept.`,
        ),
      );
      return;
    }
    options.notice(
      `fristflow: DynamoDB Local (pid ${dead.pid}) exited ${how(exit)}; restarting it on ${options.dataDir}…`,
    );
    let lastError: unknown;
    for (let attempt = 1; attempt <= START_ATTEMPTS && !stopping; attempt++) {
      try {
        const next = await start(dead.port);
        if (stopping) {
          await next.stop();
          return;
        }
        current = next;
        restarts++;
        await options.onJvm?.(next.pid);
        options.notice(
          `fristflow: DynamoDB Local is back (pid ${next.pid}) after ${((performance.now() - now) / 1000).toFixed(1)} s.`,
        );
        watch(next);
        return;
      } catch (error) {
        lastError = error;
        await new Promise((r) => setTimeout(r, START_RETRY_MS));
      }
    }
    if (!stopping) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      options.onGiveUp(new Error(`DynamoDB Local could not be restarted: ${reason}`));
    }
  };

  const watch = (jvm: DynamoDbLocal) => {
    void jvm.exited.then((exit) => {
      if (stopping || jvm !== current) return;
      return restart(exit).catch((error: unknown) =>
        options.onGiveUp(error instanceof Error ? error : new Error(String(error))),
      );
    });
  };
  await options.onJvm?.(current.pid);
  watch(current);

  return {
    endpoint: current.endpoint,
    port: current.port,
    pid: () => current.pid,
    restarts: () => restarts,
    async stop() {
      stopping = true;
      await current.stop();
    },
  };
}
