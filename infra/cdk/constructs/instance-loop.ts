/**
 * The instance loop on AWS: a Standard state machine whose definition is exactly
 * buildInstanceLoop()'s output (the same the local engine runs), with the function ARNs as tokens.
 */
import { ArnFormat, type RemovalPolicy, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import * as xray from "aws-cdk-lib/aws-xray";
import { Construct } from "constructs";
import { buildInstanceLoop, type LoopArns } from "../../../shared/loop/asl.ts";

export interface InstanceLoopProps {
  stateMachineName: string;
  functions: Record<keyof LoopArns, lambda.IFunction>;
  logRetentionDays: number;
  logRemovalPolicy: RemovalPolicy;
  logLevel: "OFF" | "ERROR" | "ALL";
  logExecutionData: boolean;
  /** 0 turns tracing off; otherwise an X-Ray sampling rule for this state machine at this rate. */
  samplingRate: number;
}

/**
 * The ARN of the loop, built from its fixed name rather than read from the resource. The loop
 * starts itself (continue-as-new) and the park handler, which the loop invokes, signals it: with
 * the resource's own ARN both would be circular references.
 */
export function instanceLoopArn(scope: Construct, stateMachineName: string): string {
  return Stack.of(scope).formatArn({
    service: "states",
    resource: "stateMachine",
    resourceName: stateMachineName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export class InstanceLoop extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** The same ARN as stateMachine.stateMachineArn, usable where that would form a cycle. */
  readonly arn: string;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: InstanceLoopProps) {
    super(scope, id);
    this.arn = instanceLoopArn(this, props.stateMachineName);

    this.logGroup = new logs.LogGroup(this, "Logs", {
      // Under /aws/vendedlogs/ CloudWatch does not grow the account's one log resource policy
      // per state machine (that policy has a 5,120-character limit).
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.logRemovalPolicy,
    });

    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("states.amazonaws.com"),
      description: "fristflow instance loop",
    });
    // The unqualified ARNs the definition names: no `:*` for versions or aliases.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["lambda:InvokeFunction"],
        resources: Object.values(props.functions).map((fn) => fn.functionArn),
      }),
    );
    // Continue-as-new starts a fresh execution of this same state machine, and nothing else.
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ["states:StartExecution"], resources: [this.arn] }),
    );

    const definition = buildInstanceLoop({
      step: props.functions.step.functionArn,
      park: props.functions.park.functionArn,
      recordFailure: props.functions.recordFailure.functionArn,
    });

    this.stateMachine = new sfn.StateMachine(this, "Resource", {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      // toJsonString, not JSON.stringify: it turns the ARN tokens inside the object into an
      // Fn::Join, so the deployed definition is the builder's output with the real ARNs.
      definitionBody: sfn.DefinitionBody.fromString(Stack.of(this).toJsonString(definition)),
      role: this.role,
      tracingEnabled: props.samplingRate > 0,
      // The execution state is ids, the decision and error names (see asl.ts): no personal data.
      // Still off by default: a failed execution's error and cause are logged at ERROR without it.
      logs: {
        destination: this.logGroup,
        level: sfn.LogLevel[props.logLevel],
        includeExecutionData: props.logExecutionData,
      },
    });
    if (props.samplingRate > 0) {
      // Without a rule X-Ray traces the first request each second and 5% after it; a timeline
      // loop is many short executions, so the rate is set explicitly and for this loop only.
      new xray.CfnSamplingRule(this, "Sampling", {
        samplingRule: {
          ruleName: props.stateMachineName.slice(0, 32),
          priority: 100,
          fixedRate: props.samplingRate,
          reservoirSize: 0,
          serviceName: props.stateMachineName,
          serviceType: "AWS::StepFunctions::StateMachine",
          host: "*",
          httpMethod: "*",
          urlPath: "*",
          resourceArn: "*",
          version: 1,
        },
      });
    }
  }

  /** SendTaskSuccess: a parked Sleep task completed, which ends the loop (the instance is done). */
  grantFinish(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ["states:SendTaskSuccess"], resourceArns: [this.arn] });
  }

  /**
   * SendTaskFailure: a wake (Fristflow.Wake, which the Sleep state catches to step again) and
   * continuing as new (Fristflow.ContinueAsNew).
   */
  grantWake(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ["states:SendTaskFailure"], resourceArns: [this.arn] });
  }

  grantStart(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ["states:StartExecution"], resourceArns: [this.arn] });
  }
}
