/**
 * Loads an ASL definition into typed states and checks it once, up front. Anything the engine
 * would not run exactly like AWS (Map, Parallel, heartbeats, JSONata, an unknown field) is
 * refused here with a message naming the state, instead of surprising an execution later.
 */
import { checkRule } from "./choice.ts";
import { DefinitionError } from "./errors.ts";
import { isObject, type Json, type JsonObject, parsePath, parseReferencePath } from "./jsonpath.ts";
import { checkTemplate, type OptionalPath } from "./payload.ts";

export interface Retrier {
  errorEquals: string[];
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds: number | undefined;
  jitter: "NONE" | "FULL";
}

export interface Catcher {
  errorEquals: string[];
  next: string;
  resultPath: OptionalPath;
}

export type TaskResource =
  /** The optimized integration: Parameters carry FunctionName and Payload; the result is wrapped. */
  | { kind: "lambda:invoke"; waitForTaskToken: boolean }
  /** A function ARN as the resource: the effective input is the event, the return value the result. */
  | { kind: "lambda:function"; functionArn: string }
  | { kind: "states:startExecution" };

interface Common {
  name: string;
  inputPath: OptionalPath;
  outputPath: OptionalPath;
}

export interface TaskState extends Common {
  type: "Task";
  resource: TaskResource;
  parameters: Json | undefined;
  resultSelector: Json | undefined;
  resultPath: OptionalPath;
  timeoutSeconds: number | undefined;
  timeoutSecondsPath: string | undefined;
  retry: Retrier[];
  catch: Catcher[];
  /** null: the state ends the execution. */
  next: string | null;
}

export interface PassState extends Common {
  type: "Pass";
  parameters: Json | undefined;
  result: { value: Json } | undefined;
  resultPath: OptionalPath;
  next: string | null;
}

export interface WaitState extends Common {
  type: "Wait";
  seconds: number | undefined;
  secondsPath: string | undefined;
  timestamp: string | undefined;
  timestampPath: string | undefined;
  next: string | null;
}

export interface ChoiceState extends Common {
  type: "Choice";
  choices: (JsonObject & { Next: string })[];
  default: string | undefined;
}

export interface SucceedState extends Common {
  type: "Succeed";
}

export interface FailState extends Common {
  type: "Fail";
  error: string | undefined;
  cause: string | undefined;
  errorPath: string | undefined;
  causePath: string | undefined;
}

export type State = TaskState | PassState | WaitState | ChoiceState | SucceedState | FailState;

export interface Definition {
  startAt: string;
  states: ReadonlyMap<string, State>;
}

const COMMON = ["Type", "Comment", "QueryLanguage", "InputPath", "OutputPath"];
const ALLOWED: Record<State["type"], string[]> = {
  Task: [
    ...COMMON,
    "Resource",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "Retry",
    "Catch",
    "Next",
    "End",
  ],
  Pass: [...COMMON, "Parameters", "Result", "ResultPath", "Next", "End"],
  Wait: [...COMMON, "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "Next", "End"],
  Choice: [...COMMON, "Choices", "Default"],
  Succeed: COMMON,
  Fail: ["Type", "Comment", "QueryLanguage", "Error", "Cause", "ErrorPath", "CausePath"],
};

const LAMBDA_FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/;

/** Parses and checks a definition (the object buildInstanceLoop returns, or any ASL document). */
export function loadDefinition(raw: unknown): Definition {
  if (!isObject(raw as Json)) throw new DefinitionError("A state machine definition is a JSON object");
  const doc = raw as JsonObject;
  for (const key of Object.keys(doc)) {
    if (!["Comment", "StartAt", "States", "Version", "QueryLanguage"].includes(key)) {
      throw new DefinitionError(`Top-level field '${key}' is not supported by the local engine`);
    }
  }
  if (doc.QueryLanguage !== undefined && doc.QueryLanguage !== "JSONPath") {
    throw new DefinitionError("Only the JSONPath query language is supported by the local engine");
  }
  if (typeof doc.StartAt !== "string") throw new DefinitionError("StartAt must name a state");
  const rawStates = doc.States;
  if (!isObject(rawStates)) throw new DefinitionError("States must be an object of states");
  const states = new Map<string, State>();
  for (const [name, rawState] of Object.entries(rawStates)) {
    states.set(name, loadState(name, rawState));
  }
  const definition: Definition = { startAt: doc.StartAt, states };
  checkTargets(definition);
  return definition;
}

function loadState(name: string, raw: Json): State {
  const where = `State '${name}'`;
  if (!isObject(raw)) throw new DefinitionError(`${where} must be an object`);
  const type = raw.Type;
  if (type === "Map" || type === "Parallel") {
    throw new DefinitionError(`${where}: ${type} states are not supported by the local engine`);
  }
  if (typeof type !== "string" || !Object.hasOwn(ALLOWED, type)) {
    throw new DefinitionError(`${where}: unknown Type '${String(type)}'`);
  }
  const stateType = type as State["type"];
  if (raw.QueryLanguage !== undefined && raw.QueryLanguage !== "JSONPath") {
    throw new DefinitionError(`${where}: only the JSONPath query language is supported by the local engine`);
  }
  for (const key of Object.keys(raw)) {
    if (!ALLOWED[stateType].includes(key)) {
      throw new DefinitionError(`${where}: field '${key}' is not supported on a ${stateType} state`);
    }
  }
  const common: Common = {
    name,
    inputPath: optionalPath(raw, "InputPath", where),
    outputPath: optionalPath(raw, "OutputPath", where),
  };
  switch (stateType) {
    case "Task":
      return loadTask(raw, common, where);
    case "Pass": {
      if (raw.Parameters !== undefined) checkTemplate(raw.Parameters, `${where} Parameters`);
      return {
        ...common,
        type: "Pass",
        parameters: raw.Parameters,
        result: Object.hasOwn(raw, "Result") ? { value: raw.Result ?? null } : undefined,
        resultPath: optionalPath(raw, "ResultPath", where, true),
        next: transition(raw, where),
      };
    }
    case "Wait":
      return loadWait(raw, common, where);
    case "Choice": {
      if (!Array.isArray(raw.Choices) || raw.Choices.length === 0) {
        throw new DefinitionError(`${where}: Choices must be a non-empty list`);
      }
      raw.Choices.forEach((rule, n) => {
        checkRule(rule, `${where} Choices[${n}]`, true);
      });
      if (raw.Default !== undefined && typeof raw.Default !== "string") {
        throw new DefinitionError(`${where}: Default must name a state`);
      }
      return {
        ...common,
        type: "Choice",
        choices: raw.Choices as (JsonObject & { Next: string })[],
        default: raw.Default,
      };
    }
    case "Succeed":
      return { ...common, type: "Succeed" };
    case "Fail":
      return {
        ...common,
        type: "Fail",
        error: optionalString(raw, "Error", where),
        cause: optionalString(raw, "Cause", where),
        errorPath: checkedPath(optionalString(raw, "ErrorPath", where)),
        causePath: checkedPath(optionalString(raw, "CausePath", where)),
      };
  }
}

function loadTask(raw: JsonObject, common: Common, where: string): TaskState {
  const resource = raw.Resource;
  if (typeof resource !== "string") throw new DefinitionError(`${where}: Resource must be a string`);
  if (raw.Parameters !== undefined) checkTemplate(raw.Parameters, `${where} Parameters`);
  if (raw.ResultSelector !== undefined) checkTemplate(raw.ResultSelector, `${where} ResultSelector`);
  if (raw.TimeoutSeconds !== undefined && raw.TimeoutSecondsPath !== undefined) {
    throw new DefinitionError(`${where}: give TimeoutSeconds or TimeoutSecondsPath, not both`);
  }
  const timeoutSeconds = raw.TimeoutSeconds;
  if (timeoutSeconds !== undefined && !(Number.isInteger(timeoutSeconds) && (timeoutSeconds as number) > 0)) {
    throw new DefinitionError(`${where}: TimeoutSeconds must be a positive integer`);
  }
  const timeoutSecondsPath = optionalString(raw, "TimeoutSecondsPath", where);
  if (timeoutSecondsPath !== undefined) parseReferencePath(timeoutSecondsPath);
  const task: TaskState = {
    ...common,
    type: "Task",
    resource: loadResource(resource, where),
    parameters: raw.Parameters,
    resultSelector: raw.ResultSelector,
    resultPath: optionalPath(raw, "ResultPath", where, true),
    timeoutSeconds: timeoutSeconds as number | undefined,
    timeoutSecondsPath,
    retry: loadRetry(raw.Retry, where),
    catch: loadCatch(raw.Catch, where),
    next: transition(raw, where),
  };
  if (task.resource.kind === "lambda:invoke" && !isObject(task.parameters ?? null)) {
    throw new DefinitionError(`${where}: lambda:invoke needs Parameters with FunctionName`);
  }
  return task;
}

function loadResource(resource: string, where: string): TaskResource {
  switch (resource) {
    case "arn:aws:states:::lambda:invoke":
      return { kind: "lambda:invoke", waitForTaskToken: false };
    case "arn:aws:states:::lambda:invoke.waitForTaskToken":
      return { kind: "lambda:invoke", waitForTaskToken: true };
    case "arn:aws:states:::states:startExecution":
      return { kind: "states:startExecution" };
  }
  if (LAMBDA_FUNCTION_ARN.test(resource)) return { kind: "lambda:function", functionArn: resource };
  throw new DefinitionError(
    `${where}: Resource '${resource}' is not supported by the local engine (lambda:invoke, ` +
      "lambda:invoke.waitForTaskToken, states:startExecution or a Lambda function ARN)",
  );
}

function loadWait(raw: JsonObject, common: Common, where: string): WaitState {
  const given = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"].filter(
    (key) => raw[key] !== undefined,
  );
  if (given.length !== 1) {
    throw new DefinitionError(`${where}: give exactly one of Seconds, SecondsPath, Timestamp, TimestampPath`);
  }
  const seconds = raw.Seconds;
  if (seconds !== undefined && !(Number.isInteger(seconds) && (seconds as number) >= 0)) {
    throw new DefinitionError(`${where}: Seconds must be a non-negative integer`);
  }
  return {
    ...common,
    type: "Wait",
    seconds: seconds as number | undefined,
    secondsPath: checkedPath(optionalString(raw, "SecondsPath", where)),
    timestamp: optionalString(raw, "Timestamp", where),
    timestampPath: checkedPath(optionalString(raw, "TimestampPath", where)),
    next: transition(raw, where),
  };
}

function loadRetry(raw: Json | undefined, where: string): Retrier[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new DefinitionError(`${where}: Retry must be a list`);
  return raw.map((item, n) => {
    const at = `${where} Retry[${n}]`;
    if (!isObject(item)) throw new DefinitionError(`${at} must be an object`);
    const errorEquals = loadErrorEquals(item.ErrorEquals, at, n === raw.length - 1);
    const number = (key: string, fallback: number, ok: (v: number) => boolean): number => {
      const value = item[key];
      if (value === undefined) return fallback;
      if (typeof value !== "number" || !ok(value)) throw new DefinitionError(`${at}: ${key} is out of range`);
      return value;
    };
    const jitter = item.JitterStrategy ?? "NONE";
    if (jitter !== "NONE" && jitter !== "FULL")
      throw new DefinitionError(`${at}: JitterStrategy is NONE or FULL`);
    for (const key of Object.keys(item)) {
      if (
        ![
          "ErrorEquals",
          "IntervalSeconds",
          "MaxAttempts",
          "BackoffRate",
          "MaxDelaySeconds",
          "JitterStrategy",
          "Comment",
        ].includes(key)
      ) {
        throw new DefinitionError(`${at}: unknown field '${key}'`);
      }
    }
    const maxDelay = item.MaxDelaySeconds;
    return {
      errorEquals,
      // The spec's defaults.
      intervalSeconds: number("IntervalSeconds", 1, (v) => Number.isInteger(v) && v >= 1),
      maxAttempts: number("MaxAttempts", 3, (v) => Number.isInteger(v) && v >= 0),
      backoffRate: number("BackoffRate", 2, (v) => v >= 1),
      maxDelaySeconds:
        maxDelay === undefined
          ? undefined
          : number("MaxDelaySeconds", 0, (v) => Number.isInteger(v) && v >= 1),
      jitter,
    };
  });
}

function loadCatch(raw: Json | undefined, where: string): Catcher[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new DefinitionError(`${where}: Catch must be a list`);
  return raw.map((item, n) => {
    const at = `${where} Catch[${n}]`;
    if (!isObject(item)) throw new DefinitionError(`${at} must be an object`);
    if (typeof item.Next !== "string") throw new DefinitionError(`${at}: Next must name a state`);
    for (const key of Object.keys(item)) {
      if (!["ErrorEquals", "Next", "ResultPath", "Comment"].includes(key)) {
        throw new DefinitionError(`${at}: unknown field '${key}'`);
      }
    }
    return {
      errorEquals: loadErrorEquals(item.ErrorEquals, at, n === raw.length - 1),
      next: item.Next,
      resultPath: optionalPath(item, "ResultPath", at, true),
    };
  });
}

/** The spec: States.ALL must stand alone, in the last retrier or catcher. */
function loadErrorEquals(raw: Json | undefined, where: string, last: boolean): string[] {
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((e) => typeof e === "string")) {
    throw new DefinitionError(`${where}: ErrorEquals must be a non-empty list of error names`);
  }
  const names = raw as string[];
  if (names.includes("States.ALL") && (names.length !== 1 || !last)) {
    throw new DefinitionError(`${where}: States.ALL must be alone and in the last entry`);
  }
  return names;
}

function transition(raw: JsonObject, where: string): string | null {
  if (raw.End === true) {
    if (raw.Next !== undefined) throw new DefinitionError(`${where}: give Next or End, not both`);
    return null;
  }
  if (typeof raw.Next !== "string") throw new DefinitionError(`${where}: needs Next or "End": true`);
  return raw.Next;
}

function optionalString(raw: JsonObject, key: string, where: string): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new DefinitionError(`${where}: ${key} must be a string`);
  return value;
}

function checkedPath(path: string | undefined): string | undefined {
  if (path !== undefined) parsePath(path);
  return path;
}

function optionalPath(raw: JsonObject, key: string, where: string, reference = false): OptionalPath {
  if (!Object.hasOwn(raw, key)) return undefined;
  const value = raw[key];
  if (value === null) return null;
  if (typeof value !== "string") throw new DefinitionError(`${where}: ${key} must be a path or null`);
  if (reference) parseReferencePath(value);
  else parsePath(value);
  return value;
}

function checkTargets(definition: Definition): void {
  const exists = (target: string, from: string) => {
    if (!definition.states.has(target)) {
      throw new DefinitionError(`${from} goes to '${target}', which is not a state`);
    }
  };
  exists(definition.startAt, "StartAt");
  for (const state of definition.states.values()) {
    const from = `State '${state.name}'`;
    switch (state.type) {
      case "Task":
        if (state.next !== null) exists(state.next, from);
        for (const catcher of state.catch) exists(catcher.next, `${from} Catch`);
        break;
      case "Pass":
      case "Wait":
        if (state.next !== null) exists(state.next, from);
        break;
      case "Choice":
        for (const rule of state.choices) exists(rule.Next, `${from} Choices`);
        if (state.default !== undefined) exists(state.default, `${from} Default`);
        break;
      default:
        break;
    }
  }
}
