/**
 * Which failures of the instance loop are worth retrying, decided in one place. Step Functions
 * retries only errors named `Fristflow.Transient` (see shared/loop/asl.ts); everything else goes
 * to RecordFailure, which backs off for minutes to hours and eventually gives up. So "transient"
 * means "the same call is likely to succeed within seconds": throttling, contention, a flaky
 * network, a provider's 5xx. A bad address or a programming error is not, and retrying it eight
 * times in a row only hides it.
 */
import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
} from "@aws-sdk/client-dynamodb";
import { BUSY_ERROR_NAME, TRANSIENT_ERROR_NAME } from "../loop/asl.ts";
import { MailSendError } from "../mail/retry.ts";
import { StoreError } from "../store/errors.ts";

/** The error Step Functions retries with backoff. Its message is redacted (it lands in execution history). */
export class TransientError extends Error {
  override readonly name: string = TRANSIENT_ERROR_NAME;
}

/**
 * A batch that found a notification claimed by another worker and not yet sent. Transient, but
 * retried by Step Functions on its own slower schedule (shared/loop/asl.ts), past the claim's lease.
 */
export class NotificationBusyError extends TransientError {
  override readonly name: string = BUSY_ERROR_NAME;
}

/**
 * DynamoDB answers throttling with HTTP 400, so the status code alone would call it permanent;
 * the SDK has already retried these a few times by the time they reach us.
 */
const DYNAMO_THROTTLING = [
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  InternalServerError,
];

/**
 * Services without a modelled throttling class (Step Functions, Secrets Manager) name it in the
 * error: these are the SDK's own throttling codes, the only names this module looks at.
 */
const THROTTLING_NAMES = new Set([
  "ThrottlingException",
  "TooManyRequestsException",
  "Throttling",
  "TimeoutError",
]);

/** Socket and DNS failures: the network, not the request. */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ENETUNREACH",
  "EHOSTUNREACH",
]);

interface SdkShape {
  name?: unknown;
  code?: unknown;
  $retryable?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

/** True when trying the same step again a moment later can succeed. Unknown errors are permanent. */
export function isTransient(err: unknown, depth = 0): boolean {
  if (err instanceof TransientError) return true;
  if (err instanceof MailSendError) return err.transient;
  if (err instanceof StoreError) return err.retryable;
  if (DYNAMO_THROTTLING.some((type) => err instanceof type)) return true;
  if (typeof err !== "object" || err === null || depth > 5) return false;
  const e = err as SdkShape;
  if (e.$retryable) return true;
  if (e.$fault === "server") return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === "number" && (status === 429 || status >= 500)) return true;
  if (typeof e.name === "string" && THROTTLING_NAMES.has(e.name)) return true;
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return true;
  return e.cause !== undefined && isTransient(e.cause, depth + 1);
}

const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+/g;
/** Ten digits with an optional dash after six: the shape of a CPR number (and of nothing we need to log). */
const CPR_LIKE = /\b\d{6}-?\d{4}\b/g;

/**
 * Text safe for logs, audit entries and execution history: addresses and CPR-shaped numbers are
 * masked (an SMTP or SES message often quotes the recipient), whitespace is folded, and the
 * result is cut to `max` characters.
 */
export function redact(text: string, max = 300): string {
  const masked = text.replace(EMAIL, "<address>").replace(CPR_LIKE, "<number>").replace(/\s+/g, " ").trim();
  return masked.length > max ? `${masked.slice(0, max - 1)}…` : masked;
}

/** `Name: message`, redacted; never a stack. */
export function describeError(err: unknown, max = 300): string {
  if (err instanceof Error) return redact(`${err.name}: ${err.message}`, max);
  return redact(String(err), max);
}

/** The error's name for audit entries and logs (`Error` when it has none). */
export function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}
