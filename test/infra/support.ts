/**
 * Shared by the infra tests: building the app exactly as `cdk synth` does (cdk.json's context,
 * the same createFristflowApp), and resolving the CloudFormation intrinsics in a template to the
 * strings they become in one fixed account and region.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { createFristflowApp, type FristflowApp } from "../../infra/cdk/fristflow-app.ts";
import { HANDLERS, REPO_ROOT } from "../../infra/cdk/fristflow-stack.ts";

export const ACCOUNT = "123456789012";
export const REGION = "eu-north-1";

/** The context `cdk synth` starts from. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO_ROOT, "cdk.json"), "utf8")).context;
}

/**
 * The real functions/ directory once every entry exists. Bundling is skipped in the template
 * tests (only the files' existence matters there); the CLI synth test bundles the real ones.
 * Until another change lands the handlers, stand-ins under test/.artifacts keep these tests about
 * the infrastructure.
 */
function functionsDir(): string {
  const real = join(REPO_ROOT, "functions");
  if (Object.values(HANDLERS).every((file) => existsSync(join(real, file)))) return real;
  const stubs = join(REPO_ROOT, "test/.artifacts/infra-handler-stubs");
  mkdirSync(stubs, { recursive: true });
  for (const file of Object.values(HANDLERS)) {
    writeFileSync(join(stubs, file), "export const handler = async () => ({});\n");
  }
  return stubs;
}

export interface Synthesized extends FristflowApp {
  template: Template;
  /** Removes the cloud assembly written to a temp directory. */
  cleanup(): void;
}

/** Synthesizes the app with cdk.json's context plus `overrides`, without bundling (seconds, not a minute). */
export function synthesize(overrides: Record<string, unknown> = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), "fristflow-cdk-"));
  const built = createFristflowApp({
    context: { ...cdkJsonContext(), ...overrides, "aws:cdk:bundling-stacks": [] },
    functionsDir: functionsDir(),
    outdir,
  });
  return {
    ...built,
    template: Template.fromStack(built.stack),
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, Json>;
  DeletionPolicy?: string;
  Metadata?: Record<string, Json>;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Resolver {
  /** Resolves `Ref` to a resource (pseudo parameters are handled). */
  ref(logicalId: string): string;
  getAtt(logicalId: string, attribute: string): string;
}

const PSEUDO: Record<string, string> = {
  "AWS::Partition": "aws",
  "AWS::Region": REGION,
  "AWS::AccountId": ACCOUNT,
  "AWS::URLSuffix": "amazonaws.com",
};

/** Replaces Ref, Fn::GetAtt and Fn::Join by strings; anything else is left as it is. */
export function resolveIntrinsics(value: Json, resolver: Resolver): Json {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, resolver));
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const ref = value.Ref;
    if (typeof ref === "string") return PSEUDO[ref] ?? resolver.ref(ref);
    const getAtt = value["Fn::GetAtt"];
    if (Array.isArray(getAtt)) return resolver.getAtt(String(getAtt[0]), String(getAtt[1]));
    const join = value["Fn::Join"];
    if (Array.isArray(join)) {
      const [separator, parts] = join as [string, Json[]];
      return parts.map((part) => String(resolveIntrinsics(part, resolver))).join(separator);
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveIntrinsics(v, resolver)]));
}

/** A resolver that knows the resource types the stack uses and makes readable fake ARNs. */
export function resolverFor(template: Template): Resolver {
  const resources = template.toJSON().Resources as Record<string, CfnResource>;
  const typeOf = (id: string): string => {
    const resource = resources[id];
    if (resource === undefined) throw new Error(`no resource ${id} in the template`);
    return resource.Type;
  };
  const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
  return {
    ref(id) {
      switch (typeOf(id)) {
        case "AWS::StepFunctions::StateMachine":
          return arn("states", `stateMachine:${String(resources[id]?.Properties?.StateMachineName)}`);
        case "AWS::SecretsManager::Secret":
          return arn("secretsmanager", `secret:${id}-AbCdEf`);
        default:
          // Tables, configuration sets, identities, log groups, APIs: Ref is their name or id.
          return `ref:${id}`;
      }
    },
    getAtt(id, attribute) {
      const type = typeOf(id);
      if (type === "AWS::Lambda::Function" && attribute === "Arn") return arn("lambda", `function:${id}`);
      if (type === "AWS::DynamoDB::Table" && attribute === "Arn") return arn("dynamodb", `table/ref:${id}`);
      if (type === "AWS::Logs::LogGroup" && attribute === "Arn") return arn("logs", `log-group:${id}:*`);
      if (type === "AWS::ApiGatewayV2::Api" && attribute === "ApiEndpoint") {
        return `https://${id}.execute-api.${REGION}.amazonaws.com`;
      }
      return `getatt:${id}.${attribute}`;
    },
  };
}
