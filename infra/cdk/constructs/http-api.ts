/**
 * The HTTP API in front of the http Lambda (the Hono app): every method and path goes to it, so
 * routing lives in one place, the app, and is the same as in the local HTTP server.
 */
import type { RemovalPolicy } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

export interface HttpApiProps {
  handler: lambda.IFunction;
  throttle: { rateLimit: number; burstLimit: number };
  /** Limits of the confirm routes, apart from the rest (admin API, dashboard). */
  confirmThrottle: { rateLimit: number; burstLimit: number };
  /** When set, the API answers only under this domain: the execute-api endpoint is disabled. */
  customDomain?: { name: string; certificateArn: string };
  logRetentionDays: number;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * Access log fields. The query string is left out on purpose: it carries a confirm link's
 * signature, which would let anyone reading the logs confirm on the recipient's behalf.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: "$context.requestId",
    requestTime: "$context.requestTime",
    ip: "$context.identity.sourceIp",
    method: "$context.httpMethod",
    path: "$context.path",
    routeKey: "$context.routeKey",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    latencyMs: "$context.responseLatency",
    integrationLatencyMs: "$context.integrationLatency",
    integrationError: "$context.integrationErrorMessage",
    userAgent: "$context.identity.userAgent",
  }),
);

/** The confirm page's path as API Gateway writes it (the app's /confirm/:id). */
export const CONFIRM_PATH = "/confirm/{id}";

export class HttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);

    const integration = new HttpLambdaIntegration("Http", props.handler);
    this.api = new apigw.HttpApi(this, "Resource", {
      description: "fristflow: confirm pages, admin API and dashboard",
      // A $default route: the Hono app routes, as it does locally.
      defaultIntegration: integration,
      // The stage is created below, where throttling and access logs can be set.
      createDefaultStage: false,
      disableExecuteApiEndpoint: props.customDomain !== undefined,
    });
    // The confirm routes go to the same app, but as routes of their own, so they get their own
    // throttling bucket (see the stage's route settings below).
    for (const method of [apigw.HttpMethod.GET, apigw.HttpMethod.POST]) {
      this.api.addRoutes({ path: CONFIRM_PATH, methods: [method], integration });
    }

    this.accessLogs = new logs.LogGroup(this, "AccessLogs", {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.logRemovalPolicy,
    });

    this.stage = new apigw.HttpStage(this, "DefaultStage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });
    const cfnStage = this.stage.node.defaultChild as apigw.CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      ["GET", "POST"].map((method) => [
        `${method} ${CONFIRM_PATH}`,
        {
          ThrottlingRateLimit: props.confirmThrottle.rateLimit,
          ThrottlingBurstLimit: props.confirmThrottle.burstLimit,
        },
      ]),
    );

    if (props.customDomain) {
      const domain = new apigw.DomainName(this, "Domain", {
        domainName: props.customDomain.name,
        certificate: acm.Certificate.fromCertificateArn(
          this,
          "Certificate",
          props.customDomain.certificateArn,
        ),
      });
      new apigw.ApiMapping(this, "Mapping", { api: this.api, domainName: domain, stage: this.stage });
      this.domain = domain;
    }
  }

  /** The custom domain, when one is configured: point its DNS at `regionalDomainName`. */
  domain: apigw.DomainName | undefined;

  /** The base URL, without a trailing slash: the custom domain's when there is one. */
  get url(): string {
    return this.domain === undefined ? this.api.apiEndpoint : `https://${this.domain.name}`;
  }
}
