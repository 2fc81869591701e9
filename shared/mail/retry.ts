/**
 * Retrying a send: transient failures (throttling, 5xx, network) are retried with exponential
 * backoff and full jitter; permanent ones (a rejected message, an unverified sender) are not,
 * because sending the same thing again cannot succeed and only burns quota.
 *
 * A retry after an ambiguous failure (a timeout after the provider accepted the mail) can
 * deliver twice. That is accepted: a duplicate reminder is better than a lost one, and the
 * Message-ID derived from the notification key lets clients fold duplicates.
 */
import { retry } from "../retry/retry.ts";
import type { MailTransport, OutgoingMail } from "./transport.ts";

export class MailSendError extends Error {
  override readonly name = "MailSendError";
  readonly transient: boolean;
  readonly attempts: number;

  constructor(message: string, options: { transient: boolean; attempts: number; cause: unknown }) {
    super(message, { cause: options.cause });
    this.transient = options.transient;
    this.attempts = options.attempts;
  }
}

/** Error names (AWS SDK `name`, SES and generic AWS) that say "try again later". */
const TRANSIENT_NAMES = new Set([
  "TooManyRequestsException",
  "LimitExceededException",
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalFailure",
  "InternalServerError",
  "InternalServiceErrorException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
]);

/** Names that will fail the same way every time: the message, sender or account must change first. */
const PERMANENT_NAMES = new Set([
  "MessageRejected",
  "MailFromDomainNotVerifiedException",
  "BadRequestException",
  "AccountSuspendedException",
  "SendingPausedException",
  "NotFoundException",
  "AccessDeniedException",
  "ValidationException",
]);

/** Node socket/DNS codes and nodemailer's connection codes: the network, not the message. */
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "EBUSY",
  "EAGAIN",
  "EMFILE",
  "ENFILE",
  "ECONNECTION",
  "ESOCKET",
  "EDNS",
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  responseCode?: unknown;
  $retryable?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

/**
 * The one place that decides whether a mail error is worth retrying. Unknown errors are
 * permanent: a programming error retried five times is still a programming error.
 */
export function isTransientMailError(err: unknown, depth = 0): boolean {
  if (err instanceof MailSendError) return err.transient;
  if (typeof err !== "object" || err === null || depth > 5) return false;
  const e = err as ErrorShape;
  if (typeof e.name === "string") {
    if (PERMANENT_NAMES.has(e.name)) return false;
    if (TRANSIENT_NAMES.has(e.name)) return true;
  }
  // SMTP reply codes: 4xx is "try again later" by definition (RFC 5321), 5xx is final.
  if (typeof e.responseCode === "number") return e.responseCode >= 400 && e.responseCode < 500;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === "number") return status === 429 || status >= 500;
  if (e.$retryable) return true;
  if (typeof e.code === "string" && TRANSIENT_CODES.has(e.code)) return true;
  if (e.$fault === "server") return true;
  // fetch and some wrappers put the socket error underneath.
  if (e.cause !== undefined) return isTransientMailError(e.cause, depth + 1);
  return false;
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
        retryIf: isTransientMailError,
        baseDelayMs: options.baseDelayMs ?? 200,
        maxDelayMs: options.maxDelayMs ?? 10_000,
        sleep: options.sleep,
        random: options.random,
      },
    );
  } catch (err) {
    const transient = isTransientMailError(err);
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
