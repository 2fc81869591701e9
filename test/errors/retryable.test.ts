/**
 * The one classifier of retryable failures: fristflow's own errors by their category, and what the
 * AWS SDK, nodemailer and Node throw by their names and codes (one list for mail and the loop).
 */
import { describe, expect, it } from "vitest";
import { isRetryable } from "../../shared/errors/retryable.ts";
import { NotificationBusyError, TransientError } from "../../shared/loop/errors.ts";
import { MailSendError } from "../../shared/mail/retry.ts";
import { ConflictError, ContentionError, NotFoundError } from "../../shared/store/errors.ts";

describe("isRetryable: fristflow's own errors", () => {
  it.each([
    ["contention in the store", new ContentionError("x"), true],
    ["a step's transient failure", new TransientError("x"), true],
    ["a claim held by another worker", new NotificationBusyError("x"), true],
    [
      "a mail that failed transiently",
      new MailSendError("x", { transient: true, attempts: 5, cause: null }),
      true,
    ],
    ["a rejected mail", new MailSendError("x", { transient: false, attempts: 1, cause: null }), false],
    ["a conflict", new ConflictError("x"), false],
    ["something missing", new NotFoundError("instance", "i"), false],
  ])("%s: %s", (_, err, retryable) => {
    // Act / Assess
    expect(isRetryable(err)).toBe(retryable);
  });

  it("follows causes, but not without end", () => {
    // Prepare
    let deep: unknown = { code: "ECONNRESET" };
    for (let i = 0; i < 10; i++) deep = { cause: deep };
    // Act / Assess
    expect(isRetryable(new Error("wrapped", { cause: { cause: { code: "ECONNRESET" } } }))).toBe(true);
    expect(isRetryable(deep)).toBe(false);
  });
});

describe("isRetryable: what others throw", () => {
  const sdkError = (name: string, status: number, extra: object = {}) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...extra });
  const cases: Array<[string, unknown, boolean]> = [
    ["SES throttling", sdkError("TooManyRequestsException", 429), true],
    ["SES sending rate limit", sdkError("LimitExceededException", 400), true],
    ["generic AWS throttling", sdkError("ThrottlingException", 400), true],
    ["an unmodelled 503", sdkError("UnknownError", 503), true],
    ["an unmodelled 429", sdkError("UnknownError", 429), true],
    ["a rejected message", sdkError("MessageRejected", 400), false],
    ["an unverified MAIL FROM domain", sdkError("MailFromDomainNotVerifiedException", 400), false],
    ["a bad request", sdkError("BadRequestException", 400), false],
    ["a paused account", sdkError("SendingPausedException", 400), false],
    ["an unmodelled 403", sdkError("UnknownError", 403), false],
    ["a connection reset", Object.assign(new Error("reset"), { code: "ECONNRESET" }), true],
    ["a DNS hiccup", Object.assign(new Error("dns"), { code: "EAI_AGAIN" }), true],
    ["nodemailer connection error", Object.assign(new Error("conn"), { code: "ECONNECTION" }), true],
    ["SMTP 421 try later", Object.assign(new Error("421"), { code: "EENVELOPE", responseCode: 421 }), true],
    [
      "SMTP 550 no such user",
      Object.assign(new Error("550"), { code: "EENVELOPE", responseCode: 550 }),
      false,
    ],
    ["SMTP auth failure", Object.assign(new Error("535"), { code: "EAUTH", responseCode: 535 }), false],
    ["a socket error under a wrapper", new Error("fetch failed", { cause: { code: "ETIMEDOUT" } }), true],
    ["the SDK's retryable marker", Object.assign(new Error("x"), { $retryable: {} }), true],
    ["a programming error", new TypeError("x is undefined"), false],
    ["not an error at all", "boom", false],
    ["null", null, false],
    ["DynamoDB throttling (HTTP 400)", sdkError("ProvisionedThroughputExceededException", 400), true],
    ["DynamoDB's request limit", sdkError("RequestLimitExceeded", 400), true],
    ["a false DynamoDB condition", sdkError("ConditionalCheckFailedException", 400), false],
    [
      "an access denied with a server fault mark",
      sdkError("AccessDeniedException", 403, { $fault: "server" }),
      false,
    ],
    ["a Step Functions throttle", sdkError("ThrottlingException", 400), true],
    ["a full file table", Object.assign(new Error("too many files"), { code: "EMFILE" }), true],
    ["a full disk", Object.assign(new Error("no space left on device"), { code: "ENOSPC" }), true],
    ["a read-only disk", Object.assign(new Error("read-only file system"), { code: "EROFS" }), true],
    ["a disk quota", Object.assign(new Error("disk quota exceeded"), { code: "EDQUOT" }), true],
  ];
  for (const [what, err, transient] of cases) {
    it(`${what} is ${transient ? "transient" : "permanent"}`, () => {
      // Act / Assess
      expect(isRetryable(err)).toBe(transient);
    });
  }
});
