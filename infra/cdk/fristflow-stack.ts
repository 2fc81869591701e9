/**
 * Everything fristflow needs in one AWS account and region: the table, the four handlers, the
 * instance loop, the HTTP API, SES, secrets, alarms and the dead-letter queue.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { STEP_TIMEOUT_SECONDS } from "../../shared/loop/asl.ts";
import { type DeployConfig, PLACEHOLDER_SENDER_DOMAIN } from "./config.ts";
import { Alarms } from "./constructs/alarms.ts";
import { DeadLetters } from "./constructs/dead-letters.ts";
import { HandlerFunction } from "./constructs/handler-function.ts";
import { HttpApi } from "./constructs/http-api.ts";
import { InstanceLoop } from "./constructs/instance-loop.ts";
import { Mail } from "./constructs/mail.ts";
import { grantSecretValue, Secrets } from "./constructs/secrets.ts";
import { FristflowTable, NARROW_GRANTS } from "./constructs/table.ts";
import { suppressFindings } from "./nag-suppressions.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The handlers and their entry files under functions/. */
export const HANDLERS = {
  step: "step.ts",
  park: "park.ts",
  recordFailure: "record-failure.ts",
  http: "http.ts",
} as const;
export type HandlerName = keyof typeof HANDLERS;

export interface FristflowStackProps extends StackProps {
  config: DeployConfig;
  /** Where the handler entry files are; functions/ of this repo unless a test substitutes stubs. */
  functionsDir?: string;
}

export class FristflowStack extends Stack {
  readonly table: FristflowTable;
  readonly handlers: Record<HandlerName, HandlerFunction>;
  readonly loop: InstanceLoop;
  readonly httpApi: HttpApi;
  readonly mail: Mail;
  readonly secrets: Secrets;
  readonly deadLetters: DeadLetters;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: FristflowStackProps) {
    super(scope, id, props);
    const { config } = props;
    const functionsDir = props.functionsDir ?? join(REPO_ROOT, "functions");
    // Data-bearing resources follow deletionProtection: kept when the stack goes, unless a test
    // or throw-away deployment asked for a clean teardown.
    const keep = config.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    if (config.senderDomain === PLACEHOLDER_SENDER_DOMAIN) {
      Annotations.of(this).addWarningV2(
        "fristflow:placeholderSenderDomain",
        `senderDomain is the placeholder ${PLACEHOLDER_SENDER_DOMAIN}: deploy with -c senderDomain=<your domain>`,
      );
    }

    this.table = new FristflowTable(this, "Table", { deletionProtection: config.deletionProtection });
    this.secrets = new Secrets(this, "Secrets", {
      removalPolicy: keep,
      oidcClientSecret: config.oidc !== undefined,
    });
    this.mail = new Mail(this, "Mail", { senderDomain: config.senderDomain });

    // The loop's name is fixed so its ARN is known before it exists (see instanceLoopArn).
    const stateMachineName = `${this.stackName}-instance-loop`;

    const make = (name: HandlerName, description: string, options: Partial<HandlerSizing> = {}) =>
      new HandlerFunction(this, capitalise(name), {
        entry: join(functionsDir, HANDLERS[name]),
        description,
        projectRoot: REPO_ROOT,
        timeout: options.timeout ?? Duration.seconds(30),
        memorySize: options.memorySize ?? 512,
        reservedConcurrentExecutions: options.reservedConcurrentExecutions,
        logRetentionDays: config.logRetentionDays,
        logRemovalPolicy: keep,
      });

    const http = make("http", "fristflow HTTP app: confirm pages, admin API, dashboard", {
      // API Gateway gives up on an integration after 30 s; fail before it does.
      timeout: Duration.seconds(25),
    });
    this.httpApi = new HttpApi(this, "Api", {
      handler: http.fn,
      throttle: { rateLimit: config.apiThrottleRateLimit, burstLimit: config.apiThrottleBurstLimit },
      confirmThrottle: {
        rateLimit: config.confirmThrottleRateLimit,
        burstLimit: config.confirmThrottleBurstLimit,
      },
      ...(config.customDomainName !== undefined && config.certificateArn !== undefined
        ? { customDomain: { name: config.customDomainName, certificateArn: config.certificateArn } }
        : {}),
      logRetentionDays: config.logRetentionDays,
      logRemovalPolicy: keep,
    });

    this.handlers = {
      step: make("step", "fristflow instance loop: decide what is due and send it", {
        // The claim lease of a mail is derived from this: see NOTIFY_CLAIM_LEASE_SECONDS.
        timeout: Duration.seconds(STEP_TIMEOUT_SECONDS),
        reservedConcurrentExecutions: config.notifyReservedConcurrency,
      }),
      park: make("park", "fristflow instance loop: park the instance until its next wake-up", {
        timeout: Duration.seconds(10),
        memorySize: 256,
      }),
      recordFailure: make("recordFailure", "fristflow instance loop: record a failed step", {
        timeout: Duration.seconds(10),
        memorySize: 256,
      }),
      http,
    };

    // One set of settings for every handler, so one config schema validates them all at start-up.
    const publicBaseUrl = config.publicBaseUrl ?? this.httpApi.url;
    const environment: Record<string, string> = {
      FRISTFLOW_TABLE: this.table.tableName,
      FRISTFLOW_PUBLIC_BASE_URL: publicBaseUrl,
      FRISTFLOW_MAIL_FROM: config.mailFrom,
      FRISTFLOW_ORGANISATION: config.organisation,
      FRISTFLOW_LINK_KEY_SECRET_ARN: this.secrets.linkKey.secretArn,
      FRISTFLOW_SES_CONFIGURATION_SET: this.mail.configurationSet.configurationSetName,
      POWERTOOLS_SERVICE_NAME: "fristflow",
      POWERTOOLS_LOG_LEVEL: config.logLevel,
      ...(config.replyTo === undefined ? {} : { FRISTFLOW_REPLY_TO: config.replyTo }),
    };
    for (const handler of Object.values(this.handlers)) {
      for (const [key, value] of Object.entries(environment)) handler.fn.addEnvironment(key, value);
    }
    this.table.grantData(this.handlers.step.fn);
    this.table.grantData(http.fn);
    this.table.grantPartitions(this.handlers.park.fn, NARROW_GRANTS.park);
    this.table.grantPartitions(this.handlers.recordFailure.fn, NARROW_GRANTS.recordFailure);

    this.loop = new InstanceLoop(this, "InstanceLoop", {
      stateMachineName,
      functions: {
        step: this.handlers.step.fn,
        park: this.handlers.park.fn,
        recordFailure: this.handlers.recordFailure.fn,
      },
      logRetentionDays: config.logRetentionDays,
      logRemovalPolicy: keep,
      logLevel: config.loopLogLevel,
      logExecutionData: config.loopLogExecutionData,
      samplingRate: config.xraySamplingRate,
    });

    // Only the HTTP app starts executions (the loop continues itself) and checks the admin token.
    http.fn.addEnvironment("FRISTFLOW_STATE_MACHINE_ARN", this.loop.stateMachine.stateMachineArn);
    http.fn.addEnvironment("FRISTFLOW_ADMIN_TOKEN_SECRET_ARN", this.secrets.adminToken.secretArn);

    // Only what each handler does. step signs links and sends mail; http verifies links, checks
    // the admin token, starts instances and wakes them on a confirmation or admin edit (or ends
    // the loop, when a confirmation finished the instance); park wakes its own instance at once
    // when a signal raced the decision it was given, and completes or fails its own task to leave.
    grantSecretValue(this.secrets.linkKey, this.handlers.step.fn);
    this.mail.grantSend(this.handlers.step.fn);
    this.loop.grantFinish(this.handlers.park.fn);
    this.loop.grantWake(this.handlers.park.fn);
    grantSecretValue(this.secrets.linkKey, http.fn);
    grantSecretValue(this.secrets.adminToken, http.fn);
    this.loop.grantStart(http.fn);
    this.loop.grantFinish(http.fn);
    // A signal wakes the parked loop by failing its task (Fristflow.Wake).
    this.loop.grantWake(http.fn);
    // http sends the notice to an applicant a caseworker approves (shared/app/citizen-notice.ts).
    this.mail.grantSend(http.fn);

    // Staff login: only the http handler logs people in, and only it reads the client secret.
    for (const [key, value] of Object.entries(loginEnvironment(config))) http.fn.addEnvironment(key, value);
    if (this.secrets.oidcClientSecret !== undefined) {
      http.fn.addEnvironment("FRISTFLOW_OIDC_CLIENT_SECRET_ARN", this.secrets.oidcClientSecret.secretArn);
      grantSecretValue(this.secrets.oidcClientSecret, http.fn);
    }

    this.deadLetters = new DeadLetters(this, "DeadLetters", {
      stateMachineArn: this.loop.stateMachine.stateMachineArn,
      removalPolicy: keep,
    });

    this.alarms = new Alarms(this, "Alarms", {
      alarmEmail: config.alarmEmail,
      stateMachine: this.loop.stateMachine,
      functions: Object.fromEntries(
        Object.entries(this.handlers).map(([name, handler]) => [capitalise(name), handler.fn]),
      ),
      deadLetterQueue: this.deadLetters.queue,
      apiServerErrors: this.httpApi.api.metricServerError({ period: Duration.minutes(5), statistic: "Sum" }),
    });

    suppressFindings(this, { logLevel: config.loopLogLevel, samplingRate: config.xraySamplingRate });

    new CfnOutput(this, "ApiUrl", { value: this.httpApi.url, description: "Base URL of the HTTP app" });
    new CfnOutput(this, "PublicBaseUrl", {
      value: publicBaseUrl,
      description: "Base URL used in confirm links",
    });
    if (this.httpApi.domain) {
      new CfnOutput(this, "CustomDomainTarget", {
        value: this.httpApi.domain.regionalDomainName,
        description: "Point the custom domain's DNS (CNAME or alias) at this",
      });
    }
    new CfnOutput(this, "StateMachineArn", { value: this.loop.stateMachine.stateMachineArn });
    new CfnOutput(this, "TableName", { value: this.table.tableName });
    new CfnOutput(this, "AdminTokenSecretArn", {
      value: this.secrets.adminToken.secretArn,
      description: "aws secretsmanager get-secret-value --secret-id <this> to read the admin token",
    });
    if (this.secrets.oidcClientSecret !== undefined) {
      new CfnOutput(this, "OidcClientSecretArn", {
        value: this.secrets.oidcClientSecret.secretArn,
        description: "Put the app registration's client secret here: aws secretsmanager put-secret-value",
      });
    }
    if (config.oidc !== undefined || config.saml !== undefined) {
      new CfnOutput(this, "LoginRedirectBase", {
        value: publicBaseUrl,
        description:
          "Register <this>/login/callback (OpenID redirect URI) or the SAML reply URL under it at the identity provider",
      });
    }
    new CfnOutput(this, "DeadLetterQueueUrl", { value: this.deadLetters.queue.queueUrl });
    new CfnOutput(this, "AlarmTopicArn", { value: this.alarms.topic.topicArn });
    this.mail.identity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: "Publish in the sender domain's DNS so SES can verify it and sign with DKIM",
      });
    });
  }
}

/**
 * The http handler's login and access-log settings, as the variables the app reads (only those given: an unset
 * variable means "not configured", so SAML stays off unless its context is there).
 */
export function loginEnvironment(config: DeployConfig): Record<string, string> {
  const env: Record<string, string | undefined> = {
    FRISTFLOW_OIDC_ISSUER: config.oidc?.issuer,
    FRISTFLOW_OIDC_CLIENT_ID: config.oidc?.clientId,
    FRISTFLOW_OIDC_LABEL: config.oidc?.label,
    FRISTFLOW_OIDC_GROUP_CLAIM: config.oidc?.groupClaim,
    FRISTFLOW_SAML_ENTRY_POINT: config.saml?.entryPoint,
    FRISTFLOW_SAML_IDP_CERT: config.saml?.idpCert,
    FRISTFLOW_SAML_IDP_ISSUER: config.saml?.idpIssuer,
    FRISTFLOW_SAML_SP_ENTITY_ID: config.saml?.spEntityId,
    FRISTFLOW_SAML_GROUP_ATTRIBUTE: config.saml?.groupAttribute,
    FRISTFLOW_SAML_PRIVILEGE_SCOPE: config.saml?.privilegeScope,
    FRISTFLOW_GROUP_ROLES: config.groupRoles === undefined ? undefined : JSON.stringify(config.groupRoles),
    FRISTFLOW_ACCESS_LOG_DAYS: config.accessLogDays?.toString(),
  };
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

interface HandlerSizing {
  timeout: Duration;
  memorySize: number;
  reservedConcurrentExecutions: number | undefined;
}

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
