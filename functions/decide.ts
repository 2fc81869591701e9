/** The Decide Lambda of the instance loop (see shared/app/decide-step.ts). */
import type { Logger } from "@aws-lambda-powertools/logger";
import { type DecideDeps, runDecide } from "../shared/app/decide-step.ts";
import { DefinitionCache } from "../shared/app/definitions.ts";
import { DecideInputSchema, DecideOutputSchema } from "../shared/loop/contract.ts";
import { awsRuntime, createLogger } from "./aws.ts";
import { lazyHandler, loopHandler } from "./middleware.ts";

export function createDecideHandler(deps: DecideDeps & { logger?: Logger }) {
  const logger = deps.logger ?? createLogger();
  return loopHandler({
    step: "decide",
    input: DecideInputSchema,
    output: DecideOutputSchema,
    logger,
    run: (input) => runDecide({ log: logger, ...deps }, input),
  });
}

export const handler = lazyHandler(() => {
  const aws = awsRuntime();
  return createDecideHandler({ ...aws.stores, clock: aws.clock, definitions: new DefinitionCache() });
});
