/**
 * Retrying a send: transient failures (throttling, 5xx, network) are retried with exponential
 * backoff and full jitter; permanent ones (a rejected message, an unverified sender) are not,
 * because sending the same thing again cannot succeed and only burns quota.
 *
 * A retry after an ambiguous failure (a timeout after the provider accepted the mail) can
 * deliver twice. That is accepted: a duplicate reminder is better than a lost one, and the
 * Message-ID derived from the notification key lets clients fold duplicates.
 */
import { type ErrorCategory, FristflowError } from "../errors/errors.ts";
import { isRetryable } from "../errors/retryable.ts";
import { retry } from "../retry/retry.ts";
import type { MailTransport, OutgoingMail } from "./transport.ts";

/** A send that failed for good (permanent, or transient after every attempt). */
export class MailSendError extends FristflowError {
  readonly category: ErrorCategory;
  readonly transient: boolean;
  readonly attempts: number;

  constructor(message: string, options: { transient: boolean; attempts: number; cause: unknown }) {
    super(message, { cause: options.cause });
    this.transient = options.transient;
    this.attempts = options.attempts;
    this.category = options.transient ? "unavailable" : "refused";
  }
}

export interface RetryOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), like Math.random. */
  random: () => number;
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/**
 * Sends, retrying transient failures with backoff and full jitter (many Lambdas hitting the same
 * SES rate limit spread out); the caller marks the notification sent only when this resolves.
 * Any failure comes out as a MailSendError that says whether it was transient and how many
 * attempts were made.
 */
export async function sendWithRetry(
  transport: MailTransport,
  message: OutgoingMail,
  options: RetryOptions,
): Promise<{ providerId: string; attempts: number }> {
  let attempts = 0;
  try {
    return await retry(
      async (attempt) => {
        attempts = attempt;
        const { providerId } = await transport.send(message);
        return { providerId, attempts: attempt };
      },
      {
        attempts: options.maxAttempts ?? 5,
        retryIf: isRetryable,
        baseDelayMs: options.baseDelayMs ?? 200,
        maxDelayMs: options.maxDelayMs ?? 10_000,
        sleep: options.sleep,
        random: options.random,
      },
    );
  } catch (err) {
    const transient = isRetryable(err);
    const why = transient ? `gave up after ${attempts} attempts` : "permanent failure";
    throw new MailSendError(
      `mail via ${transport.name} to ${message.to.join(", ")}: ${why}: ${describe(err)}`,
      {
        transient,
        attempts,
        cause: err,
      },
    );
  }
}
