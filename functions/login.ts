/**
 * Staff login on AWS: the OpenID settings from the http Lambda's environment (the stack sets
 * them from CDK context) and the client secret from Secrets Manager, read at runtime through the
 * cached-secret helper, so the secret is never in the environment, and a new one put after the
 * first deploy (or at the provider's expiry) reaches warm containers within minutes.
 */
import { ResourceNotFoundException, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { z } from "zod";
import type { LoginClaims } from "../shared/app/people.ts";
import { type ErrorCategory, FristflowError } from "../shared/errors/errors.ts";
import {
  type OidcLogin,
  type OidcSettings,
  OpenIdClientLogin,
  type PendingLogin,
} from "../shared/http/oidc.ts";
import { cachedSecret } from "../shared/secrets/cached-secret.ts";

/** Unset and empty are the same thing (CDK writes "" for "not given"). */
const given = z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).max(1024).optional());

/** HTTPS, or plain HTTP to this machine only (what OpenIdClientLogin allows: the tests' embedded provider). */
const issuerUrl = z
  .string()
  .refine(
    (v) =>
      URL.canParse(v) &&
      (v.startsWith("https://") || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(`${v}/`)),
    "must be an https:// URL (the provider's issuer, as in its discovery document)",
  );

const OidcEnvSchema = z.object({
  FRISTFLOW_OIDC_ISSUER: z.preprocess((v) => (v === "" ? undefined : v), issuerUrl.optional()),
  FRISTFLOW_OIDC_CLIENT_ID: given,
  FRISTFLOW_OIDC_CLIENT_SECRET_ARN: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^arn:aws[a-z-]*:secretsmanager:/, "must be a secretsmanager ARN")
      .optional(),
  ),
  FRISTFLOW_OIDC_LABEL: given,
});

/** The OpenID settings apart from the secret, which is read when a login needs it. */
export interface OidcEnv {
  issuer: string;
  clientId: string;
  clientSecretArn: string;
  label: string;
}

/**
 * The OpenID login's settings, or null when none is configured (the admin token alone logs in).
 * Returns problems, each starting with the variable's name and never quoting a value; a partial
 * configuration is a problem, not a silent "off".
 */
export function readOidcEnv(
  env: Record<string, string | undefined>,
  organisation: string,
): { settings: OidcEnv | null; problems: string[] } {
  const parsed = OidcEnvSchema.safeParse(env);
  if (!parsed.success) {
    return {
      settings: null,
      problems: parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`),
    };
  }
  const e = parsed.data;
  const parts = {
    FRISTFLOW_OIDC_ISSUER: e.FRISTFLOW_OIDC_ISSUER,
    FRISTFLOW_OIDC_CLIENT_ID: e.FRISTFLOW_OIDC_CLIENT_ID,
    FRISTFLOW_OIDC_CLIENT_SECRET_ARN: e.FRISTFLOW_OIDC_CLIENT_SECRET_ARN,
  };
  const missing = Object.entries(parts).filter(([, value]) => value === undefined);
  if (missing.length === Object.keys(parts).length) return { settings: null, problems: [] };
  if (
    e.FRISTFLOW_OIDC_ISSUER === undefined ||
    e.FRISTFLOW_OIDC_CLIENT_ID === undefined ||
    e.FRISTFLOW_OIDC_CLIENT_SECRET_ARN === undefined
  ) {
    const set = Object.keys(parts).filter((name) => !missing.some(([m]) => m === name));
    return {
      settings: null,
      problems: missing.map(
        ([name]) => `${name} is not set (OpenID login needs it beside ${set.join(", ")})`,
      ),
    };
  }
  return {
    settings: {
      issuer: e.FRISTFLOW_OIDC_ISSUER,
      clientId: e.FRISTFLOW_OIDC_CLIENT_ID,
      clientSecretArn: e.FRISTFLOW_OIDC_CLIENT_SECRET_ARN,
      label: e.FRISTFLOW_OIDC_LABEL ?? organisation,
    },
    problems: [],
  };
}

/** The empty secret the stack creates, before an operator put the provider's secret in it: a wiring fault. */
export class OidcClientSecretMissingError extends FristflowError {
  readonly category: ErrorCategory = "internal";

  constructor(options?: ErrorOptions) {
    super(
      "the OpenID client secret in Secrets Manager has no value: put the app registration's secret there (README, Deploying to AWS)",
      options,
    );
  }
}

/**
 * An OidcLogin whose client secret comes from Secrets Manager. The openid-client configuration
 * holds the secret, so a changed secret gets a fresh one (one discovery more, once per change).
 */
export class SecretOidcLogin implements OidcLogin {
  private current: { secret: string; login: OpenIdClientLogin } | null = null;

  constructor(
    private readonly settings: Omit<OidcSettings, "clientSecret">,
    private readonly clientSecret: () => Promise<string>,
  ) {}

  label(): string {
    return this.settings.label;
  }

  private async login(): Promise<OpenIdClientLogin> {
    const secret = await this.clientSecret();
    if (this.current?.secret !== secret) {
      const settings: OidcSettings = { ...this.settings, clientSecret: secret };
      this.current = { secret, login: new OpenIdClientLogin(() => settings) };
    }
    return this.current.login;
  }

  async begin(redirectUri: string): Promise<{ url: string; pending: PendingLogin }> {
    return (await this.login()).begin(redirectUri);
  }

  async finish(callbackUrl: URL, pending: PendingLogin): Promise<LoginClaims> {
    return (await this.login()).finish(callbackUrl, pending);
  }
}

/** The deployed dashboard's OpenID login, reading its client secret from `client`. */
export function awsOidcLogin(
  settings: OidcEnv,
  client: SecretsManagerClient,
  groupClaim?: string,
): SecretOidcLogin {
  const read = cachedSecret(client, settings.clientSecretArn, (value) => {
    const text = typeof value === "string" ? value.trim() : "";
    if (text === "") throw new OidcClientSecretMissingError();
    return text;
  });
  const secret = async () => {
    try {
      return await read();
    } catch (err) {
      // A secret created without a value has no AWSCURRENT version: Secrets Manager says "not found".
      if (err instanceof ResourceNotFoundException) throw new OidcClientSecretMissingError({ cause: err });
      throw err;
    }
  };
  return new SecretOidcLogin(
    {
      issuer: settings.issuer,
      clientId: settings.clientId,
      label: settings.label,
      ...(groupClaim === undefined ? {} : { groupClaim }),
    },
    secret,
  );
}
