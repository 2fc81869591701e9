/**
 * The dashboard's side of the access guard (shared/http/guard.ts): who the session cookie belongs
 * to, how a page refuses (the login page for nobody, a 403 page for a role that is not enough),
 * and the CSRF check on every form. A page on another site can make the browser post a form
 * here, but cannot read or compute the session's token.
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { verifyCsrfToken } from "../../app/sessions.ts";
import type { HttpDeps, HttpLogger } from "../../http/context.ts";
import type { AreaGuard } from "../../http/guard.ts";
import { type DashContext, here, languageOf, sendPage } from "../common/context.ts";
import { readForm } from "../common/forms.ts";
import { messageBody, renderBarePage } from "../common/layout.ts";
import { dashboardErrorPage } from "../errors.ts";
import { dashboardStrings } from "../strings.ts";
import { CSRF_FIELD, checkDashboardSession, SESSION_COOKIE } from "./session.ts";

export function dashboardArea(deps: HttpDeps, logger: HttpLogger): AreaGuard {
  const errorPage = dashboardErrorPage(deps);
  return {
    authenticate: async (context) => {
      const c = context as DashContext;
      const checked = await checkDashboardSession(deps, getCookie(c, SESSION_COOKIE));
      if (checked === null) return null;
      c.set("sessionCookie", checked.cookie);
      // The calendar feed's signature is derived from it (instances/routes.ts).
      c.set("adminToken", await deps.adminToken());
      return checked.principal;
    },
    unauthenticated: (c: Context) => {
      const back = c.req.method === "GET" ? here(c) : "/";
      const query = back === "/" ? "" : `?${new URLSearchParams({ next: back }).toString()}`;
      return c.redirect(`/login${query}`, 303);
    },
    forbidden: (c: Context, principal) => {
      logger.warn("dashboard request refused: role", {
        requestId: c.get("requestId"),
        method: c.req.method,
        who: principal.kind,
      });
      // The refusal in the normal layout (errors.ts): the person is known, so is their menu.
      (c as DashContext).set("principal", principal);
      return errorPage(c, { status: 403 });
    },
    verify: async (context, _principal, rule) => {
      if (rule.method === "GET") return null;
      const c = context as DashContext;
      const form = await readForm(c);
      if (verifyCsrfToken(form.text(CSRF_FIELD), c.get("sessionCookie"))) return null;
      logger.warn("dashboard form refused: CSRF token missing or wrong", {
        requestId: c.get("requestId"),
        route: rule.path,
      });
      const s = dashboardStrings(languageOf(c));
      return sendPage(c, renderBarePage(s, "/", s.csrfTitle, messageBody(s.csrfTitle, s.csrfText), ""), 403);
    },
  };
}
