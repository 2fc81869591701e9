/**
 * Where the HMAC key for confirm links comes from. Locally a key file in the data folder, read
 * once per process; in AWS a Secrets Manager secret, cached for a few minutes. Every link already
 * mailed was signed with the key, so changing it turns every outstanding link into "tampered":
 * the cache's expiry only decides how soon a deliberate rotation takes effect in warm containers.
 */
import { randomBytes as cryptoRandomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { type CachedSecretOptions, cachedSecret } from "../secrets/cached-secret.ts";
import type { RandomBytes } from "./confirm-link.ts";
import { MIN_LINK_KEY_BYTES } from "./signed-id.ts";

export interface LinkKeyProvider {
  getKey(): Promise<Buffer>;
}

const NEW_KEY_BYTES = 32;

function checkLength(key: Buffer, source: string): Buffer {
  if (key.length < MIN_LINK_KEY_BYTES) {
    throw new RangeError(
      `link key from ${source} is ${key.length} bytes; at least ${MIN_LINK_KEY_BYTES} are needed`,
    );
  }
  return key;
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === code;
}

/**
 * A key file (raw bytes) that is created on first use with 32 random bytes, readable by the owner
 * only. Losing the file invalidates every link already mailed, so it lives with the local data
 * (the DynamoDB Local files), not in a temp folder.
 */
export class FileLinkKeyProvider implements LinkKeyProvider {
  private cached: Promise<Buffer> | undefined;

  constructor(
    private readonly path: string,
    private readonly randomBytes: RandomBytes = cryptoRandomBytes,
  ) {}

  getKey(): Promise<Buffer> {
    if (this.cached === undefined) {
      this.cached = this.load();
      // A failure (e.g. a read-only folder) should not be remembered: the next request tries again.
      this.cached.catch(() => {
        this.cached = undefined;
      });
    }
    return this.cached;
  }

  private async load(): Promise<Buffer> {
    try {
      return checkLength(await readFile(this.path), this.path);
    } catch (err) {
      if (!isErrno(err, "ENOENT")) throw err;
    }
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const key = this.randomBytes(NEW_KEY_BYTES);
    try {
      // "wx": if two processes start at once, exactly one creates the key and the other reads it.
      await writeFile(this.path, key, { mode: 0o600, flag: "wx" });
      return checkLength(key, "randomBytes");
    } catch (err) {
      if (!isErrno(err, "EEXIST")) throw err;
      return checkLength(await readFile(this.path), this.path);
    }
  }
}

/**
 * A key kept in Secrets Manager, cached for SECRET_MAX_AGE_SECONDS (one call per container per
 * five minutes), so a rotated key reaches warm containers within minutes. A SecretBinary is used
 * as raw bytes. A SecretString is used as its UTF-8 bytes, not decoded: a CDK
 * `generateSecretString` password is not base64, and guessing an encoding would silently shrink
 * the key. Either way it must be at least 32 bytes. A failed fetch or a refused value is not
 * cached: the next call asks again.
 */
export class SecretsManagerLinkKeyProvider implements LinkKeyProvider {
  private readonly key: () => Promise<Buffer>;

  constructor(client: SecretsManagerClient, secretId: string, options: CachedSecretOptions = {}) {
    const source = `secret ${secretId}`;
    this.key = cachedSecret(
      client,
      secretId,
      (value) => {
        if (value instanceof Uint8Array) return checkLength(Buffer.from(value), source);
        if (value !== undefined) return checkLength(Buffer.from(value, "utf8"), source);
        throw new Error(`${source} has neither SecretString nor SecretBinary`);
      },
      options,
    );
  }

  getKey(): Promise<Buffer> {
    return this.key();
  }
}
