/**
 * IAM in the synthesized stack: every handler has only what it uses, no wildcard actions, no
 * Resource '*' beyond what has no resource-level permissions, and every AWS call the runtime
 * code makes is granted.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INDEX_ACTIONS, NARROW_GRANTS, TABLE_ACTIONS } from "../../infra/cdk/constructs/table.ts";
import { type HandlerName, REPO_ROOT } from "../../infra/cdk/fristflow-stack.ts";
import { arn, asArray, synthesizedStack } from "./stack-fixture.ts";

/** The IAM actions each AWS SDK command the runtime code sends is authorized as. */
const ACTIONS_OF: Record<string, string[]> = {
  GetCommand: ["dynamodb:GetItem"],
  PutCommand: ["dynamodb:PutItem"],
  UpdateCommand: ["dynamodb:UpdateItem"],
  DeleteCommand: ["dynamodb:DeleteItem"],
  QueryCommand: ["dynamodb:Query"],
  BatchGetCommand: ["dynamodb:BatchGetItem"],
  // A transaction is authorized as the item actions it contains.
  TransactWriteCommand: [
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
  ],
  GetSecretValueCommand: ["secretsmanager:GetSecretValue"],
  SendEmailCommand: ["ses:SendEmail"],
  SendTaskSuccessCommand: ["states:SendTaskSuccess"],
  SendTaskFailureCommand: ["states:SendTaskFailure"],
  StartExecutionCommand: ["states:StartExecution"],
};
/** ensureTable() creates the table for DynamoDB Local; on AWS CloudFormation owns it. */
const LOCAL_BOOTSTRAP_ONLY = [
  "CreateTableCommand",
  "DescribeTableCommand",
  "DescribeTimeToLiveCommand",
  "UpdateTimeToLiveCommand",
  "ListTablesCommand",
];

/** The SDK commands constructed anywhere in shared/ and functions/ (what the Lambdas can send). */
function awsCommandsInRuntimeCode(): Set<string> {
  const commands = new Set<string>();
  for (const dir of ["shared", "functions"]) {
    const root = join(REPO_ROOT, dir);
    for (const file of readdirSync(root, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".ts")) continue;
      for (const match of readFileSync(join(root, file), "utf8").matchAll(/new (\w+Command)\(/g)) {
        commands.add(String(match[1]));
      }
    }
  }
  return commands;
}

const synth = synthesizedStack();
const { logicalId, ofType, allStatements, grantsOfRole } = synth;

describe("IAM", () => {
  const tableArn = () => arn("dynamodb", `table/ref:${logicalId(synth.stack.table.node.defaultChild)}`);
  const secretArn = (secret: "linkKey" | "adminToken") =>
    arn("secretsmanager", `secret:${logicalId(synth.stack.secrets[secret])}-AbCdEf`);
  const loopArn = () => arn("states", "stateMachine:Fristflow-instance-loop");

  /** What a handler may do besides writing its logs and traces, resolved. */
  function dataGrants(name: HandlerName): Record<string, string[]> {
    const grants = grantsOfRole(logicalId(synth.stack.handlers[name].role));
    return Object.fromEntries(
      [...grants].filter(([action]) => !action.startsWith("logs:") && !action.startsWith("xray:")),
    );
  }

  function expectedTable(): Record<string, string[]> {
    const grants: Record<string, string[]> = {};
    for (const action of TABLE_ACTIONS) grants[action] = [tableArn()];
    for (const action of INDEX_ACTIONS) {
      grants[action] = [
        ...(grants[action] ?? []),
        `${tableArn()}/index/dueIndex`,
        `${tableArn()}/index/listIndex`,
      ];
      grants[action].sort();
    }
    return grants;
  }

  it("gives each handler only what it uses", () => {
    const readSecret = (...secrets: ("linkKey" | "adminToken")[]) => {
      const arns = secrets.map(secretArn).sort();
      // GetSecretValue only: no handler describes a secret.
      return { "secretsmanager:GetSecretValue": arns };
    };
    const configSet = logicalId(synth.stack.mail.configurationSet);
    const identity = logicalId(synth.stack.mail.identity.node.defaultChild);
    const sesResources = [
      arn("ses", `configuration-set/ref:${configSet}`),
      arn("ses", `identity/ref:${identity}`),
    ].sort();

    const onTable = (actions: readonly string[]) => Object.fromEntries(actions.map((a) => [a, [tableArn()]]));
    expect(dataGrants("recordFailure")).toEqual(onTable(NARROW_GRANTS.recordFailure.actions));
    expect(dataGrants("park")).toEqual({
      ...onTable(NARROW_GRANTS.park.actions),
      "states:SendTaskFailure": [loopArn()],
      "states:SendTaskSuccess": [loopArn()],
    });
    expect(dataGrants("step")).toEqual({
      ...expectedTable(),
      ...readSecret("linkKey"),
      "ses:SendEmail": sesResources,
      "ses:SendRawEmail": sesResources,
    });
    expect(dataGrants("http")).toEqual({
      ...expectedTable(),
      ...readSecret("linkKey", "adminToken"),
      "states:SendTaskFailure": [loopArn()],
      "states:SendTaskSuccess": [loopArn()],
      "states:StartExecution": [loopArn()],
      "ses:SendEmail": sesResources,
      "ses:SendRawEmail": sesResources,
    });
  });

  it("limits park and recordFailure to an instance's own partitions with dynamodb:LeadingKeys", () => {
    for (const name of ["park", "recordFailure"] as const) {
      const policy = logicalId(synth.stack.handlers[name].role.node.tryFindChild("DefaultPolicy"));
      const dynamo = allStatements().filter(
        ({ owner, statement }) =>
          owner === policy && asArray(statement.Action).some((a) => a.startsWith("dynamodb:")),
      );
      expect(dynamo, name).toHaveLength(1);
      expect(dynamo[0]?.statement.Condition, name).toEqual({
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [...NARROW_GRANTS[name].leadingKeys] },
      });
    }
  });

  it("lets each handler write to its own log group only", () => {
    for (const [name, handler] of Object.entries(synth.stack.handlers)) {
      const grants = grantsOfRole(logicalId(handler.role));
      const own = arn("logs", `log-group:${logicalId(handler.logGroup)}:*`);
      expect(grants.get("logs:CreateLogStream"), name).toEqual([own]);
      expect(grants.get("logs:PutLogEvents"), name).toEqual([own]);
    }
  });

  it("has no wildcard action in any statement that allows", () => {
    const wildcard = /^(\*|[a-z0-9-]+:\*)$/;
    const statements = allStatements();
    expect(statements.length).toBeGreaterThan(20);

    const allowing = statements.filter(
      ({ statement }) =>
        statement.Effect === "Allow" && asArray(statement.Action).some((a) => wildcard.test(a)),
    );
    expect(allowing).toEqual([]);

    // The only wildcard actions are the deny-unless-TLS statements of the queue and the topic
    // (`sqs:*` there is what cdk-nag's SQS4 requires: every action, denied without TLS).
    const denying = statements
      .filter(({ statement }) => asArray(statement.Action).some((a) => wildcard.test(a)))
      .map(({ type, statement }) => ({ type, effect: statement.Effect, condition: statement.Condition }));
    expect(denying).toEqual([
      {
        type: "AWS::SQS::QueuePolicy",
        effect: "Deny",
        condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("allows Resource '*' only for X-Ray and log delivery, which have no resource-level permissions", () => {
    const star = allStatements()
      .filter(({ statement }) => statement.Effect === "Allow" && asArray(statement.Resource).includes("*"))
      .map(({ owner, statement }) => ({ owner, actions: asArray(statement.Action).sort() }))
      .sort((a, b) => a.owner.localeCompare(b.owner));

    const policyOf = (role: { node: { tryFindChild(id: string): unknown } }) =>
      logicalId(role.node.tryFindChild("DefaultPolicy"));
    const xray = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"];
    const expected = [
      ...Object.values(synth.stack.handlers).map((handler) => ({
        owner: policyOf(handler.role),
        actions: xray,
      })),
      {
        owner: policyOf(synth.stack.loop.role),
        actions: [
          "logs:CreateLogDelivery",
          "logs:DeleteLogDelivery",
          "logs:DescribeLogGroups",
          "logs:DescribeResourcePolicies",
          "logs:GetLogDelivery",
          "logs:ListLogDeliveries",
          "logs:PutResourcePolicy",
          "logs:UpdateLogDelivery",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
          ...xray,
        ],
      },
    ].sort((a, b) => a.owner.localeCompare(b.owner));
    expect(star).toEqual(expected);
  });

  it("grants every AWS call the runtime code makes, and no table action it does not make", () => {
    const used = awsCommandsInRuntimeCode();
    const unmapped = [...used].filter(
      (c) => ACTIONS_OF[c] === undefined && !LOCAL_BOOTSTRAP_ONLY.includes(c),
    );
    expect(unmapped, "map these SDK commands to their IAM actions here").toEqual([]);

    const granted = new Set(
      Object.values(synth.stack.handlers).flatMap((h) => [...grantsOfRole(logicalId(h.role)).keys()]),
    );
    const needed = new Set([...used].flatMap((c) => ACTIONS_OF[c] ?? []));
    expect([...needed].filter((action) => !granted.has(action))).toEqual([]);
    const unusedTableActions = [...granted].filter((a) => a.startsWith("dynamodb:") && !needed.has(a));
    expect(unusedTableActions).toEqual([]);
  });

  it("attaches no managed policies and has no users or groups", () => {
    for (const [id, role] of ofType("AWS::IAM::Role")) {
      expect(role.Properties?.ManagedPolicyArns, id).toBeUndefined();
    }
    expect(ofType("AWS::IAM::ManagedPolicy")).toEqual([]);
    expect(ofType("AWS::IAM::User")).toEqual([]);
    expect(ofType("AWS::IAM::Group")).toEqual([]);
  });
});
