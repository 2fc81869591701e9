/** What the dashboard's handlers share per request: the environment, the language, the page context. */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { actorOf, csrfTokenFor, type Principal, type SessionCookie } from "../../app/sessions.ts";
import { type Method, mayAccess } from "../../http/access.ts";
import type { HttpDeps } from "../../http/context.ts";
import { LANGUAGE_COOKIE } from "../auth/session.ts";
import { dashboardStrings, type Language } from "../strings.ts";
import { DASHBOARD_POLICY, type PageContext } from "./layout.ts";

export interface DashEnv {
  Variables: {
    requestId: string;
    /** Set by the access guard (shared/http/guard.ts) on every page behind the login. */
    principal: Principal;
    sessionCookie: SessionCookie;
    adminToken: string;
  };
}

export type DashContext = Context<DashEnv>;

/** Who the audit trail names for what is done with the admin token's session (no person). */
export const DASHBOARD_ACTOR = "admin-dashboard";

/** Who the audit trail and the version list name for what this request does: the person. */
export function actor(c: DashContext): string {
  return actorOf(c.get("principal"), DASHBOARD_ACTOR);
}

/** Danish unless the administrator chose English (the switch in the header, kept in a cookie). */
export function languageOf(c: Context): Language {
  return getCookie(c, LANGUAGE_COOKIE) === "en" ? "en" : "da";
}

/** The page's own address, for the language switch to return to. */
export function here(c: Context): string {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
}

/** Stores seen with mail in their outbox: it only ever grows, so one positive answer is enough. */
const outboxSeen = new WeakSet<object>();

async function hasOutbox(deps: HttpDeps): Promise<boolean> {
  if (outboxSeen.has(deps.outbox)) return true;
  const found = (await deps.outbox.list(1)).length > 0;
  if (found) outboxSeen.add(deps.outbox);
  return found;
}

export async function pageContext(c: DashContext, deps: HttpDeps): Promise<PageContext> {
  const language = languageOf(c);
  const principal = c.get("principal");
  return {
    s: dashboardStrings(language),
    language,
    csrf: csrfTokenFor(c.get("sessionCookie")),
    who: principal.name,
    may: (method: Method, path: string) => mayAccess(principal.roles, method, path),
    here: here(c),
    organisation: deps.settings.organisation,
    showOutbox: await hasOutbox(deps),
  };
}

/**
 * Sends a dashboard page with the dashboard's own Content-Security-Policy (the app keeps a
 * policy a route sets): its stylesheet's hash, no script at all.
 */
export function sendPage(
  c: DashContext,
  markup: string,
  status: ContentfulStatusCode = 200,
  policy: string = DASHBOARD_POLICY,
): Response {
  c.header("Content-Security-Policy", policy);
  return c.html(markup, status);
}
