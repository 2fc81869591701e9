/**
 * The store's errors, under the one root (shared/errors): callers branch with `instanceof` and
 * never on SDK error names; the category says whether trying again can help.
 */
import { type ErrorCategory, FristflowError } from "../errors/errors.ts";

export abstract class StoreError extends FristflowError {}

/** The thing a write targets does not exist (an unknown instance, occurrence, link or unit). */
export class NotFoundError extends StoreError {
  readonly category: ErrorCategory = "not-found";

  constructor(
    readonly entity: string,
    readonly id: string,
    options?: ErrorOptions,
  ) {
    super(`${entity} ${id} does not exist`, options);
  }
}

/** The write contradicts the stored state (e.g. confirming on a cancelled instance); retrying will not help. */
export class ConflictError extends StoreError {
  readonly category: ErrorCategory = "conflict";
}

/**
 * Concurrent writers kept winning against this one, even after a few retries. Nothing was written;
 * the same call can succeed a moment later.
 */
export class ContentionError extends StoreError {
  readonly category: ErrorCategory = "busy";
}
