/**
 * One fristflow Lambda: a functions/*.ts entry bundled by the local esbuild, with its own role,
 * log group and X-Ray tracing. All five handlers are built the same way so they differ only in
 * sizing and in what they are granted; the stack adds their settings with addEnvironment.
 */
import type { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

/**
 * The bundle is ESM, but CommonJS dependencies inside it (nodemailer among them) require() Node
 * built-ins, which esbuild's ESM output cannot do ("Dynamic require of "fs" is not supported"):
 * give the bundle a real require. The import is aliased so it cannot clash with a top-level name
 * of the bundle, since esbuild does not see the banner when it renames.
 */
export const REQUIRE_BANNER =
  "import { createRequire as __fristflowCreateRequire } from 'node:module';" +
  "const require = __fristflowCreateRequire(import.meta.url);";

export interface HandlerFunctionProps {
  /** Absolute path of the functions/*.ts file exporting `handler`. */
  entry: string;
  description: string;
  /** Directory holding package.json and package-lock.json (the esbuild working directory). */
  projectRoot: string;
  timeout: Duration;
  memorySize: number;
  logRetentionDays: number;
  logRemovalPolicy: RemovalPolicy;
  reservedConcurrentExecutions?: number | undefined;
}

export class HandlerFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.logRemovalPolicy,
    });

    // An own role instead of the AWSLambdaBasicExecutionRole managed policy, which may write to
    // every log group in the account: this one may write to its own group only.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `fristflow ${id} handler`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new nodejs.NodejsFunction(this, "Function", {
      entry: props.entry,
      handler: "handler",
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        // Stack traces in the logs point at the TypeScript sources, not the minified bundle.
        NODE_OPTIONS: "--enable-source-maps",
      },
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      bundling: {
        // esbuild is a pinned devDependency: bundling never needs Docker or the network.
        forceDockerBundling: false,
        format: nodejs.OutputFormat.ESM,
        target: "node22",
        mainFields: ["module", "main"],
        banner: REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK too: the handlers are tested against the pinned SDK versions in
        // package-lock.json, while the copy in the Lambda runtime changes without a deploy.
        externalModules: [],
      },
    });
  }
}
