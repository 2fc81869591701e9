/**
 * A maximum send rate for any transport: SES allows an account a fixed number of mails per
 * second (14/s when production access starts), and a relay may allow fewer. Without a limit, a
 * Monday morning on which thousands of reminders fall due is sent as fast as notify can go, and
 * everything above the account's rate comes back as throttling errors to be retried.
 *
 * The limiter is a token bucket in its GCRA form (one "theoretical arrival time" instead of a
 * token count), checked at the moment each send is really let go, in call order. Over any window
 * of T seconds at most `burst - 1 + ratePerSecond × T` sends start (rounded down); with the
 * default burst of 1 they are at least 1/rate apart, also when the event loop was busy and a
 * timer fired late.
 *
 * The limit holds per RateLimitedTransport object, i.e. per process. On AWS each concurrent
 * notify Lambda has its own, so give each `accountRate / notifyReservedConcurrency`.
 */
import type { MailTransport, OutgoingMail } from "./transport.ts";

export interface RateLimitOptions {
  /** Sends started per second, on average. Must be > 0. */
  ratePerSecond: number;
  /** How many may start at once after a quiet period (the bucket's size). Default 1. */
  burst?: number;
  /** Milliseconds, monotonic. Default performance.now. */
  now?: () => number;
  /** Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/** Hands out send slots at a fixed rate, first come first served. */
export class SendRateLimiter {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** The theoretical arrival time: when the bucket is empty again after the last release. */
  private theoreticalArrival = Number.NEGATIVE_INFINITY;
  /** Callers are served one after another, so each slot is counted from the previous real release. */
  private queue: Promise<void> = Promise.resolve();

  constructor(options: RateLimitOptions) {
    const { ratePerSecond } = options;
    const burst = options.burst ?? 1;
    if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
      throw new RangeError(`ratePerSecond must be a number above 0, not ${ratePerSecond}`);
    }
    if (!(Number.isInteger(burst) && burst >= 1)) {
      throw new RangeError(`burst must be a whole number of at least 1, not ${burst}`);
    }
    this.intervalMs = 1000 / ratePerSecond;
    this.toleranceMs = (burst - 1) * this.intervalMs;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Resolves when the caller may send; callers are released in call order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.release());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Waits until the bucket has a token, then takes it. The time is read again after every sleep:
   * timers fire late when the event loop is busy (and may fire a little early), and counting
   * from the real release keeps a late wake-up from letting the next ones through in a clump.
   */
  private async release(): Promise<void> {
    for (;;) {
      const wait = this.theoreticalArrival - this.toleranceMs - this.now();
      if (wait <= 0) break;
      await this.sleep(wait);
    }
    this.theoreticalArrival = Math.max(this.theoreticalArrival, this.now()) + this.intervalMs;
  }
}

/** Wraps a transport so that sends through it start at most at the given rate. */
export class RateLimitedTransport implements MailTransport {
  readonly name: string;
  readonly limiter: SendRateLimiter;

  constructor(
    private readonly inner: MailTransport,
    options: RateLimitOptions | SendRateLimiter,
  ) {
    this.name = inner.name;
    this.limiter = options instanceof SendRateLimiter ? options : new SendRateLimiter(options);
  }

  async send(message: OutgoingMail): Promise<{ providerId: string }> {
    await this.limiter.acquire();
    return this.inner.send(message);
  }
}
