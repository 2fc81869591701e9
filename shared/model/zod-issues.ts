/**
 * The zod pass's messages: zod's issues turned into English that names the offending value,
 * says what is allowed (every form of a union field) and points at the key or value to fix.
 */
import type { z } from "zod";
import {
  describeValue,
  formatPath,
  type LocatedError,
  type PathSegment,
  quote,
  unknownName,
} from "./errors.ts";
import { isUnionAt, objectKeysAt } from "./schema-paths.ts";
import type { Locate } from "./validate.ts";

/**
 * Given as the per-parse error map so that every message zod would word itself comes back as
 * this marker: messages written in schema.ts take precedence and are kept, the rest are worded
 * here with the value and the path at hand.
 */
export const DEFAULT_MESSAGE = "\u0000default";

type Issue = z.core.$ZodIssue;

/** What a field accepts, for fields whose schema is a union (zod's own text lists one branch). */
const FIELD_FORMS: Record<string, string> = {
  due:
    "a date (2024-10-31), a date-time (2024-10-31T12:00), a duration from the start (P4M, PT24H, " +
    "'6 working days') or a mapping { in: <duration>, from: start | <milestone id> }",
  escalation: "false (no escalation) or a mapping with to, after, every and max",
  title: "a non-empty text, or a mapping { da: <text>, en: <text> }",
  description: "a non-empty text, or a mapping { da: <text>, en: <text> }",
  until: "a date YYYY-MM-DD (the last possible due date) or a duration after the start such as P3Y",
  from: "'start' or the id of a milestone",
};

interface Found {
  path: PathSegment[];
  message: string;
  at: "key" | "value";
}

/** A failed safeParse of `schema` on `data`, as located errors in English, one or more per issue. */
export function zodErrors(
  issues: readonly Issue[],
  data: unknown,
  schema: z.ZodType,
  file: string,
  locate: Locate,
): LocatedError[] {
  return convertIssues(issues, [], data, schema).map((f) => ({
    file,
    ...locate(f.path, f.at),
    path: formatPath(f.path),
    message: f.message,
  }));
}

function convertIssues(
  issues: readonly Issue[],
  base: PathSegment[],
  data: unknown,
  schema: z.ZodType,
): Found[] {
  return issues.flatMap((issue) => convertIssue(issue, base, data, schema));
}

function convertIssue(issue: Issue, base: PathSegment[], data: unknown, schema: z.ZodType): Found[] {
  const path = [...base, ...issue.path.map((s) => (typeof s === "number" ? s : String(s)))];
  const input = valueAt(data, path);
  const last = path[path.length - 1];
  const field = typeof last === "string" ? last : undefined;
  const custom = issue.message !== DEFAULT_MESSAGE ? issue.message : undefined;
  const forms = field !== undefined && isUnionAt(schema, path) ? FIELD_FORMS[field] : undefined;
  const one = (message: string, at: "key" | "value" = "value"): Found[] => [{ path, message, at }];

  if (issue.code === "unrecognized_keys") {
    const allowed = objectKeysAt(schema, path);
    return issue.keys.map((key) => ({
      path: [...path, key],
      message: unknownName("key", key, allowed),
      at: "key" as const,
    }));
  }
  if (input === undefined && (issue.code === "invalid_type" || issue.code === "invalid_union")) {
    const expected =
      forms ??
      (issue.code === "invalid_type" ? expectedName(issue.expected) : "a value (see workflows/README.md)");
    return one(`missing required key ${quote(String(last ?? ""))}; it must be ${expected}`);
  }
  if (issue.code === "invalid_union") {
    const matching = issue.errors.filter((branch) => !isTypeMismatch(branch, input));
    const only = matching.length === 1 ? matching[0] : undefined;
    // A branch that failed deeper inside (a wrong key in `due: { in, from }`) says more than
    // any summary of the union; one that failed at the value itself does not, unless a rule of
    // its own says why (a title with a line break).
    if (
      only !== undefined &&
      (forms === undefined || only.some((i) => i.path.length > 0 || i.code === "custom"))
    ) {
      return convertIssues(only, path, data, schema);
    }
    if (forms !== undefined)
      return one(`${describeValue(input)} is not a valid ${field}; it must be ${forms}`);
    const branches = (matching.length > 0 ? matching : issue.errors)
      .flatMap((branch) => convertIssues(branch, path, data, schema))
      .map((f) => f.message);
    return one([...new Set(branches)].join("; or "));
  }
  if (forms !== undefined && issue.code !== "custom") {
    // zod settled on one branch of a union by itself (`from: Start` fails only the id's pattern);
    // the whole set of forms is the useful answer.
    return one(`${describeValue(input)} is not a valid ${field}; it must be ${forms}`);
  }

  switch (issue.code) {
    case "invalid_type":
      return one(`expected ${expectedName(issue.expected)}, got ${describeValue(input)}`);
    case "invalid_value":
      return one(
        custom ??
          `${describeValue(input)} is not allowed; allowed: ${issue.values.map((v) => String(v)).join(", ")}`,
      );
    case "invalid_format":
      if (custom !== undefined) return one(withValue(input, custom));
      if (issue.format === "email") return one(`${describeValue(input)} is not a valid e-mail address`);
      return one(`${describeValue(input)} is not in the expected format (${issue.format})`);
    case "too_small":
      if (custom !== undefined) return one(withValue(input, custom));
      return one(sizeMessage(input, "at least", issue.minimum, issue.inclusive ?? true));
    case "too_big":
      if (custom !== undefined) return one(withValue(input, custom));
      return one(sizeMessage(input, "at most", issue.maximum, issue.inclusive ?? true));
    case "invalid_key": {
      const name = String(last ?? "");
      const kind = path[path.length - 2] === "parameters" ? "parameter name" : "key";
      return one(
        `${kind} ${quote(name)} is not allowed: names start with a letter and contain only letters, digits and '_'`,
        "key",
      );
    }
    case "not_multiple_of":
      return one(`${describeValue(input)} must be a multiple of ${issue.divisor}`);
    default:
      return one(custom ?? "is not valid here");
  }
}

/** Schema messages are written "must be …": prefix them with the offending value. */
function withValue(input: unknown, message: string): string {
  return message.startsWith("must") ? `${describeValue(input)} ${message}` : message;
}

function sizeMessage(
  input: unknown,
  bound: "at least" | "at most",
  limit: number | bigint,
  inclusive: boolean,
): string {
  const n = Number(limit);
  const strict = bound === "at least" ? "more than" : "less than";
  const phrase = inclusive ? `${bound} ${n}` : `${strict} ${n}`;
  if (Array.isArray(input)) return `the list has ${input.length} entries; it must have ${phrase}`;
  if (typeof input === "string") return `${describeValue(input)} must be ${phrase} characters long`;
  return `${describeValue(input)} must be ${phrase}`;
}

function expectedName(expected: string): string {
  switch (expected) {
    case "string":
      return "a text";
    case "number":
      return "a number";
    case "int":
      return "a whole number";
    case "boolean":
      return "true or false";
    case "object":
      return "a mapping (key: value)";
    case "array":
      return "a list";
    default:
      return `a value of type ${expected}`;
  }
}

/** A union branch that failed only because the value has another type altogether. */
function isTypeMismatch(branch: readonly Issue[], input: unknown): boolean {
  return branch.every(
    (i) =>
      i.path.length === 0 &&
      (i.code === "invalid_type" ||
        (i.code === "invalid_value" && i.values.every((v) => typeof v !== typeof input))),
  );
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let value = data;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === "number") value = value[segment];
    else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      value = Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[String(segment)] : undefined;
    } else return undefined;
  }
  return value;
}
