/**
 * Cost model, price lists: the unit prices of the two regions, the floor's items, the loop's
 * deployed logging and tracing settings, what the model assumes beyond the measurements, and the
 * sizes of municipality it prices.
 */
import { readFileSync } from "node:fs";
import { readDeployConfig } from "../infra/cdk/config.ts";

export type PriceKey =
  | "sfnTransition"
  | "lambdaRequest"
  | "lambdaGbSecond"
  | "dynamoWru"
  | "dynamoRru"
  | "dynamoStorageGbMonth"
  | "pitrGbMonth"
  | "sesMail"
  | "apiRequest"
  | "logsGbIngested"
  | "xrayTrace"
  | "secretMonth"
  | "alarmMonth";

export const PRICE_LABELS: Record<PriceKey, string> = {
  sfnTransition: "Step Functions Standard, per state transition",
  lambdaRequest: "Lambda, per request",
  lambdaGbSecond: "Lambda arm64, per GB-second",
  dynamoWru: "DynamoDB on-demand, per write request unit",
  dynamoRru: "DynamoDB on-demand, per read request unit",
  dynamoStorageGbMonth: "DynamoDB Standard storage, per GB-month",
  pitrGbMonth: "DynamoDB point-in-time recovery, per GB-month",
  sesMail: "SES outbound, per mail",
  apiRequest: "API Gateway HTTP API, per request",
  logsGbIngested: "CloudWatch Logs (and vended logs), per GB ingested",
  xrayTrace: "X-Ray, per trace recorded",
  secretMonth: "Secrets Manager, per secret-month",
  alarmMonth: "CloudWatch standard alarm, per alarm-month",
};

export interface PriceList {
  region: string;
  /** The date the prices are as of (the author's knowledge; check https://aws.amazon.com/pricing). */
  asOf: string;
  note: string;
  currency: "USD";
  usd: Record<PriceKey, number>;
}

/**
 * On-demand list prices, USD, first tier of each. eu-west-1 (Europe, Ireland) and us-east-1 (US
 * East, N. Virginia), as known to the author on the date given, DynamoDB after the November 2024
 * on-demand reduction. Check https://aws.amazon.com/pricing before quoting them; the model takes
 * any list.
 */
export const PRICE_LISTS: readonly PriceList[] = [
  {
    region: "eu-west-1",
    asOf: "2025-06-01",
    note: "Europe (Ireland)",
    currency: "USD",
    usd: {
      sfnTransition: 0.025 / 1_000,
      lambdaRequest: 0.2 / 1_000_000,
      lambdaGbSecond: 0.0000133334,
      dynamoWru: 0.7068 / 1_000_000,
      dynamoRru: 0.1415 / 1_000_000,
      dynamoStorageGbMonth: 0.283,
      pitrGbMonth: 0.2264,
      sesMail: 0.1 / 1_000,
      apiRequest: 1.11 / 1_000_000,
      logsGbIngested: 0.57,
      xrayTrace: 5 / 1_000_000,
      secretMonth: 0.4,
      alarmMonth: 0.1,
    },
  },
  {
    region: "us-east-1",
    asOf: "2025-06-01",
    note: "US East (N. Virginia)",
    currency: "USD",
    usd: {
      sfnTransition: 0.025 / 1_000,
      lambdaRequest: 0.2 / 1_000_000,
      lambdaGbSecond: 0.0000133334,
      dynamoWru: 0.625 / 1_000_000,
      dynamoRru: 0.125 / 1_000_000,
      dynamoStorageGbMonth: 0.25,
      pitrGbMonth: 0.2,
      sesMail: 0.1 / 1_000,
      apiRequest: 1.0 / 1_000_000,
      logsGbIngested: 0.5,
      xrayTrace: 5 / 1_000_000,
      secretMonth: 0.4,
      alarmMonth: 0.1,
    },
  },
];

/** What any design pays for the same mails and data: the floor. */
export const FLOOR_KEYS: ReadonlySet<PriceKey> = new Set([
  "sesMail",
  "dynamoStorageGbMonth",
  "pitrGbMonth",
  "secretMonth",
  "alarmMonth",
]);

/** The loop's logging and tracing as deployed by default: cdk.json's context, validated as the CDK app does. */
export function deployedLoopSettings(): {
  loopLogLevel: "OFF" | "ERROR" | "ALL";
  loopLogExecutionData: boolean;
  xraySamplingRate: number;
} {
  const cdkJson = JSON.parse(readFileSync(new URL("../cdk.json", import.meta.url), "utf8")) as {
    context: Record<string, unknown>;
  };
  const config = readDeployConfig((key) => cdkJson.context[key]);
  return {
    loopLogLevel: config.loopLogLevel,
    loopLogExecutionData: config.loopLogExecutionData,
    xraySamplingRate: config.xraySamplingRate,
  };
}

/** What the model assumes beyond what was measured; printed with the table. */
export const ASSUMPTIONS = {
  /** Memory sizes as deployed by infra/cdk/fristflow-stack.ts: step and http 512 MB, park and recordFailure 256 MB. */
  memoryGb: { step: 0.5, park: 0.25, recordFailure: 0.25, http: 0.5, poller: 0.5 },
  /**
   * Billed Lambda durations, stated: a warm arm64 function next to DynamoDB in the same region
   * (single-digit ms per request) and SES (~50 ms a call). A step reads the instance and its
   * milestones, decides, and per mail claims it, composes it, sends it and marks it sent. The
   * in-process durations the simulation measures are printed beside them but not used: there
   * every due execution runs at once against one DynamoDB Local on a shared 2-core machine, so
   * they are mostly queueing (they grow with N).
   */
  durationMs: { step: 50, stepPerMail: 70, park: 25, recordFailure: 25, http: 40 },
  /** Step Functions logs: bytes per logged event besides the state it carries (ids, type, timestamps, ARNs). */
  sfnEventEnvelopeBytes: 350,
  /**
   * Level ALL with execution data, beyond the states the simulation measured (StateEntered and
   * StateExited): a waitForTaskToken task's parameters carry the task token, and every
   * lambda:invoke result the integration's metadata (StatusCode, ExecutedVersion, SDK HTTP
   * headers) around the payload.
   */
  sfnTaskTokenBytes: 700,
  sfnInvokeResultMetadataBytes: 1_200,
  /** Level ERROR without execution data: a TaskTimedOut or TaskFailed event with its error and cause. */
  sfnErrorEventBytes: 450,
  /** Lambda logs per invocation: START/END/REPORT platform lines plus about one Powertools INFO line. */
  lambdaLogBytes: 1_000,
  /** API Gateway access log line (JSON, no query string). */
  apiLogBytes: 400,
  /**
   * X-Ray. The state machine samples its executions at xraySamplingRate (a sampled execution is
   * one trace, its Lambda invocations segments of it; the others pass Sampled=0 down). The HTTP
   * API has no X-Ray of its own, so the http Lambda samples by Lambda's default rule: the first
   * request each second and 5 % of the rest. Confirmations and starts come in office hours
   * (officeSecondsPerMonth), far below 1 a second, so almost every one is traced. With
   * xraySamplingRate 0 the state machine passes no decision and the loop Lambdas sample by the
   * same default rule as well.
   */
  xray: { reservoirPerSecond: 1, fixedRate: 0.05, officeSecondsPerMonth: 22 * 8 * 3600 },
  /** The link HMAC key and the admin token. */
  secrets: 2,
  /** ExecutionsFailed/TimedOut/Throttled, Errors + Throttles of the 4 functions, dead letters, API 5xx. */
  alarms: 13,
  /** Kept per case for a year: instance, milestone, notification records, audit trail (links are stateless). */
  storedBytesPerCase: 10_000,
  /** Naive design. */
  naive: {
    pollsPerYear: 12 * 24 * 365,
    /** A milestone item as the poller's GSI projects it. */
    openItemBytes: 400,
    pollBaseMs: 150,
    pollMsPerItem: 0.01,
    /** Compose and send one mail inside the poller. */
    mailMs: 60,
    /** Per mail: mark sent (conditional) with its audit entry, as fristflow's one write per fact. */
    wruPerMail: 3,
    logBytesPerPoll: 600,
    logBytesPerMail: 450,
  },
  /** Open Ishøj-size milestones at any time (19 units x a handful of milestones). */
  ishojOpenItems: 100,
};

export interface Municipality {
  name: string;
  casesPerYear: number;
  ishojTimelines: number;
}

export const MUNICIPALITIES: Municipality[] = [
  { name: "small", casesPerYear: 2_000, ishojTimelines: 0 },
  { name: "medium", casesPerYear: 20_000, ishojTimelines: 1 },
  { name: "large", casesPerYear: 200_000, ishojTimelines: 0 },
];
