/**
 * The synthesized Fristflow stack, as CloudFormation sees it: the shared builders' output is
 * what gets deployed, every handler has only what it uses, and the operational pieces (logs,
 * tracing, alarms, dead letters, secrets) are there.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import type { CfnStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INDEX_ACTIONS, TABLE_ACTIONS } from "../../infra/cdk/constructs/table.ts";
import { type HandlerName, REPO_ROOT } from "../../infra/cdk/fristflow-stack.ts";
import {
  buildInstanceLoop,
  NOTIFY_CLAIM_LEASE_SECONDS,
  NOTIFY_TIMEOUT_SECONDS,
} from "../../shared/loop/asl.ts";
import { tableDefinition, ttlAttribute } from "../../shared/store/table.ts";
import {
  ACCOUNT,
  type CfnResource,
  type Json,
  REGION,
  type Resolver,
  resolveIntrinsics,
  resolverFor,
  type Synthesized,
  synthesize,
} from "./support.ts";

// asl-validator is CommonJS without type declarations.
const validateAsl = createRequire(import.meta.url)("asl-validator") as (definition: unknown) => {
  isValid: boolean;
  errorsText: () => string;
};

interface Statement {
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: Json;
  Principal?: Json;
  Condition?: Json;
}

let synth: Synthesized;
let resources: Record<string, CfnResource>;
let resolver: Resolver;
const resolve = (value: Json | undefined): Json => resolveIntrinsics(value ?? null, resolver);

function logicalId(construct: { node: { defaultChild?: unknown } } | unknown): string {
  const child = (construct as { node: { defaultChild?: unknown } }).node.defaultChild ?? construct;
  return synth.stack.getLogicalId(child as CfnFunction);
}

function ofType(type: string): [string, CfnResource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

function props(id: string): Record<string, Json> {
  const found = resources[id]?.Properties;
  if (found === undefined) throw new Error(`no properties for ${id}`);
  return found;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every policy statement in the template: identity policies and resource policies alike. */
function allStatements(): { owner: string; type: string; statement: Statement }[] {
  const out: { owner: string; type: string; statement: Statement }[] = [];
  const add = (owner: string, type: string, doc: Json | undefined) => {
    const statements = (doc as { Statement?: Statement[] } | undefined)?.Statement ?? [];
    for (const statement of statements) out.push({ owner, type, statement });
  };
  for (const [id, r] of Object.entries(resources)) {
    const p = r.Properties ?? {};
    switch (r.Type) {
      case "AWS::IAM::Policy":
      case "AWS::IAM::ManagedPolicy":
      case "AWS::SQS::QueuePolicy":
      case "AWS::SNS::TopicPolicy":
        add(id, r.Type, p.PolicyDocument);
        break;
      case "AWS::IAM::Role":
        for (const inline of (p.Policies as { PolicyDocument: Json }[] | undefined) ?? []) {
          add(id, r.Type, inline.PolicyDocument);
        }
        break;
      case "AWS::KMS::Key":
        add(id, r.Type, p.KeyPolicy);
        break;
      case "AWS::Lambda::Permission":
        out.push({
          owner: id,
          type: r.Type,
          statement: { Effect: "Allow", Action: String(p.Action), Resource: p.FunctionName ?? null },
        });
        break;
    }
  }
  return out;
}

/** action -> resolved resources, for the identity policy attached to a role. */
function grantsOfRole(roleLogicalId: string): Map<string, string[]> {
  const grants = new Map<string, string[]>();
  for (const [id] of ofType("AWS::IAM::Policy")) {
    const p = props(id);
    const roles = (p.Roles as { Ref: string }[]).map((role) => role.Ref);
    if (!roles.includes(roleLogicalId)) continue;
    for (const s of (p.PolicyDocument as unknown as { Statement: Statement[] }).Statement) {
      for (const action of asArray(s.Action)) {
        const list = grants.get(action) ?? [];
        list.push(...asArray(resolve(s.Resource) as string | string[]));
        grants.set(action, list.sort());
      }
    }
  }
  return grants;
}

/** The IAM actions each AWS SDK command the runtime code sends is authorized as. */
const ACTIONS_OF: Record<string, string[]> = {
  GetCommand: ["dynamodb:GetItem"],
  PutCommand: ["dynamodb:PutItem"],
  UpdateCommand: ["dynamodb:UpdateItem"],
  DeleteCommand: ["dynamodb:DeleteItem"],
  QueryCommand: ["dynamodb:Query"],
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

const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

beforeAll(() => {
  synth = synthesize();
  resources = synth.template.toJSON().Resources;
  resolver = resolverFor(synth.template);
});
afterAll(() => synth.cleanup());

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
      decide: arn("lambda", `function:${logicalId(synth.stack.handlers.decide.fn)}`),
      notify: arn("lambda", `function:${logicalId(synth.stack.handlers.notify.fn)}`),
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

  it("is a Standard state machine logging ALL to its own log group, with X-Ray", () => {
    const sm = logicalId(synth.stack.loop.stateMachine);
    const logGroup = logicalId(synth.stack.loop.logGroup);

    expect(props(sm).StateMachineType).toBe("STANDARD");
    expect(props(sm).TracingConfiguration).toEqual({ Enabled: true });
    expect(props(sm).LoggingConfiguration).toEqual({
      Level: "ALL",
      IncludeExecutionData: true,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { "Fn::GetAtt": [logGroup, "Arn"] } } }],
    });
    expect(props(logGroup).RetentionInDays).toBe(90);
    expect(props(logGroup).LogGroupName).toBe("/aws/vendedlogs/states/Fristflow-instance-loop");
  });

  it("may invoke the four loop functions and start itself, nothing else", () => {
    const cfn = synth.stack.loop.stateMachine.node.defaultChild as CfnStateMachine;
    const loopArn = arn("states", "stateMachine:Fristflow-instance-loop");
    const grants = grantsOfRole(logicalId(synth.stack.loop.role));
    const fnArn = (name: HandlerName) =>
      arn("lambda", `function:${logicalId(synth.stack.handlers[name].fn)}`);

    // The ARN built from the fixed name is the one the resource will have.
    expect(resolve(synth.stack.resolve(synth.stack.loop.stateMachine.stateMachineArn))).toBe(loopArn);
    expect(cfn.stateMachineName).toBe("Fristflow-instance-loop");
    expect(grants.get("lambda:InvokeFunction")).toEqual(
      [fnArn("decide"), fnArn("notify"), fnArn("park"), fnArn("recordFailure")].sort(),
    );
    expect(grants.get("states:StartExecution")).toEqual([loopArn]);
    const others = [...grants.keys()].filter(
      (a) => !["lambda:InvokeFunction", "states:StartExecution"].includes(a),
    );
    // What remains is what logging and tracing need (checked in the IAM section).
    expect(others.every((a) => a.startsWith("logs:") || a.startsWith("xray:"))).toBe(true);
  });
});

describe("the handlers", () => {
  const names: HandlerName[] = ["decide", "notify", "park", "recordFailure", "http"];

  it("are five Node.js 22 arm64 functions with active tracing and ESM bundles", () => {
    expect(ofType("AWS::Lambda::Function")).toHaveLength(5);
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

  it("stop notify before its claims' lease runs out, so a claim is taken over only from a worker that is gone", () => {
    const p = props(logicalId(synth.stack.handlers.notify.fn));
    expect(p.Timeout).toBe(NOTIFY_TIMEOUT_SECONDS);
    expect(NOTIFY_TIMEOUT_SECONDS).toBeLessThan(NOTIFY_CLAIM_LEASE_SECONDS);
  });

  it("caps notify's concurrency only when asked to", () => {
    const p = props(logicalId(synth.stack.handlers.notify.fn));
    expect(p.ReservedConcurrentExecutions).toBeUndefined();
  });
});

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
      return { "secretsmanager:DescribeSecret": arns, "secretsmanager:GetSecretValue": arns };
    };
    const configSet = logicalId(synth.stack.mail.configurationSet);
    const identity = logicalId(synth.stack.mail.identity.node.defaultChild);
    const sesResources = [
      arn("ses", `configuration-set/ref:${configSet}`),
      arn("ses", `identity/ref:${identity}`),
    ].sort();

    expect(dataGrants("decide")).toEqual(expectedTable());
    expect(dataGrants("recordFailure")).toEqual(expectedTable());
    expect(dataGrants("park")).toEqual({ ...expectedTable(), "states:SendTaskSuccess": [loopArn()] });
    expect(dataGrants("notify")).toEqual({
      ...expectedTable(),
      ...readSecret("linkKey"),
      "ses:SendEmail": sesResources,
      "ses:SendRawEmail": sesResources,
    });
    expect(dataGrants("http")).toEqual({
      ...expectedTable(),
      ...readSecret("linkKey", "adminToken"),
      "states:SendTaskSuccess": [loopArn()],
      "states:StartExecution": [loopArn()],
    });
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

describe("the HTTP API", () => {
  it("sends every request to the http handler", () => {
    const routes = ofType("AWS::ApiGatewayV2::Route");
    expect(routes).toHaveLength(1);
    const [[, route] = []] = routes;
    expect(route?.Properties?.RouteKey).toBe("$default");

    const target = String(resolve(route?.Properties?.Target)); // "integrations/<id>"
    const integrationId = target.replace("integrations/ref:", "");
    const integration = props(integrationId);
    expect(integration.IntegrationType).toBe("AWS_PROXY");
    expect(integration.PayloadFormatVersion).toBe("2.0");
    expect(integration.IntegrationUri).toEqual({
      "Fn::GetAtt": [logicalId(synth.stack.handlers.http.fn), "Arn"],
    });
  });

  it("has a throttled, access-logged $default stage", () => {
    const stage = logicalId(synth.stack.httpApi.stage);
    const p = props(stage);
    expect(p.StageName).toBe("$default");
    expect(p.AutoDeploy).toBe(true);
    expect(p.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    const access = p.AccessLogSettings as { DestinationArn: Json; Format: string };
    expect(access.DestinationArn).toEqual({
      "Fn::GetAtt": [logicalId(synth.stack.httpApi.accessLogs), "Arn"],
    });
    const format = JSON.parse(access.Format);
    expect(format.status).toBe("$context.status");
    // A confirm link's signature is in the query string, which must not reach the logs.
    expect(access.Format).not.toMatch(/querystring|rawQueryString|\$context\.path\b.*\?/i);
  });

  it("lets only API Gateway invoke the http handler", () => {
    const permissions = ofType("AWS::Lambda::Permission").map(([, r]) => r.Properties);
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.Principal).toBe("apigateway.amazonaws.com");
    expect(permissions[0]?.FunctionName).toEqual({
      "Fn::GetAtt": [logicalId(synth.stack.handlers.http.fn), "Arn"],
    });
  });
});

describe("mail", () => {
  it("verifies the sender domain as an SES identity that sends through the configuration set", () => {
    const configSet = logicalId(synth.stack.mail.configurationSet);
    synth.template.hasResourceProperties("AWS::SES::EmailIdentity", {
      EmailIdentity: "fristflow.example",
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: configSet } },
    });
    expect(props(configSet).DeliveryOptions).toEqual({ TlsPolicy: "REQUIRE" });
  });
});

describe("secrets", () => {
  it("are generated by CloudFormation: no value in the template, none injected into an environment", () => {
    const secrets = ofType("AWS::SecretsManager::Secret");
    expect(secrets).toHaveLength(2);
    for (const [id, secret] of secrets) {
      expect(secret.Properties?.SecretString, id).toBeUndefined();
      expect(secret.Properties?.GenerateSecretString, id).toMatchObject({ ExcludePunctuation: true });
      expect(secret.DeletionPolicy, id).toBe("Retain");
    }
    const linkKey = props(logicalId(synth.stack.secrets.linkKey));
    // shared/links needs at least 32 bytes of key.
    expect(
      (linkKey.GenerateSecretString as { PasswordLength: number }).PasswordLength,
    ).toBeGreaterThanOrEqual(32);

    const json = JSON.stringify(synth.template.toJSON());
    // A dynamic reference would put the value into a Lambda environment in plain text at deploy.
    expect(json).not.toContain("{{resolve:secretsmanager");
    expect(json).not.toMatch(/"SecretString"/);
  });
});

describe("failure handling", () => {
  it("sends executions that end FAILED, TIMED_OUT or ABORTED to an encrypted, TLS-only queue", () => {
    const queue = logicalId(synth.stack.deadLetters.queue);
    const sm = logicalId(synth.stack.loop.stateMachine);
    synth.template.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["aws.states"],
        "detail-type": ["Step Functions Execution Status Change"],
        detail: { status: ["FAILED", "TIMED_OUT", "ABORTED"], stateMachineArn: [{ Ref: sm }] },
      },
      Targets: [{ Arn: { "Fn::GetAtt": [queue, "Arn"] } }],
    });
    expect(props(queue).SqsManagedSseEnabled).toBe(true);
    expect(props(queue).MessageRetentionPeriod).toBe(14 * 24 * 3600);
  });

  it("alarms on failed executions, handler errors and throttles, and dead letters, to one topic", () => {
    const alarms = ofType("AWS::CloudWatch::Alarm").map(([, r]) => r.Properties ?? {});
    const topic = logicalId(synth.stack.alarms.topic);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);

    const has = (namespace: string, metric: string, dimension: Json) =>
      alarms.some(
        (a) =>
          a.Namespace === namespace &&
          a.MetricName === metric &&
          JSON.stringify(a.Dimensions).includes(JSON.stringify(dimension)),
      );
    const sm = { Ref: logicalId(synth.stack.loop.stateMachine) };
    expect(has("AWS/States", "ExecutionsFailed", sm)).toBe(true);
    expect(has("AWS/States", "ExecutionsTimedOut", sm)).toBe(true);
    expect(has("AWS/States", "ExecutionThrottled", sm)).toBe(true);
    for (const [name, handler] of Object.entries(synth.stack.handlers)) {
      const fn = { Ref: logicalId(handler.fn) };
      expect(has("AWS/Lambda", "Errors", fn), `${name} errors`).toBe(true);
      expect(has("AWS/Lambda", "Throttles", fn), `${name} throttles`).toBe(true);
    }
    const queueName = { "Fn::GetAtt": [logicalId(synth.stack.deadLetters.queue), "QueueName"] };
    expect(has("AWS/SQS", "ApproximateNumberOfMessagesVisible", queueName)).toBe(true);
    // The e-mail subscription is optional (context alarmEmail), and unset in cdk.json.
    expect(ofType("AWS::SNS::Subscription")).toEqual([]);
  });
});
