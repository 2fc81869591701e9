/**
 * cachedSecret at the SDK boundary: a real SecretsManagerClient with a canned HTTP exchange, and
 * the clock moved with fake Date (Powertools' cache reads Date.now()).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cachedSecret, SECRET_MAX_AGE_SECONDS } from "../../shared/secrets/cached-secret.ts";
import { secretString, secretsClient, secretsError } from "../support/secrets.ts";

const T0 = Date.parse("2024-05-01T06:00:00Z");
const asText = (value: unknown) => String(value);

function at(secondsAfterT0: number): void {
  vi.setSystemTime(new Date(T0 + secondsAfterT0 * 1000));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  at(0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("cachedSecret", () => {
  it("fetches once within the maximum age and again after it", async () => {
    // Prepare
    const { client, seen } = secretsClient([secretString("first"), secretString("second")]);
    const secret = cachedSecret(client, "fristflow/admin-token", asText);

    // Act
    const values = [await secret()];
    at(SECRET_MAX_AGE_SECONDS - 1);
    values.push(await secret());
    at(SECRET_MAX_AGE_SECONDS + 1);
    values.push(await secret());
    values.push(await secret());

    // Assess
    expect(values).toEqual(["first", "first", "second", "second"]);
    expect(seen).toHaveLength(2);
    expect(seen.map((r) => r.headers["x-amz-target"])).toEqual([
      "secretsmanager.GetSecretValue",
      "secretsmanager.GetSecretValue",
    ]);
    expect(JSON.parse(seen[0]?.body ?? "{}")).toMatchObject({ SecretId: "fristflow/admin-token" });
  });

  it("keeps the default maximum age at five minutes", () => {
    // Assess: one constant decides how soon a rotation takes effect.
    expect(SECRET_MAX_AGE_SECONDS).toBe(300);
  });

  it("takes a shorter maximum age when given one", async () => {
    // Prepare
    const { client, seen } = secretsClient([secretString("first"), secretString("second")]);
    const secret = cachedSecret(client, "s", asText, { maxAgeSeconds: 10 });

    // Act
    await secret();
    at(11);
    const later = await secret();

    // Assess
    expect(later).toBe("second");
    expect(seen).toHaveLength(2);
  });

  it("does not cache a failed fetch, and passes on the SDK's own error", async () => {
    // Prepare
    const { client, seen } = secretsClient([
      secretsError(400, "ThrottlingException", "Rate exceeded"),
      secretString("ok"),
    ]);
    const secret = cachedSecret(client, "s", asText);

    // Act
    const failure = await secret().catch((err: unknown) => err);
    const value = await secret();

    // Assess
    expect((failure as Error).name).toBe("ThrottlingException");
    expect(value).toBe("ok");
    expect(seen).toHaveLength(2);
  });

  it("does not cache a value the reader refuses: the next call fetches again", async () => {
    // Prepare
    const { client, seen } = secretsClient([secretString("short"), secretString("long enough now")]);
    const secret = cachedSecret(client, "s", (value) => {
      if (String(value).length < 10) throw new RangeError("too short");
      return String(value);
    });

    // Act
    const refused = await secret().catch((err: unknown) => err);
    const accepted = await secret();

    // Assess
    expect(refused).toBeInstanceOf(RangeError);
    expect(accepted).toBe("long enough now");
    expect(seen).toHaveLength(2);
  });

  it("hands the reader a binary secret as bytes", async () => {
    // Prepare
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const { client } = secretsClient([{ status: 200, body: { SecretBinary: bytes.toString("base64") } }]);
    const secret = cachedSecret(client, "s", (value) => value);

    // Act
    const value = await secret();

    // Assess
    expect(value).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(value as Uint8Array)).toEqual(bytes);
  });
});
