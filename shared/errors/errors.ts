/**
 * The one root of fristflow's errors. Every error fristflow throws on purpose is a FristflowError
 * with a category; callers branch with `instanceof` (never on SDK names or message text), and the
 * adapters turn categories into answers in one place each: HTTP statuses in shared/http/errors.ts,
 * Step Functions error names in functions/middleware.ts. Whether a failure is worth retrying is
 * decided in ./retryable.ts, for these errors and for what the SDKs, nodemailer and Node throw.
 */

/**
 * What kind of failure it is, as the one who asked should understand it:
 * - invalid: the input is wrong; the same input will fail the same way.
 * - not-found: what it names does not exist.
 * - conflict: it contradicts the stored state (confirming on a cancelled instance).
 * - refused: a request fristflow will not serve as it is (a forged link, a missing token).
 * - busy: others kept winning (contention, a claim held by another worker); nothing was written.
 * - unavailable: a part it needs failed for now (throttling, a network fault, a provider's 5xx).
 * - internal: a bug or a broken wiring; retrying hides it.
 */
export type ErrorCategory =
  | "invalid"
  | "not-found"
  | "conflict"
  | "refused"
  | "busy"
  | "unavailable"
  | "internal";

export abstract class FristflowError extends Error {
  abstract readonly category: ErrorCategory;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Whether trying the same call again a moment later can succeed. */
  get retryable(): boolean {
    return this.category === "busy" || this.category === "unavailable";
  }
}
