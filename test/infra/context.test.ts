/**
 * The context a municipality deploys with: validated before anything is built, and each value
 * reaching the resource it configures.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDeployConfig } from "../../infra/cdk/config.ts";
import { cdkJsonContext, type Synthesized, synthesize } from "./support.ts";

const ISSUER = "https://login.microsoftonline.com/0a1b2c3d-4e5f-6789-abcd-ef0123456789/v2.0";
const CERT = `-----BEGIN CERTIFICATE-----\n${"MIIC".padEnd(64, "A")}\n-----END CERTIFICATE-----`;

const withContext = (overrides: Record<string, unknown>) => {
  const context = { ...cdkJsonContext(), ...overrides };
  return () => readDeployConfig((key) => context[key]);
};

describe("readDeployConfig", () => {
  it("accepts cdk.json's defaults, deriving mailFrom from the sender domain", () => {
    const config = withContext({})();

    expect(config).toMatchObject({
      stackName: "Fristflow",
      senderDomain: "fristflow.example",
      mailFrom: "fristflow@fristflow.example",
      publicBaseUrl: undefined,
      alarmEmail: undefined,
      deletionProtection: true,
      logRetentionDays: 90,
      notifyReservedConcurrency: undefined,
      loopLogLevel: "ERROR",
      loopLogExecutionData: false,
      xraySamplingRate: 0.05,
      replyTo: undefined,
    });
  });

  it("reads `-c` values, which always arrive as strings", () => {
    const config = withContext({
      deletionProtection: "false",
      notifyReservedConcurrency: "5",
      logRetentionDays: "365",
      alarmEmail: "",
    })();

    expect(config.deletionProtection).toBe(false);
    expect(config.notifyReservedConcurrency).toBe(5);
    expect(config.logRetentionDays).toBe(365);
    expect(config.alarmEmail).toBeUndefined();
  });

  it.each([
    [{ mailFrom: "frister@gmail.com" }, "mailFrom must be an address at senderDomain"],
    [{ publicBaseUrl: "http://frister.ishoj.dk" }, "-c publicBaseUrl"],
    [{ publicBaseUrl: "https://frister.ishoj.dk/" }, "without a trailing slash"],
    [{ senderDomain: "Ishøj Kommune" }, "-c senderDomain"],
    [{ logRetentionDays: "100" }, "one of CloudWatch's retention periods"],
    [{ deletionProtection: "yes" }, "-c deletionProtection"],
    [{ alarmEmail: "drift" }, "-c alarmEmail"],
    [{ replyTo: "borgerservice" }, "-c replyTo"],
    [{ loopLogLevel: "DEBUG" }, "-c loopLogLevel"],
    [{ xraySamplingRate: "5" }, "-c xraySamplingRate"],
    [{ customDomainName: "frister.ishoj.dk" }, "customDomainName and certificateArn go together"],
    [{ customDomainName: "frister.ishoj.dk", certificateArn: "cert" }, "an ACM certificate ARN"],
    [{ oidcIssuer: "https://login.microsoftonline.com/t/v2.0" }, "oidcIssuer and oidcClientId go together"],
    [{ oidcIssuer: "http://idp.ishoj.dk", oidcClientId: "fristflow" }, "-c oidcIssuer"],
    [{ oidcGroupClaim: "groups" }, "oidcLabel and oidcGroupClaim need oidcIssuer"],
    [{ samlEntryPoint: "https://adfs.ishoj.dk/adfs/ls/" }, "samlEntryPoint and samlIdpCert go together"],
    [{ samlSpEntityId: "https://frister.ishoj.dk/saml" }, "need samlEntryPoint and samlIdpCert"],
    [{ groupRoles: '{"g":["editor"]}' }, "groupRoles needs a group source"],
    [{ samlPrivilegeScope: "29189978" }, "need samlEntryPoint and samlIdpCert"],
    [{ samlPrivilegeScope: "2918997" }, "-c samlPrivilegeScope"],
    [
      { oidcIssuer: ISSUER, oidcClientId: "c", oidcGroupClaim: "groups", groupRoles: "{nope" },
      "-c groupRoles",
    ],
    [
      { oidcIssuer: ISSUER, oidcClientId: "c", oidcGroupClaim: "groups", groupRoles: '{"g":["boss"]}' },
      "-c groupRoles.g",
    ],
    // What the http Lambda would refuse at its first request is refused at deploy.
    [
      {
        oidcIssuer: ISSUER,
        oidcClientId: "c",
        oidcGroupClaim: "groups",
        groupRoles: JSON.stringify({ ["g".repeat(300)]: "editor" }),
      },
      "-c groupRoles",
    ],
  ])("rejects %o, naming the key", (overrides, message) => {
    expect(withContext(overrides)).toThrow(message);
  });

  it("reads the login settings, the label defaulting to the organisation", () => {
    const config = withContext({
      organisation: "Ishøj Kommune",
      oidcIssuer: ISSUER,
      oidcClientId: "7f0e1d2c",
      oidcGroupClaim: "groups",
      samlEntryPoint: "https://adfs.ishoj.dk/adfs/ls/",
      samlIdpCert: CERT,
      groupRoles: { "fristflow-editors": ["editor"] },
    })();

    expect(config.oidc).toEqual({
      issuer: ISSUER,
      clientId: "7f0e1d2c",
      label: "Ishøj Kommune",
      groupClaim: "groups",
    });
    expect(config.saml).toEqual({
      entryPoint: "https://adfs.ishoj.dk/adfs/ls/",
      idpCert: CERT,
      idpIssuer: undefined,
      spEntityId: undefined,
      groupAttribute: undefined,
    });
    expect(config.groupRoles).toEqual({ "fristflow-editors": ["editor"] });
    expect(withContext({})()).toMatchObject({ oidc: undefined, saml: undefined, groupRoles: undefined });
  });

  it("refuses a private key given as the IdP certificate without printing it", () => {
    const key = `-----BEGIN PRIVATE KEY-----\n${"MIIE".padEnd(64, "Q")}\n-----END PRIVATE KEY-----`;
    const read = withContext({ samlEntryPoint: "https://adfs.ishoj.dk/adfs/ls/", samlIdpCert: key });

    expect(read).toThrow(
      "-c samlIdpCert: the IdP's signing certificate, never a private key (value not shown)",
    );
    expect(read).not.toThrow("MIIE");
  });
});

describe("a municipality's deployment", () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({
      senderDomain: "ishoj.dk",
      mailFrom: "frister@ishoj.dk",
      organisation: "Ishøj Kommune",
      publicBaseUrl: "https://frister.ishoj.dk",
      alarmEmail: "drift@ishoj.dk",
      replyTo: "borgerservice@ishoj.dk",
      deletionProtection: "false",
      notifyReservedConcurrency: "5",
      logRetentionDays: "365",
      loopLogLevel: "ALL",
      loopLogExecutionData: "true",
      xraySamplingRate: "0",
      customDomainName: "frister.ishoj.dk",
      certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
    });
  });
  afterAll(() => synth.cleanup());

  it("sends from its own domain and links to its own URL", () => {
    synth.template.hasResourceProperties("AWS::SES::EmailIdentity", { EmailIdentity: "ishoj.dk" });
    synth.template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: {
          FRISTFLOW_MAIL_FROM: "frister@ishoj.dk",
          FRISTFLOW_ORGANISATION: "Ishøj Kommune",
          FRISTFLOW_PUBLIC_BASE_URL: "https://frister.ishoj.dk",
          FRISTFLOW_REPLY_TO: "borgerservice@ishoj.dk",
        },
      },
    });
  });

  it("mails alarms to the given address", () => {
    synth.template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "drift@ishoj.dk",
    });
  });

  it("caps the step function's concurrency", () => {
    synth.template.hasResourceProperties("AWS::Lambda::Function", {
      Description: "fristflow instance loop: decide what is due and send it",
      ReservedConcurrentExecutions: 5,
    });
  });

  it("can be torn down completely when deletion protection is off", () => {
    synth.template.hasResource("AWS::DynamoDB::Table", {
      Properties: { DeletionProtectionEnabled: false },
      DeletionPolicy: "Delete",
    });
    for (const type of ["AWS::SecretsManager::Secret", "AWS::Logs::LogGroup", "AWS::SQS::Queue"]) {
      const all = Object.values(synth.template.findResources(type));
      expect(all.length, type).toBeGreaterThan(0);
      for (const resource of all) expect(resource.DeletionPolicy, type).toBe("Delete");
    }
  });

  it("logs the loop in full and traces nothing when asked to", () => {
    synth.template.hasResourceProperties("AWS::StepFunctions::StateMachine", {
      LoggingConfiguration: { Level: "ALL", IncludeExecutionData: true },
      TracingConfiguration: { Enabled: false },
    });
    expect(Object.keys(synth.template.findResources("AWS::XRay::SamplingRule"))).toEqual([]);
  });

  it("answers only under its custom domain: the execute-api endpoint is off", () => {
    synth.template.hasResourceProperties("AWS::ApiGatewayV2::Api", { DisableExecuteApiEndpoint: true });
    synth.template.hasResourceProperties("AWS::ApiGatewayV2::DomainName", {
      DomainName: "frister.ishoj.dk",
      DomainNameConfigurations: [
        {
          CertificateArn:
            "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
          EndpointType: "REGIONAL",
        },
      ],
    });
    expect(Object.keys(synth.template.findResources("AWS::ApiGatewayV2::ApiMapping"))).toHaveLength(1);
  });

  it("keeps logs as long as asked", () => {
    const groups = Object.values(synth.template.findResources("AWS::Logs::LogGroup"));
    expect(groups.map((g) => g.Properties.RetentionInDays)).toEqual(groups.map(() => 365));
  });
});
