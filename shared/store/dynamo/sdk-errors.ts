/**
 * The adapter boundary for DynamoDB failures: the only module that knows SDK exception classes
 * and cancellation codes. Everything else in the store asks these functions, and callers of the
 * store only ever see errors from errors.ts.
 */
import {
  ConditionalCheckFailedException,
  ResourceInUseException,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactionConflictException,
} from "@aws-sdk/client-dynamodb";
import { retry } from "../../retry/retry.ts";
import { ContentionError } from "../errors.ts";

/** Why one action of a cancelled transaction (or a single write) did not apply. */
export type WriteOutcome = "ok" | "condition" | "conflict" | "other";

/** A single conditional write whose condition was false. */
export function isConditionFailed(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException;
}

/**
 * For a cancelled TransactWriteItems, the outcome of each action in request order; undefined for
 * any other error. DynamoDB reports "None" for the actions that were fine.
 */
export function transactionOutcomes(err: unknown): WriteOutcome[] | undefined {
  if (!(err instanceof TransactionCanceledException)) return undefined;
  return (err.CancellationReasons ?? []).map((reason) => {
    switch (reason.Code) {
      case undefined:
      case "None":
        return "ok";
      case "ConditionalCheckFailed":
        return "condition";
      case "TransactionConflict":
        return "conflict";
      default:
        return "other";
    }
  });
}

/**
 * Another writer (usually a transaction) held the item at the same moment. Nothing was written,
 * so the whole call can be repeated and will then see the other writer's result.
 */
export function isContention(err: unknown): boolean {
  if (err instanceof TransactionConflictException) return true;
  const outcomes = transactionOutcomes(err);
  return outcomes?.includes("conflict") === true && !outcomes.includes("condition");
}

export function isTableAlreadyThere(err: unknown): boolean {
  return err instanceof ResourceInUseException;
}

export function isTableMissing(err: unknown): boolean {
  return err instanceof ResourceNotFoundException;
}

const CONTENTION_ATTEMPTS = 6;
/** The first wait is up to 30 ms, doubling to at most 480 ms before the last try. */
const CONTENTION_BASE_MS = 30;
const CONTENTION_MAX_MS = CONTENTION_BASE_MS * 2 ** (CONTENTION_ATTEMPTS - 2);

/**
 * Runs `attempt` again (with jittered backoff) while it fails only because of contention; any
 * other failure, including a false condition, is passed on at once. The SDK does not retry
 * cancelled transactions itself, and under the races the instance loop produces (a confirmation
 * landing while park writes the same item) a second try is almost always enough.
 */
export function retryOnContention<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  return retry(attempt, {
    attempts: CONTENTION_ATTEMPTS,
    retryIf: isContention,
    baseDelayMs: CONTENTION_BASE_MS,
    maxDelayMs: CONTENTION_MAX_MS,
    giveUp: (err, n) =>
      new ContentionError(`${what}: concurrent writers won ${n} times in a row`, { cause: err }),
  });
}
