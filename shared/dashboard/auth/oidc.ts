/**
 * Staff login through the OpenID provider: `/login/oidc` sends the browser there with a fresh
 * state, nonce and PKCE challenge (kept in a signed, short-lived cookie), and `/login/callback`
 * has openid-client check the answer and exchange the code, then matches the verified claims to
 * a user and starts their session.
 *
 * The pending-login cookie is SameSite=Lax: the provider sends the browser back with a top-level
 * GET from its own site, and a Strict cookie would stay behind. For the same reason the callback
 * does not redirect: a redirect would still count as coming from the provider's site, and the
 * Strict session cookie would not go along; a page of this site that moves on does.
 */
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AttemptSubject } from "../../app/attempt-policy.ts";
import { countFailure } from "../../app/attempts.ts";
import { matchLoginWithGroups } from "../../app/group-login.ts";
import { startSession } from "../../app/sessions.ts";
import { html } from "../../html/html.ts";
import type { HttpDeps, HttpLogger } from "../../http/context.ts";
import { type DashContext, type DashEnv, languageOf, sendPage } from "../common/context.ts";
import { messageBody, renderBarePage } from "../common/layout.ts";
import { type DashboardStrings, dashboardStrings } from "../strings.ts";
import {
  cookieOptions,
  isHttps,
  loginAddress,
  loginPage,
  refuseIfLimited,
  setSessionCookie,
} from "./routes.ts";
import {
  OIDC_COOKIE,
  openPendingLogin,
  PENDING_LOGIN_SECONDS,
  safeNext,
  sealPendingLogin,
} from "./session.ts";

function nowSeconds(deps: HttpDeps): number {
  return Math.floor(deps.clock.now().epochMilliseconds / 1000);
}

function redirectUri(deps: HttpDeps): string {
  return `${deps.settings.publicBaseUrl}/login/callback`;
}

export function oidcRoutes(deps: HttpDeps, logger: HttpLogger): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  routes.get("/login/oidc", async (c) => {
    if (deps.oidc === undefined) return c.redirect("/login", 303);
    const next = safeNext(c.req.query("next"));
    const { url, pending } = await deps.oidc.begin(redirectUri(deps));
    const sealed = sealPendingLogin(await deps.adminToken(), {
      ...pending,
      next,
      expiresAt: nowSeconds(deps) + PENDING_LOGIN_SECONDS,
    });
    setCookie(c, OIDC_COOKIE, sealed, { ...cookieOptions(c, deps, PENDING_LOGIN_SECONDS), sameSite: "Lax" });
    return c.redirect(url, 303);
  });

  routes.get("/login/callback", async (c) => {
    const s = dashboardStrings(languageOf(c));
    if (deps.oidc === undefined) return c.redirect("/login", 303);
    // Who tried is unknown until the provider's answer checks out: the limit is the address's.
    const subject: AttemptSubject = { kind: "oidc", address: loginAddress(c, deps) };
    const limited = await refuseIfLimited(c, deps, subject, logger);
    if (limited !== null) return loginPage(c, deps, { next: "/", staffError: limited, status: 429 });
    const pending = openPendingLogin(getCookie(c, OIDC_COOKIE), await deps.adminToken(), nowSeconds(deps));
    deleteCookie(c, OIDC_COOKIE, { path: "/", secure: isHttps(c, deps) });
    if (pending === null) {
      await countFailure(deps, subject);
      return loginPage(c, deps, { next: "/", staffError: s.loginExpired, status: 400 });
    }
    if (c.req.query("error") !== undefined) {
      logger.warn("staff login refused by the provider", {
        requestId: c.get("requestId"),
        error: c.req.query("error")?.slice(0, 50),
      });
      return loginPage(c, deps, { next: pending.next, staffError: s.loginCancelled, status: 400 });
    }
    // The URL as the provider sent the browser to it: the registered redirect URI and the query.
    const callbackUrl = new URL(`${redirectUri(deps)}${new URL(c.req.url).search}`);
    let claims: Awaited<ReturnType<NonNullable<HttpDeps["oidc"]>["finish"]>>;
    try {
      claims = await deps.oidc.finish(callbackUrl, pending);
    } catch (err) {
      await countFailure(deps, subject);
      logger.warn("staff login failed", {
        requestId: c.get("requestId"),
        error: err instanceof Error ? err.name : typeof err,
      });
      return loginPage(c, deps, { next: pending.next, staffError: s.loginFailed, status: 400 });
    }
    const match = await matchLoginWithGroups(deps, claims, deps.groupRoles);
    if (!match.ok) {
      logger.warn("staff login refused", { requestId: c.get("requestId"), reason: match.reason });
      return noAccessPage(c, deps, noAccessText(s, match.reason));
    }
    const { cookie } = await startSession(deps, match.user.userId, "oidc");
    setSessionCookie(c, deps, cookie);
    logger.info("dashboard login", { requestId: c.get("requestId"), method: "oidc" });
    return movingOnPage(c, deps, pending.next);
  });

  return routes;
}

/** Why a login that the provider vouched for does not get in, as the person reads it. */
export function noAccessText(s: DashboardStrings, reason: "unknown" | "inactive" | "no-role"): string {
  return reason === "inactive"
    ? s.noAccessInactive
    : reason === "no-role"
      ? s.noAccessNoRole
      : s.noAccessUnknown;
}

export function noAccessPage(c: DashContext, deps: HttpDeps, text: string): Response {
  const s = dashboardStrings(languageOf(c));
  return sendPage(
    c,
    renderBarePage(
      s,
      "/login",
      s.noAccessTitle,
      messageBody(s.noAccessTitle, text),
      deps.settings.organisation,
    ),
    403,
  );
}

/** A page of this site that goes on to `next` at once (no script: a refresh, and a link). */
export function movingOnPage(c: DashContext, deps: HttpDeps, next: string): Response {
  const s = dashboardStrings(languageOf(c));
  const markup = renderBarePage(
    s,
    next,
    s.loggedInTitle,
    html`<h1>${s.loggedInTitle}</h1><p><a href="${next}" id="continue">${s.continueLink}</a></p>`,
    deps.settings.organisation,
    next,
  );
  return sendPage(c, markup);
}
