/**
 * Lambda entry of the HTTP app (API Gateway HTTP API, payload 2.0): confirm pages and the admin
 * API. Thin: the app is built once per container from validated configuration, on the first
 * request rather than at import, so a bad configuration fails that request with a clear log
 * line instead of a crash loop during init.
 */

import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SFNClient } from "@aws-sdk/client-sfn";
import middy from "@middy/core";
import type { Hono } from "hono";
import { handle, type LambdaContext, type LambdaEvent } from "hono/aws-lambda";
import { z } from "zod";
import { SfnLoopStarter, SfnSignaller } from "../shared/app/sfn.ts";
import { createHttpApp } from "../shared/http/app.ts";
import type { HttpEnv } from "../shared/http/context.ts";
import { SecretsManagerLinkKeyProvider } from "../shared/links/keys.ts";
import { cachedSecret } from "../shared/secrets/cached-secret.ts";
import {
  createStoreDocumentClient,
  dynamoDbConnections,
  LAMBDA_DYNAMODB_MAX_SOCKETS,
} from "../shared/store/client.ts";
import { dynamoStores } from "../shared/store/dynamo/index.ts";
import { systemClock } from "../shared/time/clock.ts";
import { ConfigError, type FristflowConfig, readConfig } from "./config.ts";

const logger = new Logger({ serviceName: "fristflow-http" });

/** What only this Lambda needs beyond the shared configuration (where the state machine is optional). */
const HttpEnvSchema = z.object({
  FRISTFLOW_ADMIN_TOKEN_SECRET_ARN: z
    .string({ error: "is not set" })
    .regex(/^arn:aws[a-z-]*:secretsmanager:/, "must be a secretsmanager ARN"),
  FRISTFLOW_STATE_MACHINE_ARN: z
    .string({ error: "is not set (the admin API starts instances)" })
    .regex(/^arn:aws[a-z-]*:states:/, "must be a states ARN"),
});

/** The admin API's bearer token never shorter than this: a guessable token would open the API. */
const MIN_ADMIN_TOKEN_LENGTH = 24;

function buildApp(env: Record<string, string | undefined>): Hono<HttpEnv> {
  // Every problem at once, shared and own variables alike: one failed deploy, one fix.
  const problems: string[] = [];
  let config: FristflowConfig | undefined;
  try {
    config = readConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  const extra = HttpEnvSchema.safeParse(env);
  if (!extra.success) {
    // The shared schema already reported a malformed state machine ARN; say it once.
    const own = extra.error.issues.map((i) => `${i.path.join(".")} ${i.message}`);
    problems.push(...own.filter((p) => !problems.some((q) => q.split(" ")[0] === p.split(" ")[0])));
  }
  if (config === undefined || !extra.success) throw new ConfigError(problems);

  const sfn = new SFNClient({});
  const secrets = new SecretsManagerClient({});
  const stores = dynamoStores(
    // API Gateway sends a container one request at a time: a few kept-alive sockets suffice.
    createStoreDocumentClient(new DynamoDBClient(dynamoDbConnections(LAMBDA_DYNAMODB_MAX_SOCKETS))),
    config.tableName,
    systemClock,
  );
  return createHttpApp({
    ...stores,
    clock: systemClock,
    signaller: new SfnSignaller(sfn),
    starter: new SfnLoopStarter(sfn, extra.data.FRISTFLOW_STATE_MACHINE_ARN, systemClock),
    settings: {
      publicBaseUrl: config.publicBaseUrl,
      mailFrom: config.mailFrom,
      organisation: config.organisation,
      ...(config.accessLogRetentionDays === undefined
        ? {}
        : { accessLogRetentionDays: config.accessLogRetentionDays }),
    },
    linkKey: new SecretsManagerLinkKeyProvider(secrets, config.linkKeySecretArn),
    adminToken: adminToken(secrets, extra.data.FRISTFLOW_ADMIN_TOKEN_SECRET_ARN),
    logger,
  });
}

/**
 * The admin token, cached for SECRET_MAX_AGE_SECONDS: a rotated token takes effect in warm
 * containers within minutes. A failed read or a token too short is not remembered, so a
 * throttled call does not lock the API and a fixed secret is picked up by the next request.
 */
function adminToken(client: SecretsManagerClient, secretId: string): () => Promise<string> {
  return cachedSecret(client, secretId, (value) => {
    const token = typeof value === "string" ? value : "";
    if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
      throw new Error(`the admin token secret holds fewer than ${MIN_ADMIN_TOKEN_LENGTH} characters`);
    }
    return token;
  });
}

let lambdaHandler: ReturnType<typeof handle> | undefined;

async function serve(event: LambdaEvent, context: LambdaContext) {
  if (lambdaHandler === undefined) {
    try {
      lambdaHandler = handle(buildApp(process.env));
    } catch (err) {
      // ConfigError lists variable names, never values.
      logger.error("cannot start the HTTP app", err instanceof Error ? err : String(err));
      throw err;
    }
  }
  return lambdaHandler(event, context);
}

export const handler = middy(serve).use(injectLambdaContext(logger));
