/**
 * The deployment settings a municipality provides, read from CDK context once and validated
 * before any construct is built, so a typo fails the synth with a message instead of producing
 * a stack that deploys and then cannot send mail.
 *
 * Defaults live in cdk.json's "context" (so `npm run synth` works with no arguments); values
 * given with `-c key=value` override them and always arrive as strings, hence the coercions.
 */

import { z } from "zod";
import { MAX_ACCESS_LOG_DAYS } from "../../shared/app/access-log.ts";
import { type GroupRoles, GroupRolesSchema } from "../../shared/model/group-roles.ts";
import { PrivilegeScopeSchema } from "../../shared/model/privilege-scope.ts";

/** The sender domain cdk.json ships with: reserved by RFC 2606, so it can never be verified. */
export const PLACEHOLDER_SENDER_DOMAIN = "fristflow.example";

const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 3653];

/** `-c x=` and a `null` in cdk.json both mean "not set". */
const unset = (value: unknown): unknown => (value === "" || value === null ? undefined : value);

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema.optional());

const bool = z.preprocess((value) => {
  if (value === "true") return true;
  if (value === "false") return false;
  return value;
}, z.boolean());

const int = z.coerce.number().int();

const domain = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "a lower-case DNS name");

const httpsUrl = z
  .url({ protocol: /^https$/ })
  .refine((url) => !url.endsWith("/"), "without a trailing slash (paths are appended to it)");

/** A claim, attribute or entity id: what an identity provider sends, never blank. */
const name = z.string().trim().min(1).max(1024);

/** PEM or its base64 body: node-saml takes both. A certificate is public; a private key is refused. */
const certificate = z
  .string()
  .refine((v) => !/PRIVATE KEY/.test(v), "the IdP's signing certificate, never a private key")
  .refine(
    (v) =>
      /^\s*(-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*)+$|^[A-Za-z0-9+/=\s]{64,}$/.test(
        v,
      ),
    "a PEM certificate (-----BEGIN CERTIFICATE-----) or its base64 body",
  );

/**
 * Group (from the OIDC group claim or the SAML group attribute) to the roles it gives: given in
 * cdk.json as an object, or with `-c groupRoles='{"…": ["editor"]}'` as a JSON string.
 */
const groupRoles = z.preprocess(
  (value) => {
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  },
  // The mapping the http Lambda parses (FRISTFLOW_GROUP_ROLES): a deploy that passes here starts.
  z
    .record(z.string(), z.unknown(), {
      error: 'a JSON object of group to role(s), e.g. {"fristflow-editors": ["editor"]}',
    })
    .pipe(GroupRolesSchema)
    .refine((map) => Object.keys(map).length > 0, "at least one group"),
);

const ContextSchema = z
  .object({
    stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,80}$/, "letters, digits and hyphens"),
    senderDomain: domain,
    mailFrom: optional(z.email()),
    organisation: z.string().min(1),
    publicBaseUrl: optional(
      z
        .url({ protocol: /^https$/ })
        .refine((url) => !url.endsWith("/"), "without a trailing slash (paths are appended to it)"),
    ),
    alarmEmail: optional(z.email()),
    deletionProtection: bool,
    logRetentionDays: int.refine((days) => RETENTION_DAYS.includes(days), {
      message: `one of CloudWatch's retention periods: ${RETENTION_DAYS.join(", ")}`,
    }),
    logLevel: z.enum(["DEBUG", "INFO", "WARN", "ERROR"]),
    notifyReservedConcurrency: optional(int.min(1)),
    apiThrottleRateLimit: int.min(1),
    apiThrottleBurstLimit: int.min(1),
    confirmThrottleRateLimit: int.min(1),
    confirmThrottleBurstLimit: int.min(1),
    customDomainName: optional(domain),
    certificateArn: optional(
      z
        .string()
        .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, "an ACM certificate ARN"),
    ),
    loopLogLevel: z.enum(["OFF", "ERROR", "ALL"]),
    loopLogExecutionData: bool,
    xraySamplingRate: z.coerce.number().min(0).max(1),
    oidcIssuer: optional(httpsUrl),
    oidcClientId: optional(name),
    oidcLabel: optional(z.string().trim().min(1).max(100)),
    oidcGroupClaim: optional(name),
    samlEntryPoint: optional(z.url({ protocol: /^https$/ })),
    samlIdpCert: optional(certificate),
    samlIdpIssuer: optional(name),
    samlSpEntityId: optional(name),
    samlGroupAttribute: optional(name),
    samlPrivilegeScope: optional(PrivilegeScopeSchema),
    groupRoles: optional(groupRoles),
    accessLogDays: optional(z.coerce.number().int().min(1).max(MAX_ACCESS_LOG_DAYS)),
    replyTo: optional(z.email()),
  })
  .refine((c) => (c.customDomainName === undefined) === (c.certificateArn === undefined), {
    message: "customDomainName and certificateArn go together (the domain needs its certificate)",
    path: ["certificateArn"],
  })
  .refine((c) => c.mailFrom === undefined || c.mailFrom.toLowerCase().endsWith(`@${c.senderDomain}`), {
    // SES only sends From addresses of a verified identity: this stack verifies the domain.
    message: "mailFrom must be an address at senderDomain",
    path: ["mailFrom"],
  })
  .refine((c) => (c.oidcIssuer === undefined) === (c.oidcClientId === undefined), {
    message: "oidcIssuer and oidcClientId go together (the app registration's issuer and id)",
    path: ["oidcClientId"],
  })
  .refine((c) => c.oidcIssuer !== undefined || (c.oidcLabel ?? c.oidcGroupClaim) === undefined, {
    message: "oidcLabel and oidcGroupClaim need oidcIssuer and oidcClientId",
    path: ["oidcIssuer"],
  })
  .refine((c) => (c.samlEntryPoint === undefined) === (c.samlIdpCert === undefined), {
    message: "samlEntryPoint and samlIdpCert go together (where to log in, and how to check the answer)",
    path: ["samlIdpCert"],
  })
  .refine(
    (c) =>
      c.samlEntryPoint !== undefined ||
      (c.samlIdpIssuer ?? c.samlSpEntityId ?? c.samlGroupAttribute ?? c.samlPrivilegeScope) === undefined,
    {
      message:
        "samlIdpIssuer, samlSpEntityId, samlGroupAttribute and samlPrivilegeScope need samlEntryPoint and samlIdpCert",
      path: ["samlEntryPoint"],
    },
  )
  .refine(
    (c) =>
      c.groupRoles === undefined ||
      (c.oidcGroupClaim ?? c.samlGroupAttribute ?? c.samlPrivilegeScope) !== undefined,
    {
      message: "groupRoles needs a group source: oidcGroupClaim, samlGroupAttribute or samlPrivilegeScope",
      path: ["groupRoles"],
    },
  );

export interface DeployConfig {
  stackName: string;
  senderDomain: string;
  /** Defaults to fristflow@senderDomain. */
  mailFrom: string;
  organisation: string;
  /** Unset: the HTTP API's own execute-api URL is used in mails. */
  publicBaseUrl: string | undefined;
  alarmEmail: string | undefined;
  /** Table deletion protection, and RETAIN instead of DESTROY for the data-bearing resources. */
  deletionProtection: boolean;
  logRetentionDays: number;
  logLevel: "DEBUG" | "INFO" | "WARN" | "ERROR";
  /** Caps concurrent notify invocations, e.g. to stay inside the SES sending rate. */
  notifyReservedConcurrency: number | undefined;
  apiThrottleRateLimit: number;
  apiThrottleBurstLimit: number;
  /**
   * The confirm routes' own limits: a flood of link clicks (a mail scanner, a forwarded mail)
   * must not use up the administrators' requests, nor the other way round.
   */
  confirmThrottleRateLimit: number;
  confirmThrottleBurstLimit: number;
  /**
   * A custom domain for the HTTP API (with its ACM certificate in the same region). When set, the
   * execute-api endpoint is disabled, so the API is reachable only under the domain, and mails
   * link there unless publicBaseUrl says otherwise.
   */
  customDomainName: string | undefined;
  certificateArn: string | undefined;
  /**
   * What the instance loop logs to CloudWatch. ERROR (the default) logs failed executions and
   * tasks only: ALL logs about 10 events per reminder, which at $0.50/GB ingested is most of
   * the loop's log bill (the cost bench prints it).
   */
  loopLogLevel: "OFF" | "ERROR" | "ALL";
  /** Whether log events carry the state (ids and decisions, no personal data). Off by default. */
  loopLogExecutionData: boolean;
  /** Share of loop executions X-Ray traces (0 turns tracing off). Lambda samples on its own rule. */
  xraySamplingRate: number;
  /**
   * Staff login through an OpenID provider (Entra ID): the client secret is not here but in a
   * Secrets Manager secret the stack creates empty. The redirect URI is
   * `<public base URL>/login/callback`, the dashboard's own address (its cookies live there).
   */
  oidc: OidcContext | undefined;
  /** Staff login over SAML 2.0 (AD FS, KOMBIT's Context Handler). */
  saml: SamlContext | undefined;
  /** Group to the roles it gives, for the OIDC group claim and the SAML group attribute alike. */
  groupRoles: GroupRoles | undefined;
  /** How long access-log entries are kept (days); default DEFAULT_ACCESS_LOG_DAYS, six months. */
  accessLogDays: number | undefined;
  /** The municipality's contact address: the Reply-To of staff mails. Unset: no Reply-To. */
  replyTo: string | undefined;
}

export interface OidcContext {
  issuer: string;
  clientId: string;
  /** What the login button says after "Log in with"; default the organisation. */
  label: string;
  groupClaim: string | undefined;
}

export interface SamlContext {
  entryPoint: string;
  idpCert: string;
  idpIssuer: string | undefined;
  spEntityId: string | undefined;
  groupAttribute: string | undefined;
  /** KOMBIT Context Handler: the municipality's CVR number or scope URN (privileges as groups). */
  privilegeScope: string | undefined;
}

const NOT_ECHOED = new Set(["samlIdpCert"]);

export const CONTEXT_KEYS = Object.keys(ContextSchema.shape) as (keyof typeof ContextSchema.shape)[];

/** Reads every key through `get` (e.g. `app.node.tryGetContext`) and validates them together. */
export function readDeployConfig(get: (key: string) => unknown): DeployConfig {
  const raw = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, get(key)]));
  const parsed = ContextSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      // A key pasted into the certificate's place must not end up in a terminal or a CI log.
      const got = NOT_ECHOED.has(key) ? "value not shown" : `got ${JSON.stringify(raw[key])}`;
      return `  -c ${issue.path.join(".")}: ${issue.message} (${got})`;
    });
    throw new Error(`Invalid CDK context for fristflow:\n${problems.join("\n")}`);
  }
  const c = parsed.data;
  const {
    oidcIssuer: _oidcIssuer,
    oidcClientId: _oidcClientId,
    oidcLabel: _oidcLabel,
    oidcGroupClaim: _oidcGroupClaim,
    samlEntryPoint: _samlEntryPoint,
    samlIdpCert: _samlIdpCert,
    samlIdpIssuer: _samlIdpIssuer,
    samlSpEntityId: _samlSpEntityId,
    samlGroupAttribute: _samlGroupAttribute,
    samlPrivilegeScope: _samlPrivilegeScope,
    ...plain
  } = c;
  return {
    ...plain,
    mailFrom: c.mailFrom ?? `fristflow@${c.senderDomain}`,
    publicBaseUrl:
      c.publicBaseUrl ?? (c.customDomainName === undefined ? undefined : `https://${c.customDomainName}`),
    alarmEmail: c.alarmEmail,
    customDomainName: c.customDomainName,
    certificateArn: c.certificateArn,
    notifyReservedConcurrency: c.notifyReservedConcurrency,
    oidc:
      c.oidcIssuer === undefined || c.oidcClientId === undefined
        ? undefined
        : {
            issuer: c.oidcIssuer,
            clientId: c.oidcClientId,
            label: c.oidcLabel ?? c.organisation,
            groupClaim: c.oidcGroupClaim,
          },
    saml:
      c.samlEntryPoint === undefined || c.samlIdpCert === undefined
        ? undefined
        : {
            entryPoint: c.samlEntryPoint,
            idpCert: c.samlIdpCert,
            idpIssuer: c.samlIdpIssuer,
            spEntityId: c.samlSpEntityId,
            groupAttribute: c.samlGroupAttribute,
            privilegeScope: c.samlPrivilegeScope,
          },
    groupRoles: c.groupRoles,
    accessLogDays: c.accessLogDays,
    replyTo: c.replyTo,
  };
}
