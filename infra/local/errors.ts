/** The error of the local stack a person can act on. */
import { type ErrorCategory, FristflowError } from "../../shared/errors/errors.ts";

/**
 * The local stack cannot start as asked (Java missing, a data folder from a newer version or in
 * use, a bad users file).
 */
export class LocalStackError extends FristflowError {
  readonly category: ErrorCategory = "unavailable";
}
