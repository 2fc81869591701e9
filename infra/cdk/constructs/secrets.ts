/**
 * Secrets CloudFormation generates at deploy time: their values never pass through the repo,
 * the synthesized template or the deploying machine.
 */
import type { RemovalPolicy } from "aws-cdk-lib";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";

export interface SecretsProps {
  removalPolicy: RemovalPolicy;
}

export class Secrets extends Construct {
  /** The HMAC key of confirm links: 64 alphanumerics, used as UTF-8 bytes (shared/links/keys.ts). */
  readonly linkKey: secretsmanager.Secret;
  /** The bearer token of the admin API. */
  readonly adminToken: secretsmanager.Secret;

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
  }
}
