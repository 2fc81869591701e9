/**
 * Every cdk-nag AwsSolutions finding fristflow accepts, with the reason, in one place. cdk-nag 3
 * reads CDK's own acknowledgements (Validations.of(...).acknowledge), which apply to the construct
 * and everything below it: each is attached to the narrowest construct it concerns and, for IAM5,
 * only to the exact finding (`Resource::*`), so a new wildcard anywhere still fails the synth.
 */
import { Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import type { FristflowStack } from "./fristflow-stack.ts";

export const REASONS = {
  xrayResourceStar:
    "X-Ray's PutTraceSegments and PutTelemetryRecords (and GetSamplingRules/Targets) have no " +
    "resource-level permissions: AWS only accepts Resource '*' for them. They are added by " +
    "tracing: ACTIVE and carry no data access.",
  logDeliveryResourceStar:
    "Step Functions logging to CloudWatch uses the CloudWatch Logs vended-delivery APIs " +
    "(Create/Get/Update/Delete/ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, " +
    "DescribeLogGroups), which do not support resource-level permissions; AWS documents Resource '*'.",
  node22:
    "Node.js 22 (LTS, supported by Lambda into 2027) is deliberate: it is the runtime the " +
    "handlers and their pinned dependencies are built (esbuild target node22) and tested for. " +
    "Moving to nodejs24.x is a planned upgrade with its own test run, not a side effect of a " +
    "cdk-nag release.",
  linkKeyRotation:
    "The link key signs every confirm link already sitting in mailboxes: an automatic rotation " +
    "would turn every outstanding link into 'tampered'. It is rotated by an operator when " +
    "compromised, accepting that links are re-sent; the Lambdas pick it up within five minutes.",
  adminTokenRotation:
    "The admin token is a bearer credential held by administrators' scripts; an unattended " +
    "rotation would lock them out with no grace period. Operators rotate it on staff changes " +
    "(put-secret-value), and the http handler picks it up within five minutes (its cache's max age).",
  oidcClientSecretRotation:
    "The OpenID client secret is issued by the identity provider (Entra ID's app registration), " +
    "not by AWS: a Secrets Manager rotation cannot make a new one there. It expires at the provider " +
    "(at most 24 months in Entra ID); an operator adds the new one there and puts it here " +
    "(put-secret-value), and the http handler picks it up within five minutes.",
  publicRoute:
    "The one $default route is the Hono app, which authorizes per path (shared/http/access.ts): " +
    "confirm pages and the login pages are public by design (the HMAC signature in the link is the " +
    "credential, and GET changes nothing); every other dashboard page needs a server-side session " +
    "and /api a bearer token, checked by the app's one guard. An API Gateway authorizer cannot " +
    "express 'public for signed links and login, a session or a token for the rest' on one route.",
  loopLogsErrorsOnly:
    "The instance loop logs at ERROR by default (cdk.json loopLogLevel): every failed execution " +
    "and task is logged with its error and cause, which is what operators act on. ALL logs about " +
    "ten events per reminder, a log bill the size of the loop's own (see bench/cost.ts); an " +
    "operator turns it on with -c loopLogLevel=ALL while investigating.",
  loopTracingOff:
    "X-Ray tracing of the instance loop was turned off for this deployment (-c xraySamplingRate=0); " +
    "the Lambdas still trace on their own sampling.",
  dlqIsTerminus:
    "This queue is itself the dead-letter destination for failed instance loop executions; a " +
    "dead-letter queue of a dead-letter queue would only move the same messages once more.",
} as const;

/** Acknowledge `id` (a cdk-nag rule id, with `[finding]` for one finding) on `scope` and below. */
function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

export function suppressFindings(
  stack: FristflowStack,
  loop: { logLevel: "OFF" | "ERROR" | "ALL"; samplingRate: number },
): void {
  if (loop.logLevel !== "ALL")
    acknowledge(stack.loop.stateMachine, "AwsSolutions-SF1", REASONS.loopLogsErrorsOnly);
  if (loop.samplingRate === 0)
    acknowledge(stack.loop.stateMachine, "AwsSolutions-SF2", REASONS.loopTracingOff);
  for (const handler of Object.values(stack.handlers)) {
    acknowledge(handler.role, "AwsSolutions-IAM5[Resource::*]", REASONS.xrayResourceStar);
    acknowledge(handler.fn, "AwsSolutions-L1", REASONS.node22);
  }
  acknowledge(
    stack.loop.role,
    "AwsSolutions-IAM5[Resource::*]",
    `${REASONS.xrayResourceStar} ${REASONS.logDeliveryResourceStar}`,
  );
  acknowledge(stack.secrets.linkKey, "AwsSolutions-SMG4", REASONS.linkKeyRotation);
  acknowledge(stack.secrets.adminToken, "AwsSolutions-SMG4", REASONS.adminTokenRotation);
  if (stack.secrets.oidcClientSecret !== undefined)
    acknowledge(stack.secrets.oidcClientSecret, "AwsSolutions-SMG4", REASONS.oidcClientSecretRotation);
  acknowledge(stack.httpApi.api, "AwsSolutions-APIG4", REASONS.publicRoute);
  acknowledge(stack.deadLetters.queue, "AwsSolutions-SQS3", REASONS.dlqIsTerminus);
}
