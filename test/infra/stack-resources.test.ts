/**
 * The table, the instance loop and the handlers as deployed: the shared builders' output is
 * what CloudFormation gets, with the logging, tracing and settings each part needs.
 */
import { createRequire } from "node:module";
import type { CfnStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { describe, expect, it } from "vitest";
import type { HandlerName } from "../../infra/cdk/fristflow-stack.ts";
import {
  buildInstanceLoop,
  NOTIFY_CLAIM_LEASE_SECONDS,
  STEP_TIMEOUT_SECONDS,
} from "../../shared/loop/asl.ts";
import { tableDefinition, ttlAttribute } from "../../shared/store/table.ts";
import { arn, synthesizedStack } from "./stack-fixture.ts";
import { type Json, REGION } from "./support.ts";

// asl-validator is CommonJS without type declarations.
const validateAsl = createRequire(import.meta.url)("asl-validator") as (definition: unknown) => {
  isValid: boolean;
  errorsText: () => string;
};

const synth = synthesizedStack();
const { logicalId, ofType, props, resolve, grantsOfRole } = synth;

describe("the table", () => {
  it("has exactly the keys and indexes of tableDefinition(), on demand", () => {
    const def = tableDefinition("any");
    const [[id] = []] = ofType("AWS::DynamoDB::Table");
    const p = props(String(id));

    // The CloudFormation property names are the CreateTable API's, so the values compare as they are.
    expect(p.KeySchema).toEqual(def.KeySchema);
    expect(p.AttributeDefinitions).toEqual(def.AttributeDefinitions);
    expect(p.GlobalSecondaryIndexes).toEqual(def.GlobalSecondaryIndexes);
    expect(p.BillingMode).toBe("PAY_PER_REQUEST");
    expect(ofType("AWS::DynamoDB::Table")).toHaveLength(1);
  });

  it("has point-in-time recovery, TTL on the shared attribute, encryption and deletion protection", () => {
    synth.template.hasResource("AWS::DynamoDB::Table", {
      Properties: {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: "KMS" },
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
    });
  });
});

describe("the instance loop", () => {
  it("deploys exactly buildInstanceLoop() with the real function ARNs", () => {
    const sm = logicalId(synth.stack.loop.stateMachine);
    const definitionString = resolve(props(sm).DefinitionString);

    const expected = buildInstanceLoop({
      step: arn("lambda", `function:${logicalId(synth.stack.handlers.step.fn)}`),
      park: arn("lambda", `function:${logicalId(synth.stack.handlers.park.fn)}`),
      recordFailure: arn("lambda", `function:${logicalId(synth.stack.handlers.recordFailure.fn)}`),
    });
    expect(JSON.parse(String(definitionString))).toEqual(expected);
  });

  it("is a definition asl-validator accepts", () => {
    const sm = logicalId(synth.stack.loop.stateMachine);
    const definition = JSON.parse(String(resolve(props(sm).DefinitionString)));

    const result = validateAsl(definition);

    expect(result.errorsText(), "asl-validator").toBe("");
    expect(result.isValid).toBe(true);
  });

  it("is a Standard state machine logging errors without state to its own log group, X-Ray sampled at 5%", () => {
    const sm = logicalId(synth.stack.loop.stateMachine);
    const logGroup = logicalId(synth.stack.loop.logGroup);

    expect(props(sm).StateMachineType).toBe("STANDARD");
    expect(props(sm).TracingConfiguration).toEqual({ Enabled: true });
    synth.template.hasResourceProperties("AWS::XRay::SamplingRule", {
      SamplingRule: {
        FixedRate: 0.05,
        ReservoirSize: 0,
        ServiceName: "Fristflow-instance-loop",
        ServiceType: "AWS::StepFunctions::StateMachine",
      },
    });
    expect(props(sm).LoggingConfiguration).toEqual({
      Level: "ERROR",
      IncludeExecutionData: false,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { "Fn::GetAtt": [logGroup, "Arn"] } } }],
    });
    expect(props(logGroup).RetentionInDays).toBe(90);
    expect(props(logGroup).LogGroupName).toBe("/aws/vendedlogs/states/Fristflow-instance-loop");
  });

  it("may invoke the three loop functions and start itself, nothing else", () => {
    const cfn = synth.stack.loop.stateMachine.node.defaultChild as CfnStateMachine;
    const loopArn = arn("states", "stateMachine:Fristflow-instance-loop");
    const grants = grantsOfRole(logicalId(synth.stack.loop.role));
    const fnArn = (name: HandlerName) =>
      arn("lambda", `function:${logicalId(synth.stack.handlers[name].fn)}`);

    // The ARN built from the fixed name is the one the resource will have.
    expect(resolve(synth.stack.resolve(synth.stack.loop.stateMachine.stateMachineArn))).toBe(loopArn);
    expect(cfn.stateMachineName).toBe("Fristflow-instance-loop");
    expect(grants.get("lambda:InvokeFunction")).toEqual(
      [fnArn("step"), fnArn("park"), fnArn("recordFailure")].sort(),
    );
    expect(grants.get("states:StartExecution")).toEqual([loopArn]);
    const others = [...grants.keys()].filter(
      (a) => !["lambda:InvokeFunction", "states:StartExecution"].includes(a),
    );
    // What remains is what logging and tracing need (checked in stack-iam.test.ts).
    expect(others.every((a) => a.startsWith("logs:") || a.startsWith("xray:"))).toBe(true);
  });
});

describe("the handlers", () => {
  const names: HandlerName[] = ["step", "park", "recordFailure", "http"];

  it("are four Node.js 22 arm64 functions with active tracing and ESM bundles", () => {
    expect(ofType("AWS::Lambda::Function")).toHaveLength(4);
    for (const name of names) {
      const p = props(logicalId(synth.stack.handlers[name].fn));
      expect(p.Runtime, name).toBe("nodejs22.x");
      expect(p.Architectures, name).toEqual(["arm64"]);
      expect(p.TracingConfig, name).toEqual({ Mode: "Active" });
      expect(p.Handler, name).toBe("index.handler");
    }
  });

  it("each log to their own log group with a retention", () => {
    for (const name of names) {
      const handler = synth.stack.handlers[name];
      const p = props(logicalId(handler.fn));
      const logGroup = logicalId(handler.logGroup);
      expect(p.LoggingConfig, name).toEqual({ LogGroup: { Ref: logGroup } });
      expect(props(logGroup).RetentionInDays, name).toBe(90);
    }
  });

  it("get the settings the handlers' config schema reads", () => {
    const table = logicalId(synth.stack.table.node.defaultChild);
    const api = logicalId(synth.stack.httpApi.api);
    const common = {
      FRISTFLOW_TABLE: `ref:${table}`,
      FRISTFLOW_PUBLIC_BASE_URL: `https://${api}.execute-api.${REGION}.amazonaws.com`,
      FRISTFLOW_MAIL_FROM: "fristflow@fristflow.example",
      FRISTFLOW_ORGANISATION: "fristflow",
      FRISTFLOW_LINK_KEY_SECRET_ARN: arn(
        "secretsmanager",
        `secret:${logicalId(synth.stack.secrets.linkKey)}-AbCdEf`,
      ),
      FRISTFLOW_SES_CONFIGURATION_SET: `ref:${logicalId(synth.stack.mail.configurationSet)}`,
      POWERTOOLS_SERVICE_NAME: "fristflow",
      POWERTOOLS_LOG_LEVEL: "INFO",
      NODE_OPTIONS: "--enable-source-maps",
    };
    for (const name of names) {
      const env = resolve(
        (props(logicalId(synth.stack.handlers[name].fn)).Environment as { Variables: Json }).Variables,
      ) as Record<string, string>;
      const extra =
        name === "http"
          ? {
              FRISTFLOW_STATE_MACHINE_ARN: arn("states", "stateMachine:Fristflow-instance-loop"),
              FRISTFLOW_ADMIN_TOKEN_SECRET_ARN: arn(
                "secretsmanager",
                `secret:${logicalId(synth.stack.secrets.adminToken)}-AbCdEf`,
              ),
            }
          : {};
      expect(env, name).toEqual({ ...common, ...extra });
    }
  });

  it("stop step before its claims' lease runs out, so a claim is taken over only from a worker that is gone", () => {
    const p = props(logicalId(synth.stack.handlers.step.fn));
    expect(p.Timeout).toBe(STEP_TIMEOUT_SECONDS);
    expect(STEP_TIMEOUT_SECONDS).toBeLessThan(NOTIFY_CLAIM_LEASE_SECONDS);
  });

  it("caps step's concurrency only when asked to", () => {
    const p = props(logicalId(synth.stack.handlers.step.fn));
    expect(p.ReservedConcurrentExecutions).toBeUndefined();
  });
});
