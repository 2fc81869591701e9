/**
 * Failures as the dashboard's pages, for every address outside /api, /confirm and /mine: an
 * address no route has, a method a page does not take, a failure before or inside a route. The
 * HTTP app gets this as its `ErrorPage` (shared/http/errors.ts; only app.ts imports the
 * dashboard) and the dashboard's own error handler uses it too, so all of them look alike.
 *
 * Logged in, the page has the menu and the person's dashboard language (the switch's cookie, else
 * Danish, as every page they see); without a login, a bare page in the visitor's language (the
 * cookie, else the browser's Accept-Language, else Danish) with the way to log in. Never a stack
 * trace: an unexpected failure shows only the request id to quote.
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { html, type SafeHtml } from "../html/html.ts";
import type { HttpDeps } from "../http/context.ts";
import type { ErrorPage } from "../http/errors.ts";
import { pickLanguage } from "../http/strings.ts";
import { maskCpr } from "../model/cpr.ts";
import { checkDashboardSession, LANGUAGE_COOKIE, SESSION_COOKIE } from "./auth/session.ts";
import { type DashContext, here, languageOf, pageContext, sendPage } from "./common/context.ts";
import { renderBarePage, renderPage } from "./common/layout.ts";
import { type DashboardStrings, dashboardStrings, type Language } from "./strings.ts";

export interface ErrorWords {
  title: string;
  text: string;
}

/** Pure: the words for a status (the one mapping's statuses, shared/http/errors.ts). */
export function errorWords(status: number, s: DashboardStrings, signedIn: boolean): ErrorWords {
  if (status === 404)
    return { title: s.notFoundTitle, text: signedIn ? s.notFoundText : s.notFoundSignedOutText };
  if (status === 403) return { title: s.forbiddenTitle, text: s.forbiddenText };
  if (status === 405) return { title: s.notAllowedTitle, text: s.notAllowedText };
  if (status === 409) return { title: s.conflictTitle, text: s.conflictText };
  if (status === 503) return { title: s.busyTitle, text: s.busyText };
  if (status === 413) return { title: s.tooLargeTitle, text: s.tooLargeText };
  return { title: s.failedTitle, text: s.failedText };
}

/** Pure: the page's language without a login: the switch's cookie, the browser's, else Danish. */
export function visitorLanguage(cookie: string | undefined, acceptLanguage: string | undefined): Language {
  if (cookie === "da" || cookie === "en") return cookie;
  return pickLanguage(undefined, acceptLanguage);
}

/** What happened, what to do, and the way on: the overview when logged in, else the login. */
export function errorBody(
  s: DashboardStrings,
  words: ErrorWords,
  signedIn: boolean,
  requestId?: string,
): SafeHtml {
  return html`<h1>${words.title}</h1>
<p class="notice warn">${words.text}</p>
${requestId !== undefined && html`<p class="muted small">${s.errorReference(requestId)}</p>`}
<p>${signedIn ? html`<a href="/">${s.errorToOverview}</a>` : html`<a href="/login">${s.errorToLogin}</a>`}</p>`;
}

export interface DashboardFailure {
  status: ContentfulStatusCode;
  requestId?: string;
  /** Words of the failure's own (a grant that is missing), instead of the status's. */
  words?: ErrorWords;
}

/**
 * The page for a failure. The session is read again here when the guard has not (an unknown
 * address has no rule, so no guard asked who it is); a session store that fails answers the
 * page without the menu rather than a second failure.
 */
export function dashboardErrorPage(
  deps: HttpDeps,
): (c: Context, failure: DashboardFailure) => Promise<Response> {
  return async (context, failure) => {
    const c = context as DashContext;
    // The language switch comes back here; an address is never repeated with a CPR number in it.
    const back = maskCpr(here(c));
    const signedIn = c.get("principal") !== undefined || (await signIn(c, deps));
    if (signedIn) {
      try {
        const ctx = { ...(await pageContext(c, deps)), here: back };
        const words = failure.words ?? errorWords(failure.status, ctx.s, true);
        const body = errorBody(ctx.s, words, true, failure.requestId);
        return sendPage(c, renderPage(ctx, { title: words.title, nav: "none", body }), failure.status);
      } catch {
        // The menu needs the store (the outbox's mail); the failure is told without it.
      }
    }
    const language = signedIn
      ? languageOf(c)
      : visitorLanguage(getCookie(c, LANGUAGE_COOKIE), c.req.header("accept-language"));
    const s = dashboardStrings(language);
    const words = failure.words ?? errorWords(failure.status, s, signedIn);
    const body = errorBody(s, words, signedIn, failure.requestId);
    return sendPage(
      c,
      renderBarePage(s, back, words.title, body, deps.settings.organisation),
      failure.status,
    );
  };
}

/** Sets the request's person from its session cookie, as the guard does; false without one. */
async function signIn(c: DashContext, deps: HttpDeps): Promise<boolean> {
  try {
    const checked = await checkDashboardSession(deps, getCookie(c, SESSION_COOKIE));
    if (checked === null) return false;
    c.set("sessionCookie", checked.cookie);
    c.set("principal", checked.principal);
    return true;
  } catch {
    return false;
  }
}

/** The app's hook (shared/http/errors.ts ErrorPage): the dashboard's page for every failure there. */
export function dashboardErrorHook(deps: HttpDeps): ErrorPage {
  const page = dashboardErrorPage(deps);
  return (c, failure) => page(c, failure);
}
