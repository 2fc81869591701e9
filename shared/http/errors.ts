/**
 * The one place where failures become HTTP responses: JSON for the API, a page for everything
 * else (the confirm links' own small page under /confirm and /mine, the dashboard's page for any
 * other address, handed in as an `ErrorPage` by app.ts: only app.ts may import the dashboard).
 * Each known error class has its status here; anything else is a 500 that is logged with the
 * request id (which the response shows) and never shows its message or stack to the client.
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { InvalidInputError, LoopStartError } from "../app/admin.ts";
import { type LinkRefusal, LinkRefusedError } from "../app/confirm.ts";
import { type ErrorCategory, FristflowError } from "../errors/errors.ts";
import { maskCpr } from "../model/cpr.ts";
import type { LocatedError } from "../model/errors.ts";
import { type HttpEnv, type HttpLogger, languageOf } from "./context.ts";
import { messagePage, sendPage } from "./pages.ts";
import { pageStrings, type Refusal } from "./strings.ts";

/** A refusal decided by the HTTP layer itself (authentication, media type, size). */
export class HttpError extends FristflowError {
  /** The HTTP layer's own refusals carry their status: there is no other layer to map them. */
  readonly category: ErrorCategory = "refused";

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const REFUSAL_STATUS: Record<LinkRefusal, ContentfulStatusCode> = {
  unknown: 404,
  tampered: 403,
  expired: 410,
  gone: 410,
  cancelled: 409,
  stopped: 409,
};

export interface Problem {
  status: ContentfulStatusCode;
  code: string;
  /** Safe to show: written by us, ids at most, CPR-looking parts masked. */
  message: string;
  errors?: LocatedError[];
  headers?: Record<string, string>;
  instanceId?: string;
  /** Which page a browser gets. */
  page: (language: "da" | "en") => Refusal;
  /** Unexpected: log it in full (internally) and show the request id. */
  unexpected?: boolean;
}

/** The one mapping from a failure to an HTTP answer, for the API, the confirm pages and the dashboard. */
export function problemOf(err: unknown): Problem {
  if (err instanceof LinkRefusedError) {
    return {
      status: REFUSAL_STATUS[err.reason],
      code: `link_${err.reason}`,
      message: `the confirm link was refused: ${err.reason}`,
      page: (l) => pageStrings(l).refusal[err.reason],
    };
  }
  if (err instanceof InvalidInputError) {
    return {
      status: 400,
      code: "invalid",
      message: "the input is not valid; see errors",
      errors: err.errors,
      page: (l) => pageStrings(l).failed,
    };
  }
  if (err instanceof HttpError) {
    return {
      status: err.status,
      code: err.code,
      message: err.message,
      headers: err.headers,
      page: (l) => pageFor(err.status, l),
    };
  }
  if (err instanceof LoopStartError) {
    return {
      status: 503,
      code: "not_started",
      message: "the instance was created, but its loop did not start; it needs starting again",
      instanceId: err.instanceId,
      page: (l) => pageStrings(l).failed,
      unexpected: true,
    };
  }
  if (err instanceof HTTPException) {
    // Hono's own refusals (e.g. a body that is not the form it claims to be).
    const status = err.status as ContentfulStatusCode;
    return {
      status,
      code: status === 413 ? "too_large" : "bad_request",
      message: status === 413 ? "the body is too large" : "the request could not be read",
      page: (l) => pageFor(status, l),
      unexpected: status >= 500,
    };
  }
  if (err instanceof FristflowError) return categoryProblem(err);
  return INTERNAL;
}

const INTERNAL: Problem = {
  status: 500,
  code: "internal",
  message: "internal error; quote the request id when reporting it",
  page: (l) => pageStrings(l).failed,
  unexpected: true,
};

/** Every other error of ours, by its category: one status per kind of failure. */
const CATEGORY: Record<ErrorCategory, { status: ContentfulStatusCode; code: string }> = {
  invalid: { status: 400, code: "invalid" },
  "not-found": { status: 404, code: "not_found" },
  conflict: { status: 409, code: "conflict" },
  refused: { status: 403, code: "refused" },
  busy: { status: 503, code: "busy" },
  unavailable: { status: 503, code: "unavailable" },
  internal: { status: 500, code: "internal" },
};

function categoryProblem(err: FristflowError): Problem {
  if (err.category === "internal") return INTERNAL;
  const { status, code } = CATEGORY[err.category];
  return {
    status,
    code,
    message:
      err.category === "busy"
        ? "too many concurrent changes; nothing was written, try again"
        : err.category === "unavailable"
          ? "a part fristflow needs is unavailable for now; nothing was written, try again"
          : maskCpr(err.message),
    ...(err.retryable ? { headers: { "Retry-After": "1" } } : {}),
    page: (l) => pageFor(status, l),
    // A part that failed is ours to look into, even though the caller only needs to wait.
    unexpected: err.category === "unavailable",
  };
}

export function pageFor(status: number, language: "da" | "en"): Refusal {
  const s = pageStrings(language);
  if (status === 404) return s.notFound;
  if (status === 413) return s.tooLarge;
  if (status === 503) return s.busy;
  if (status === 429) return s.tooMany;
  if (status === 405) return s.notAllowed;
  return s.failed;
}

/**
 * A failure as the dashboard's page (its layout, the person's language, a way on): for every
 * address outside /api, /confirm and /mine. Without one, those get the confirm pages' page.
 */
export type ErrorPage = (
  c: Context<HttpEnv>,
  failure: { status: ContentfulStatusCode; requestId?: string },
) => Response | Promise<Response>;

/** Who answers a failure: the API in JSON, the confirm links' page, or the dashboard's. */
export type Answer = "json" | "confirm-page" | "page";

/** Pure, by the path: /api and the calendar feeds speak JSON; /confirm and /mine have their own page. */
export function answerFor(path: string): Answer {
  if (path === "/api" || path.startsWith("/api/")) return "json";
  // A calendar program reads the feeds, not a person.
  if (path.endsWith(".ics")) return "json";
  // Mine frister is a page too, for the same people (leaders from their mail).
  if (path === "/confirm" || path.startsWith("/confirm/") || path.startsWith("/mine/")) return "confirm-page";
  return "page";
}

export function respond(
  c: Context<HttpEnv>,
  problem: Problem,
  errorPage?: ErrorPage,
): Response | Promise<Response> {
  const requestId = c.get("requestId");
  for (const [name, value] of Object.entries(problem.headers ?? {})) c.header(name, value);
  const answer = answerFor(c.req.path);
  if (answer === "page" && errorPage !== undefined) {
    return errorPage(c, { status: problem.status, ...(problem.unexpected ? { requestId } : {}) });
  }
  if (answer !== "json") {
    const language = languageOf(c);
    return sendPage(
      c,
      messagePage(problem.page(language), language, problem.unexpected ? requestId : undefined),
      problem.status,
    );
  }
  return c.json(
    {
      error: problem.code,
      message: problem.message,
      // The API speaks English: the Danish text (`da`) is for the dashboard's pages only.
      ...(problem.errors === undefined ? {} : { errors: problem.errors.map(withoutDanish) }),
      ...(problem.instanceId === undefined ? {} : { instanceId: problem.instanceId }),
      requestId,
    },
    problem.status,
  );
}

function withoutDanish({ da: _da, ...error }: LocatedError): LocatedError {
  return error;
}

export function errorHandler(logger: HttpLogger, errorPage?: ErrorPage): ErrorHandler<HttpEnv> {
  return (err, c) => {
    const problem = problemOf(err);
    if (problem.unexpected) {
      // The route pattern, never the URL: a confirm URL carries its signature.
      logger.error("request failed", {
        requestId: c.get("requestId"),
        method: c.req.method,
        route: c.req.routePath,
        status: problem.status,
        error: describeError(err),
      });
    }
    return respond(c, problem, errorPage);
  };
}

/** An address no route has: JSON under /api, a page elsewhere (the dashboard's, given one). */
export function notFoundHandler(errorPage?: ErrorPage): NotFoundHandler<HttpEnv> {
  return (c) =>
    respond(
      c,
      { status: 404, code: "not_found", message: "no such route", page: (l) => pageStrings(l).notFound },
      errorPage,
    );
}

/**
 * A method the address does not take (a POST to a page that is only read): 405 with the methods
 * it does take. The API answers such a request as an unknown route, as before.
 */
export function methodNotAllowed(
  c: Context<HttpEnv>,
  allowed: readonly string[],
  errorPage?: ErrorPage,
): Response | Promise<Response> {
  return respond(
    c,
    {
      status: 405,
      code: "method_not_allowed",
      message: "this address does not take that method",
      headers: { Allow: allowed.join(", ") },
      page: (l) => pageStrings(l).notAllowed,
    },
    errorPage,
  );
}

/**
 * Enough to find the fault, nothing a user typed: messages are masked for CPR-looking text and
 * the chain of causes is followed (the store wraps SDK errors).
 */
function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  return {
    name: err.name,
    message: maskCpr(err.message),
    stack: err.stack === undefined ? undefined : maskCpr(err.stack),
    ...(err.cause === undefined ? {} : { cause: describeError(err.cause) }),
  };
}
