/** The Notify Lambda of the instance loop (see shared/app/notify.ts). */
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "@aws-lambda-powertools/logger";
import { DefinitionCache } from "../shared/app/definitions.ts";
import { type NotifyDeps, runNotify } from "../shared/app/notify.ts";
import { NotifyInputSchema } from "../shared/loop/contract.ts";
import { awsRuntime, createLogger, sesTransport } from "./aws.ts";
import { lazyHandler, loopHandler } from "./middleware.ts";

export function createNotifyHandler(deps: NotifyDeps & { logger?: Logger }) {
  const logger = deps.logger ?? createLogger();
  return loopHandler({
    step: "notify",
    input: NotifyInputSchema,
    logger,
    run: (input) => runNotify({ log: logger, ...deps }, input),
  });
}

export const handler = lazyHandler(() => {
  const aws = awsRuntime();
  return createNotifyHandler({
    store: aws.store,
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
