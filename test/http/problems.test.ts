/** The one mapping from errors to HTTP answers (API, confirm pages and dashboard all use it). */
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { InvalidInputError, LoopStartError } from "../../shared/app/admin.ts";
import { LinkRefusedError } from "../../shared/app/confirm.ts";
import { RecipientError } from "../../shared/app/recipients.ts";
import { answerFor, HttpError, problemOf } from "../../shared/http/errors.ts";
import { TransientError } from "../../shared/loop/errors.ts";
import { ConflictError, ContentionError, NotFoundError } from "../../shared/store/errors.ts";
import { DurationSyntaxError } from "../../shared/time/duration.ts";

describe("problemOf", () => {
  it.each([
    ["an unknown instance", new NotFoundError("instance", "i-1"), 404, "not_found", false],
    ["a conflict", new ConflictError("instance i-1 is cancelled"), 409, "conflict", false],
    ["contention", new ContentionError("x"), 503, "busy", false],
    ["a part that is down for now", new TransientError("x"), 503, "unavailable", true],
    ["invalid input", new InvalidInputError([]), 400, "invalid", false],
    ["a bad duration", new DurationSyntaxError("P1X is not a duration"), 400, "invalid", false],
    [
      "a recipient without an address",
      new RecipientError("unitManager:a", "no-manager"),
      400,
      "invalid",
      false,
    ],
    ["a tampered link", new LinkRefusedError("tampered"), 403, "link_tampered", false],
    ["an expired link", new LinkRefusedError("expired"), 410, "link_expired", false],
    ["an HTTP refusal", new HttpError(401, "unauthorized", "no token"), 401, "unauthorized", false],
    ["a loop that did not start", new LoopStartError("i-1"), 503, "not_started", true],
    ["Hono's body limit", new HTTPException(413), 413, "too_large", false],
    ["a bug", new TypeError("x is undefined"), 500, "internal", true],
  ])("%s: %i %s", (_, err, status, code, unexpected) => {
    // Act
    const problem = problemOf(err);
    // Assess
    expect([problem.status, problem.code, problem.unexpected === true]).toEqual([status, code, unexpected]);
  });

  it("says when to come back for what is retryable, and never shows a bug's message", () => {
    // Act
    const busy = problemOf(new ContentionError("instance i-1: concurrent writers won 6 times"));
    const bug = problemOf(new Error("secret path /home/x"));
    // Assess
    expect(busy.headers).toEqual({ "Retry-After": "1" });
    expect(bug.message).not.toContain("secret");
  });
});

describe("answerFor", () => {
  it.each([
    ["/api/units", "json"],
    ["/api", "json"],
    ["/instances/i-1/deadlines.ics", "json"],
    ["/mine/m-1/deadlines.ics", "json"],
    ["/confirm/abc", "confirm-page"],
    ["/mine/m-1", "confirm-page"],
    ["/", "page"],
    ["/apix", "page"],
    ["/no-such-page", "page"],
    ["/tilgaengelighed", "page"],
  ])("%s: %s", (path, answer) => {
    expect(answerFor(path)).toBe(answer);
  });
});
