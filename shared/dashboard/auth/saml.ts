/**
 * Staff login through a SAML 2.0 provider (AD FS, KOMBIT's Context Handler), beside the OpenID
 * login: `/login/saml` sends the browser to the provider with an AuthnRequest (its id kept as
 * pending in the table), `/login/saml/callback` is the assertion consumer service the provider
 * posts the signed Response to, and `/login/saml/metadata` is what to hand the provider. Without
 * SAML configured all three are simply not there (404).
 *
 * The callback ends as the OpenID one does: the verified person matched to a user
 * (shared/app/people.ts, roles from groups when mapped), a server-side session, and a page of
 * this site that moves on, so the Strict session cookie goes along (the provider's POST is
 * cross-site). RelayState only carries where to go next, checked like any `next`. The browser
 * that starts a login keeps its request's id in a cookie, and the callback takes only the answer
 * to that request (no login CSRF: another person's valid answer posted by this browser).
 */
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AttemptSubject } from "../../app/attempt-policy.ts";
import { countFailure } from "../../app/attempts.ts";
import { matchLoginWithGroups } from "../../app/group-login.ts";
import { startSession } from "../../app/sessions.ts";
import type { HttpDeps, HttpLogger } from "../../http/context.ts";
import { SAML_REQUEST_SECONDS, type SamlLogin } from "../../http/saml.ts";
import { NotFoundError } from "../../store/errors.ts";
import type { DashContext, DashEnv } from "../common/context.ts";
import { languageOf } from "../common/context.ts";
import { readForm } from "../common/forms.ts";
import { dashboardStrings } from "../strings.ts";
import { movingOnPage, noAccessPage, noAccessText } from "./oidc.ts";
import { loginAddress, loginPage, refuseIfLimited, setSessionCookie } from "./routes.ts";
import { safeNext } from "./session.ts";

/** The assertion consumer service: where the provider posts its answer. */
const CALLBACK_PATH = "/login/saml/callback";
/** The cookie with the id of the request this browser started (for the callback only). */
export const SAML_COOKIE = "fristflow_saml";

/** Far above any real response (a few KiB), far below the app's body limit. */
const MAX_RESPONSE_CHARS = 256 * 1024;

function configured(deps: HttpDeps): SamlLogin {
  if (deps.saml === undefined) throw new NotFoundError("login", "saml");
  return deps.saml;
}

export function samlRoutes(deps: HttpDeps, logger: HttpLogger): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  routes.get("/login/saml", async (c) => {
    const saml = configured(deps);
    const { url, requestId } = await saml.begin(safeNext(c.req.query("next")));
    // SameSite=None: the provider's POST back is cross-site (a Lax cookie stays behind), and
    // SameSite=None needs Secure, which browsers also allow on http://localhost.
    setCookie(c, SAML_COOKIE, requestId, {
      httpOnly: true,
      secure: true,
      sameSite: "None",
      path: CALLBACK_PATH,
      maxAge: SAML_REQUEST_SECONDS,
    });
    return c.redirect(url, 303);
  });

  routes.get("/login/saml/metadata", (c) => {
    const saml = configured(deps);
    return c.body(saml.metadata(), 200, { "content-type": "application/samlmetadata+xml; charset=utf-8" });
  });

  routes.post(CALLBACK_PATH, async (c) => {
    const saml = configured(deps);
    const s = dashboardStrings(languageOf(c));
    const form = await readForm(c);
    const response = form.text("SAMLResponse");
    const next = safeNext(form.text("RelayState") || undefined);
    // As for OpenID: who tried is unknown until the answer checks out, so the limit is the address's.
    const subject: AttemptSubject = { kind: "saml", address: loginAddress(c, deps) };
    const limited = await refuseIfLimited(c, deps, subject, logger);
    if (limited !== null) return loginPage(c, deps, { next, staffError: limited, status: 429 });
    if (response === "" || response.length > MAX_RESPONSE_CHARS) {
      await countFailure(deps, subject);
      return loginPage(c, deps, { next, staffError: s.loginFailed, status: 400 });
    }
    const started = getCookie(c, SAML_COOKIE);
    deleteCookie(c, SAML_COOKIE, { path: CALLBACK_PATH, secure: true, sameSite: "None" });
    let claims: Awaited<ReturnType<SamlLogin["finish"]>>;
    try {
      claims = await saml.finish({ SAMLResponse: response, RelayState: form.text("RelayState") }, started);
    } catch (err) {
      await countFailure(deps, subject);
      refused(c, logger, err);
      return loginPage(c, deps, { next, staffError: s.loginFailed, status: 400 });
    }
    const match = await matchLoginWithGroups(deps, claims, deps.groupRoles);
    if (!match.ok) {
      logger.warn("staff login refused", {
        requestId: c.get("requestId"),
        reason: match.reason,
        method: "saml",
      });
      return noAccessPage(c, deps, noAccessText(s, match.reason));
    }
    const { cookie } = await startSession(deps, match.user.userId, "saml");
    setSessionCookie(c, deps, cookie);
    logger.info("dashboard login", { requestId: c.get("requestId"), method: "saml" });
    return movingOnPage(c, deps, next);
  });

  return routes;
}

/**
 * node-saml's reasons name what failed (signature, audience, expiry, InResponseTo), never the
 * person; cut short all the same, since they can quote the expected and received values.
 */
function refused(c: DashContext, logger: HttpLogger, err: unknown): void {
  logger.warn("SAML login failed", {
    requestId: c.get("requestId"),
    error: err instanceof Error ? `${err.name}: ${err.message.slice(0, 160)}` : typeof err,
  });
}
