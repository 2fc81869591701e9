/**
 * The JSONPath subset Step Functions' JSONPath query language needs for what fristflow runs:
 * `$`, `$.a.b`, `$['a b']`, `$.list[0]`, `$.list[*]`, `$.obj.*`, and `$$.…` for the context object.
 * Filters, slices and recursive descent are refused when a definition is checked, so a
 * definition that loads here never meets an unsupported path at run time.
 */
import { DefinitionError, StatesError, StatesErrors } from "./errors.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type Segment =
  | { kind: "field"; name: string }
  | { kind: "index"; index: number }
  | { kind: "wildcard" };

export interface ParsedPath {
  text: string;
  /** `$$.…` paths read the context object, `$.…` paths the state's data. */
  root: "data" | "context";
  segments: Segment[];
  /** A definite path selects at most one value; one with a wildcard selects a list. */
  definite: boolean;
}

const cache = new Map<string, ParsedPath>();

/** Parses (and caches) a path; throws DefinitionError for syntax it does not support. */
export function parsePath(text: string): ParsedPath {
  const hit = cache.get(text);
  if (hit) return hit;
  const parsed = parseUncached(text);
  cache.set(text, parsed);
  return parsed;
}

function parseUncached(text: string): ParsedPath {
  const fail = (why: string): never => {
    throw new DefinitionError(`Unsupported JSONPath '${text}': ${why}`);
  };
  let root: ParsedPath["root"];
  let i: number;
  if (text.startsWith("$$")) {
    root = "context";
    i = 2;
  } else if (text.startsWith("$")) {
    root = "data";
    i = 1;
  } else {
    return fail("a path starts with $ (state data) or $$ (context object)");
  }
  const segments: Segment[] = [];
  while (i < text.length) {
    const c = text[i];
    if (c === ".") {
      if (text[i + 1] === ".") fail("recursive descent (..) is not supported");
      if (text[i + 1] === "*") {
        segments.push({ kind: "wildcard" });
        i += 2;
        continue;
      }
      let end = i + 1;
      while (end < text.length && text[end] !== "." && text[end] !== "[") end++;
      const name = text.slice(i + 1, end);
      if (name === "") fail("an empty field name");
      segments.push({ kind: "field", name });
      i = end;
    } else if (c === "[") {
      const close = findClosingBracket(text, i, fail);
      const inner = text.slice(i + 1, close).trim();
      if (inner === "*") segments.push({ kind: "wildcard" });
      else if (/^\d+$/.test(inner)) segments.push({ kind: "index", index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) segments.push({ kind: "field", name: unquote(inner) });
      else fail(`'[${inner}]' (only [n], [*] and ['name'] are supported; no filters or slices)`);
      i = close + 1;
    } else {
      fail(`unexpected '${c}' at position ${i}`);
    }
  }
  return { text, root, segments, definite: segments.every((s) => s.kind !== "wildcard") };
}

function findClosingBracket(text: string, open: number, fail: (why: string) => never): number {
  let quote: string | null = null;
  for (let j = open + 1; j < text.length; j++) {
    const ch = text[j];
    if (quote !== null) {
      if (ch === "\\") j++;
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === "]") {
      return j;
    }
  }
  return fail("an unclosed [");
}

function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(.)/g, "$1");
}

/** A reference path (ResultPath, and where the spec asks for one) names one place: fields and indexes only. */
export function parseReferencePath(text: string): ParsedPath {
  const parsed = parsePath(text);
  if (parsed.root === "context") {
    throw new DefinitionError(`'${text}' must point into the state's data, not the context object`);
  }
  if (!parsed.definite) {
    throw new DefinitionError(`'${text}' must be a reference path (no wildcards)`);
  }
  return parsed;
}

export type QueryResult = { found: true; value: Json } | { found: false };

/**
 * Evaluates a path. A definite path is found or not; a wildcard path is always "found" and yields
 * the list of matches (possibly empty), as Step Functions' JSONPath does.
 */
export function query(path: ParsedPath, data: Json, context: Json): QueryResult {
  const start = path.root === "context" ? context : data;
  if (path.definite) {
    let current: Json = start;
    for (const segment of path.segments) {
      const next = step(current, segment);
      if (next === undefined) return { found: false };
      current = next;
    }
    return { found: true, value: current };
  }
  let frontier: Json[] = [start];
  for (const segment of path.segments) {
    const following: Json[] = [];
    for (const value of frontier) {
      if (segment.kind === "wildcard") following.push(...children(value));
      else {
        const next = step(value, segment);
        if (next !== undefined) following.push(next);
      }
    }
    frontier = following;
  }
  return { found: true, value: frontier };
}

function step(value: Json, segment: Segment): Json | undefined {
  if (segment.kind === "field") {
    if (!isObject(value) || !Object.hasOwn(value, segment.name)) return undefined;
    return value[segment.name];
  }
  if (segment.kind === "index") return Array.isArray(value) ? value[segment.index] : undefined;
  return undefined;
}

function children(value: Json): Json[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) return Object.values(value);
  return [];
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads a path that must resolve; a missing value is a States.Runtime error, which is what AWS
 * raises when a path in InputPath, Parameters or a Choice rule finds nothing.
 */
export function mustQuery(path: ParsedPath, data: Json, context: Json, where: string): Json {
  const result = query(path, data, context);
  if (!result.found) {
    const source = path.root === "context" ? "the context object" : `the input '${preview(data)}'`;
    throw new StatesError(
      StatesErrors.Runtime,
      `The JSONPath '${path.text}' specified for ${where} could not be found in ${source}`,
    );
  }
  return result.value;
}

/**
 * Returns a copy of `target` with `value` placed at the reference path, creating objects on the
 * way. A step through something that is not an object is States.ResultPathMatchFailure, as on
 * AWS (e.g. ResultPath `$.a.b` when `$.a` is a string).
 */
export function placeAt(path: ParsedPath, target: Json, value: Json): Json {
  if (path.segments.length === 0) return value;
  const root = structuredClone(target);
  if (!isObject(root) && !Array.isArray(root)) throw matchFailure(path, target);
  let current: JsonObject | Json[] = root;
  path.segments.forEach((segment, n) => {
    const last = n === path.segments.length - 1;
    if (segment.kind === "field" && isObject(current)) {
      if (last) {
        current[segment.name] = value;
        return;
      }
      const existing: Json | undefined = current[segment.name];
      if (existing === undefined || existing === null) {
        const created: JsonObject = {};
        current[segment.name] = created;
        current = created;
      } else if (isObject(existing) || Array.isArray(existing)) {
        current = existing;
      } else {
        throw matchFailure(path, target);
      }
    } else if (segment.kind === "index" && Array.isArray(current) && segment.index < current.length) {
      if (last) {
        current[segment.index] = value;
        return;
      }
      const existing = current[segment.index];
      if (!isObject(existing ?? null) && !Array.isArray(existing)) throw matchFailure(path, target);
      current = existing as JsonObject | Json[];
    } else {
      throw matchFailure(path, target);
    }
  });
  return root;
}

function matchFailure(path: ParsedPath, target: Json): StatesError {
  return new StatesError(
    StatesErrors.ResultPathMatchFailure,
    `Unable to apply ResultPath '${path.text}' to input '${preview(target)}'`,
  );
}

/** Inputs can be large; an error message only needs enough of one to recognise it. */
export function preview(value: Json): string {
  const text = JSON.stringify(value) ?? "null";
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
