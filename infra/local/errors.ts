import { type ErrorCategory, FristflowError } from "../../shared/errors/errors.ts";

/** The local stack cannot start as asked (Java missing, a data folder from a newer version, a bad users file). */
export class LocalStackError extends FristflowError {
  readonly category: ErrorCategory = "unavailable";
}
