/**
 * Sending mail with SES v2: the sender domain as an email identity (DKIM-signed) and a
 * configuration set every reminder is sent through.
 */
import { Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as ses from "aws-cdk-lib/aws-ses";
import { Construct } from "constructs";

export interface MailProps {
  senderDomain: string;
}

export class Mail extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  private readonly configurationSetArn: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);

    this.configurationSet = new ses.ConfigurationSet(this, "ConfigurationSet", {
      // Reminders go to municipal mailboxes; refuse to hand them over without TLS.
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // No engagement (open/click) tracking: it rewrites links, and the confirm link must reach
      // the recipient exactly as signed.
    });

    this.identity = new ses.EmailIdentity(this, "Identity", {
      identity: ses.Identity.domain(props.senderDomain),
      configurationSet: this.configurationSet,
    });

    this.configurationSetArn = Stack.of(this).formatArn({
      service: "ses",
      resource: "configuration-set",
      resourceName: this.configurationSet.configurationSetName,
    });
  }

  /**
   * SES authorizes a send against the sender identity and the configuration set named in it, so
   * both ARNs, and nothing else, are granted. SendRawEmail is SES v1's name for the same send and
   * is kept so a v1 client (or nodemailer's SES transport) works with the same role.
   */
  grantSend(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ["ses:SendEmail", "ses:SendRawEmail"],
      resourceArns: [this.identity.emailIdentityArn, this.configurationSetArn],
    });
  }
}
