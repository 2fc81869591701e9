/**
 * The deployed http Lambda with staff login: functions/http.ts's handler, configured by the
 * variables the stack sets, fed API Gateway HTTP API (payload 2.0) events, on DynamoDB Local, its
 * secrets from a Secrets Manager client whose only fake part is the HTTP exchange, and a real
 * OpenID provider (the embedded one) as the configured issuer. Without credentials every route
 * that is not public refuses (the login page for pages, 401 for the API); with the provider,
 * staff log in exactly as locally, into a session the table expires by TTL.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SFNClient } from "@aws-sdk/client-sfn";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Context } from "aws-lambda";
import type { LambdaEvent } from "hono/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpHandler, type HttpClients } from "../../functions/http.ts";
import { closeServer } from "../../infra/local/http-server.ts";
import { embeddedProvider, PROVIDER_PATH } from "../../infra/local/oidc/provider.ts";
import { ensureLocalUsers } from "../../shared/app/people.ts";
import { SESSION_COOKIE } from "../../shared/dashboard/auth/session.ts";
import { ACCESS } from "../../shared/http/access.ts";
import { keys } from "../../shared/store/keys.ts";
import { ttlAttribute } from "../../shared/store/table.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { createTestTable, type TestTable } from "../support/dynamodb.ts";
import { GROUP_ATTRIBUTE, IDP_ENTITY_ID, IDP_SSO_URL, selfSignedCertificate } from "../support/saml-idp.ts";
import { secretsById } from "../support/secrets.ts";
import { TEST_USERS } from "./app-harness.ts";

const BASE = "https://abc123.execute-api.eu-north-1.amazonaws.com";
const SECRET = (name: string) => `arn:aws:secretsmanager:eu-north-1:123456789012:secret:${name}-AbCdEf`;
const CLIENT_ID = "fristflow-aws-test";
const CLIENT_SECRET = "client-secret-from-the-provider-0123456789";

let table: TestTable;
let provider: Server;
let issuer: string;

beforeAll(async () => {
  table = await createTestTable();
  await ensureLocalUsers(table.stores, TEST_USERS);
  // The embedded provider on its own port: to the Lambda it is just the issuer it was given.
  let handle: ReturnType<typeof embeddedProvider> | null = null;
  provider = createServer((req, res) => (handle === null ? res.writeHead(503).end() : handle(req, res)));
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}${PROVIDER_PATH}`;
  handle = embeddedProvider(issuer, TEST_USERS, {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: `${BASE}/login/callback`,
  });
});
afterAll(async () => {
  await closeServer(provider);
  await table.drop();
});

/** The variables the stack gives the http Lambda, with the OpenID login configured. */
function stackEnvironment(): Record<string, string> {
  return {
    FRISTFLOW_TABLE: table.tableName,
    FRISTFLOW_PUBLIC_BASE_URL: BASE,
    FRISTFLOW_MAIL_FROM: "frister@ishoj.dk",
    FRISTFLOW_ORGANISATION: "Ishøj Kommune",
    FRISTFLOW_LINK_KEY_SECRET_ARN: SECRET("LinkKey"),
    FRISTFLOW_ADMIN_TOKEN_SECRET_ARN: SECRET("AdminToken"),
    FRISTFLOW_STATE_MACHINE_ARN:
      "arn:aws:states:eu-north-1:123456789012:stateMachine:Fristflow-instance-loop",
    FRISTFLOW_OIDC_ISSUER: issuer,
    FRISTFLOW_OIDC_CLIENT_ID: CLIENT_ID,
    FRISTFLOW_OIDC_CLIENT_SECRET_ARN: SECRET("OidcClientSecret"),
    FRISTFLOW_OIDC_LABEL: "Ishøj Kommune (Microsoft)",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  };
}

function lambdaClients(clientSecret: string | null) {
  const secrets = secretsById({
    [SECRET("LinkKey")]: "k".repeat(64),
    [SECRET("AdminToken")]: "an-admin-token-of-enough-length-0123456789",
    [SECRET("OidcClientSecret")]: clientSecret,
  });
  const clients = (): HttpClients => ({
    dynamo: table.client,
    secrets: secrets.client,
    sfn: new SFNClient({
      region: "eu-north-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" },
    }),
  });
  return Object.assign(clients, { asked: secrets.asked });
}

function lambda(clientSecret: string | null = CLIENT_SECRET) {
  const clients = lambdaClients(clientSecret);
  return { handler: createHttpHandler(stackEnvironment, clients), asked: clients.asked };
}

interface Answer {
  status: number;
  location: string | undefined;
  body: string;
  cookies: Map<string, string>;
}

const context = {
  functionName: "fristflow-http",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-north-1:123456789012:function:fristflow-http",
  memoryLimitInMB: "512",
  awsRequestId: "lambda-req-1",
  logGroupName: "/aws/lambda/fristflow-http",
  logStreamName: "stream",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
} as Context;

/** One request as API Gateway hands it to the Lambda (the query apart, as payload 2.0 has it). */
async function call(
  handler: ReturnType<typeof lambda>["handler"],
  method: string,
  url: string,
  cookies: Map<string, string> = new Map(),
): Promise<Answer> {
  const result = (await handler(eventFor(method, url, cookies), context)) as {
    statusCode: number;
    headers?: Record<string, string>;
    cookies?: string[];
    body: string;
  };
  const set = new Map<string, string>();
  for (const cookie of result.cookies ?? []) {
    const [pair] = cookie.split(";");
    const at = (pair ?? "").indexOf("=");
    set.set((pair ?? "").slice(0, at), (pair ?? "").slice(at + 1));
  }
  return { status: result.statusCode, location: result.headers?.location, body: result.body, cookies: set };
}

function eventFor(method: string, url: string, cookies: Map<string, string> = new Map()): LambdaEvent {
  const { pathname, search } = new URL(url, BASE);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: pathname,
    rawQueryString: search.slice(1),
    cookies: [...cookies].map(([name, value]) => `${name}=${value}`),
    headers: { host: new URL(BASE).host, "x-forwarded-proto": "https" },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: new URL(BASE).host,
      domainPrefix: "abc123",
      http: { method, path: pathname, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" },
      requestId: "req-1",
      routeKey: "$default",
      stage: "$default",
      time: "01/May/2024:06:00:00 +0000",
      timeEpoch: 1714543200000,
    },
    isBase64Encoded: false,
  } as unknown as LambdaEvent;
}

/** A concrete address for a rule's pattern. */
function concrete(path: string): string {
  return path.replace(/:version/g, "1").replace(/:[a-z]+/gi, "example-1");
}

describe("the deployed http Lambda without credentials", () => {
  const guarded = ACCESS.filter((rule) => rule.area !== "public");

  it("covers every route of the access table that is not public", () => {
    expect(guarded.length).toBeGreaterThan(40);
    expect(new Set(guarded.map((rule) => rule.area))).toEqual(new Set(["dashboard", "api"]));
  });

  it.each(guarded.map((rule) => [`${rule.method} ${rule.path}`, rule] as const))(
    "refuses %s",
    async (_name, rule) => {
      const { handler } = lambda();
      const answer = await call(handler, rule.method, concrete(rule.path));
      if (rule.area === "api") {
        expect(answer.status).toBe(401);
        expect(JSON.parse(answer.body).error).toBeDefined();
      } else {
        expect(answer.status).toBe(303);
        expect(answer.location).toMatch(/^\/login(\?next=|$)/);
      }
      expect(answer.cookies.has(SESSION_COOKIE)).toBe(false);
    },
  );
});

describe("staff login through the configured OpenID provider", () => {
  it("offers the provider on the login page and sends the browser to the configured issuer", async () => {
    // Prepare
    const { handler, asked } = lambda();
    // Act
    const page = await call(handler, "GET", "/login");
    const redirect = await call(handler, "GET", "/login/oidc?next=%2Finstances");
    // Assess
    expect(page.status).toBe(200);
    expect(page.body).toContain("Ishøj Kommune (Microsoft)");
    expect(redirect.status).toBe(303);
    const to = new URL(redirect.location ?? "");
    expect(`${to.origin}${to.pathname}`.startsWith(issuer)).toBe(true);
    expect(to.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(to.searchParams.get("redirect_uri")).toBe(`${BASE}/login/callback`);
    expect(to.searchParams.get("code_challenge_method")).toBe("S256");
    expect(asked).toContain(SECRET("OidcClientSecret"));
  });

  it("logs a viewer in through the provider into a session the table expires by TTL", async () => {
    // Prepare
    const { handler } = lambda();
    const vera = TEST_USERS.find((u) => u.id === "vera");
    if (vera === undefined) throw new Error("vera");
    const jar = new Map<string, string>();
    // Act: the Lambda's redirect, the provider's login form, the callback to the Lambda.
    const start = await call(handler, "GET", "/login/oidc?next=%2Finstances", jar);
    for (const [name, value] of start.cookies) jar.set(name, value);
    const callbackUrl = await throughProvider(start.location ?? "", vera.email, vera.password);
    const callback = await call(handler, "GET", callbackUrl, jar);
    for (const [name, value] of callback.cookies) jar.set(name, value);
    const overview = await call(handler, "GET", "/instances", jar);
    // Assess
    expect(callback.status).toBe(200);
    expect(callback.body).toContain('content="0;url=/instances"');
    expect(jar.get(SESSION_COOKIE)).toMatch(/^s1\.vera\./);
    expect(overview.status).toBe(200);
    expect(overview.body).toContain("Vera Læser");
    const [session] = await table.stores.sessions.list("vera");
    expect(session?.method).toBe("oidc");
    const raw = await table.doc.send(
      new GetCommand({
        TableName: table.tableName,
        Key: keys.session("vera", String(session?.secretHash)),
      }),
    );
    const until = Temporal.Instant.from(String(session?.absoluteUntil)).epochMilliseconds / 1000;
    expect(raw.Item?.[ttlAttribute]).toBe(Math.ceil(until));
  });

  it("sends nobody to the provider while the client secret has no value yet", async () => {
    // Prepare: the secret as the first deploy leaves it
    const { handler } = lambda(null);
    // Act
    const redirect = await call(handler, "GET", "/login/oidc");
    // Assess
    expect(redirect.status).toBe(500);
    expect(redirect.location).toBeUndefined();
    expect(redirect.body).not.toContain("AWSCURRENT");
  });
});

describe("the http Lambda's login configuration", () => {
  it("serves the SAML login and its metadata when the stack sets the SAML variables, and takes role lists", async () => {
    // Prepare: what the CDK sets from samlEntryPoint, samlIdpCert and groupRoles
    const idp = selfSignedCertificate("adfs.kommune.example.dk");
    const env = {
      ...stackEnvironment(),
      FRISTFLOW_SAML_ENTRY_POINT: IDP_SSO_URL,
      FRISTFLOW_SAML_IDP_CERT: idp.certPem,
      FRISTFLOW_SAML_IDP_ISSUER: IDP_ENTITY_ID,
      FRISTFLOW_SAML_GROUP_ATTRIBUTE: GROUP_ATTRIBUTE,
      FRISTFLOW_GROUP_ROLES: JSON.stringify({ "fristflow-redaktion": ["editor", "viewer"] }),
    };
    const handler = createHttpHandler(() => env, lambdaClients(CLIENT_SECRET));
    // Act
    const page = await call(handler, "GET", "/login");
    const metadata = await call(handler, "GET", "/login/saml/metadata");
    const start = await call(handler, "GET", "/login/saml");
    // Assess
    expect(page.body).toContain('id="login-saml"');
    expect(metadata.status).toBe(200);
    expect(metadata.body).toContain(`Location="${BASE}/login/saml/callback"`);
    expect(start.status).toBe(303);
    expect(start.location?.startsWith(`${IDP_SSO_URL}?SAMLRequest=`)).toBe(true);
  });

  it("refuses to start with a group mapping that names no role, saying which variable", async () => {
    // Prepare
    const env = {
      ...stackEnvironment(),
      FRISTFLOW_GROUP_ROLES: JSON.stringify({ "fristflow-alle": "boss" }),
    };
    const handler = createHttpHandler(() => env, lambdaClients(CLIENT_SECRET));
    // Act
    const failure = await handler(eventFor("GET", "/login"), context).then(
      () => undefined,
      (err: unknown) => err,
    );
    // Assess
    expect((failure as Error).message).toContain("FRISTFLOW_GROUP_ROLES");
  });

  it("refuses to start with half an OpenID configuration, naming what is missing and no values", async () => {
    // Prepare
    const { FRISTFLOW_OIDC_CLIENT_ID: _dropped, ...env } = stackEnvironment();
    const handler = createHttpHandler(() => env, lambdaClients(CLIENT_SECRET));
    // Act
    const failure = await handler(eventFor("GET", "/login"), context).then(
      () => undefined,
      (err: unknown) => err,
    );
    // Assess
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toContain("FRISTFLOW_OIDC_CLIENT_ID is not set");
    expect(message).not.toContain(issuer);
  });
});

/**
 * The browser's part at the provider: follow its redirects with its cookies, post the login form,
 * and stop at the redirect back to the Lambda, whose URL is returned.
 */
async function throughProvider(authorizationUrl: string, login: string, password: string): Promise<string> {
  const cookies = new Map<string, string>();
  const send = async (url: string, form?: Record<string, string>) => {
    const response = await fetch(url, {
      method: form === undefined ? "GET" : "POST",
      redirect: "manual",
      headers: {
        cookie: [...cookies].map(([n, v]) => `${n}=${v}`).join("; "),
        ...(form === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }),
      },
      ...(form === undefined ? {} : { body: new URLSearchParams(form).toString() }),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = (pair ?? "").indexOf("=");
      cookies.set((pair ?? "").slice(0, at), (pair ?? "").slice(at + 1));
    }
    return response;
  };
  let response = await send(authorizationUrl);
  for (let hops = 0; hops < 10; hops += 1) {
    const location = response.headers.get("location");
    if (location !== null) {
      const next = new URL(location, issuer);
      if (next.href.startsWith(BASE)) return next.href;
      response = await send(next.href);
      continue;
    }
    const action = /<form method="post" action="([^"]+)"/.exec(await response.text())?.[1];
    if (action === undefined) throw new Error(`the provider answered ${response.status} without a form`);
    response = await send(new URL(action, issuer).href, { login, password });
  }
  throw new Error("the provider did not send the browser back");
}
