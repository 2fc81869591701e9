/**
 * The errors the instance loop's steps throw for Step Functions to act on: their names are the
 * ones the state machine's Retry policies match (shared/loop/asl.ts). functions/middleware.ts is
 * the one place that turns a step's failure into one of these.
 */
import { type ErrorCategory, FristflowError } from "../errors/errors.ts";
import { BUSY_ERROR_NAME, TRANSIENT_ERROR_NAME } from "./asl.ts";

/** The error Step Functions retries with backoff. Its message is redacted (it lands in execution history). */
export class TransientError extends FristflowError {
  readonly category: ErrorCategory = "unavailable";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = TRANSIENT_ERROR_NAME;
  }
}

/**
 * A batch that found a notification claimed by another worker and not yet sent. Retried by Step
 * Functions on its own slower schedule (shared/loop/asl.ts), past the claim's lease.
 */
export class NotificationBusyError extends FristflowError {
  readonly category: ErrorCategory = "busy";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = BUSY_ERROR_NAME;
  }
}
