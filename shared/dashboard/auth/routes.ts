/**
 * Logging in and out, the session guard every page sits behind, and the CSRF check every POST
 * passes. The administrator proves themselves once with the admin token (the one the JSON API
 * takes); from then on a signed cookie carries the session. This file has the routes (login,
 * logout, the language switch) and the two guards; session.ts beside it makes and checks the
 * credentials (session cookie, CSRF token, calendar feed signature), for common/ and the feed too.
 *
 * Cookies are HttpOnly (no script can read them; the pages have none anyway), SameSite=Strict
 * (no other site's page or link carries them along), Path=/, and Secure whenever the dashboard is
 * served over HTTPS.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { html } from "../../html/html.ts";
import type { HttpDeps, HttpLogger } from "../../http/context.ts";
import { type DashContext, type DashEnv, here, languageOf, sendPage } from "../common/context.ts";
import { errorSummary, input, readForm } from "../common/forms.ts";
import { messageBody, renderBarePage } from "../common/layout.ts";
import { dashboardStrings } from "../strings.ts";
import {
  CSRF_FIELD,
  issueSession,
  LANGUAGE_COOKIE,
  LOGIN_COOKIE,
  newLoginNonce,
  SESSION_COOKIE,
  SESSION_SECONDS,
  safeNext,
  sameSecret,
  verifyCsrf,
  verifySession,
} from "./session.ts";

const LOGIN_FIELD = "_login";
const YEAR_SECONDS = 365 * 24 * 60 * 60;

function nowSeconds(deps: HttpDeps): number {
  return Math.floor(deps.clock.now().epochMilliseconds / 1000);
}

/** Behind API Gateway the app is reached over HTTPS; on a laptop over plain http://127.0.0.1. */
function isHttps(c: DashContext, deps: HttpDeps): boolean {
  return new URL(c.req.url).protocol === "https:" || deps.settings.publicBaseUrl.startsWith("https:");
}

function cookieOptions(c: DashContext, deps: HttpDeps, maxAge: number) {
  return { httpOnly: true, sameSite: "Strict", path: "/", maxAge, secure: isHttps(c, deps) } as const;
}

/** Every dashboard page: a valid session, or a 303 to the login page that comes back here after. */
export function requireSession(deps: HttpDeps): MiddlewareHandler<DashEnv> {
  return async (c, next) => {
    const adminToken = await deps.adminToken();
    const session = verifySession(getCookie(c, SESSION_COOKIE), adminToken, nowSeconds(deps));
    if (session === null) {
      const back = c.req.method === "GET" ? here(c) : "/";
      const query = back === "/" ? "" : `?${new URLSearchParams({ next: back }).toString()}`;
      return c.redirect(`/login${query}`, 303);
    }
    c.set("session", session);
    c.set("adminToken", adminToken);
    await next();
  };
}

/**
 * Every POST behind the login: the form's token must be this session's. A page on another site
 * can make the browser post a form here, but cannot read or compute the token.
 */
export function requireCsrf(logger: HttpLogger): MiddlewareHandler<DashEnv> {
  return async (c, next) => {
    const form = await readForm(c);
    if (!verifyCsrf(form.text(CSRF_FIELD), c.get("adminToken"), c.get("session"))) {
      logger.warn("dashboard form refused: CSRF token missing or wrong", {
        requestId: c.get("requestId"),
        route: c.req.routePath,
      });
      const s = dashboardStrings(languageOf(c));
      return sendPage(c, renderBarePage(s, "/", s.csrfTitle, messageBody(s.csrfTitle, s.csrfText), ""), 403);
    }
    await next();
  };
}

export function authRoutes(deps: HttpDeps, logger: HttpLogger): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  routes.get("/login", async (c) => {
    const next = safeNext(c.req.query("next"));
    const adminToken = await deps.adminToken();
    if (verifySession(getCookie(c, SESSION_COOKIE), adminToken, nowSeconds(deps)) !== null) {
      return c.redirect(next, 303);
    }
    const s = dashboardStrings(languageOf(c));
    const notice =
      c.req.query("out") === "1" ? s.loggedOut : c.req.query("next") ? s.loginRequired : undefined;
    return loginPage(c, deps, { next, notice });
  });

  routes.post("/login", async (c) => {
    const form = await readForm(c);
    const s = dashboardStrings(languageOf(c));
    const next = safeNext(form.text("next"));
    const nonce = getCookie(c, LOGIN_COOKIE);
    // The login form's double-submit check: the field must repeat the cookie set with the form.
    if (nonce === undefined || !sameSecret(form.text(LOGIN_FIELD), nonce)) {
      logger.warn("dashboard login refused: form token missing or wrong", { requestId: c.get("requestId") });
      return loginPage(c, deps, { next, error: s.csrfText, status: 403 });
    }
    const presented = form.text("token").trim();
    if (presented === "") return loginPage(c, deps, { next, error: s.loginMissing, status: 400 });
    const expected = await deps.adminToken();
    if (expected.length === 0 || !sameSecret(presented, expected)) {
      // Neither token is logged; the request id lets an operator find the attempt.
      logger.warn("dashboard login refused: wrong token", { requestId: c.get("requestId") });
      return loginPage(c, deps, { next, error: s.loginWrong, status: 401 });
    }
    const { cookie } = issueSession(expected, nowSeconds(deps));
    setCookie(c, SESSION_COOKIE, cookie, cookieOptions(c, deps, SESSION_SECONDS));
    deleteCookie(c, LOGIN_COOKIE, { path: "/" });
    logger.info("dashboard login", { requestId: c.get("requestId") });
    return c.redirect(next, 303);
  });

  routes.post("/logout", requireSession(deps), requireCsrf(logger), async (c) => {
    // The cookie is the session: removing it ends it here. Rotating the admin token ends all.
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: isHttps(c, deps) });
    return c.redirect("/login?out=1", 303);
  });

  // A GET, so the switch is a plain link; it changes nothing but the page language.
  routes.get("/language/:language", (c) => {
    const language = c.req.param("language") === "en" ? "en" : "da";
    setCookie(c, LANGUAGE_COOKIE, language, {
      ...cookieOptions(c, deps, YEAR_SECONDS),
      // Lax: a language preference may follow a link from elsewhere; it grants nothing.
      sameSite: "Lax",
    });
    return c.redirect(safeNext(c.req.query("next")), 303);
  });

  return routes;
}

function loginPage(
  c: DashContext,
  deps: HttpDeps,
  options: { next: string; error?: string; notice?: string | undefined; status?: 200 | 400 | 401 | 403 },
): Response {
  const s = dashboardStrings(languageOf(c));
  const nonce = newLoginNonce();
  setCookie(c, LOGIN_COOKIE, nonce, cookieOptions(c, deps, 60 * 60));
  const errors = new Map(options.error === undefined ? [] : [["token", options.error]]);
  const body = html`<h1>${s.loginTitle}</h1>
${options.notice !== undefined && html`<p class="notice" role="status">${options.notice}</p>`}
${errorSummary(s, errors, new Map([["token", s.tokenLabel]]))}
<form method="post" action="/login" class="stack">
<input type="hidden" name="${LOGIN_FIELD}" value="${nonce}">
<input type="hidden" name="next" value="${options.next}">
<p>${s.loginLead}</p>
${input({
  name: "token",
  label: s.tokenLabel,
  value: "",
  type: "password",
  required: true,
  autocomplete: "current-password",
  error: options.error,
  hint: s.sessionNote,
})}
<button type="submit">${s.loginButton}</button>
</form>`;
  return sendPage(
    c,
    renderBarePage(s, here(c), s.loginTitle, body, deps.settings.organisation),
    options.status ?? 200,
  );
}
