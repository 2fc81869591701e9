/** The step Lambda of the instance loop: decide and send (see shared/app/step.ts). */
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "@aws-lambda-powertools/logger";
import { DefinitionCache } from "../shared/app/definitions.ts";
import { runStep, type StepDeps } from "../shared/app/step.ts";
import { StepInputSchema, StepOutputSchema } from "../shared/loop/contract.ts";
import { awsRuntime, createLogger, sesTransport } from "./aws.ts";
import { lazyHandler, loopHandler } from "./middleware.ts";

export function createStepHandler(deps: StepDeps & { logger?: Logger }) {
  const logger = deps.logger ?? createLogger();
  return loopHandler({
    step: "step",
    input: StepInputSchema,
    output: StepOutputSchema,
    logger,
    run: (input) => runStep({ log: logger, ...deps }, input),
  });
}

export const handler = lazyHandler(() => {
  const aws = awsRuntime();
  return createStepHandler({
    ...aws.stores,
    clock: aws.clock,
    settings: {
      publicBaseUrl: aws.config.publicBaseUrl,
      mailFrom: aws.config.mailFrom,
      organisation: aws.config.organisation,
      ...(aws.config.replyTo === undefined ? {} : { replyTo: aws.config.replyTo }),
    },
    transport: sesTransport(aws),
    linkKey: aws.linkKey(),
    sleep: (ms) => delay(ms),
    random: Math.random,
    definitions: new DefinitionCache(),
  });
});
