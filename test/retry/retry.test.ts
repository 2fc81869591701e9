import { describe, expect, it } from "vitest";
import { backoffCap, backoffDelay, type RetryOptions, retry } from "../../shared/retry/retry.ts";

class Busy extends Error {
  override readonly name = "Busy";
}

/** Fails with the given errors in turn, then resolves with the try's number. */
function scripted(failures: unknown[]) {
  const tries: number[] = [];
  const run = async (attempt: number) => {
    tries.push(attempt);
    const next = failures.shift();
    if (next !== undefined) throw next;
    return `ok on ${attempt}`;
  };
  return { run, tries };
}

function virtualTime(random = () => 0.5) {
  const waits: number[] = [];
  return {
    waits,
    options: {
      sleep: async (ms: number) => {
        waits.push(ms);
      },
      random,
    } satisfies Pick<RetryOptions, "sleep" | "random">,
  };
}

const isBusy = (err: unknown) => err instanceof Busy;

describe("retry", () => {
  it("returns the first success without waiting", async () => {
    // Prepare
    const { run, tries } = scripted([]);
    const time = virtualTime();

    // Act
    const result = await retry(run, {
      attempts: 5,
      retryIf: isBusy,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      ...time.options,
    });

    // Assess
    expect(result).toBe("ok on 1");
    expect(tries).toEqual([1]);
    expect(time.waits).toEqual([]);
  });

  it("retries what the predicate accepts, waiting a jittered, doubling, capped delay", async () => {
    // Prepare
    const { run, tries } = scripted([new Busy(), new Busy(), new Busy(), new Busy()]);
    const time = virtualTime(() => 0.5);

    // Act
    const result = await retry(run, {
      attempts: 5,
      retryIf: isBusy,
      baseDelayMs: 100,
      maxDelayMs: 300,
      ...time.options,
    });

    // Assess: caps 100, 200, 300 (capped), 300; half of each.
    expect(result).toBe("ok on 5");
    expect(tries).toEqual([1, 2, 3, 4, 5]);
    expect(time.waits).toEqual([50, 100, 150, 150]);
  });

  it("throws an error the predicate refuses at once, as it was thrown", async () => {
    // Prepare
    const fatal = new TypeError("a programming error");
    const { run, tries } = scripted([new Busy(), fatal]);
    const time = virtualTime();
    let gaveUp = false;

    // Act
    const error = await retry(run, {
      attempts: 5,
      retryIf: isBusy,
      baseDelayMs: 10,
      maxDelayMs: 10,
      giveUp: () => {
        gaveUp = true;
        return new Error("not this one");
      },
      ...time.options,
    }).catch((err: unknown) => err);

    // Assess
    expect(error).toBe(fatal);
    expect(tries).toEqual([1, 2]);
    expect(time.waits).toHaveLength(1);
    expect(gaveUp).toBe(false);
  });

  it("throws the last error when the tries run out, without a wait after the last", async () => {
    // Prepare
    const last = new Busy("third");
    const { run, tries } = scripted([new Busy("first"), new Busy("second"), last, new Busy("unused")]);
    const time = virtualTime();

    // Act
    const error = await retry(run, {
      attempts: 3,
      retryIf: isBusy,
      baseDelayMs: 10,
      maxDelayMs: 10,
      ...time.options,
    }).catch((err: unknown) => err);

    // Assess
    expect(error).toBe(last);
    expect(tries).toEqual([1, 2, 3]);
    expect(time.waits).toHaveLength(2);
  });

  it("throws what giveUp makes of the last error, told how many tries were made", async () => {
    // Prepare
    const { run } = scripted([new Busy(), new Busy()]);
    const time = virtualTime();

    // Act
    const error = await retry(run, {
      attempts: 2,
      retryIf: isBusy,
      baseDelayMs: 10,
      maxDelayMs: 10,
      giveUp: (err, attempts) => new RangeError(`gave up after ${attempts}`, { cause: err }),
      ...time.options,
    }).catch((err: unknown) => err);

    // Assess
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe("gave up after 2");
    expect((error as Error).cause).toBeInstanceOf(Busy);
  });

  it("calls the predicate with the error alone, so a classifier's optional parameter keeps its default", async () => {
    // Prepare: a classifier like isTransient(err, depth = 0), which gives up past a depth.
    const { run, tries } = scripted([new Busy(), new Busy(), new Busy()]);
    const classify = (err: unknown, depth = 0) => depth === 0 && err instanceof Busy;
    const time = virtualTime();

    // Act
    await retry(run, { attempts: 5, retryIf: classify, baseDelayMs: 1, maxDelayMs: 1, ...time.options });

    // Assess
    expect(tries).toEqual([1, 2, 3, 4]);
  });

  it("polls at a steady interval without jitter", async () => {
    // Prepare
    const { run } = scripted([new Busy(), new Busy(), new Busy()]);
    const time = virtualTime(() => 0);

    // Act
    await retry(run, {
      attempts: 10,
      retryIf: isBusy,
      baseDelayMs: 500,
      maxDelayMs: 500,
      jitter: "none",
      ...time.options,
    });

    // Assess
    expect(time.waits).toEqual([500, 500, 500]);
  });

  it("makes one try when asked for fewer than one", async () => {
    // Prepare
    const { run, tries } = scripted([new Busy(), new Busy()]);

    // Act
    const error = await retry(run, { attempts: 0, retryIf: isBusy, baseDelayMs: 1, maxDelayMs: 1 }).catch(
      (err: unknown) => err,
    );

    // Assess
    expect(error).toBeInstanceOf(Busy);
    expect(tries).toEqual([1]);
  });

  it("waits for real by default", async () => {
    // Prepare
    const { run } = scripted([new Busy()]);
    const started = performance.now();

    // Act
    await retry(run, { attempts: 2, retryIf: isBusy, baseDelayMs: 30, maxDelayMs: 30, jitter: "none" });

    // Assess
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});

describe("backoffDelay", () => {
  it("is uniform under the cap: 0 at random 0, just under the cap near 1, never above", () => {
    // Act / Assess
    expect(backoffDelay(3, 100, 10_000, () => 0)).toBe(0);
    expect(backoffDelay(3, 100, 10_000, () => 0.999_999)).toBe(399);
    expect(backoffDelay(3, 100, 10_000, () => 7)).toBe(400);
    expect(backoffDelay(3, 100, 10_000, () => -1)).toBe(0);
  });

  it("doubles the cap per try up to the maximum", () => {
    // Act
    const caps = [1, 2, 3, 4, 5, 6, 7].map((n) => backoffCap(n, 200, 10_000));

    // Assess
    expect(caps).toEqual([200, 400, 800, 1600, 3200, 6400, 10_000]);
  });
});
