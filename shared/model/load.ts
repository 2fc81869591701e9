/**
 * Loading workflow definitions and the unit directory from YAML (JSON is YAML too).
 *
 * Pure: text in, a value or located errors out; never a throw, never a stack trace. Files are
 * written by hand by administrators, so every error names line, column and path, and says what
 * is wrong and what is allowed. The YAML layer is hardened because definitions may come in
 * through the admin API: size, depth and alias expansion are bounded before anything is built.
 */
import {
  type Document,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLError,
} from "yaml";
import { z } from "zod";
import { CPR_MESSAGE, looksLikeCpr, numberLooksLikeCpr } from "./cpr.ts";
import {
  describeValue,
  formatPath,
  type LoadResult,
  type LocatedError,
  type PathSegment,
  quote,
  sortErrors,
  unknownName,
} from "./errors.ts";
import { type Unit, UnitsFileSchema, type Workflow, WorkflowSchema } from "./schema.ts";
import { type Locate, validateWorkflow } from "./validate.ts";

/** Larger than any real definition by far; bounds parse time and memory for API uploads. */
export const MAX_SOURCE_BYTES = 512 * 1024;
/** A workflow is about five levels deep; 32 leaves room while stopping pathological input. */
export const MAX_DEPTH = 32;
/** Beyond this a reader stops reading; the rest is summarised in one line. */
const MAX_ERRORS = 200;

export function loadWorkflow(text: string, file: string): LoadResult<Workflow> {
  return guarded(file, () => {
    const source = parseSource(text, file, "mapping", "a workflow: a mapping with id, title and milestones");
    if (!source.ok) return fail(source.errors);
    const { data, locate, contentErrors } = source;
    const parsed = WorkflowSchema.safeParse(data, { error: () => DEFAULT_MESSAGE });
    const errors = [...contentErrors];
    if (!parsed.success) {
      errors.push(...zodErrors(parsed.error.issues, data, WorkflowSchema, file, locate));
      return fail(errors);
    }
    errors.push(...validateWorkflow(parsed.data, { file, locate, checkCpr: false }));
    return errors.length > 0 ? fail(errors) : { ok: true, value: parsed.data };
  });
}

export function loadUnits(text: string, file: string): LoadResult<Unit[]> {
  return guarded(file, () => {
    const source = parseSource(text, file, "list", "a list of units, each with id, name, type and leader");
    if (!source.ok) return fail(source.errors);
    const { data, locate, contentErrors } = source;
    const parsed = UnitsFileSchema.safeParse(data, { error: () => DEFAULT_MESSAGE });
    const errors = [...contentErrors];
    if (!parsed.success) {
      errors.push(...zodErrors(parsed.error.issues, data, UnitsFileSchema, file, locate));
      return fail(errors);
    }
    const seen = new Map<string, number>();
    for (const [index, unit] of parsed.data.entries()) {
      const first = seen.get(unit.id);
      if (first === undefined) {
        seen.set(unit.id, index);
        continue;
      }
      const path = [index, "id"];
      errors.push({
        file,
        ...locate(path),
        path: formatPath(path),
        message: `duplicate unit id ${quote(unit.id)}: unit [${first}] (line ${locate([first]).line}) already has it; every unit needs its own id`,
      });
    }
    return errors.length > 0 ? fail(errors) : { ok: true, value: parsed.data };
  });
}

function fail<T>(errors: LocatedError[]): LoadResult<T> {
  const sorted = sortErrors(errors);
  if (sorted.length <= MAX_ERRORS) return { ok: false, errors: sorted };
  const shown = sorted.slice(0, MAX_ERRORS);
  const last = shown[shown.length - 1];
  shown.push({
    file: last?.file ?? "",
    line: last?.line ?? 1,
    column: last?.column ?? 1,
    path: "",
    message: `… and ${sorted.length - MAX_ERRORS} more errors not shown; fix the ones above first`,
  });
  return { ok: false, errors: shown };
}

/**
 * The loaders promise never to throw. Every known failure is reported where it is detected;
 * this is the last line of defence against a bug or an exotic input, reported like any error.
 */
function guarded<T>(file: string, run: () => LoadResult<T>): LoadResult<T> {
  try {
    return run();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, path: "", message: `could not read the definition: ${why}` }],
    };
  }
}

// ---------------------------------------------------------------------------------------------
// YAML

type Source =
  | { ok: true; data: unknown; locate: Locate; contentErrors: LocatedError[] }
  | { ok: false; errors: LocatedError[] };

function parseSource(text: string, file: string, expected: "mapping" | "list", what: string): Source {
  const at = (line: number, column: number, path: string, message: string): LocatedError => ({
    file,
    line,
    column,
    path,
    message,
  });
  // The limit is on the file as stored (UTF-8), counted without copying the text.
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_SOURCE_BYTES) {
    return {
      ok: false,
      errors: [
        at(
          1,
          1,
          "",
          `the file is ${Math.ceil(bytes / 1024)} KiB; at most ${MAX_SOURCE_BYTES / 1024} KiB is allowed`,
        ),
      ],
    };
  }

  const lineCounter = new LineCounter();
  // prettyErrors off: the message stays one line and the position comes from our LineCounter.
  // uniqueKeys is yaml's default, set explicitly because duplicate keys must stay errors.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, version: "1.2" });
  const position = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(Math.max(0, offset));
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };
  const locate = makeLocate(doc, position);

  const walk = walkTree(doc, position, file);
  const fatal: LocatedError[] = [...walk.fatal];
  let exhausted = false;
  for (const e of [...doc.errors, ...doc.warnings]) {
    if (e.code === "RESOURCE_EXHAUSTION") {
      // yaml reports one per level it could not descend; one message says it all.
      if (exhausted) continue;
      exhausted = true;
    }
    const { line, column } = position(e.pos[0]);
    const key = e.code === "DUPLICATE_KEY" ? walk.keysAt.get(e.pos[0]) : undefined;
    fatal.push(at(line, column, key === undefined ? "" : formatPath(key.path), yamlMessage(e, key)));
  }
  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== "1.2") {
    // YAML 1.1 turns dates into timestamps and enables merge keys: a different language.
    fatal.push(
      at(
        1,
        1,
        "",
        `YAML ${doc.directives.yaml.version} is not supported; remove the %YAML line (YAML 1.2 is used)`,
      ),
    );
  }
  if (fatal.length > 0) return { ok: false, errors: [...fatal, ...walk.content] };

  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return { ok: false, errors: [at(1, 1, "", `the document is empty; expected ${what}`)] };
  }
  const isExpected = expected === "mapping" ? isMap(contents) : isSeq(contents);
  if (!isExpected) {
    const got = isMap(contents) ? "a mapping" : isSeq(contents) ? "a list" : "a single value";
    const { line, column } = position(contents.range?.[0] ?? 0);
    return { ok: false, errors: [at(line, column, "", `the top level must be ${what}; got ${got}`)] };
  }

  // No aliases were let through, so toJS has nothing to expand; maxAliasCount 0 makes sure.
  const data: unknown = doc.toJS({ maxAliasCount: 0 });
  return { ok: true, data, locate, contentErrors: walk.content };
}

interface KeyInfo {
  path: PathSegment[];
  name: string;
}

function yamlMessage(e: YAMLError, key: KeyInfo | undefined): string {
  switch (e.code) {
    case "DUPLICATE_KEY":
      return key === undefined
        ? "duplicate key: each key may appear only once in a mapping"
        : `duplicate key ${quote(key.name)}: each key may appear only once in a mapping`;
    case "MULTIPLE_DOCS":
      return "a file holds exactly one YAML document; remove the '---' separator and what follows it";
    case "RESOURCE_EXHAUSTION":
      return `the document is nested too deeply to read; at most ${MAX_DEPTH} levels are allowed`;
    case "TAG_RESOLVE_FAILED":
    case "BAD_COLLECTION_TYPE":
      return `unsupported YAML tag (${e.message}); tags are not part of the workflow language, remove it`;
    default:
      return `YAML syntax error: ${e.message}`;
  }
}

interface Walk {
  /** Errors that stop loading: the tree cannot be trusted or converted. */
  fatal: LocatedError[];
  /** Errors about values (CPR numbers) that are reported alongside the schema's. */
  content: LocatedError[];
  /** Map keys by source offset, to name the key in yaml's duplicate-key error. */
  keysAt: Map<number, KeyInfo>;
}

/**
 * One pass over the syntax tree, iterative so no input can exhaust the stack: depth, aliases
 * and anchors (billion laughs), keys that are not plain values, and CPR-looking text, read from
 * the source so `0102031234` is seen before YAML makes it the number 102031234.
 */
function walkTree(
  doc: Document.Parsed,
  position: (offset: number) => { line: number; column: number },
  file: string,
): Walk {
  const walk: Walk = { fatal: [], content: [], keysAt: new Map() };
  const add = (list: LocatedError[], node: Node, path: PathSegment[], message: string): void => {
    list.push({ file, ...position(node.range?.[0] ?? 0), path: formatPath(path), message });
  };
  let tooDeep = false;
  const stack: { node: unknown; path: PathSegment[]; depth: number; isKey: boolean }[] = [
    { node: doc.contents, path: [], depth: 1, isKey: false },
  ];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined || item.node === null || item.node === undefined) continue;
    const { node, path, depth, isKey } = item;
    if (isAlias(node)) {
      add(
        walk.fatal,
        node,
        path,
        `YAML aliases (*${node.source}) are not allowed; write the value out in full`,
      );
      continue;
    }
    if (!isScalar(node) && !isCollection(node)) continue;
    if (node.anchor !== undefined) {
      add(
        walk.fatal,
        node,
        path,
        `YAML anchors (&${node.anchor}) are not allowed; write the value out in full`,
      );
    }
    if (isScalar(node)) {
      checkScalarForCpr(node.value, node.source, (message) => add(walk.content, node, path, message), isKey);
      continue;
    }
    if (depth > MAX_DEPTH) {
      if (!tooDeep) {
        add(
          walk.fatal,
          node,
          path,
          `nested more than ${MAX_DEPTH} levels deep; a definition needs far fewer`,
        );
      }
      tooDeep = true;
      continue;
    }
    if (isSeq(node)) {
      node.items.forEach((child, i) => {
        stack.push({ node: child, path: [...path, i], depth: depth + 1, isKey: false });
      });
      continue;
    }
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      if (isScalar(key)) {
        const name = String(key.value);
        const keyPath = [...path, name];
        if (key.range) walk.keysAt.set(key.range[0], { path: keyPath, name });
        stack.push({ node: key, path: keyPath, depth, isKey: true });
        stack.push({ node: pair.value, path: keyPath, depth: depth + 1, isKey: false });
      } else if (isAlias(key)) {
        stack.push({ node: key, path, depth, isKey: true });
      } else if (key !== null && isCollection(key)) {
        add(walk.fatal, key, path, "a key must be a plain name, not a list or a mapping");
      }
    }
  }
  return walk;
}

function checkScalarForCpr(
  value: unknown,
  source: unknown,
  report: (message: string) => void,
  isKey: boolean,
): void {
  const what = isKey ? "the key" : typeof value === "number" ? "the number" : "the text";
  const texts = [
    typeof source === "string" ? source : undefined,
    typeof value === "string" ? value : undefined,
  ];
  const hit =
    texts.some((t) => t !== undefined && looksLikeCpr(t)) ||
    (typeof value === "number" && numberLooksLikeCpr(value));
  if (hit) report(`${what} ${CPR_MESSAGE}`);
}

/**
 * Position of a path in the tree. A missing key falls back to the nearest node that exists
 * (a missing required key points at the mapping that should hold it); an empty value (`due:`)
 * points at its key, since there is nothing else on that line to point at.
 */
function makeLocate(
  doc: Document.Parsed,
  position: (offset: number) => { line: number; column: number },
): Locate {
  return (path, at = "value") => {
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    let resolved = true;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (pair === undefined) {
          resolved = false;
          break;
        }
        keyNode = pair.key as Node;
        node = pair.value ?? keyNode;
      } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
        keyNode = undefined;
        node = node.items[segment];
      } else {
        resolved = false;
        break;
      }
    }
    const isEmptyValue = isScalar(node) && node.value === null && node.source === "";
    const target = resolved && keyNode !== undefined && (at === "key" || isEmptyValue) ? keyNode : node;
    const offset = isScalar(target) || isCollection(target) || isAlias(target) ? (target.range?.[0] ?? 0) : 0;
    return position(offset);
  };
}

// ---------------------------------------------------------------------------------------------
// zod issues -> English

/**
 * Given as the per-parse error map so that every message zod would word itself comes back as
 * this marker: messages written in schema.ts take precedence and are kept, the rest are worded
 * here with the value and the path at hand.
 */
const DEFAULT_MESSAGE = "\u0000default";

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

function zodErrors(
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
    // any summary of the union; one that failed at the value itself does not.
    if (only !== undefined && (forms === undefined || only.some((i) => i.path.length > 0))) {
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

/** The schema without the wrappers that do not change what is accepted. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPrefault) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.in as z.ZodType;
    } else {
      return s;
    }
  }
}

/** The schemas that may describe the value at a path (several when the path crosses a union). */
function schemasAt(schema: z.ZodType, path: readonly PathSegment[]): z.ZodType[] {
  let current = [unwrap(schema)];
  for (const segment of path) {
    const next: z.ZodType[] = [];
    const expand = (s: z.ZodType): void => {
      if (s instanceof z.ZodUnion) {
        for (const option of s.options) expand(unwrap(option as z.ZodType));
      } else if (s instanceof z.ZodObject && typeof segment === "string") {
        const child = (s.shape as Record<string, z.ZodType>)[segment];
        if (child !== undefined) next.push(unwrap(child));
      } else if (s instanceof z.ZodArray && typeof segment === "number") {
        next.push(unwrap(s.element as z.ZodType));
      } else if (s instanceof z.ZodRecord && typeof segment === "string") {
        next.push(unwrap(s.valueType as z.ZodType));
      }
    };
    for (const s of current) expand(s);
    current = next;
  }
  return current;
}

function isUnionAt(schema: z.ZodType, path: readonly PathSegment[]): boolean {
  return schemasAt(schema, path).some((s) => s instanceof z.ZodUnion);
}

/** Keys allowed in the mapping at a path, for "unknown key" messages. */
function objectKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  const keys: string[] = [];
  const collect = (s: z.ZodType): void => {
    if (s instanceof z.ZodUnion) for (const option of s.options) collect(unwrap(option as z.ZodType));
    else if (s instanceof z.ZodObject) keys.push(...Object.keys(s.shape));
  };
  for (const s of schemasAt(schema, path)) collect(s);
  return [...new Set(keys)];
}
