import { expect } from "vitest";
import type { LoadResult, LocatedError } from "../../shared/model/errors.ts";

/** A YAML fixture from lines, so line N of the file is argument N: positions stay countable. */
export const lines = (...rows: string[]): string => `${rows.join("\n")}\n`;

/** The smallest valid workflow, as lines, to extend per test. */
export const HEADER = ["id: strategy", "title: Strategi"] as const;

export function errorsOf<T>(result: LoadResult<T>): LocatedError[] {
  if (result.ok) throw new Error("expected errors, but the input was accepted");
  return result.errors;
}

/** The single error at a path; fails when there is none or more than one. */
export function errorAt<T>(result: LoadResult<T>, path: string): LocatedError {
  const errors = errorsOf(result);
  const matching = errors.filter((e) => e.path === path);
  expect(matching, `errors at ${path} among ${JSON.stringify(errors, null, 1)}`).toHaveLength(1);
  return matching[0] as LocatedError;
}

export function expectError(
  error: LocatedError,
  expected: { line: number; column: number; file?: string; includes: readonly string[] },
): void {
  expect({ line: error.line, column: error.column }).toEqual({
    line: expected.line,
    column: expected.column,
  });
  if (expected.file !== undefined) expect(error.file).toBe(expected.file);
  for (const phrase of expected.includes) expect(error.message).toContain(phrase);
}
