/**
 * The fristflow table, built from shared/store/table.ts's tableDefinition(): the same keys and
 * indexes the local bootstrap creates, so the store's queries behave the same on both.
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { tableDefinition, ttlAttribute } from "../../../shared/store/table.ts";

/**
 * The item actions shared/store sends: Get, Put, Update, Delete, Query, and TransactWrite (which
 * IAM authorizes as the Put/Update/Delete/ConditionCheck it contains) and BatchGetItem (the attempt
 * limits read their counters at once). No Scan, no batch writes;
 * test/infra checks this list against the commands the store source constructs.
 */
export const TABLE_ACTIONS = [
  "dynamodb:BatchGetItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DeleteItem",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "dynamodb:UpdateItem",
];
/** Indexes are only ever queried. */
export const INDEX_ACTIONS = ["dynamodb:Query"];

/**
 * What the loop's small steps need, and no more: they only ever touch an instance's own
 * partitions (its item, milestones and notifications under `INST#`, its audit trail under
 * `AUDIT#`), never the directory, the workflows or an index, and never delete. The partition is
 * enforced by IAM with `dynamodb:LeadingKeys`. test/app/loop-privileges.test.ts runs the real
 * handlers on DynamoDB Local and checks every request they make against these lists.
 */
export const NARROW_GRANTS = {
  park: { actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"], leadingKeys: ["INST#*"] },
  recordFailure: {
    actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
    leadingKeys: ["INST#*", "AUDIT#*"],
  },
} as const satisfies Record<string, { actions: readonly string[]; leadingKeys: readonly string[] }>;

export interface FristflowTableProps {
  deletionProtection: boolean;
}

/**
 * Maps a CreateTable input onto CfnTable props. TableName is dropped: CloudFormation names the
 * table, so a replacement never collides with the old one. Anything the mapping does not know (local
 * indexes, provisioned capacity, streams) throws: silently dropping it would make AWS and
 * DynamoDB Local disagree.
 */
export function cfnTablePropsFrom(def: CreateTableCommandInput): dynamodb.CfnTableProps {
  const known = new Set([
    "TableName",
    "BillingMode",
    "AttributeDefinitions",
    "KeySchema",
    "GlobalSecondaryIndexes",
  ]);
  const unknown = Object.keys(def).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`tableDefinition() uses ${unknown.join(", ")}: map it in table.ts`);
  if (def.BillingMode !== "PAY_PER_REQUEST") throw new Error("the CDK table expects on-demand billing");

  const keySchema = (keys: CreateTableCommandInput["KeySchema"]): dynamodb.CfnTable.KeySchemaProperty[] =>
    (keys ?? []).map((key) => ({ attributeName: req(key.AttributeName), keyType: req(key.KeyType) }));

  return {
    billingMode: def.BillingMode,
    attributeDefinitions: (def.AttributeDefinitions ?? []).map((a) => ({
      attributeName: req(a.AttributeName),
      attributeType: req(a.AttributeType),
    })),
    keySchema: keySchema(def.KeySchema),
    globalSecondaryIndexes: (def.GlobalSecondaryIndexes ?? []).map((index) => ({
      indexName: req(index.IndexName),
      keySchema: keySchema(index.KeySchema),
      projection: {
        projectionType: req(index.Projection?.ProjectionType),
        ...(index.Projection?.NonKeyAttributes
          ? { nonKeyAttributes: index.Projection.NonKeyAttributes }
          : {}),
      },
    })),
  };
}

function req<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("tableDefinition() left a required field undefined");
  return value;
}

export class FristflowTable extends Construct {
  readonly tableName: string;
  readonly tableArn: string;
  readonly indexArns: string[];

  constructor(scope: Construct, id: string, props: FristflowTableProps) {
    super(scope, id);
    const definition = tableDefinition("unused");
    const table = new dynamodb.CfnTable(this, "Resource", {
      ...cfnTablePropsFrom(definition),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveSpecification: { attributeName: ttlAttribute, enabled: true },
      deletionProtectionEnabled: props.deletionProtection,
      // SSEEnabled without a key id: the AWS-managed aws/dynamodb key. A customer key would add a
      // key policy to maintain for no gain here: nothing outside this account reads the table.
      sseSpecification: { sseEnabled: true, sseType: "KMS" },
    });
    table.applyRemovalPolicy(props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);

    this.tableName = table.ref;
    this.tableArn = table.attrArn;
    // Each index by name, so the grant never needs `index/*`.
    this.indexArns = (definition.GlobalSecondaryIndexes ?? []).map(
      (index) => `${table.attrArn}/index/${req(index.IndexName)}`,
    );
  }

  /** Only `actions`, on the table (no index), on items whose partition key matches `leadingKeys`. */
  grantPartitions(
    grantee: iam.IGrantable,
    grant: { actions: readonly string[]; leadingKeys: readonly string[] },
  ): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...grant.actions],
        resources: [this.tableArn],
        conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [...grant.leadingKeys] } },
      }),
    );
  }

  /** What the step and http handlers need: the item actions the store uses, on the table and its indexes. */
  grantData(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: TABLE_ACTIONS, resourceArns: [this.tableArn] });
    iam.Grant.addToPrincipal({ grantee, actions: INDEX_ACTIONS, resourceArns: this.indexArns });
  }
}
