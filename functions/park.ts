/** The park Lambda behind the instance loop's Sleep state (see shared/app/park.ts). */
import type { Logger } from "@aws-lambda-powertools/logger";
import { type ParkDeps, runPark } from "../shared/app/park.ts";
import { SfnSignaller } from "../shared/app/sfn.ts";
import { ParkInputSchema } from "../shared/loop/contract.ts";
import { awsRuntime, createLogger } from "./aws.ts";
import { lazyHandler, loopHandler } from "./middleware.ts";

export function createParkHandler(deps: ParkDeps & { logger?: Logger }) {
  const logger = deps.logger ?? createLogger();
  return loopHandler({
    step: "park",
    input: ParkInputSchema,
    logger,
    run: (input) => runPark({ log: logger, ...deps }, input),
  });
}

export const handler = lazyHandler(() => {
  const aws = awsRuntime();
  return createParkHandler({ ...aws.stores, signaller: new SfnSignaller(aws.sfn()) });
});
