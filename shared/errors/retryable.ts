/**
 * The one place that says whether a failure is worth retrying: a FristflowError says so itself;
 * for what others throw (the AWS SDK, nodemailer, Node's sockets), the known names and codes
 * below decide. Unknown errors are permanent: a programming error retried eight times is still a
 * programming error, and only hides.
 *
 * Used by the instance loop's steps (Step Functions retries what is retryable, see
 * functions/middleware.ts), by the mail sender's retries and by the store's callers.
 */
import { FristflowError } from "./errors.ts";

/**
 * AWS error names that say "try again later", across services: throttling (SES, Step Functions,
 * Secrets Manager, DynamoDB, which answers throttling with HTTP 400), timeouts, a service's own 5xx.
 */
const RETRYABLE_NAMES = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "LimitExceededException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "TransactionConflictException",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "InternalFailure",
  "InternalServerError",
  "InternalServiceErrorException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
]);

/** Names that fail the same way every time: the message, sender, account or request must change first. */
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

/** Node socket, DNS and file-descriptor codes, and nodemailer's connection codes: the network, not the request. */
const RETRYABLE_CODES = new Set([
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
  // A full or read-only disk (the local outbox, a log file): space comes back, a remount
  // happens; the mail must wait for that, not be given up.
  "ENOSPC",
  "EDQUOT",
  "EROFS",
  "ECONNECTION",
  "ESOCKET",
  "EDNS",
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  /** nodemailer: the SMTP reply code. */
  responseCode?: unknown;
  $retryable?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

/** Causes followed at most this deep (wrappers put the socket error underneath). */
const MAX_DEPTH = 5;

/** True when trying the same call again a moment later can succeed. */
export function isRetryable(err: unknown, depth = 0): boolean {
  if (err instanceof FristflowError) return err.retryable;
  if (typeof err !== "object" || err === null || depth > MAX_DEPTH) return false;
  const e = err as ErrorShape;
  if (typeof e.name === "string") {
    if (PERMANENT_NAMES.has(e.name)) return false;
    if (RETRYABLE_NAMES.has(e.name)) return true;
  }
  // SMTP reply codes: 4xx is "try again later" by definition (RFC 5321), 5xx is final.
  if (typeof e.responseCode === "number") return e.responseCode >= 400 && e.responseCode < 500;
  if (e.$retryable) return true;
  if (e.$fault === "server") return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === "number") return status === 429 || status >= 500;
  if (typeof e.code === "string" && RETRYABLE_CODES.has(e.code)) return true;
  return e.cause !== undefined && isRetryable(e.cause, depth + 1);
}
