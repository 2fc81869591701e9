export { describeError, errorName, redact } from "./describe.ts";
export { type ErrorCategory, FristflowError } from "./errors.ts";
export { isRetryable } from "./retryable.ts";
