/** The Notify Lambda of the instance loop (see shared/app/notify.ts). */
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "@aws-lambda-powertools/logger";
import { DefinitionCache } from "../shared/app/definitions.ts";
import { type NotifyDeps, runNotify } from "../shared/app/notify.ts";
import { NotifyInputSchema, NotifyOutputSchema } from "../shared/loop/contract.ts";
import { waitSeconds } from "../shared/loop/wait.ts";
import { awsRuntime, createLogger, sesTransport } from "./aws.ts";
import { lazyHandler, loopHandler } from "./middleware.ts";

export function createNotifyHandler(deps: NotifyDeps & { logger?: Logger }) {
  const logger = deps.logger ?? createLogger();
  return loopHandler({
    step: "notify",
    input: NotifyInputSchema,
    output: NotifyOutputSchema,
    logger,
    run: async (input) => {
      const report = await runNotify({ log: logger, ...deps }, input);
      return {
        sent: report.sent,
        skipped: report.skipped,
        waitSeconds: waitSeconds(input.nextWakeAt, deps.clock.now()),
      };
    },
  });
}

export const handler = lazyHandler(() => {
  const aws = awsRuntime();
  return createNotifyHandler({
    ...aws.stores,
    clock: aws.clock,
    settings: {
      publicBaseUrl: aws.config.publicBaseUrl,
      mailFrom: aws.config.mailFrom,
      organisation: aws.config.organisation,
    },
    transport: sesTransport(aws),
    linkKey: aws.linkKey(),
    sleep: (ms) => delay(ms),
    random: Math.random,
    definitions: new DefinitionCache(),
  });
});
