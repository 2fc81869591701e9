/**
 * The store's errors: one hierarchy, so callers branch with `instanceof` and never on SDK error
 * names. `retryable` says whether trying the same call again later can succeed; the HTTP and
 * Step Functions adapters map these to responses and retry policies in one place each.
 */
export abstract class StoreError extends Error {
  abstract readonly retryable: boolean;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The thing a write targets does not exist (an unknown instance, occurrence, link or unit). */
export class NotFoundError extends StoreError {
  readonly retryable = false;

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
  readonly retryable = false;
}

/**
 * Concurrent writers kept winning against this one, even after a few retries. Nothing was written;
 * the same call can succeed a moment later.
 */
export class ContentionError extends StoreError {
  readonly retryable = true;
}
