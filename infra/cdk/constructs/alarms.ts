/**
 * Alarms that need a person: an instance loop that failed, a handler erroring or throttled, a
 * dead letter waiting. All go to one SNS topic; the e-mail subscription is optional because a
 * municipality may route the topic to its own on-call tooling instead.
 */
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import type * as sfn from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";

export interface AlarmsProps {
  alarmEmail: string | undefined;
  stateMachine: sfn.IStateMachine;
  functions: Record<string, lambda.IFunction>;
  deadLetterQueue: sqs.IQueue;
  apiServerErrors: cloudwatch.IMetric;
}

const PERIOD = Duration.minutes(5);

export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);

    this.topic = new sns.Topic(this, "Topic", { displayName: "fristflow alarms", enforceSSL: true });
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    const sm = props.stateMachine;
    this.add("ExecutionsFailed", sm.metricFailed({ period: PERIOD, statistic: "Sum" }), 1);
    this.add("ExecutionsTimedOut", sm.metricTimedOut({ period: PERIOD, statistic: "Sum" }), 1);
    this.add("ExecutionsThrottled", sm.metricThrottled({ period: PERIOD, statistic: "Sum" }), 1);

    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${name}Errors`, fn.metricErrors({ period: PERIOD, statistic: "Sum" }), 1);
      this.add(`${name}Throttles`, fn.metricThrottles({ period: PERIOD, statistic: "Sum" }), 1);
    }

    this.add(
      "DeadLetters",
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: "Maximum",
      }),
      1,
    );
    // A few 5xx are a cold start or a blip; a burst means confirmations are not getting through.
    this.add("ApiServerErrors", props.apiServerErrors, 5);
  }

  private add(id: string, metric: cloudwatch.IMetric, threshold: number): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means nothing ran, which is not a fault (most hours nothing is due).
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
