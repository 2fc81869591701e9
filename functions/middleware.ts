/**
 * What every instance-loop Lambda does around its use case, once: parse the event with its zod
 * schema, log with the instance id as a key, and turn errors into what Step Functions acts on.
 *
 * Error mapping, the one place it happens: a transient failure (store contention or throttling, a
 * transient mail failure, a throttled AWS call) becomes `Fristflow.Transient`, which the state
 * machine retries with backoff; anything else is rethrown as it is and goes to RecordFailure.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy, { type MiddlewareObj, type MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import type { z } from "zod";
import { type ErrorCategory, FristflowError } from "../shared/errors/errors.ts";
import { describeError, errorName, isRetryable } from "../shared/errors/index.ts";
import { NotificationBusyError, TransientError } from "../shared/loop/errors.ts";

/** An event that does not match the step's schema: a wiring bug, never worth retrying. */
export class InvalidEventError extends FristflowError {
  readonly category: ErrorCategory = "internal";

  constructor(message: string) {
    super(message);
    this.name = "Fristflow.InvalidEvent";
  }
}

/** Lambda's own ceiling; stands in for the remaining time when the local engine calls a handler in-process. */
const IN_PROCESS_BUDGET_MS = 15 * 60 * 1000;

/**
 * The local engine calls handlers in-process with a partial context; middy's early-timeout timer
 * needs `getRemainingTimeInMillis`. A real Lambda context is left untouched.
 */
function inProcessContext(): MiddlewareObj {
  return {
    before: (request) => {
      const context = request.context as Partial<Context>;
      if (typeof context.getRemainingTimeInMillis !== "function") {
        const deadline = Date.now() + IN_PROCESS_BUDGET_MS;
        context.getRemainingTimeInMillis = () => Math.max(0, deadline - Date.now());
      }
    },
  };
}

/** `decide: invalid event: instanceId: Invalid input: expected string, received number; …` */
export function describeIssues(step: string, issues: readonly z.core.$ZodIssue[]): string {
  const located = issues.map((issue) => {
    const path = issue.path.length === 0 ? "(event)" : issue.path.map(String).join(".");
    return `${path}: ${issue.message}`;
  });
  return `${step}: invalid event: ${located.join("; ")}`;
}

function parseEvent(step: string, schema: z.ZodType, logger: Logger): MiddlewareObj {
  return {
    before: (request) => {
      const parsed = schema.safeParse(request.event);
      if (!parsed.success) throw new InvalidEventError(describeIssues(step, parsed.error.issues));
      request.event = parsed.data;
      const instanceId = (parsed.data as { instanceId?: unknown }).instanceId;
      if (typeof instanceId === "string") logger.appendKeys({ instanceId });
    },
  };
}

function mapErrors(step: string, logger: Logger): MiddlewareObj {
  return {
    onError: (request) => {
      const err = request.error;
      const transient = isRetryable(err);
      // Name and redacted message only: messages of mail and SDK errors can quote addresses.
      logger.error(`${step} failed`, { errorName: errorName(err), error: describeError(err), transient });
      // The loop's own errors keep their names: Step Functions retries a busy batch on its own,
      // slower schedule (past the claim's lease), not as a transient failure.
      if (transient && !(err instanceof TransientError) && !(err instanceof NotificationBusyError)) {
        request.error = new TransientError(`${step}: ${describeError(err)}`, { cause: err });
      }
    },
  };
}

function checkOutput(step: string, schema: z.ZodType): MiddlewareObj {
  return {
    after: (request) => {
      const parsed = schema.safeParse(request.response);
      // The state machine reads these fields by path: a wrong shape is a bug, fail loudly here.
      if (!parsed.success) throw new Error(`${step}: output breaks the contract: ${parsed.error.message}`);
    },
  };
}

export interface LoopHandlerSpec<S extends z.ZodType, O> {
  /** The step's name, for messages and logs. */
  step: string;
  input: S;
  /** When given, a result that does not match it is an error instead of a confusing state-machine failure. */
  output?: z.ZodType<O>;
  logger: Logger;
  run: (input: z.infer<S>) => Promise<O>;
}

/** One instance-loop Lambda: the middlewares above around `run`. */
export function loopHandler<S extends z.ZodType, O>(
  spec: LoopHandlerSpec<S, O>,
): MiddyfiedHandler<unknown, O> {
  const handler = middy<unknown, O>()
    .use(inProcessContext())
    .use(injectLambdaContext(spec.logger, { resetKeys: true }))
    .use(mapErrors(spec.step, spec.logger))
    .use(parseEvent(spec.step, spec.input, spec.logger));
  if (spec.output) handler.use(checkOutput(spec.step, spec.output));
  return handler.handler(async (event: unknown) => spec.run(event as z.infer<S>));
}

/**
 * For the AWS `handler` exports: builds the real handler on the first invocation (configuration
 * read and SDK clients created once per container, not at import, so a bad variable shows up as
 * this invocation's error), then reuses it. A failed build is not remembered.
 */
export function lazyHandler<O>(
  build: () => MiddyfiedHandler<unknown, O> | Promise<MiddyfiedHandler<unknown, O>>,
): (event: unknown, context: Context) => Promise<O> {
  let built: Promise<MiddyfiedHandler<unknown, O>> | undefined;
  return async (event, context) => {
    if (built === undefined) {
      built = Promise.resolve().then(build);
      built.catch(() => {
        built = undefined;
      });
    }
    const handler = await built;
    return handler(event, context);
  };
}
