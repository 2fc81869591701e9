/**
 * The lambda:invoke integration: finds the handler for a FunctionName, calls it the way Lambda
 * would (its own copy of the event, a JSON result, errors as Step Functions sees them) and, for
 * the optimised integration, wraps the result in AWS' response shape.
 */
import { randomUUID } from "node:crypto";
import { StatesError, StatesErrors } from "./errors.ts";
import type { TaskCall } from "./interpreter.ts";
import type { Json } from "./jsonpath.ts";
import type { FunctionRegistry } from "./types.ts";

export type LambdaCall = Extract<TaskCall, { kind: "lambda" }>;

export interface InvokeOptions {
  functions: FunctionRegistry;
  /** Enforce an ordinary task's TimeoutSeconds (real mode: a virtual clock does not move meanwhile). */
  enforceTimeout: boolean;
  /** Called once the function is found, just before it runs: the invocation counter. */
  onInvoke: () => void;
}

export async function invokeLambda(call: LambdaCall, options: InvokeOptions): Promise<Json> {
  const handler = lookupFunction(options.functions, call.functionName);
  if (handler === undefined) {
    throw new StatesError(
      "Lambda.ResourceNotFoundException",
      `Function not found: ${call.functionName} (Service: Lambda, Status Code: 404)`,
    );
  }
  options.onInvoke();
  let returned: unknown;
  try {
    // The handler gets its own copy, as a Lambda gets a deserialised event.
    const invocation = handler(structuredClone(call.payload));
    returned =
      options.enforceTimeout && !call.waitForTaskToken && call.timeoutSeconds !== undefined
        ? await withTimeout(invocation, call.timeoutSeconds * 1000)
        : await invocation;
  } catch (err) {
    if (err instanceof StatesError && err.error === StatesErrors.Timeout) throw err;
    throw lambdaFailure(err);
  }
  let payload: Json;
  try {
    payload = toJson(returned);
  } catch (err) {
    throw new StatesError("Runtime.MarshalError", `The function's result is not JSON: ${String(err)}`);
  }
  if (!call.wrapResult) return payload;
  // The shape of lambda:invoke's result on AWS (the ResultSelector `$.Payload` depends on it).
  return {
    ExecutedVersion: "$LATEST",
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: { "Content-Type": ["application/json"], "X-Amz-Executed-Version": ["$LATEST"] },
      HttpHeaders: { "Content-Type": "application/json", "X-Amz-Executed-Version": "$LATEST" },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: randomUUID() },
    StatusCode: 200,
  };
}

/** A registry key is a function ARN; FunctionName may also be the bare name, as Lambda allows. */
function lookupFunction(
  functions: FunctionRegistry,
  functionName: string,
): ((payload: unknown) => Promise<unknown>) | undefined {
  if (Object.hasOwn(functions, functionName)) return functions[functionName];
  if (functionName.includes(":")) return undefined;
  const key = Object.keys(functions).find((arn) => arn.endsWith(`:function:${functionName}`));
  return key === undefined ? undefined : functions[key];
}

/**
 * How the lambda:invoke integration reports a function error: Error is the errorType (a thrown
 * Error's `name`), Cause the Lambda error document as JSON text.
 */
function lambdaFailure(err: unknown): StatesError {
  const errorType = err instanceof Error ? err.name : "Error";
  const errorMessage = err instanceof Error ? err.message : String(err);
  const trace = err instanceof Error && err.stack ? err.stack.split("\n").slice(0, 12) : [];
  return new StatesError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}

/**
 * What a Lambda's return value becomes after JSON serialisation (undefined -> null, Dates -> strings);
 * a SendTaskSuccess output goes the same way.
 */
export function toJson(value: unknown): Json {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as Json);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StatesError(StatesErrors.Timeout, `The task did not finish within ${ms / 1000} s`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
