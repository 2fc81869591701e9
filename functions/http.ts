/**
 * Lambda entry of the HTTP app (API Gateway HTTP API, payload 2.0): confirm pages and the admin
 * API. Thin: the app is built once per container from validated configuration, on the first
 * request rather than at import, so a bad configuration fails that request with a clear log
 * line instead of a crash loop during init. Staff log in through the OpenID provider when the
 * stack configured one (functions/login.ts), as they do locally.
 */

import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SFNClient } from "@aws-sdk/client-sfn";
import middy from "@middy/core";
import type { Hono } from "hono";
import { handle, type LambdaContext, type LambdaEvent } from "hono/aws-lambda";
import { z } from "zod";
import { SfnLoopStarter, SfnSignaller } from "../shared/app/sfn.ts";
import { createHttpApp } from "../shared/http/app.ts";
import type { HttpEnv } from "../shared/http/context.ts";
import { type LoginSettings, LoginSettingsError, readLoginSettings } from "../shared/http/login-settings.ts";
import { NodeSamlLogin, type SamlSettings } from "../shared/http/saml.ts";
import { SecretsManagerLinkKeyProvider } from "../shared/links/keys.ts";
import { SesV2Transport } from "../shared/mail/transport.ts";
import { cachedSecret } from "../shared/secrets/cached-secret.ts";
import {
  createStoreDocumentClient,
  dynamoDbConnections,
  LAMBDA_DYNAMODB_MAX_SOCKETS,
} from "../shared/store/client.ts";
import { dynamoStores } from "../shared/store/dynamo/index.ts";
import type { Stores } from "../shared/store/ports.ts";
import { type Clock, systemClock } from "../shared/time/clock.ts";
import { ConfigError, type FristflowConfig, readConfig } from "./config.ts";
import { awsOidcLogin, type OidcEnv, readOidcEnv } from "./login.ts";

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

/** The AWS clients the app talks through; tests pass their own (DynamoDB Local, a canned Secrets Manager). */
export interface HttpClients {
  dynamo: DynamoDBClient;
  secrets: SecretsManagerClient;
  sfn: SFNClient;
}

function awsClients(): HttpClients {
  return {
    // API Gateway sends a container one request at a time: a few kept-alive sockets suffice.
    dynamo: new DynamoDBClient(dynamoDbConnections(LAMBDA_DYNAMODB_MAX_SOCKETS)),
    secrets: new SecretsManagerClient({}),
    sfn: new SFNClient({}),
  };
}

function buildApp(env: Record<string, string | undefined>, clients: HttpClients): Hono<HttpEnv> {
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
  let oidc: OidcEnv | null = null;
  let logins: LoginSettings | undefined;
  if (config !== undefined) {
    const login = readOidcEnv(env, config.organisation);
    problems.push(...login.problems);
    oidc = login.settings;
    try {
      logins = readLoginSettings(env, config.publicBaseUrl);
    } catch (err) {
      if (!(err instanceof LoginSettingsError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (config === undefined || !extra.success || logins === undefined || problems.length > 0) {
    throw new ConfigError(problems);
  }

  const { sfn, secrets } = clients;
  const stores = dynamoStores(createStoreDocumentClient(clients.dynamo), config.tableName, systemClock);
  return createHttpApp({
    ...stores,
    ...(oidc === null ? {} : { oidc: awsOidcLogin(oidc, secrets, logins.oidcGroupClaim) }),
    ...(logins.saml === undefined ? {} : { saml: samlLogin(logins.saml, stores, systemClock) }),
    ...(logins.groupRoles === undefined ? {} : { groupRoles: logins.groupRoles }),
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
      ...(config.replyTo === undefined ? {} : { replyTo: config.replyTo }),
    },
    linkKey: new SecretsManagerLinkKeyProvider(secrets, config.linkKeySecretArn),
    adminToken: adminToken(secrets, extra.data.FRISTFLOW_ADMIN_TOKEN_SECRET_ARN),
    logger,
    // The notice a caseworker approves; sendWithRetry owns the retries, as in the step handler.
    mailTransport: new SesV2Transport(
      new SESv2Client({ maxAttempts: 1 }),
      config.sesConfigurationSet === undefined ? {} : { configurationSetName: config.sesConfigurationSet },
    ),
  });
}

/** SAML 2.0 (AD FS, Context Handler): pending request ids in the table, seen by every container. */
function samlLogin(
  settings: SamlSettings,
  stores: Pick<Stores, "samlRequests">,
  clock: Clock,
): NodeSamlLogin {
  return new NodeSamlLogin(() => settings, stores.samlRequests, clock);
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

/**
 * The Lambda handler: the app built on the first request from `env()` and `clients()`, then
 * reused by the container. `handler` below is it with the process's environment and real clients.
 */
export function createHttpHandler(
  env: () => Record<string, string | undefined>,
  clients: () => HttpClients = awsClients,
) {
  let lambdaHandler: ReturnType<typeof handle> | undefined;

  async function serve(event: LambdaEvent, context: LambdaContext) {
    if (lambdaHandler === undefined) {
      try {
        lambdaHandler = handle(buildApp(env(), clients()));
      } catch (err) {
        // ConfigError lists variable names, never values.
        logger.error("cannot start the HTTP app", err instanceof Error ? err : String(err));
        throw err;
      }
    }
    return lambdaHandler(event, context);
  }

  return middy(serve).use(injectLambdaContext(logger));
}

export const handler = createHttpHandler(() => process.env);
