/**
 * Staff login on the deployed stack: the OpenID and SAML settings given as CDK context reach the
 * http Lambda (and no other), the OpenID client secret is a secret the stack creates without a
 * value, whose ARN only the http Lambda gets, with GetSecretValue on it and nothing else; cdk-nag
 * stays clean with the one documented exception for it.
 */
import { Validations } from "aws-cdk-lib";
import cdkNag from "cdk-nag";
import { describe, expect, it } from "vitest";
import { REASONS } from "../../infra/cdk/nag-suppressions.ts";
import { ttlAttribute } from "../../shared/store/table.ts";
import { arn, asArray, synthesizedStack } from "./stack-fixture.ts";
import type { Json } from "./support.ts";

const { AwsSolutionsChecks } = cdkNag;

/** A certificate's shape is all the context checks; this is no real certificate. */
const IDP_CERT = `-----BEGIN CERTIFICATE-----\n${"MIIC".padEnd(64, "A")}\n-----END CERTIFICATE-----`;

const LOGIN_CONTEXT = {
  publicBaseUrl: "https://frister.ishoj.dk",
  oidcIssuer: "https://login.microsoftonline.com/0a1b2c3d-4e5f-6789-abcd-ef0123456789/v2.0",
  oidcClientId: "7f0e1d2c-3b4a-5968-7766-554433221100",
  oidcLabel: "Ishøj Kommune (Microsoft)",
  oidcGroupClaim: "groups",
  samlEntryPoint: "https://adfs.ishoj.dk/adfs/ls/",
  samlIdpCert: IDP_CERT,
  samlIdpIssuer: "http://adfs.ishoj.dk/adfs/services/trust",
  samlSpEntityId: "https://frister.ishoj.dk/saml",
  samlGroupAttribute: "http://schemas.xmlsoap.org/claims/Group",
  // KOMBIT Context Handler's scope: Ishøj's CVR number, which the app turns into the scope URN.
  samlPrivilegeScope: "29189978",
  // As `-c groupRoles=…` gives it: a JSON string.
  groupRoles: '{"fristflow-admins":["administrator"],"fristflow-editors":"editor"}',
  // A year of the access log instead of six months (as `-c accessLogDays=365` gives it).
  accessLogDays: "365",
};

const LOGIN_VARIABLES = [
  "FRISTFLOW_OIDC_ISSUER",
  "FRISTFLOW_OIDC_CLIENT_ID",
  "FRISTFLOW_OIDC_CLIENT_SECRET_ARN",
  "FRISTFLOW_OIDC_LABEL",
  "FRISTFLOW_OIDC_GROUP_CLAIM",
  "FRISTFLOW_SAML_ENTRY_POINT",
  "FRISTFLOW_SAML_IDP_CERT",
  "FRISTFLOW_SAML_IDP_ISSUER",
  "FRISTFLOW_SAML_SP_ENTITY_ID",
  "FRISTFLOW_SAML_GROUP_ATTRIBUTE",
  "FRISTFLOW_SAML_PRIVILEGE_SCOPE",
  "FRISTFLOW_GROUP_ROLES",
  "FRISTFLOW_ACCESS_LOG_DAYS",
];

describe("a stack with OpenID and SAML login", () => {
  const synth = synthesizedStack(LOGIN_CONTEXT);

  const environmentOf = (fn: unknown): Record<string, Json> => {
    const env = synth.props(synth.logicalId(fn)).Environment as { Variables: Record<string, Json> };
    return synth.resolve(env.Variables) as Record<string, Json>;
  };
  const oidcSecretArn = () => {
    const secret = synth.stack.secrets.oidcClientSecret;
    if (secret === undefined) throw new Error("the stack made no OpenID client secret");
    return arn("secretsmanager", `secret:${synth.logicalId(secret)}-AbCdEf`);
  };

  it("gives the http Lambda the login settings and the secret's ARN, never the secret", () => {
    const env = environmentOf(synth.stack.handlers.http.fn);

    expect(env).toMatchObject({
      FRISTFLOW_OIDC_ISSUER: LOGIN_CONTEXT.oidcIssuer,
      FRISTFLOW_OIDC_CLIENT_ID: LOGIN_CONTEXT.oidcClientId,
      FRISTFLOW_OIDC_CLIENT_SECRET_ARN: oidcSecretArn(),
      FRISTFLOW_OIDC_LABEL: "Ishøj Kommune (Microsoft)",
      FRISTFLOW_OIDC_GROUP_CLAIM: "groups",
      FRISTFLOW_SAML_ENTRY_POINT: LOGIN_CONTEXT.samlEntryPoint,
      FRISTFLOW_SAML_IDP_CERT: IDP_CERT,
      FRISTFLOW_SAML_IDP_ISSUER: LOGIN_CONTEXT.samlIdpIssuer,
      FRISTFLOW_SAML_SP_ENTITY_ID: LOGIN_CONTEXT.samlSpEntityId,
      FRISTFLOW_SAML_GROUP_ATTRIBUTE: LOGIN_CONTEXT.samlGroupAttribute,
      FRISTFLOW_SAML_PRIVILEGE_SCOPE: "29189978",
      FRISTFLOW_PUBLIC_BASE_URL: "https://frister.ishoj.dk",
      FRISTFLOW_ACCESS_LOG_DAYS: "365",
    });
    // The Lambda gets the JSON the app parses, whichever way the context gave it.
    expect(JSON.parse(String(env.FRISTFLOW_GROUP_ROLES))).toEqual({
      "fristflow-admins": ["administrator"],
      "fristflow-editors": "editor",
    });
    for (const [key, value] of Object.entries(env)) {
      expect(`${key}=${JSON.stringify(value)}`).not.toMatch(/SECRET(?!_ARN)/);
    }
  });

  it("gives the login settings to no other Lambda", () => {
    for (const name of ["step", "park", "recordFailure"] as const) {
      const env = environmentOf(synth.stack.handlers[name].fn);
      expect(
        Object.keys(env).filter((key) => LOGIN_VARIABLES.includes(key)),
        name,
      ).toEqual([]);
    }
  });

  it("creates the client secret without a value: the provider issues it, an operator puts it", () => {
    const secret = synth.stack.secrets.oidcClientSecret;
    expect(secret).toBeDefined();
    const props = synth.props(synth.logicalId(secret));
    expect(props.SecretString).toBeUndefined();
    expect(props.GenerateSecretString).toBeUndefined();
    expect(String(props.Description)).toContain("OpenID client secret");
    expect(synth.template.toJSON().Outputs.OidcClientSecretArn).toBeDefined();
    expect(synth.resolve(synth.template.toJSON().Outputs.LoginRedirectBase.Value)).toBe(
      "https://frister.ishoj.dk",
    );
  });

  it("lets the http Lambda only GetSecretValue on its own secrets, and nobody else read the client secret", () => {
    const http = synth.grantsOfRole(synth.logicalId(synth.stack.handlers.http.role));
    const own = [synth.stack.secrets.linkKey, synth.stack.secrets.adminToken]
      .map((s) => arn("secretsmanager", `secret:${synth.logicalId(s)}-AbCdEf`))
      .concat(oidcSecretArn())
      .sort();
    const secretActions = [...http].filter(([action]) => action.startsWith("secretsmanager:"));
    expect(Object.fromEntries(secretActions)).toEqual({ "secretsmanager:GetSecretValue": own });

    const onClientSecret = synth
      .allStatements()
      .filter(({ statement }) => asArray(synth.resolve(statement.Resource ?? null)).includes(oidcSecretArn()))
      .map(({ owner, statement }) => ({ owner, actions: asArray(statement.Action) }));
    const httpPolicy = synth.logicalId(synth.stack.handlers.http.role.node.tryFindChild("DefaultPolicy"));
    expect(onClientSecret).toEqual([{ owner: httpPolicy, actions: ["secretsmanager:GetSecretValue"] }]);
  });

  it("expires sessions, tokens and access-log entries on the attribute the store writes", () => {
    synth.template.hasResourceProperties("AWS::DynamoDB::Table", {
      TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it("stays clean under cdk-nag, with the client secret's rotation the one documented exception", () => {
    const report = new AwsSolutionsChecks().validateScope(synth.stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);

    const secret = synth.stack.secrets.oidcClientSecret;
    const acks = (secret?.node.metadata ?? [])
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => [id.replace(/^annotation::/i, ""), reason]);
    expect(acks).toEqual([["AwsSolutions-SMG4", REASONS.oidcClientSecretRotation]]);
  });
});

describe("a stack without login context", () => {
  const synth = synthesizedStack();

  it("creates no client secret and sets no login variable: the admin token alone logs in", () => {
    expect(synth.stack.secrets.oidcClientSecret).toBeUndefined();
    expect(synth.ofType("AWS::SecretsManager::Secret")).toHaveLength(2);
    const env = synth.props(synth.logicalId(synth.stack.handlers.http.fn)).Environment as {
      Variables: Record<string, Json>;
    };
    expect(Object.keys(env.Variables).filter((key) => LOGIN_VARIABLES.includes(key))).toEqual([]);
    expect(synth.template.toJSON().Outputs.OidcClientSecretArn).toBeUndefined();
  });
});
