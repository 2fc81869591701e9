import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FileLinkKeyProvider, SecretsManagerLinkKeyProvider } from "../../shared/links/keys.ts";
import { SECRET_MAX_AGE_SECONDS } from "../../shared/secrets/cached-secret.ts";
import { secretString, secretsClient, secretsError } from "../support/secrets.ts";

describe("FileLinkKeyProvider", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "fristflow-key-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates a 32-byte owner-only key file on first use, in a folder it creates", async () => {
    // Prepare
    const path = join(dir, "data", "link-key");
    const provider = new FileLinkKeyProvider(path, (n) => Buffer.alloc(n, 0x5a));

    // Act
    const key = await provider.getKey();

    // Assess
    expect(key).toEqual(Buffer.alloc(32, 0x5a));
    expect(await readFile(path)).toEqual(key);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("reuses the existing key, so links survive a restart", async () => {
    // Prepare
    const path = join(dir, "link-key");
    const first = await new FileLinkKeyProvider(path).getKey();

    // Act
    const second = await new FileLinkKeyProvider(path, () => Buffer.alloc(32, 1)).getKey();

    // Assess
    expect(second).toEqual(first);
  });

  it("refuses a key file that is too short", async () => {
    // Prepare
    const path = join(dir, "link-key");
    await writeFile(path, Buffer.alloc(8));

    // Act / Assess
    await expect(new FileLinkKeyProvider(path).getKey()).rejects.toThrow(/at least 32/);
  });
});

describe("SecretsManagerLinkKeyProvider", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("asks Secrets Manager for the configured secret once and uses the string's bytes", async () => {
    // Prepare
    const secret = "Zq8v1Kp3Xw9Lm2Nb7Hc4Td6Ry0Fs5Gj8Ak3Ue1Wo";
    const { client, seen } = secretsClient([
      { status: 200, body: { Name: "fristflow/link-key", SecretString: secret } },
    ]);
    const provider = new SecretsManagerLinkKeyProvider(client, "fristflow/link-key");

    // Act
    const first = await provider.getKey();
    const second = await provider.getKey();

    // Assess
    expect(first).toEqual(Buffer.from(secret, "utf8"));
    expect(second).toEqual(first);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers["x-amz-target"]).toBe("secretsmanager.GetSecretValue");
    expect(JSON.parse(seen[0]?.body ?? "{}")).toEqual({ SecretId: "fristflow/link-key" });
  });

  it("uses a binary secret as raw bytes", async () => {
    // Prepare
    const bytes = Buffer.alloc(32, 0x11);
    const { client } = secretsClient([{ status: 200, body: { SecretBinary: bytes.toString("base64") } }]);

    // Act
    const key = await new SecretsManagerLinkKeyProvider(client, "arn:aws:secretsmanager:x").getKey();

    // Assess
    expect(key).toEqual(bytes);
  });

  it("does not cache a failure: the next call asks again", async () => {
    // Prepare
    const secret = "k".repeat(40);
    const { client, seen } = secretsClient([
      secretsError(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret."),
      secretString(secret),
    ]);
    const provider = new SecretsManagerLinkKeyProvider(client, "fristflow/link-key");

    // Act
    const failed = await provider.getKey().catch((err: unknown) => err);
    const key = await provider.getKey();

    // Assess
    expect((failed as Error).name).toBe("ResourceNotFoundException");
    expect(key).toEqual(Buffer.from(secret));
    expect(seen).toHaveLength(2);
  });

  it("uses a rotated key once the cached one is older than the maximum age", async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2024-05-01T06:00:00Z"));
    const before = "a".repeat(40);
    const after = "b".repeat(40);
    const { client, seen } = secretsClient([secretString(before), secretString(after)]);
    const provider = new SecretsManagerLinkKeyProvider(client, "fristflow/link-key");

    // Act
    const first = await provider.getKey();
    vi.setSystemTime(new Date(Date.parse("2024-05-01T06:00:00Z") + (SECRET_MAX_AGE_SECONDS - 1) * 1000));
    const withinAge = await provider.getKey();
    vi.setSystemTime(new Date(Date.parse("2024-05-01T06:00:00Z") + (SECRET_MAX_AGE_SECONDS + 1) * 1000));
    const rotated = await provider.getKey();

    // Assess
    expect(first.toString()).toBe(before);
    expect(withinAge.toString()).toBe(before);
    expect(rotated.toString()).toBe(after);
    expect(seen).toHaveLength(2);
  });

  it("refuses a secret shorter than 32 bytes", async () => {
    // Prepare
    const { client } = secretsClient([{ status: 200, body: { SecretString: "short" } }]);

    // Act / Assess
    await expect(new SecretsManagerLinkKeyProvider(client, "s").getKey()).rejects.toThrow(/at least 32/);
  });
});
