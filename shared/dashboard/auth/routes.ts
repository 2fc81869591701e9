/**
 * Logging in and out, and the language switch. Staff log in through the OpenID provider
 * (oidc.ts beside this file: the redirect and the callback); whoever holds the admin token can
 * log in with it, which is how the first administrator is created and what scripts use. Both end
 * in a server-side session (shared/app/sessions.ts) whose cookie this file sets; logging out ends
 * the session in the table, so the old cookie is refused at once.
 *
 * Cookies are HttpOnly (no script can read them; the pages have none anyway), SameSite=Strict
 * (no other site's page or link carries them along), Path=/, and Secure whenever the dashboard is
 * served over HTTPS.
 */
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AttemptSubject } from "../../app/attempt-policy.ts";
import { admitAttempt, countFailure } from "../../app/attempts.ts";
import {
  BOOTSTRAP_USER_ID,
  DEFAULT_SESSION_POLICY,
  endSession,
  startSession,
  tokenBinding,
} from "../../app/sessions.ts";
import { html } from "../../html/html.ts";
import { clientAddress } from "../../http/client-address.ts";
import type { HttpDeps, HttpLogger } from "../../http/context.ts";
import { type DashContext, type DashEnv, here, languageOf, sendPage } from "../common/context.ts";
import { errorSummary, input, readForm } from "../common/forms.ts";
import { renderBarePage } from "../common/layout.ts";
import { dashboardStrings } from "../strings.ts";
import { oidcRoutes } from "./oidc.ts";
import { samlRoutes } from "./saml.ts";
import {
  checkDashboardSession,
  LANGUAGE_COOKIE,
  LOGIN_COOKIE,
  newLoginNonce,
  SESSION_COOKIE,
  safeNext,
  sameSecret,
} from "./session.ts";

const LOGIN_FIELD = "_login";
const YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Behind API Gateway the app is reached over HTTPS; on a laptop over plain http://127.0.0.1. */
export function isHttps(c: DashContext, deps: HttpDeps): boolean {
  return new URL(c.req.url).protocol === "https:" || deps.settings.publicBaseUrl.startsWith("https:");
}

export function cookieOptions(c: DashContext, deps: HttpDeps, maxAge: number) {
  return { httpOnly: true, sameSite: "Strict", path: "/", maxAge, secure: isHttps(c, deps) } as const;
}

/** The session cookie lives as long as the session can (the table decides when it really ends). */
export function setSessionCookie(c: DashContext, deps: HttpDeps, cookie: string): void {
  setCookie(c, SESSION_COOKIE, cookie, cookieOptions(c, deps, DEFAULT_SESSION_POLICY.absoluteSeconds));
}

export function loginAddress(c: DashContext, deps: HttpDeps): string {
  return clientAddress(c, { trustForwardedFor: deps.trustForwardedFor });
}

/**
 * The brute-force limit in front of a login: null to go on, or the sentence for the login page
 * (with Retry-After set) when the address or account has failed too often.
 */
export async function refuseIfLimited(
  c: DashContext,
  deps: HttpDeps,
  subject: AttemptSubject,
  logger: HttpLogger,
): Promise<string | null> {
  const admission = await admitAttempt(deps, subject, { requestId: c.get("requestId") });
  if (admission.admitted) return null;
  c.header("Retry-After", String(admission.retryAfter));
  logger.warn("login refused: too many failed attempts", {
    requestId: c.get("requestId"),
    kind: subject.kind,
    scopes: admission.scopes,
  });
  return dashboardStrings(languageOf(c)).tooManyAttempts(Math.ceil(admission.retryAfter / 60));
}

export function authRoutes(deps: HttpDeps, logger: HttpLogger): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  routes.get("/login", async (c) => {
    const next = safeNext(c.req.query("next"));
    if ((await checkDashboardSession(deps, getCookie(c, SESSION_COOKIE))) !== null)
      return c.redirect(next, 303);
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
    // The admin token belongs to no account: the limit is the address's.
    const subject: AttemptSubject = { kind: "login", address: loginAddress(c, deps) };
    const refused = await refuseIfLimited(c, deps, subject, logger);
    if (refused !== null) return loginPage(c, deps, { next, error: refused, status: 429 });
    const expected = await deps.adminToken();
    if (expected.length === 0 || !sameSecret(presented, expected)) {
      await countFailure(deps, subject);
      // Neither token is logged; the request id lets an operator find the attempt.
      logger.warn("dashboard login refused: wrong token", { requestId: c.get("requestId") });
      return loginPage(c, deps, { next, error: s.loginWrong, status: 401 });
    }
    const { cookie } = await startSession(deps, BOOTSTRAP_USER_ID, "admin-token", {
      binding: tokenBinding(expected),
    });
    setSessionCookie(c, deps, cookie);
    deleteCookie(c, LOGIN_COOKIE, { path: "/" });
    logger.info("dashboard login", { requestId: c.get("requestId"), method: "admin-token" });
    return c.redirect(next, 303);
  });

  routes.route("/", oidcRoutes(deps, logger));
  routes.route("/", samlRoutes(deps, logger));

  // The access guard has checked the session and the form's CSRF token.
  routes.post("/logout", async (c) => {
    await endSession(deps, getCookie(c, SESSION_COOKIE));
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

export function loginPage(
  c: DashContext,
  deps: HttpDeps,
  options: {
    next: string;
    error?: string;
    notice?: string | undefined;
    /** A problem with the staff login (the provider's answer), shown above its button. */
    staffError?: string;
    status?: 200 | 400 | 401 | 403 | 429;
  },
): Response {
  const s = dashboardStrings(languageOf(c));
  const nonce = newLoginNonce();
  setCookie(c, LOGIN_COOKIE, nonce, cookieOptions(c, deps, 60 * 60));
  const errors = new Map(options.error === undefined ? [] : [["token", options.error]]);
  const staffLogin = deps.oidc !== undefined || deps.saml !== undefined;
  const nextQuery = new URLSearchParams({ next: options.next }).toString();
  const samlLabel = deps.saml?.label();
  const staff = !staffLogin
    ? ""
    : html`<section class="stack" aria-labelledby="staff-login">
<h2 id="staff-login">${s.loginStaffLead}</h2>
${options.staffError !== undefined && html`<p class="notice warn" role="alert">${options.staffError}</p>`}
${deps.oidc !== undefined && html`<p><a class="button" href="/login/oidc?${nextQuery}">${s.loginWith(deps.oidc.label())}</a></p>`}
${deps.saml !== undefined && html`<p><a class="button" href="/login/saml?${nextQuery}" id="login-saml">${samlLabel === undefined ? s.loginWithSaml : s.loginWith(samlLabel)}</a></p>`}
<p class="hint">${s.sessionNote}</p>
</section>`;
  const tokenForm = html`<form method="post" action="/login" class="stack">
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
  hint: staffLogin ? undefined : s.sessionNote,
})}
<button type="submit">${s.loginButton}</button>
</form>`;
  const body = html`<h1>${s.loginTitle}</h1>
${options.notice !== undefined && html`<p class="notice" role="status">${options.notice}</p>`}
${errorSummary(s, errors, new Map([["token", s.tokenLabel]]))}
${staff}
${
  !staffLogin
    ? tokenForm
    : html`<details${options.error !== undefined ? html` open` : ""}><summary>${s.loginTokenTitle}</summary>${tokenForm}</details>`
}`;
  return sendPage(
    c,
    renderBarePage(s, here(c), s.loginTitle, body, deps.settings.organisation),
    options.status ?? 200,
  );
}
