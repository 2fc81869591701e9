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
import { clientAddress } from "./client-address.ts";

/**
 * Where the request came from. The address is the attempt limits' (./client-address.ts): the
 * source API Gateway or the socket saw, or, where the deployment says its own proxy sets it
 * (`trustForwardedFor`), the last X-Forwarded-For entry, so behind that proxy the log names the
 * person's address and not the proxy's.
 */
export function originOf(
  c: Context,
  options: { trustForwardedFor?: boolean | undefined } = {},
): RequestOrigin {
  const requestId: unknown = c.get("requestId");
  return {
    address: clientAddress(c, options),
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
  deps: AccessLogDeps & { trustForwardedFor?: boolean | undefined },
  view: AccessView,
  instance: ViewedInstance | null,
  options: { who?: AccessActor; detail?: string } = {},
): Promise<void> {
  await recordAccess(deps, {
    who: options.who ?? whoOf(c),
    view,
    instance,
    from: originOf(c, { trustForwardedFor: deps.trustForwardedFor }),
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
