/**
 * The one retry loop: try, and while the failure is one worth repeating and tries are left, wait
 * and try again. Callers say which errors are worth it (a predicate: throttling, contention, a
 * table not yet ACTIVE), how many tries in all, and the delays; everything else is thrown at once,
 * as it was thrown.
 *
 * Waiting is exponential backoff with full jitter by default (AWS Architecture Blog, "Exponential
 * Backoff and Jitter"): a random wait up to the exponential cap spreads the retries of many
 * workers hitting the same limit. `sleep` and `random` are injected so tests run in zero time
 * and see the delays asked for; the defaults are the real timer and Math.random.
 *
 * No I/O of its own and no imports from the rest of fristflow, so app, mail, store and infra can
 * all use it.
 */

export interface RetryOptions {
  /** Tries in all, the first one included; at least 1 (a fraction is rounded down). */
  attempts: number;
  /**
   * Whether a failure is worth another try. Called with the error alone, so a classifier with an
   * optional second parameter (`isRetryable(err, depth = 0)`) can be passed as it is.
   */
  retryIf: (err: unknown) => boolean;
  /** The cap of the wait after the first failed try; it doubles after each further one. */
  baseDelayMs: number;
  /** No wait is longer than this. */
  maxDelayMs: number;
  /** `full` (default): a random wait in [0, cap). `none`: exactly the cap (a steady poll). */
  jitter?: "full" | "none";
  /** Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), like Math.random (the default). */
  random?: () => number;
  /**
   * What to throw when the last try failed with an error worth retrying (the tries ran out).
   * Default: that error itself. Not called for an error `retryIf` refuses: that one is thrown as is.
   */
  giveUp?: (lastError: unknown, attempts: number) => unknown;
}

/** The wait before try `attempt + 1`, after try `attempt` (1-based) failed: full jitter under the cap. */
export function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * backoffCap(attempt, baseDelayMs, maxDelayMs));
}

/** `baseDelayMs * 2^(attempt - 1)`, at most `maxDelayMs`. */
export function backoffCap(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** (Math.max(1, attempt) - 1));
}

const realSleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Runs `run` until it resolves, a failure is not worth retrying, or `attempts` tries failed.
 * `run` gets the number of the try (1-based), e.g. to report how many it took.
 */
export async function retry<T>(run: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = Math.max(1, Math.floor(options.attempts));
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (err) {
      if (!options.retryIf(err)) throw err;
      if (attempt >= attempts) throw options.giveUp === undefined ? err : options.giveUp(err, attempt);
      await sleep(
        options.jitter === "none"
          ? backoffCap(attempt, options.baseDelayMs, options.maxDelayMs)
          : backoffDelay(attempt, options.baseDelayMs, options.maxDelayMs, random),
      );
    }
  }
}
