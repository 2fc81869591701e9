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

/** DynamoDB's limit of items in one transaction: the most units one atomic import can hold. */
export const MAX_UNITS_PER_WRITE = 100;

/** Refuses, before anything is written, a batch one transaction cannot hold. */
export function checkUnitBatch(units: readonly { id: string }[]): void {
  if (units.length > MAX_UNITS_PER_WRITE) {
    throw new ConflictError(
      `${units.length} units in one write; at most ${MAX_UNITS_PER_WRITE} fit one transaction`,
    );
  }
  const ids = new Set(units.map((u) => u.id));
  if (ids.size !== units.length) throw new ConflictError("the same unit id twice in one write");
}
