/**
 * Choice rules: the comparison operators of the spec (String*, Numeric*, Boolean*, Timestamp*,
 * each also as *Path), the type tests (IsNull, IsPresent, IsNumeric, IsString, IsBoolean,
 * IsTimestamp) and And/Or/Not.
 *
 * Semantics kept from AWS: a Variable (or *Path operand) that does not resolve is a
 * States.Runtime error, except for IsPresent, which exists to ask exactly that; a value of the
 * wrong type simply makes the comparison false.
 */
import { Temporal } from "../../../shared/time/temporal.ts";
import { DefinitionError } from "./errors.ts";
import { isObject, type Json, mustQuery, parsePath, query } from "./jsonpath.ts";

type Kind = "string" | "numeric" | "boolean" | "timestamp";
type Relation = "Equals" | "LessThan" | "GreaterThan" | "LessThanEquals" | "GreaterThanEquals" | "Matches";

interface Comparison {
  kind: Kind;
  relation: Relation;
  viaPath: boolean;
}

const KIND_PREFIX: Record<string, Kind> = {
  String: "string",
  Numeric: "numeric",
  Boolean: "boolean",
  Timestamp: "timestamp",
};

const TYPE_TESTS = ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"] as const;
type TypeTest = (typeof TYPE_TESTS)[number];

const RULE_KEYS = new Set(["Variable", "Next", "Comment"]);

/** Reads an operator name like `NumericLessThanEqualsPath`; undefined if it is not one. */
function parseOperator(name: string): Comparison | undefined {
  const match =
    /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals|Matches)(Path)?$/.exec(
      name,
    );
  if (!match) return undefined;
  const kind = KIND_PREFIX[match[1] ?? ""];
  const relation = match[2] as Relation;
  const viaPath = match[3] === "Path";
  if (kind === undefined) return undefined;
  if (kind === "boolean" && relation !== "Equals") return undefined;
  if (relation === "Matches" && (kind !== "string" || viaPath)) return undefined;
  return { kind, relation, viaPath };
}

/**
 * Checks one rule (recursively) when the definition loads. `top` rules carry Next; nested ones
 * inside And/Or/Not must not.
 */
export function checkRule(rule: Json, where: string, top: boolean): void {
  if (!isObject(rule)) throw new DefinitionError(`${where}: a choice rule must be an object`);
  if (top && typeof rule.Next !== "string") throw new DefinitionError(`${where}: a choice rule needs Next`);
  if (!top && rule.Next !== undefined) throw new DefinitionError(`${where}: only top-level rules have Next`);
  const operators = Object.keys(rule).filter((key) => !RULE_KEYS.has(key));
  if (operators.length !== 1) {
    throw new DefinitionError(
      `${where}: a rule has exactly one operator, found ${operators.join(", ") || "none"}`,
    );
  }
  const [operator = ""] = operators;
  const operand = rule[operator];
  if (operator === "And" || operator === "Or") {
    if (!Array.isArray(operand) || operand.length === 0) {
      throw new DefinitionError(`${where}: ${operator} takes a non-empty list of rules`);
    }
    operand.forEach((inner, n) => {
      checkRule(inner, `${where}.${operator}[${n}]`, false);
    });
    if (rule.Variable !== undefined) throw new DefinitionError(`${where}: ${operator} has no Variable`);
    return;
  }
  if (operator === "Not") {
    checkRule(operand ?? null, `${where}.Not`, false);
    if (rule.Variable !== undefined) throw new DefinitionError(`${where}: Not has no Variable`);
    return;
  }
  if (typeof rule.Variable !== "string") throw new DefinitionError(`${where}: ${operator} needs a Variable`);
  parsePath(rule.Variable);
  if ((TYPE_TESTS as readonly string[]).includes(operator)) {
    if (typeof operand !== "boolean") throw new DefinitionError(`${where}: ${operator} takes true or false`);
    return;
  }
  const comparison = parseOperator(operator);
  if (!comparison) throw new DefinitionError(`${where}: unknown operator '${operator}'`);
  if (comparison.viaPath) {
    if (typeof operand !== "string") throw new DefinitionError(`${where}: ${operator} takes a path`);
    parsePath(operand);
    return;
  }
  const expected =
    comparison.kind === "timestamp" ? "string" : comparison.kind === "numeric" ? "number" : comparison.kind;
  if (typeof operand !== expected) throw new DefinitionError(`${where}: ${operator} takes a ${expected}`);
  if (comparison.kind === "timestamp" && parseTimestamp(operand as string) === undefined) {
    throw new DefinitionError(`${where}: '${String(operand)}' is not an RFC 3339 timestamp`);
  }
}

/** Whether a (checked) rule holds for the Choice state's effective input. */
export function evaluateRule(rule: Json, input: Json, context: Json): boolean {
  if (!isObject(rule)) return false;
  if (Array.isArray(rule.And)) return rule.And.every((inner) => evaluateRule(inner, input, context));
  if (Array.isArray(rule.Or)) return rule.Or.some((inner) => evaluateRule(inner, input, context));
  if (rule.Not !== undefined) return !evaluateRule(rule.Not, input, context);

  const variable = parsePath(String(rule.Variable));
  for (const test of TYPE_TESTS) {
    const expected = rule[test];
    if (typeof expected !== "boolean") continue;
    if (test === "IsPresent") return query(variable, input, context).found === expected;
    const value = mustQuery(variable, input, context, "a Choice rule's Variable");
    return typeTest(test, value) === expected;
  }

  for (const [operator, operand] of Object.entries(rule)) {
    const comparison = parseOperator(operator);
    if (!comparison || operand === undefined) continue;
    const value = mustQuery(variable, input, context, "a Choice rule's Variable");
    const against =
      comparison.viaPath && typeof operand === "string"
        ? mustQuery(parsePath(operand), input, context, `${operator} of a Choice rule`)
        : operand;
    return compare(comparison, value, against);
  }
  return false;
}

function typeTest(test: Exclude<TypeTest, "IsPresent">, value: Json): boolean {
  switch (test) {
    case "IsNull":
      return value === null;
    case "IsNumeric":
      return typeof value === "number";
    case "IsString":
      return typeof value === "string";
    case "IsBoolean":
      return typeof value === "boolean";
    case "IsTimestamp":
      return typeof value === "string" && parseTimestamp(value) !== undefined;
  }
}

function compare(comparison: Comparison, value: Json, against: Json): boolean {
  switch (comparison.kind) {
    case "boolean":
      return typeof value === "boolean" && value === against;
    case "numeric":
      if (typeof value !== "number" || typeof against !== "number") return false;
      return relate(comparison.relation, value - against);
    case "string":
      if (typeof value !== "string" || typeof against !== "string") return false;
      if (comparison.relation === "Matches") return matchesWildcard(value, against);
      return relate(comparison.relation, value < against ? -1 : value > against ? 1 : 0);
    case "timestamp": {
      if (typeof value !== "string" || typeof against !== "string") return false;
      const a = parseTimestamp(value);
      const b = parseTimestamp(against);
      if (a === undefined || b === undefined) return false;
      return relate(comparison.relation, Temporal.Instant.compare(a, b));
    }
  }
}

function relate(relation: Relation, sign: number): boolean {
  switch (relation) {
    case "Equals":
      return sign === 0;
    case "LessThan":
      return sign < 0;
    case "GreaterThan":
      return sign > 0;
    case "LessThanEquals":
      return sign <= 0;
    case "GreaterThanEquals":
      return sign >= 0;
    case "Matches":
      return false;
  }
}

/** StringMatches: `*` matches any run of characters; `\*` and `\\` are literal. */
function matchesWildcard(value: string, pattern: string): boolean {
  let regex = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (c === "\\" && i + 1 < pattern.length) {
      regex += escapeRegex(pattern[i + 1] ?? "");
      i++;
    } else if (c === "*") {
      regex += "[\\s\\S]*";
    } else {
      regex += escapeRegex(c);
    }
  }
  return new RegExp(`^${regex}$`).test(value);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * The spec's timestamps: RFC 3339 with an uppercase T and either Z or a numeric offset. Temporal
 * alone would also accept forms AWS rejects (a space separator, no offset).
 */
export function parseTimestamp(text: string): Temporal.Instant | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  try {
    return Temporal.Instant.from(text);
  } catch {
    return undefined;
  }
}
