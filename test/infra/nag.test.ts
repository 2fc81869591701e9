/**
 * cdk-nag's AwsSolutions pack over the synthesized app: zero unacknowledged findings, and the
 * acknowledgements are exactly the ones nag-suppressions.ts documents, on the constructs they
 * name. cdk-nag 3 reports through CDK's policy validation, not annotations, so the pack is run
 * directly (validateScope) as well as through the synth.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Stack, Validations } from "aws-cdk-lib";
import { Annotations, Match } from "aws-cdk-lib/assertions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as sqs from "aws-cdk-lib/aws-sqs";
import cdkNag from "cdk-nag";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REASONS } from "../../infra/cdk/nag-suppressions.ts";
import { type Synthesized, synthesize } from "./support.ts";

const { AwsSolutionsChecks } = cdkNag;

let synth: Synthesized;

beforeAll(() => {
  synth = synthesize();
});
afterAll(() => synth.cleanup());

/** Every acknowledgement in the tree as "<construct path> <rule id>", with its reason. */
function acknowledgements(root: IConstruct): Map<string, string> {
  const found = new Map<string, string>();
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.set(`${construct.node.path} ${id.replace(/^annotation::/i, "")}`, reason);
      }
    }
  }
  return found;
}

describe("cdk-nag AwsSolutions", () => {
  it("finds nothing unacknowledged, errors or warnings", () => {
    const report = new AwsSolutionsChecks().validateScope(synth.app);

    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(", ")}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("leaves no AwsSolutions error annotation on the stack", () => {
    const errors = Annotations.fromStack(synth.stack).findError(
      "*",
      Match.stringLikeRegexp("AwsSolutions-.*"),
    );
    expect(errors).toEqual([]);
  });

  it("would catch a finding: the same pack flags a wildcard policy and a bare queue", () => {
    // Guards against the two checks above passing because the pack checked nothing.
    const outdir = mkdtempSync(join(tmpdir(), "fristflow-nag-"));
    const stack = new Stack(new App({ outdir }), "Bad");
    const queue = new sqs.Queue(stack, "Queue");
    const role = new iam.Role(stack, "Role", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com") });
    role.addToPolicy(new iam.PolicyStatement({ actions: ["sqs:*"], resources: ["*"] }));
    queue.grantSendMessages(role);

    const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    rmSync(outdir, { recursive: true, force: true });

    expect(rules).toEqual(
      expect.arrayContaining(["AwsSolutions-SQS3", "AwsSolutions-SQS4", "AwsSolutions-IAM5[Resource::*]"]),
    );
  });

  it("has exactly the documented acknowledgements, each on the construct it concerns", () => {
    const acks = acknowledgements(synth.app);
    const handlers = ["Step", "Park", "RecordFailure", "Http"];

    const expected = new Map<string, string>([
      ...handlers.map((h): [string, string] => [
        `Fristflow/${h}/Role AwsSolutions-IAM5[Resource::*]`,
        REASONS.xrayResourceStar,
      ]),
      ...handlers.map((h): [string, string] => [`Fristflow/${h}/Function AwsSolutions-L1`, REASONS.node22]),
      [
        "Fristflow/InstanceLoop/Role AwsSolutions-IAM5[Resource::*]",
        `${REASONS.xrayResourceStar} ${REASONS.logDeliveryResourceStar}`,
      ],
      ["Fristflow/InstanceLoop/Resource AwsSolutions-SF1", REASONS.loopLogsErrorsOnly],
      ["Fristflow/Secrets/LinkKey AwsSolutions-SMG4", REASONS.linkKeyRotation],
      ["Fristflow/Secrets/AdminToken AwsSolutions-SMG4", REASONS.adminTokenRotation],
      ["Fristflow/Api/Resource AwsSolutions-APIG4", REASONS.publicRoute],
      ["Fristflow/DeadLetters/Queue AwsSolutions-SQS3", REASONS.dlqIsTerminus],
    ]);
    const nagOnly = new Map([...acks].filter(([key]) => key.includes(" AwsSolutions-")));
    expect(Object.fromEntries(nagOnly)).toEqual(Object.fromEntries(expected));
  });

  it("gives every acknowledgement a specific reason", () => {
    for (const reason of Object.values(REASONS)) {
      expect(reason.length).toBeGreaterThan(120);
    }
  });

  it("writes the acknowledgements into the template for whoever reviews the deployed stack", () => {
    const resources = synth.template.toJSON().Resources as Record<
      string,
      { Metadata?: Record<string, unknown> }
    >;
    const suppressed = Object.values(resources).flatMap(
      (r) =>
        (r.Metadata?.cdk_nag as { rules_to_suppress?: { id: string }[] } | undefined)?.rules_to_suppress ??
        [],
    );
    expect(new Set(suppressed.map((s) => s.id))).toEqual(
      new Set([
        "AwsSolutions-IAM5[Resource::*]",
        "AwsSolutions-L1",
        "AwsSolutions-SMG4",
        "AwsSolutions-APIG4",
        "AwsSolutions-SQS3",
        "AwsSolutions-SF1",
      ]),
    );
  });
});
