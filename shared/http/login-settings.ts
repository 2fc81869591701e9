/**
 * The login settings from the environment, read and validated once at start-up: the SAML login
 * (off unless FRISTFLOW_SAML_ENTRY_POINT is set) and the mapping of provider groups to roles (for
 * OpenID Connect and SAML alike). The local stack reads its own process's environment; the
 * Lambda gets the same variables from the CDK context. Every problem names its variable.
 */

import type { ErrorCategory } from "../errors/errors.ts";
import { FristflowError } from "../errors/index.ts";
import { type GroupRoles, GroupRolesSchema } from "../model/group-roles.ts";
import { type SamlSettings, SamlSettingsSchema } from "./saml.ts";

export const SAML_ENV = {
  entryPoint: "FRISTFLOW_SAML_ENTRY_POINT",
  idpCert: "FRISTFLOW_SAML_IDP_CERT",
  idpIssuer: "FRISTFLOW_SAML_IDP_ISSUER",
  spEntityId: "FRISTFLOW_SAML_SP_ENTITY_ID",
  groupAttribute: "FRISTFLOW_SAML_GROUP_ATTRIBUTE",
  privilegeScope: "FRISTFLOW_SAML_PRIVILEGE_SCOPE",
} as const;
export const GROUP_ROLES_ENV = "FRISTFLOW_GROUP_ROLES";
export const OIDC_GROUP_CLAIM_ENV = "FRISTFLOW_OIDC_GROUP_CLAIM";

/** Entra ID's claim for the groups (object ids) a person is in. */
export const DEFAULT_OIDC_GROUP_CLAIM = "groups";

export type Env = Record<string, string | undefined>;

export class LoginSettingsError extends FristflowError {
  readonly category: ErrorCategory = "invalid";

  constructor(readonly problems: string[]) {
    super(`the login settings are invalid:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  }
}

/** A variable's value, or undefined when unset or blank. */
function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === "" ? undefined : raw;
}

/** The SAML login's callback (the assertion consumer service) on this server. */
export function samlCallbackUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}/login/saml/callback`;
}

/** Where the SP metadata is served; also fristflow's entity id when none is given. */
export function samlMetadataUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}/login/saml/metadata`;
}

/**
 * The SAML settings, or undefined when SAML is not configured (no FRISTFLOW_SAML_* variable set).
 * FRISTFLOW_SAML_SP_ENTITY_ID defaults to the metadata URL. Throws LoginSettingsError.
 */
export function readSamlSettings(env: Env, publicBaseUrl: string): SamlSettings | undefined {
  const given = Object.values(SAML_ENV).filter((name) => value(env, name) !== undefined);
  if (given.length === 0) return undefined;
  const problems: string[] = [];
  for (const name of [SAML_ENV.entryPoint, SAML_ENV.idpCert]) {
    if (value(env, name) === undefined) problems.push(`${name} is needed when ${given.join(", ")} is set`);
  }
  if (problems.length > 0) throw new LoginSettingsError(problems);
  const idpIssuer = value(env, SAML_ENV.idpIssuer);
  const groupAttribute = value(env, SAML_ENV.groupAttribute);
  const privilegeScope = value(env, SAML_ENV.privilegeScope);
  const input = {
    entryPoint: value(env, SAML_ENV.entryPoint),
    // A PEM in one line of an env file carries its line breaks as `\n`.
    idpCert: value(env, SAML_ENV.idpCert)?.replace(/\\n/g, "\n"),
    ...(idpIssuer === undefined ? {} : { idpIssuer }),
    spEntityId: value(env, SAML_ENV.spEntityId) ?? samlMetadataUrl(publicBaseUrl),
    callbackUrl: samlCallbackUrl(publicBaseUrl),
    ...(groupAttribute === undefined ? {} : { groupAttribute }),
    ...(privilegeScope === undefined ? {} : { privilegeScope }),
  };
  const parsed = SamlSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const names: Record<string, string> = {
    ...SAML_ENV,
    callbackUrl: "the public base URL (FRISTFLOW_PUBLIC_BASE_URL)",
  };
  throw new LoginSettingsError(
    parsed.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? "");
      return `${names[field] ?? field} ${issue.message}`;
    }),
  );
}

/** The group-to-role mapping (FRISTFLOW_GROUP_ROLES, JSON), or undefined: roles stay the dashboard's. */
export function readGroupRoles(env: Env): GroupRoles | undefined {
  const raw = value(env, GROUP_ROLES_ENV);
  if (raw === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new LoginSettingsError([
      `${GROUP_ROLES_ENV} is not JSON; write it as {"<group id or name>": "administrator" | "editor" | "caseworker" | "viewer"}`,
    ]);
  }
  const parsed = GroupRolesSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new LoginSettingsError(
    parsed.error.issues.map((issue) => {
      const where = issue.path.length === 0 ? "" : ` (group ${JSON.stringify(String(issue.path[0]))})`;
      return `${GROUP_ROLES_ENV}${where} ${issue.message}`;
    }),
  );
}

/** Every login setting at once, as an entry point wires them. */
export interface LoginSettings {
  saml?: SamlSettings;
  groupRoles?: GroupRoles;
  /** The ID token claim holding the groups (FRISTFLOW_OIDC_GROUP_CLAIM, default `groups`). */
  oidcGroupClaim: string;
}

/** Reads all of them, reporting every problem at once. Throws LoginSettingsError. */
export function readLoginSettings(env: Env, publicBaseUrl: string): LoginSettings {
  const problems: string[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof LoginSettingsError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const saml = attempt(() => readSamlSettings(env, publicBaseUrl));
  const groupRoles = attempt(() => readGroupRoles(env));
  const claim = value(env, OIDC_GROUP_CLAIM_ENV) ?? DEFAULT_OIDC_GROUP_CLAIM;
  if (claim.length > 200) problems.push(`${OIDC_GROUP_CLAIM_ENV} is longer than 200 characters`);
  if (problems.length > 0) throw new LoginSettingsError(problems);
  return {
    ...(saml === undefined ? {} : { saml }),
    ...(groupRoles === undefined ? {} : { groupRoles }),
    oidcGroupClaim: claim,
  };
}
