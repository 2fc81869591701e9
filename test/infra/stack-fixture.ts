/**
 * The synthesized Fristflow stack for the stack-*.test.ts files: synthesized once per file, with
 * the readers those tests share (resources by type, properties, logical ids, intrinsics resolved,
 * IAM statements and a role's grants).
 */
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import { afterAll, beforeAll } from "vitest";
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

export interface Statement {
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: Json;
  Principal?: Json;
  Condition?: Json;
}

export interface SynthesizedStack {
  readonly stack: Synthesized["stack"];
  readonly template: Synthesized["template"];
  logicalId(construct: { node: { defaultChild?: unknown } } | unknown): string;
  ofType(type: string): [string, CfnResource][];
  props(id: string): Record<string, Json>;
  /** A template value with Ref, Fn::GetAtt and Fn::Join resolved to readable strings (support.ts). */
  resolve(value: Json | undefined): Json;
  /** Every policy statement in the template: identity policies and resource policies alike. */
  allStatements(): { owner: string; type: string; statement: Statement }[];
  /** action -> resolved resources, for the identity policy attached to a role. */
  grantsOfRole(roleLogicalId: string): Map<string, string[]>;
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

export const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

/**
 * Synthesizes the stack (cdk.json's context plus `overrides`) before the file's tests and removes
 * the cloud assembly after them.
 */
export function synthesizedStack(overrides: Record<string, unknown> = {}): SynthesizedStack {
  let synth: Synthesized | undefined;
  let resources: Record<string, CfnResource> = {};
  let resolver: Resolver | undefined;

  beforeAll(() => {
    synth = synthesize(overrides);
    resources = synth.template.toJSON().Resources;
    resolver = resolverFor(synth.template);
  });
  afterAll(() => synth?.cleanup());

  const synthesized = (): Synthesized => {
    if (synth === undefined) throw new Error("the stack is synthesized in beforeAll");
    return synth;
  };

  const resolve = (value: Json | undefined): Json => {
    if (resolver === undefined) throw new Error("the stack is synthesized in beforeAll");
    return resolveIntrinsics(value ?? null, resolver);
  };

  function logicalId(construct: { node: { defaultChild?: unknown } } | unknown): string {
    const child = (construct as { node: { defaultChild?: unknown } }).node.defaultChild ?? construct;
    return synthesized().stack.getLogicalId(child as CfnFunction);
  }

  function ofType(type: string): [string, CfnResource][] {
    return Object.entries(resources).filter(([, r]) => r.Type === type);
  }

  function props(id: string): Record<string, Json> {
    const found = resources[id]?.Properties;
    if (found === undefined) throw new Error(`no properties for ${id}`);
    return found;
  }

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

  return {
    get stack() {
      return synthesized().stack;
    },
    get template() {
      return synthesized().template;
    },
    logicalId,
    ofType,
    props,
    resolve,
    allStatements,
    grantsOfRole,
  };
}
