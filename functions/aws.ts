/**
 * Wiring for AWS: the SDK clients and adapters the loop Lambdas use, built from the validated
 * configuration. Called once per container by each handler's lazy `handler` export; tests and the
 * local engine never come here (they pass their own deps to the handler factories).
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SecretsManagerLinkKeyProvider } from "../shared/links/keys.ts";
import { SesV2Transport } from "../shared/mail/transport.ts";
import {
  createStoreDocumentClient,
  dynamoDbConnections,
  LAMBDA_DYNAMODB_MAX_SOCKETS,
} from "../shared/store/client.ts";
import { dynamoStores } from "../shared/store/dynamo/index.ts";
import type { Stores } from "../shared/store/ports.ts";
import { systemClock } from "../shared/time/clock.ts";
import { type FristflowConfig, readConfig } from "./config.ts";

export const SERVICE_NAME = "fristflow";

/** The Powertools logger every handler uses unless given one (level from POWERTOOLS_LOG_LEVEL). */
export function createLogger(): Logger {
  return new Logger({ serviceName: SERVICE_NAME });
}

export interface AwsRuntime {
  config: FristflowConfig;
  stores: Stores;
  clock: typeof systemClock;
  /** Created on first use: only some Lambdas need each of these. */
  ses(): SESv2Client;
  sfn(): SFNClient;
  linkKey(): SecretsManagerLinkKeyProvider;
}

export function awsRuntime(env: Record<string, string | undefined> = process.env): AwsRuntime {
  const config = readConfig(env);
  const stores = dynamoStores(
    // One invocation at a time per container: a few kept-alive sockets (see LAMBDA_DYNAMODB_MAX_SOCKETS).
    createStoreDocumentClient(new DynamoDBClient(dynamoDbConnections(LAMBDA_DYNAMODB_MAX_SOCKETS))),
    config.tableName,
    systemClock,
  );
  let ses: SESv2Client | undefined;
  let sfn: SFNClient | undefined;
  let linkKey: SecretsManagerLinkKeyProvider | undefined;
  return {
    config,
    stores,
    clock: systemClock,
    // sendWithRetry owns mail retries; the SDK's own attempts inside each would multiply them.
    ses: () => {
      ses ??= new SESv2Client({ maxAttempts: 1 });
      return ses;
    },
    sfn: () => {
      sfn ??= new SFNClient({});
      return sfn;
    },
    linkKey: () => {
      linkKey ??= new SecretsManagerLinkKeyProvider(new SecretsManagerClient({}), config.linkKeySecretArn);
      return linkKey;
    },
  };
}

export function sesTransport(runtime: AwsRuntime): SesV2Transport {
  return new SesV2Transport(
    runtime.ses(),
    runtime.config.sesConfigurationSet === undefined
      ? {}
      : { configurationSetName: runtime.config.sesConfigurationSet },
  );
}
