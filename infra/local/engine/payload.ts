/**
 * Input and output processing of a state, in the order the spec applies it:
 * InputPath -> Parameters -> (the work) -> ResultSelector -> ResultPath -> OutputPath.
 * Payload templates (Parameters, ResultSelector) resolve `key.$` fields from a path into the data,
 * a `$$.` path into the context object, or an intrinsic function call.
 */
import { randomUUID } from "node:crypto";
import { DefinitionError, StatesError, StatesErrors } from "./errors.ts";
import {
  isObject,
  type Json,
  type JsonObject,
  mustQuery,
  type ParsedPath,
  parsePath,
  parseReferencePath,
  placeAt,
} from "./jsonpath.ts";

/** A path field as the definition gives it: absent means `$`, null means "nothing" ({} or discard). */
export type OptionalPath = string | null | undefined;

export function applyInputPath(path: OptionalPath, input: Json, context: Json): Json {
  if (path === undefined) return input;
  if (path === null) return {};
  return mustQuery(parsePath(path), input, context, "InputPath");
}

/** Where the result goes: absent replaces the input, null keeps the input and drops the result. */
export function applyResultPath(path: OptionalPath, rawInput: Json, result: Json): Json {
  if (path === undefined) return result;
  if (path === null) return rawInput;
  return placeAt(parseReferencePath(path), rawInput, result);
}

export function applyOutputPath(path: OptionalPath, output: Json, context: Json): Json {
  if (path === undefined) return output;
  if (path === null) return {};
  return mustQuery(parsePath(path), output, context, "OutputPath");
}

/**
 * Resolves a payload template against `data` and the context object. Only objects carry `.$`
 * keys; arrays are walked so objects nested in them are resolved too.
 */
export function resolveTemplate(template: Json, data: Json, context: Json): Json {
  if (Array.isArray(template)) return template.map((item) => resolveTemplate(item, data, context));
  if (!isObject(template)) return template;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith(".$")) {
      const field = key.slice(0, -2);
      out[field] = resolveDynamic(key, value, data, context);
    } else {
      out[key] = resolveTemplate(value, data, context);
    }
  }
  return out;
}

function resolveDynamic(key: string, expression: Json, data: Json, context: Json): Json {
  if (typeof expression !== "string") {
    throw new DefinitionError(`The value of '${key}' must be a path or an intrinsic function`);
  }
  if (expression.startsWith("$")) {
    return mustQuery(parsePath(expression), data, context, `the field '${key}'`);
  }
  return evaluateIntrinsic(parseIntrinsic(expression), data, context);
}

/**
 * Checks a template when the definition is loaded, so a typo in a path or an unknown intrinsic
 * fails at start-up rather than years into a timeline.
 */
export function checkTemplate(template: Json, where: string): void {
  if (Array.isArray(template)) {
    for (const item of template) checkTemplate(item, where);
    return;
  }
  if (!isObject(template)) return;
  for (const [key, value] of Object.entries(template)) {
    if (!key.endsWith(".$")) {
      checkTemplate(value, where);
      continue;
    }
    if (typeof value !== "string") {
      throw new DefinitionError(`${where}: '${key}' must be a path or an intrinsic function`);
    }
    try {
      if (value.startsWith("$")) parsePath(value);
      else parseIntrinsic(value);
    } catch (err) {
      if (err instanceof DefinitionError)
        throw new DefinitionError(`${where}: ${err.message}`, { cause: err });
      throw err;
    }
  }
}

// ---------------------------------------------------------------- intrinsic functions

type Argument =
  | { kind: "literal"; value: Json; raw?: string }
  | { kind: "path"; path: ParsedPath }
  | { kind: "call"; call: IntrinsicCall };

export interface IntrinsicCall {
  name: string;
  args: Argument[];
}

const INTRINSICS: Record<string, { min: number; max: number }> = {
  "States.Format": { min: 1, max: Number.POSITIVE_INFINITY },
  "States.StringToJson": { min: 1, max: 1 },
  "States.JsonToString": { min: 1, max: 1 },
  "States.Array": { min: 0, max: Number.POSITIVE_INFINITY },
  "States.UUID": { min: 0, max: 0 },
};

const parsedIntrinsics = new Map<string, IntrinsicCall>();

/** Parses `States.Name(arg, …)`; arguments are 'strings', numbers, true/false/null, paths or calls. */
export function parseIntrinsic(text: string): IntrinsicCall {
  const hit = parsedIntrinsics.get(text);
  if (hit) return hit;
  const parser = new IntrinsicParser(text);
  const call = parser.call();
  parser.end();
  parsedIntrinsics.set(text, call);
  return call;
}

class IntrinsicParser {
  private i = 0;
  constructor(private readonly text: string) {}

  private fail(why: string): never {
    throw new DefinitionError(`Intrinsic function '${this.text}': ${why} (at position ${this.i})`);
  }

  private skipSpace(): void {
    while (this.text[this.i] === " ") this.i++;
  }

  end(): void {
    this.skipSpace();
    if (this.i !== this.text.length) this.fail("unexpected text after the call");
  }

  call(): IntrinsicCall {
    this.skipSpace();
    const match = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.i));
    if (!match) this.fail("expected States.<Function>(…)");
    const name = match[0];
    const arity = INTRINSICS[name];
    if (!arity) this.fail(`${name} is not supported (supported: ${Object.keys(INTRINSICS).join(", ")})`);
    this.i += name.length;
    if (this.text[this.i] !== "(") this.fail("expected (");
    this.i++;
    const args: Argument[] = [];
    this.skipSpace();
    if (this.text[this.i] === ")") this.i++;
    else {
      for (;;) {
        args.push(this.argument());
        this.skipSpace();
        const c = this.text[this.i++];
        if (c === ")") break;
        if (c !== ",") this.fail("expected , or )");
      }
    }
    if (args.length < arity.min || args.length > arity.max) {
      this.fail(`${name} takes ${arity.min === arity.max ? arity.min : `at least ${arity.min}`} arguments`);
    }
    return { name, args };
  }

  private argument(): Argument {
    this.skipSpace();
    const rest = this.text.slice(this.i);
    if (rest.startsWith("'")) return this.stringLiteral();
    if (rest.startsWith("$")) {
      let end = this.i;
      let depth = 0;
      while (end < this.text.length) {
        const c = this.text[end];
        if (c === "[") depth++;
        else if (c === "]") depth--;
        else if (depth === 0 && (c === "," || c === ")")) break;
        end++;
      }
      const pathText = this.text.slice(this.i, end).trim();
      this.i = end;
      return { kind: "path", path: parsePath(pathText) };
    }
    if (rest.startsWith("States.")) return { kind: "call", call: this.call() };
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(rest);
    if (!literal) return this.fail("expected an argument");
    this.i += literal[0].length;
    return { kind: "literal", value: JSON.parse(literal[0]) as Json };
  }

  /** 'text' with \' \{ \} \\ escapes; the raw form is kept so States.Format can tell \{ from {. */
  private stringLiteral(): Argument {
    const start = ++this.i;
    let value = "";
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === "\\") {
        const escaped = this.text[this.i + 1];
        if (escaped === undefined) this.fail("a dangling \\");
        value += escaped;
        this.i += 2;
      } else if (c === "'") {
        const raw = this.text.slice(start, this.i);
        this.i++;
        return { kind: "literal", value, raw };
      } else {
        value += c;
        this.i++;
      }
    }
    return this.fail("an unclosed string");
  }
}

function intrinsicFailure(call: IntrinsicCall, why: string): StatesError {
  return new StatesError(StatesErrors.IntrinsicFailure, `${call.name}: ${why}`);
}

export function evaluateIntrinsic(call: IntrinsicCall, data: Json, context: Json): Json {
  const values = call.args.map((arg) => evaluateArgument(arg, data, context, call));
  switch (call.name) {
    case "States.Format":
      return format(call, values);
    case "States.StringToJson": {
      const [text] = values;
      if (typeof text !== "string") throw intrinsicFailure(call, "the argument must be a string");
      try {
        return JSON.parse(text) as Json;
      } catch {
        throw intrinsicFailure(call, `'${text}' is not JSON`);
      }
    }
    case "States.JsonToString":
      return JSON.stringify(values[0] ?? null);
    case "States.Array":
      return values;
    case "States.UUID":
      return randomUUID();
    default:
      throw intrinsicFailure(call, "not supported");
  }
}

function evaluateArgument(arg: Argument, data: Json, context: Json, call: IntrinsicCall): Json {
  switch (arg.kind) {
    case "literal":
      return arg.value;
    case "path":
      return mustQuery(arg.path, data, context, `an argument of ${call.name}`);
    case "call":
      return evaluateIntrinsic(arg.call, data, context);
  }
}

/** `{}` takes the next argument; `\{` and `\}` are literal braces. Only scalars can be formatted. */
function format(call: IntrinsicCall, values: Json[]): string {
  const template = call.args[0];
  if (template?.kind !== "literal" || typeof template.value !== "string" || template.raw === undefined) {
    throw intrinsicFailure(call, "the first argument must be a string literal");
  }
  const raw = template.raw;
  let out = "";
  let next = 1;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "\\") {
      out += raw[i + 1] ?? "";
      i++;
    } else if (c === "{" && raw[i + 1] === "}") {
      if (next >= values.length) throw intrinsicFailure(call, "more {} than arguments");
      const value = values[next++] ?? null;
      if (typeof value === "object" && value !== null) {
        throw intrinsicFailure(call, "only strings, numbers, booleans and null can be formatted");
      }
      out += typeof value === "string" ? value : JSON.stringify(value);
      i++;
    } else {
      out += c;
    }
  }
  if (next !== values.length) throw intrinsicFailure(call, "more arguments than {}");
  return out;
}
