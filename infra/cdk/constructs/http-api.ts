/**
 * The HTTP API in front of the http Lambda (the Hono app): every method and path goes to it, so
 * routing lives in one place, the app, and is the same as in the local HTTP server.
 */
import type { RemovalPolicy } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

export interface HttpApiProps {
  handler: lambda.IFunction;
  throttle: { rateLimit: number; burstLimit: number };
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

export class HttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);

    this.api = new apigw.HttpApi(this, "Resource", {
      description: "fristflow: confirm pages, admin API and dashboard",
      // A $default route: the Hono app routes, as it does locally.
      defaultIntegration: new HttpLambdaIntegration("Http", props.handler),
      // The stage is created below, where throttling and access logs can be set.
      createDefaultStage: false,
    });

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
  }

  /** The base URL of the $default stage, without a trailing slash. */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
