/**
 * Where an instance loop that ended for good lands. The loop catches every task failure itself
 * (RecordFailure writes the audit trail and backs off), so an execution only ends FAILED,
 * TIMED_OUT or ABORTED when that gave up or someone stopped it. EventBridge copies those status
 * events into a queue an operator works through; the instance id is in the event's input.
 *
 * There is no Lambda async-invoke DLQ: no handler is invoked asynchronously (Step Functions
 * invokes them request-response, .waitForTaskToken included, and API Gateway waits for the app),
 * so such a queue could never receive anything.
 */
import { Duration, type RemovalPolicy } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export const TERMINAL_FAILURE_STATUSES = ["FAILED", "TIMED_OUT", "ABORTED"];

export interface DeadLettersProps {
  stateMachineArn: string;
  removalPolicy: RemovalPolicy;
}

export class DeadLetters extends Construct {
  readonly queue: sqs.Queue;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: DeadLettersProps) {
    super(scope, id);

    this.queue = new sqs.Queue(this, "Queue", {
      // The longest SQS allows: an instance that died on a Friday is still here after a holiday.
      retentionPeriod: Duration.days(14),
      // SQS-managed keys: EventBridge can deliver without a key policy to maintain.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
    });

    this.rule = new events.Rule(this, "EndedForGood", {
      description: "fristflow instance loop executions that failed, timed out or were stopped",
      eventPattern: {
        source: ["aws.states"],
        detailType: ["Step Functions Execution Status Change"],
        detail: { status: TERMINAL_FAILURE_STATUSES, stateMachineArn: [props.stateMachineArn] },
      },
      targets: [new targets.SqsQueue(this.queue)],
    });
  }
}
