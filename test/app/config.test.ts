import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "../../functions/config.ts";
import { failure } from "./fixtures.ts";

const valid = {
  FRISTFLOW_TABLE: "fristflow",
  FRISTFLOW_PUBLIC_BASE_URL: "https://fristflow.ishoj.example",
  FRISTFLOW_MAIL_FROM: "fristflow@ishoj.example",
  FRISTFLOW_ORGANISATION: "Ishøj Kommune",
  FRISTFLOW_LINK_KEY_SECRET_ARN:
    "arn:aws:secretsmanager:eu-north-1:123456789012:secret:fristflow-link-key-AbCdEf",
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    readConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("readConfig", () => {
  it("reads a valid environment, optional variables left out", () => {
    expect(readConfig({ ...valid, FRISTFLOW_SES_CONFIGURATION_SET: "" })).toEqual({
      tableName: "fristflow",
      publicBaseUrl: "https://fristflow.ishoj.example",
      mailFrom: "fristflow@ishoj.example",
      organisation: "Ishøj Kommune",
      linkKeySecretArn: valid.FRISTFLOW_LINK_KEY_SECRET_ARN,
    });
  });

  it("takes the optional SES configuration set and state machine", () => {
    const arn = "arn:aws:states:eu-north-1:123456789012:stateMachine:fristflow-loop";
    expect(
      readConfig({
        ...valid,
        FRISTFLOW_SES_CONFIGURATION_SET: "fristflow",
        FRISTFLOW_STATE_MACHINE_ARN: arn,
      }),
    ).toMatchObject({ sesConfigurationSet: "fristflow", stateMachineArn: arn });
  });

  it("names every missing variable at once", () => {
    expect(problems({})).toEqual([
      "FRISTFLOW_TABLE is not set",
      "FRISTFLOW_PUBLIC_BASE_URL is not set",
      "FRISTFLOW_MAIL_FROM is not set",
      "FRISTFLOW_ORGANISATION is not set",
      "FRISTFLOW_LINK_KEY_SECRET_ARN is not set",
    ]);
  });

  it("names the variable and what it must be, without echoing the value", async () => {
    // Act
    const err = await failure(
      Promise.resolve().then(() =>
        readConfig({
          ...valid,
          FRISTFLOW_PUBLIC_BASE_URL: "fristflow.ishoj.example",
          FRISTFLOW_MAIL_FROM: "nobody",
          FRISTFLOW_LINK_KEY_SECRET_ARN: "s3cr3t-value",
          FRISTFLOW_STATE_MACHINE_ARN: "loop",
          FRISTFLOW_TABLE: "",
        }),
      ),
    );
    // Assess
    expect(err.message.split("\n")).toEqual([
      "fristflow configuration is invalid:",
      "- FRISTFLOW_TABLE is empty",
      "- FRISTFLOW_PUBLIC_BASE_URL must be an absolute http(s) URL, e.g. https://fristflow.example.dk",
      "- FRISTFLOW_MAIL_FROM must be an e-mail address",
      "- FRISTFLOW_LINK_KEY_SECRET_ARN must be a secretsmanager ARN (arn:aws:secretsmanager:…)",
      "- FRISTFLOW_STATE_MACHINE_ARN must be a states ARN",
    ]);
    expect(err.message).not.toContain("s3cr3t-value");
  });

  it("reads the access log's retention in days, and names a bad value", () => {
    expect(readConfig({ ...valid, FRISTFLOW_ACCESS_LOG_DAYS: "365" }).accessLogRetentionDays).toBe(365);
    expect(readConfig({ ...valid, FRISTFLOW_ACCESS_LOG_DAYS: "" })).not.toHaveProperty(
      "accessLogRetentionDays",
    );
    expect(problems({ ...valid, FRISTFLOW_ACCESS_LOG_DAYS: "6 months" })).toEqual([
      "FRISTFLOW_ACCESS_LOG_DAYS must be a whole number of days, e.g. 184",
    ]);
  });

  it("reads the municipality's reply address, and names a bad one", () => {
    expect(readConfig({ ...valid, FRISTFLOW_REPLY_TO: "borgerservice@ishoj.dk" }).replyTo).toBe(
      "borgerservice@ishoj.dk",
    );
    expect(readConfig({ ...valid, FRISTFLOW_REPLY_TO: "" })).not.toHaveProperty("replyTo");
    expect(problems({ ...valid, FRISTFLOW_REPLY_TO: "borgerservice" })).toEqual([
      "FRISTFLOW_REPLY_TO must be an e-mail address",
    ]);
  });
});
