/**
 * The one guard in front of every route: it finds the request's rule in the access table, asks
 * the rule's area who is making the request (a session for the dashboard, a bearer token for the
 * API), and lets the request through only if the rule admits their roles. Each area says how it
 * refuses (a redirect to the login page or a 401 with a challenge, a 403 page or JSON) and may
 * check more once the person is known (the dashboard's CSRF token on every form).
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Principal } from "../app/sessions.ts";
import { type AccessRule, type Area, admits, areaOfUnknown, findRule, methodsAt } from "./access.ts";
import type { HttpEnv } from "./context.ts";
import { type ErrorPage, methodNotAllowed, notFoundHandler } from "./errors.ts";

export interface AreaGuard {
  /** Who is asking, or null when nobody is logged in. May throw a refusal of its own (a bad token). */
  authenticate(c: Context): Promise<Principal | null>;
  unauthenticated(c: Context): Response | Promise<Response>;
  forbidden(c: Context, principal: Principal): Response | Promise<Response>;
  /** A further check once the person is admitted (CSRF); a response refuses. */
  verify?(c: Context, principal: Principal, rule: AccessRule): Promise<Response | null>;
}

/**
 * `errorPage`: how an unknown address outside the API is answered as a page (the dashboard's,
 * which says who is logged in); without it, as the confirm pages answer.
 */
export function accessGuard(
  areas: Record<Exclude<Area, "public">, AreaGuard>,
  errorPage?: ErrorPage,
): MiddlewareHandler<HttpEnv> {
  const notFound = notFoundHandler(errorPage);
  return async (c, next) => {
    const rule = findRule(c.req.method, c.req.path);
    // No rule, no route: answered as the app answers any unknown address (after the login there).
    if (rule === undefined) {
      const unknownArea = areaOfUnknown(c.req.path);
      if (unknownArea !== "public") {
        const area = areas[unknownArea];
        if ((await area.authenticate(c)) === null) return area.unauthenticated(c);
        return notFound(c);
      }
      // An address that exists, with a method it does not take (a form posted to a page).
      const allowed = methodsAt(c.req.path);
      if (allowed.length > 0) return methodNotAllowed(c, withHead(allowed), errorPage);
      return notFound(c);
    }
    if (rule.area === "public") return next();
    const area = areas[rule.area];
    const principal = await area.authenticate(c);
    if (principal === null) return area.unauthenticated(c);
    if (!admits(rule.who, principal.roles)) return area.forbidden(c, principal);
    c.set("principal", principal);
    const refused = area.verify === undefined ? null : await area.verify(c, principal, rule);
    if (refused !== null) return refused;
    return next();
  };
}

/** A page that answers GET answers HEAD too (as Hono does). */
function withHead(methods: readonly string[]): string[] {
  return methods.includes("GET") ? [...methods, "HEAD"] : [...methods];
}
