/**
 * Checking what comes in through the admin API, the way `fristflow validate` checks files: one
 * parse with located errors, a CPR number refused before any message could repeat it, and no
 * input deep or odd enough to exhaust the stack or reach an object's prototype.
 */
import type { z } from "zod";
import { type ErrorCategory, FristflowError } from "../errors/errors.ts";
import { CPR_MESSAGE, looksLikeCpr, numberLooksLikeCpr } from "../model/cpr.ts";
import { formatPath, type LocatedError, type PathSegment, quote } from "../model/errors.ts";
import { RESERVED_KEYS } from "../model/yaml-walk.ts";
import { CPR_DA, issueDa, RESERVED_KEY_DA, TOO_DEEP_DA, unknownKeyDa } from "./input-da.ts";

/** The input was refused as a whole; `errors` say where and why, like `fristflow validate`. */
export class InvalidInputError extends FristflowError {
  readonly category: ErrorCategory = "invalid";

  constructor(readonly errors: LocatedError[]) {
    super(`invalid input: ${errors.length} error(s)`);
  }
}

/** The file name located errors carry for input that did not come from a file. */
export const BODY_FILE = "<request body>";

/**
 * Parses input against a schema, CPR check first: a value or a key that looks like a CPR number
 * is refused before zod sees it, so no message (zod names unknown keys) can repeat it.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, file = BODY_FILE): z.infer<S> {
  const cpr = cprErrors(input, file);
  if (cpr.length > 0) throw new InvalidInputError(cpr);
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(zodErrors(parsed.error.issues, file));
  return parsed.data;
}

function zodErrors(issues: readonly z.core.$ZodIssue[], file: string): LocatedError[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map((s) => (typeof s === "number" ? s : String(s)));
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) =>
        located(file, [...path, key], `unknown key ${quote(key)}`, unknownKeyDa(key)),
      );
    }
    return [located(file, path, issue.message, issueDa(issue))];
  });
}

/** A request body is a few levels deep; deeper input is refused before anything walks it further. */
export const MAX_INPUT_DEPTH = 32;
/** What a body nested deeper than that is told, whichever check finds it. */
export const TOO_DEEP = `nested more than ${MAX_INPUT_DEPTH} levels deep; a request needs far fewer`;

/**
 * Pure: does JSON text open more than `limit` arrays or objects at once (brackets in strings aside)? The
 * API asks before JSON.parse, so a 200,000-deep body is refused without being built; the walk
 * below still checks what YAML and parsed bodies hold.
 */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // a backslash escapes the next character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      depth++;
      if (depth > limit) return true;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return false;
}

/**
 * CPR-looking values and keys, keys that would reach an object's prototype, and nesting beyond
 * MAX_INPUT_DEPTH; iterative, so no input (200,000 nested lists) can exhaust the stack.
 */
function cprErrors(value: unknown, file: string): LocatedError[] {
  const errors: LocatedError[] = [];
  let tooDeep = false;
  const stack: { v: unknown; path: PathSegment[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined) break;
    const { v, path } = item;
    if (typeof v === "string") {
      if (looksLikeCpr(v)) errors.push(located(file, path, `the text ${CPR_MESSAGE}`, CPR_DA));
      continue;
    }
    if (typeof v === "number") {
      if (numberLooksLikeCpr(v)) errors.push(located(file, path, `the number ${CPR_MESSAGE}`, CPR_DA));
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    if (path.length >= MAX_INPUT_DEPTH) {
      if (!tooDeep) {
        errors.push(located(file, path, TOO_DEEP, TOO_DEEP_DA));
      }
      tooDeep = true;
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
      continue;
    }
    for (const [key, child] of Object.entries(v)) {
      if (looksLikeCpr(key)) errors.push(located(file, [...path, key], `the key ${CPR_MESSAGE}`, CPR_DA));
      else if (RESERVED_KEYS.has(key)) {
        errors.push(
          located(
            file,
            [...path, key],
            `the key ${quote(key)} is reserved and cannot be used as a name`,
            RESERVED_KEY_DA(key),
          ),
        );
      } else stack.push({ v: child, path: [...path, key] });
    }
  }
  return errors;
}

/**
 * No position: the API takes parsed JSON, so the path is what points at the value. `da` is the
 * same refusal in Danish, for the dashboard (every change to a running instance gives one).
 */
export function located(file: string, path: PathSegment[], message: string, da?: string): LocatedError {
  const error: LocatedError = { file, line: 0, column: 0, path: formatPath(path), message };
  if (da !== undefined) error.da = da;
  return error;
}
