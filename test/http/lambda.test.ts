/**
 * The same app behind the Lambda adapter: an API Gateway HTTP API (payload 2.0) event in, a
 * proxy result out. Checks what differs from Node: base64 bodies, headers, and the entry's
 * configuration check.
 */
import type { Context } from "aws-lambda";
import type { LambdaContext, LambdaEvent } from "hono/aws-lambda";
import { handle } from "hono/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, instanceWithLinks, required, startHarness } from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

function event(
  method: string,
  path: string,
  query: string,
  body?: { type: string; text: string },
): LambdaEvent {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: query,
    cookies: [],
    headers: {
      host: "abc123.execute-api.eu-north-1.amazonaws.com",
      ...(body === undefined ? {} : { "content-type": body.type }),
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.eu-north-1.amazonaws.com",
      domainPrefix: "abc123",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" },
      requestId: "req-1",
      routeKey: "$default",
      stage: "$default",
      time: "01/May/2024:06:00:00 +0000",
      timeEpoch: 1714543200000,
    },
    // API Gateway passes form bodies base64-encoded.
    ...(body === undefined
      ? { isBase64Encoded: false }
      : { body: Buffer.from(body.text).toString("base64"), isBase64Encoded: true }),
  } as unknown as LambdaEvent;
}

const context: LambdaContext & Context = {
  functionName: "fristflow-http",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-north-1:123456789012:function:fristflow-http",
  memoryLimitInMB: "256",
  awsRequestId: "lambda-req-1",
  logGroupName: "/aws/lambda/fristflow-http",
  logStreamName: "stream",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
};

describe("the app behind API Gateway + Lambda", () => {
  it("shows the confirm page and confirms with a base64 form body", async () => {
    // Prepare
    const { links } = await instanceWithLinks(h);
    const link = required(links.get("status/skole-a/0"), "link");
    const lambda = handle(h.app);
    // Act
    const page = await lambda(event("GET", `/confirm/${link.id}`, `sig=${link.sig}`), context);
    const receipt = await lambda(
      event("POST", `/confirm/${link.id}`, "lang=da", {
        type: "application/x-www-form-urlencoded",
        text: new URLSearchParams({ sig: link.sig }).toString(),
      }),
      context,
    );
    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Bekræft");
    expect(page.headers?.["content-security-policy"]).toMatch(/default-src 'none'; style-src 'sha256-/);
    expect(page.headers).toMatchObject({
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    expect(page.headers?.["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.body).toContain("er registreret som bekræftet");
  });

  it("keeps every header on a JSON refusal, whose body the adapter reads before the headers", async () => {
    // Prepare
    const lambda = handle(h.app);
    // Act
    const refused = await lambda(event("GET", "/api/units", ""), context);
    // Assess
    expect(refused.statusCode).toBe(401);
    expect(refused.headers).toMatchObject({
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "www-authenticate": 'Bearer realm="fristflow-admin"',
    });
    expect(JSON.parse(refused.body).requestId).toBe(refused.headers?.["x-request-id"]);
  });

  it("refuses to start the entry without its configuration, naming the variables and no values", async () => {
    // Prepare
    const saved = { ...process.env };
    for (const name of Object.keys(process.env)) if (name.startsWith("FRISTFLOW_")) delete process.env[name];
    process.env.FRISTFLOW_PUBLIC_BASE_URL = "not a url";
    // The entry logs the refusal (as it should in AWS); the test reads the error instead.
    process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
    const { handler } = await import("../../functions/http.ts");
    try {
      // Act
      const failure = await handler(event("GET", "/api/units", ""), context).then(
        () => undefined,
        (err: unknown) => err,
      );
      // Assess
      expect(failure).toBeInstanceOf(Error);
      const message = (failure as Error).message;
      expect(message).toContain("FRISTFLOW_TABLE is not set");
      expect(message).toContain("FRISTFLOW_PUBLIC_BASE_URL must be an absolute http(s) URL");
      expect(message).toContain("FRISTFLOW_ADMIN_TOKEN_SECRET_ARN");
      expect(message).toContain("FRISTFLOW_STATE_MACHINE_ARN");
      expect(message).not.toContain("not a url");
    } finally {
      process.env = saved;
    }
  });
});
