/** What every part of the HTTP app shares: its dependencies, the per-request variables, the logger. */

import type { Context } from "hono";
import type { RequestIdVariables } from "hono/request-id";
import type { AttemptLimits } from "../app/attempt-policy.ts";
import type { DefinitionCache } from "../app/definitions.ts";
import type { AppDeps } from "../app/ports.ts";
import type { Principal } from "../app/sessions.ts";
import type { LinkKeyProvider } from "../links/keys.ts";
import type { MailTransport } from "../mail/transport.ts";
import type { GroupRoles } from "../model/group-roles.ts";
import type { OidcLogin } from "./oidc.ts";
import type { SamlLogin } from "./saml.ts";
import { type Language, pickLanguage } from "./strings.ts";

/**
 * The logging the app does: structured, one message and attributes. Powertools' Logger fits;
 * attributes never carry personal data (no addresses, names, link signatures or tokens).
 */
export interface HttpLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export type HttpDeps = AppDeps & {
  linkKey: LinkKeyProvider;
  /** The admin API's bearer token; asked for on every API request, so the provider should cache. */
  adminToken: () => Promise<string>;
  /** Default: one JSON line per entry on stderr/stdout. */
  logger?: HttpLogger;
  /** Workflow versions by id and version; default: one cache for the app's life. */
  definitions?: DefinitionCache;
  /** Staff login through an OpenID provider; without it, only the admin token logs in. */
  oidc?: OidcLogin;
  /** Staff login through a SAML 2.0 provider (AD FS, Context Handler), beside or instead of OIDC. */
  saml?: SamlLogin;
  /** Roles from the provider's groups at each login; without it, roles are the dashboard's. */
  groupRoles?: GroupRoles;
  /**
   * X-Forwarded-For is set by a proxy of the deployment's own, so its last entry is the client's
   * address for the attempt limits (default: no, the source address API Gateway or the socket saw).
   */
  trustForwardedFor?: boolean;
  /** The brute-force limits; default DEFAULT_ATTEMPT_LIMITS (shared/app/attempt-policy.ts). */
  attemptLimits?: AttemptLimits;
  /** The loop's mail transport, for the notice to an applicant a caseworker approves. */
  mailTransport?: MailTransport;
};

export interface HttpEnv {
  /**
   * `requestId`: set by hono/request-id for every request (app.ts); `principal`: who is asking,
   * set by the access guard (guard.ts) on every route that needs a login.
   */
  Variables: RequestIdVariables & { principal: Principal };
}

export type HttpContext = Context<HttpEnv>;

export function languageOf(c: Context): Language {
  return pickLanguage(c.req.query("lang"), c.req.header("accept-language"));
}

/** A logger for the local stack and tests that have none: JSON lines, like Powertools writes. */
export const consoleLogger: HttpLogger = {
  info: (message, attributes) => console.log(JSON.stringify({ level: "INFO", message, ...attributes })),
  warn: (message, attributes) => console.warn(JSON.stringify({ level: "WARN", message, ...attributes })),
  error: (message, attributes) => console.error(JSON.stringify({ level: "ERROR", message, ...attributes })),
};
