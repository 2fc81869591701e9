/** The RecordFailure Lambda of the instance loop (see shared/app/record-failure.ts). */
import type { Logger } from "@aws-lambda-powertools/logger";
import { type RecordFailureDeps, runRecordFailure } from "../shared/app/record-failure.ts";
import { RecordFailureInputSchema, RecordFailureOutputSchema } from "../shared/loop/contract.ts";
import { awsRuntime, createLogger } from "./aws.ts";
import { lazyHandler, loopHandler } from "./middleware.ts";

export function createRecordFailureHandler(deps: RecordFailureDeps & { logger?: Logger }) {
  const logger = deps.logger ?? createLogger();
  return loopHandler({
    step: "record-failure",
    input: RecordFailureInputSchema,
    output: RecordFailureOutputSchema,
    logger,
    run: (input) => runRecordFailure({ log: logger, ...deps }, input),
  });
}

export const handler = lazyHandler(() => {
  const aws = awsRuntime();
  return createRecordFailureHandler({ ...aws.stores, clock: aws.clock });
});
