/**
 * The instance loop: ONE Standard state machine that carries every timeline and case.
 * Built here from the Lambda ARNs and used unchanged by the CDK app and the local engine.
 *
 *   Decide -> Route: done -> Done | notify -> Notify -> AfterNotify | continueAsNew -> ContinueAsNew | Sleep
 *   Sleep (park Lambda, .waitForTaskToken, TimeoutSecondsPath) -> Decide; States.Timeout -> Decide
 *   Any task failing for good -> RecordFailure -> (giveUp ? Failed : Backoff -> Decide)
 *
 * The execution state is `{ instanceId, step?, error? }`: everything else lives in DynamoDB, so
 * any execution can be restarted from the top and do the right thing.
 */

export interface LoopArns {
  decide: string;
  notify: string;
  park: string;
  recordFailure: string;
}

export const STATE = {
  decide: "Decide",
  route: "Route",
  notify: "Notify",
  afterNotify: "AfterNotify",
  sleep: "Sleep",
  continueAsNew: "ContinueAsNew",
  recordFailure: "RecordFailure",
  backoff: "Backoff",
  backoffWait: "BackoffWait",
  done: "Done",
  failed: "Failed",
} as const;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export interface StateMachineDefinition {
  Comment: string;
  StartAt: string;
  States: Record<string, { [key: string]: Json }>;
}

/** The error name handlers throw for a failure worth retrying (throttling, contention, timeouts). */
export const TRANSIENT_ERROR_NAME = "Fristflow.Transient";

/**
 * The error Notify throws when another worker's claim still covers an unsent mail: that worker
 * may be sending it now, or may have died (a crash, a Lambda timeout) between claim and "mark
 * sent". Either way the batch is tried again once the claim's lease can have lapsed, so the mail
 * goes out (or is found sent) minutes late at most, never skipped.
 */
export const BUSY_ERROR_NAME = "Fristflow.NotificationBusy";

/** The Notify Lambda's timeout (the CDK app sets it from here): no worker outlives it. */
export const NOTIFY_TIMEOUT_SECONDS = 60;
/**
 * How long a notify claim keeps other workers off: longer than the Lambda can run, so a takeover
 * only ever follows a worker that is gone; short, so a crashed worker's mail is late by minutes.
 */
export const NOTIFY_CLAIM_LEASE_SECONDS = NOTIFY_TIMEOUT_SECONDS + 30;

/**
 * Retries of a busy batch: 30 s, 60 s, 120 s, 240 s, then every 300 s (no jitter: the wait is
 * for a known lease, not to spread a herd). The third retry comes 210 s after the first failure,
 * past any lease; all six cover 17.5 min, so even a claim written with the old 15-min lease
 * lapses before RecordFailure sees the error.
 */
const BUSY_RETRY = {
  ErrorEquals: [BUSY_ERROR_NAME],
  IntervalSeconds: 30,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 300,
};

/** Transient Lambda and service errors, retried with backoff before a Catch sees them. */
const TRANSIENT_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
  TRANSIENT_ERROR_NAME,
];

function retry(maxAttempts: number): Json[] {
  return [
    {
      ErrorEquals: TRANSIENT_ERRORS,
      IntervalSeconds: 2,
      MaxAttempts: maxAttempts,
      BackoffRate: 2,
      JitterStrategy: "FULL",
    },
  ];
}

const toFailure = { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: STATE.recordFailure };

function invoke(functionArn: string, payload: { [key: string]: Json }): { [key: string]: Json } {
  return {
    Type: "Task",
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: functionArn, Payload: payload },
  };
}

export function buildInstanceLoop(arns: LoopArns): StateMachineDefinition {
  return {
    Comment: "fristflow instance loop: decide, notify, sleep until the next deadline or a signal",
    StartAt: STATE.decide,
    States: {
      [STATE.decide]: {
        ...invoke(arns.decide, {
          "instanceId.$": "$.instanceId",
          execution: { "id.$": "$$.Execution.Id", "startedAt.$": "$$.Execution.StartTime" },
        }),
        // The Sleep's timeout sits apart from the decision so Notify can recompute it after its batch.
        ResultSelector: { "decision.$": "$.Payload", wait: { "seconds.$": "$.Payload.waitSeconds" } },
        ResultPath: "$.step",
        Retry: retry(6),
        Catch: [toFailure],
        Next: STATE.route,
      },
      [STATE.route]: {
        Type: "Choice",
        Choices: [
          { Variable: "$.step.decision.done", BooleanEquals: true, Next: STATE.done },
          { Variable: "$.step.decision.notify", BooleanEquals: true, Next: STATE.notify },
          { Variable: "$.step.decision.continueAsNew", BooleanEquals: true, Next: STATE.continueAsNew },
        ],
        Default: STATE.sleep,
      },
      [STATE.notify]: {
        ...invoke(arns.notify, {
          "instanceId.$": "$.instanceId",
          "notifications.$": "$.step.decision.notifications",
          "nextWakeAt.$": "$.step.decision.nextWakeAt",
          "rev.$": "$.step.decision.rev",
        }),
        // What was sent is in DynamoDB; the execution state keeps only the new wait.
        ResultSelector: { "seconds.$": "$.Payload.waitSeconds" },
        ResultPath: "$.step.wait",
        Retry: [BUSY_RETRY, ...retry(8)],
        Catch: [toFailure],
        Next: STATE.afterNotify,
      },
      [STATE.afterNotify]: {
        Type: "Choice",
        Choices: [
          { Variable: "$.step.decision.continueAsNew", BooleanEquals: true, Next: STATE.continueAsNew },
        ],
        Default: STATE.sleep,
      },
      [STATE.sleep]: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: {
          FunctionName: arns.park,
          Payload: {
            "instanceId.$": "$.instanceId",
            "rev.$": "$.step.decision.rev",
            "taskToken.$": "$$.Task.Token",
          },
        },
        TimeoutSecondsPath: "$.step.wait.seconds",
        ResultPath: null,
        Retry: retry(6),
        Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: null, Next: STATE.decide }, toFailure],
        Next: STATE.decide,
      },
      [STATE.continueAsNew]: {
        Type: "Task",
        Resource: "arn:aws:states:::states:startExecution",
        Parameters: {
          "StateMachineArn.$": "$$.StateMachine.Id",
          Input: {
            "instanceId.$": "$.instanceId",
            "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id",
          },
        },
        ResultPath: null,
        Retry: [
          {
            ErrorEquals: [
              "StepFunctions.SdkClientException",
              "StepFunctions.ServiceException",
              "StepFunctions.ThrottlingException",
            ],
            IntervalSeconds: 2,
            MaxAttempts: 6,
            BackoffRate: 2,
          },
        ],
        Catch: [toFailure],
        Next: STATE.done,
      },
      [STATE.recordFailure]: {
        ...invoke(arns.recordFailure, { "instanceId.$": "$.instanceId", "error.$": "$.error" }),
        ResultSelector: { "giveUp.$": "$.Payload.giveUp", "retryInSeconds.$": "$.Payload.retryInSeconds" },
        ResultPath: "$.failure",
        Retry: retry(10),
        Next: STATE.backoff,
      },
      [STATE.backoff]: {
        Type: "Choice",
        Choices: [{ Variable: "$.failure.giveUp", BooleanEquals: true, Next: STATE.failed }],
        Default: STATE.backoffWait,
      },
      [STATE.backoffWait]: {
        Type: "Wait",
        SecondsPath: "$.failure.retryInSeconds",
        Next: STATE.decide,
      },
      [STATE.done]: { Type: "Succeed" },
      [STATE.failed]: {
        Type: "Fail",
        Error: "Fristflow.InstanceFailed",
        Cause: "The instance failed repeatedly; see its audit trail. It is marked failed in the store.",
      },
    },
  };
}
