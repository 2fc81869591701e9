/**
 * Builds the CDK app: context validated, the stack, and cdk-nag's AwsSolutions pack registered as
 * a policy-validation plugin. app.ts (what `cdk synth` runs) and test/infra build it through this
 * one function, so the tests check exactly what the CLI synthesizes.
 */
import { App, Validations } from "aws-cdk-lib";
import cdkNag from "cdk-nag";
import { type DeployConfig, readDeployConfig } from "./config.ts";
import { FristflowStack } from "./fristflow-stack.ts";

// cdk-nag is CommonJS whose exports Node cannot list statically: import the namespace object.
const { AwsSolutionsChecks } = cdkNag;

export interface FristflowAppOptions {
  /** Context to start from; the CLI passes cdk.json's and `-c` values through the environment. */
  context?: Record<string, unknown>;
  /** Handler entry directory, for tests that substitute stubs. */
  functionsDir?: string;
  outdir?: string;
}

export interface FristflowApp {
  app: App;
  stack: FristflowStack;
  config: DeployConfig;
}

export function createFristflowApp(options: FristflowAppOptions = {}): FristflowApp {
  const app = new App({
    ...(options.context ? { context: options.context } : {}),
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  // cdk-nag 3 is a policy-validation plugin: any unacknowledged finding, warning or error, stops
  // the synth. The acknowledgements and their reasons are also written into the template's
  // Metadata, so a reviewer of the deployed stack sees why each exception exists.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );
  const config = readDeployConfig((key) => app.node.tryGetContext(key));
  const stack = new FristflowStack(app, "Fristflow", {
    stackName: config.stackName,
    description: "fristflow: deadline and reminder workflows (instance loop, HTTP app, mail)",
    config,
    ...(options.functionsDir ? { functionsDir: options.functionsDir } : {}),
  });
  return { app, stack, config };
}
