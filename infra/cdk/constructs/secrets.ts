/**
 * Secrets CloudFormation generates at deploy time, and the one an operator fills in after it:
 * their values never pass through the repo, the synthesized template or the deploying machine.
 */
import type { RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";

export interface SecretsProps {
  removalPolicy: RemovalPolicy;
  /** Create the (empty) secret for the OpenID client secret: only when OIDC login is configured. */
  oidcClientSecret?: boolean;
}

/**
 * Read access to one secret's value: GetSecretValue on its ARN and nothing else (grantRead adds
 * DescribeSecret, which no handler calls).
 */
export function grantSecretValue(secret: secretsmanager.ISecret, grantee: iam.IGrantable): iam.Grant {
  return iam.Grant.addToPrincipal({
    grantee,
    actions: ["secretsmanager:GetSecretValue"],
    resourceArns: [secret.secretArn],
  });
}

export class Secrets extends Construct {
  /** The HMAC key of confirm links: 64 alphanumerics, used as UTF-8 bytes (shared/links/keys.ts). */
  readonly linkKey: secretsmanager.Secret;
  /** The bearer token of the admin API. */
  readonly adminToken: secretsmanager.Secret;
  /**
   * The OpenID client secret the identity provider issued (Entra ID: Certificates & secrets).
   * Created empty: the provider makes the value, an operator puts it here after the first deploy.
   */
  readonly oidcClientSecret: secretsmanager.Secret | undefined;

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    this.linkKey = new secretsmanager.Secret(this, "LinkKey", {
      description: "fristflow: HMAC key that signs confirm links (losing it invalidates every mailed link)",
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: props.removalPolicy,
    });
    this.adminToken = new secretsmanager.Secret(this, "AdminToken", {
      description: "fristflow: bearer token of the admin API",
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: props.removalPolicy,
    });
    this.oidcClientSecret = props.oidcClientSecret
      ? emptySecret(this, "OidcClientSecret", {
          description:
            "fristflow: the OpenID client secret of the dashboard's app registration (put it here after the first deploy)",
          removalPolicy: props.removalPolicy,
        })
      : undefined;
  }
}

/** A secret with no value yet: CloudFormation creates it without a version. */
function emptySecret(
  scope: Construct,
  id: string,
  props: { description: string; removalPolicy: RemovalPolicy },
): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, id, props);
  // Without a value or a generator the CDK asks CloudFormation for a random password; the
  // provider issues this one, so the secret starts with no value at all.
  (secret.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride("GenerateSecretString");
  return secret;
}
