/**
 * The instance loop: ONE Standard state machine that carries every timeline and case.
 * Built here from the Lambda ARNs and used unchanged by the CDK app and the local engine.
 *
 *   (start) -> Sleep, with the first sleep in the execution's input
 *   Step (decide and send, one Lambda) -> Sleep
 *   Sleep (park Lambda, .waitForTaskToken, TimeoutSecondsPath): its success ends the execution
 *     on States.Timeout -> Step; on Fristflow.Wake -> Step; on Fristflow.ContinueAsNew -> ContinueAsNew
 *   ContinueAsNew (StartExecution by the name and with the first sleep the step gave; a child of
 *     that name already there -> Continued, a Succeed)
 *   Any task failing for good -> RecordFailure -> (giveUp ? Failed : BackoffWait -> Step)
 *
 * Two states a round, the fewest Step Functions allows for "act, then wait for a timer or a
 * signal": the choice of how to go on is the park Lambda's. A signal wakes the loop by failing the
 * parked task with Fristflow.Wake, which the Sleep state catches to step again; the task's success
 * means the instance is done and ends the execution right there (no Done state: one transition
 * fewer per case, issue 13). When the step says done, park completes its own task token; to
 * continue as new, it fails it with that error name. No Choice state on the way round.
 *
 * Every execution starts in Sleep: the starter of an instance has run its first step already
 * (shared/app/first-step.ts) and passes what Sleep needs, so a new case costs no Step (one
 * transition and one Lambda fewer; issue 13). So does a step that decides to continue as new, for
 * the execution it names (contract.ts Continuation). A start without a first step passes
 * DECIDE_AT_ONCE (contract.ts), whose rev park refuses: it wakes its own execution at once, which
 * then steps.
 *
 * The execution state is `{ instanceId, step, error? }`: everything else lives in DynamoDB, so
 * any execution can be restarted from the top and do the right thing.
 */

export interface LoopArns {
  step: string;
  park: string;
  recordFailure: string;
}

export const STATE = {
  step: "Step",
  sleep: "Sleep",
  continueAsNew: "ContinueAsNew",
  continued: "Continued",
  recordFailure: "RecordFailure",
  backoff: "Backoff",
  backoffWait: "BackoffWait",
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

/** A signal's wake-up: the error a parked task is failed with to step again (caught by Sleep). */
export const WAKE_ERROR_NAME = "Fristflow.Wake";
/** The error park fails its own task token with to continue as a new execution. */
export const CONTINUE_AS_NEW_ERROR_NAME = "Fristflow.ContinueAsNew";

/**
 * The error the step throws when another worker's claim still covers an unsent mail: that worker
 * may be sending it now, or may have died (a crash, a Lambda timeout) between claim and "mark
 * sent". Either way the batch is tried again once the claim's lease can have lapsed, so the mail
 * goes out (or is found sent) minutes late at most, never skipped.
 */
export const BUSY_ERROR_NAME = "Fristflow.NotificationBusy";

/** The step Lambda's timeout (the CDK app sets it from here): no worker outlives it. */
export const STEP_TIMEOUT_SECONDS = 60;
/**
 * How long a notify claim keeps other workers off: longer than the Lambda can run, so a takeover
 * only ever follows a worker that is gone; short, so a crashed worker's mail is late by minutes.
 */
export const NOTIFY_CLAIM_LEASE_SECONDS = STEP_TIMEOUT_SECONDS + 30;

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
    Comment: "fristflow instance loop: decide and send, then sleep until the next deadline or a signal",
    StartAt: STATE.sleep,
    States: {
      [STATE.step]: {
        ...invoke(arns.step, {
          "instanceId.$": "$.instanceId",
          execution: { "id.$": "$$.Execution.Id", "startedAt.$": "$$.Execution.StartTime" },
        }),
        // Only what Sleep reads: the execution state stays small (it is in every history event).
        ResultSelector: {
          "rev.$": "$.Payload.rev",
          "done.$": "$.Payload.done",
          "continueAsNew.$": "$.Payload.continueAsNew",
          "waitSeconds.$": "$.Payload.waitSeconds",
          "loops.$": "$.Payload.execution.loops",
          "continuation.$": "$.Payload.continuation",
        },
        ResultPath: "$.step",
        Retry: [BUSY_RETRY, ...retry(8)],
        Catch: [toFailure],
        Next: STATE.sleep,
      },
      [STATE.sleep]: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: {
          FunctionName: arns.park,
          Payload: {
            "instanceId.$": "$.instanceId",
            "rev.$": "$.step.rev",
            "done.$": "$.step.done",
            "continueAsNew.$": "$.step.continueAsNew",
            // From the context object: the first Sleep of an execution has no step before it.
            execution: {
              "id.$": "$$.Execution.Id",
              "startedAt.$": "$$.Execution.StartTime",
              "loops.$": "$.step.loops",
            },
            "taskToken.$": "$$.Task.Token",
          },
        },
        TimeoutSecondsPath: "$.step.waitSeconds",
        ResultPath: null,
        Retry: retry(6),
        Catch: [
          { ErrorEquals: ["States.Timeout"], ResultPath: null, Next: STATE.step },
          { ErrorEquals: [WAKE_ERROR_NAME], ResultPath: null, Next: STATE.step },
          { ErrorEquals: [CONTINUE_AS_NEW_ERROR_NAME], ResultPath: null, Next: STATE.continueAsNew },
          toFailure,
        ],
        // Completed (not failed) means done: the execution ends here.
        End: true,
      },
      [STATE.continueAsNew]: {
        Type: "Task",
        Resource: "arn:aws:states:::states:startExecution",
        Parameters: {
          "StateMachineArn.$": "$$.StateMachine.Id",
          "Name.$": "$.step.continuation.name",
          Input: {
            "instanceId.$": "$.instanceId",
            "step.$": "$.step.continuation.step",
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
        Catch: [
          // The name is fixed by this execution and its loop count: the child exists already
          // (a step run again after a failure), and carries the instance on.
          {
            ErrorEquals: ["StepFunctions.ExecutionAlreadyExistsException"],
            ResultPath: null,
            Next: STATE.continued,
          },
          toFailure,
        ],
        End: true,
      },
      [STATE.continued]: {
        Type: "Succeed",
        Comment: "The execution this one continues as was started before; it carries the instance on.",
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
        Next: STATE.step,
      },
      [STATE.failed]: {
        Type: "Fail",
        Error: "Fristflow.InstanceFailed",
        Cause: "The instance failed repeatedly; see its audit trail. It is marked failed in the store.",
      },
    },
  };
}
