/**
 * The HTTP side of the access log (shared/app/access-log.ts): who is asking (the principal the
 * access guard set), from which address and with which user agent, for the one call each route
 * that shows an instance makes before it answers.
 */
import type { Context } from "hono";
import {
  type AccessActor,
  type AccessLogDeps,
  type AccessView,
  actorFor,
  CALENDAR_FEED_ACTOR,
  type RequestOrigin,
  recordAccess,
  type ViewedInstance,
} from "../app/access-log.ts";
import type { CheckedSession, Principal } from "../app/sessions.ts";

/**
 * The client's address as the runtime saw it: the socket's peer under Node (@hono/node-server's
 * bindings), API Gateway's `sourceIp` in Lambda (hono/aws-lambda's). Never X-Forwarded-For, which
 * the client writes itself. "" when neither is there (app.request in a test).
 */
export function clientAddress(c: Context): string {
  const env: unknown = c.env;
  if (typeof env !== "object" || env === null) return "";
  const bindings = env as {
    incoming?: { socket?: { remoteAddress?: unknown } };
    requestContext?: { http?: { sourceIp?: unknown }; identity?: { sourceIp?: unknown } };
  };
  const found =
    bindings.incoming?.socket?.remoteAddress ??
    bindings.requestContext?.http?.sourceIp ??
    bindings.requestContext?.identity?.sourceIp;
  return typeof found === "string" ? found : "";
}

export function originOf(c: Context): RequestOrigin {
  const requestId: unknown = c.get("requestId");
  return {
    address: clientAddress(c),
    userAgent: c.req.header("user-agent") ?? "",
    ...(typeof requestId === "string" ? { requestId } : {}),
  };
}

/** Who is asking, from the access guard; a route behind no login passes its own `who`. */
function whoOf(c: Context): AccessActor {
  const principal: Principal | undefined = c.get("principal");
  if (principal === undefined) throw new Error("recordAccess on a route without a principal: pass `who`");
  return actorFor(principal);
}

/**
 * Records that this request shows `instance` (null: the list) as `view`; throws
 * AccessLogUnavailableError (a 503) when the entry cannot be written, so nothing is shown unlogged.
 */
export async function recordView(
  c: Context,
  deps: AccessLogDeps,
  view: AccessView,
  instance: ViewedInstance | null,
  options: { who?: AccessActor; detail?: string } = {},
): Promise<void> {
  await recordAccess(deps, {
    who: options.who ?? whoOf(c),
    view,
    instance,
    from: originOf(c),
    ...(options.detail === undefined ? {} : { detail: options.detail }),
  });
}

/** Who reads a calendar feed: the person, when a logged-in browser opens it; else the feed's key. */
export function feedViewer(session: Pick<CheckedSession, "principal"> | null): AccessActor {
  return session === null ? CALENDAR_FEED_ACTOR : actorFor(session.principal);
}

/**
 * What a read of the list showed, for its one entry: the list carries no case reference or
 * parameters (only ids, workflow, status and dates), so one entry names the filter and the count
 * rather than one per instance, which would make a list of thousands thousands of writes.
 */
export function listDetail(filter: { workflowId?: string; status?: string }, count: number): string {
  const parts = [
    ...(filter.workflowId === undefined ? [] : [`workflowId=${filter.workflowId}`]),
    ...(filter.status === undefined ? [] : [`status=${filter.status}`]),
  ];
  return `${count} instances${parts.length === 0 ? "" : ` (${parts.join(", ")})`}`;
}
