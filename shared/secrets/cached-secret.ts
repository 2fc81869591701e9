/**
 * A Secrets Manager secret read through Powertools' SecretsProvider: kept for
 * SECRET_MAX_AGE_SECONDS, then fetched again, so a rotated secret reaches a warm Lambda container
 * within minutes instead of at its next cold start. A failed fetch is not kept (the provider only
 * caches what it got), and neither is a value the caller's `read` refuses, so a fixed secret is
 * picked up by the next call.
 *
 * Failures come out as the SDK threw them (the provider wraps them in a GetParameterError; the
 * original is its cause): callers classify throttling by the SDK's error names.
 */

import { GetParameterError } from "@aws-lambda-powertools/parameters";
import { SecretsProvider } from "@aws-lambda-powertools/parameters/secrets";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** How long a fetched secret is used before it is fetched again: the delay of a rotation. */
export const SECRET_MAX_AGE_SECONDS = 5 * 60;

/** What Secrets Manager holds: SecretString, else SecretBinary, else nothing. */
export type SecretValue = string | Uint8Array | undefined;

export interface CachedSecretOptions {
  /** Default SECRET_MAX_AGE_SECONDS. */
  maxAgeSeconds?: number;
}

/**
 * Returns a function that gives the secret's value as `read` makes it (check and convert; throw
 * to refuse it), fetching it at most once per max age.
 */
export function cachedSecret<T>(
  client: SecretsManagerClient,
  secretId: string,
  read: (value: SecretValue) => T,
  options: CachedSecretOptions = {},
): () => Promise<T> {
  // One provider per secret, so dropping a refused value drops nothing else.
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  const maxAge = options.maxAgeSeconds ?? SECRET_MAX_AGE_SECONDS;
  return async () => {
    let value: SecretValue;
    try {
      value = await provider.get(secretId, { maxAge });
    } catch (err) {
      throw err instanceof GetParameterError && err.cause !== undefined ? err.cause : err;
    }
    try {
      return read(value);
    } catch (err) {
      provider.clearCache();
      throw err;
    }
  };
}
