/**
 * SAML 2.0 login over real HTTP against a DynamoDB Local table: a test IdP (its own key and
 * self-signed certificate, its metadata read as an administrator would) answers the AuthnRequest
 * that a real GET /login/saml sends, with a Response signed as AD FS signs it, posted to the ACS.
 * A good answer gives a working session; a tampered, misaddressed, expired, replayed or unasked
 * one, or one for a person fristflow does not know, gives none. Roles come from the group
 * attribute, and a change is audited by the provider.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveLocal } from "../../infra/local/web-server.ts";
import { providerActor } from "../../shared/app/group-login.ts";
import type { LoopStarter, Signaller } from "../../shared/app/ports.ts";
import { SESSION_COOKIE } from "../../shared/dashboard/auth/session.ts";
import { createHttpApp, type HttpLogger } from "../../shared/http/app.ts";
import { readLoginSettings, readSamlSettings } from "../../shared/http/login-settings.ts";
import { NodeSamlLogin, type SamlSettings } from "../../shared/http/saml.ts";
import { userAuditId } from "../../shared/store/ports.ts";
import { systemClock } from "../../shared/time/clock.ts";
import { Client, type Page, visibleText } from "../dashboard/client.ts";
import { ADMIN_TOKEN, LINK_KEY } from "../http/app-harness.ts";
import { createTestTable, type TestTable } from "../support/dynamodb.ts";
import {
  type AuthnRequest,
  createTestIdp,
  GROUP_ATTRIBUTE,
  IDP_ENTITY_ID,
  privilegeList,
  type ResponseOptions,
  readAuthnRequest,
  readIdpMetadata,
  selfSignedCertificate,
  type TestIdp,
} from "../support/saml-idp.ts";

const SP_ENTITY_ID = "https://fristflow.kommune.example.dk/saml";
const KOMBIT_ROLE = (name: string) => `http://fristflow.dk/roles/usersystemrole/${name}/1`;
const GROUP_ROLES = {
  "fristflow-laesere": "viewer",
  "fristflow-sagsbehandlere": "caseworker",
  [KOMBIT_ROLE("sagsbehandler")]: "caseworker",
  [KOMBIT_ROLE("administrator")]: "administrator",
};
/** The municipality's scope at KOMBIT (Ishøj's CVR number). */
const OUR_SCOPE = "urn:dk:gov:saml:cvrNumberIdentifier:29189978";

let table: TestTable;
let idp: TestIdp;
let url: string;
let close: () => Promise<void>;
let folder: string;
const logs: { message: string; attributes: Record<string, unknown> }[] = [];

beforeAll(async () => {
  // Prepare: the IdP and its metadata file, the table with two staff members, the app on a port
  idp = createTestIdp();
  folder = await mkdtemp(join(tmpdir(), "fristflow-saml-"));
  await writeFile(join(folder, "FederationMetadata.xml"), idp.metadata);
  const metadata = readIdpMetadata(await readFile(join(folder, "FederationMetadata.xml"), "utf8"));
  const env = {
    FRISTFLOW_SAML_ENTRY_POINT: metadata.ssoUrl,
    // As an env file holds it: one line, the PEM's breaks written `\n`.
    FRISTFLOW_SAML_IDP_CERT: metadata.certPem.replace(/\n/g, "\\n"),
    FRISTFLOW_SAML_IDP_ISSUER: metadata.entityId,
    FRISTFLOW_SAML_SP_ENTITY_ID: SP_ENTITY_ID,
    FRISTFLOW_SAML_GROUP_ATTRIBUTE: GROUP_ATTRIBUTE,
    FRISTFLOW_GROUP_ROLES: JSON.stringify(GROUP_ROLES),
    FRISTFLOW_SAML_PRIVILEGE_SCOPE: "29189978",
  };
  // node-saml checks the assertion's validity against the real clock, so the app runs on it too.
  table = await createTestTable({ clock: systemClock });
  for (const [userId, name, roles] of [
    ["vera", "Vera Læser", ["viewer"]],
    ["sara", "Sara Sagsbehandler", ["caseworker"]],
    ["kim", "Kim Kombit", ["viewer"]],
  ] as const) {
    await table.stores.users.create({
      userId,
      name,
      email: `${userId}@kommune.example.dk`,
      roles: [...roles],
      active: true,
      updatedBy: "test",
    });
  }
  const settings = {
    publicBaseUrl: "http://localhost",
    mailFrom: "noreply@example.dk",
    organisation: "Testkommune",
  };
  const logins = readLoginSettings(env, settings.publicBaseUrl);
  let saml: SamlSettings | undefined;
  const signaller: Signaller = {
    wake: async () => undefined,
    finish: async () => undefined,
    fail: async () => undefined,
  };
  const starter: LoopStarter = { start: async () => undefined };
  const record = (message: string, attributes: Record<string, unknown>) => logs.push({ message, attributes });
  const logger: HttpLogger = { info: record, warn: record, error: record };
  const app = createHttpApp({
    ...table.stores,
    clock: systemClock,
    signaller,
    starter,
    settings,
    linkKey: { getKey: async () => LINK_KEY },
    adminToken: async () => ADMIN_TOKEN,
    // The tests speak for browsers at other addresses through X-Forwarded-For (Client `from`).
    trustForwardedFor: true,
    logger,
    saml: new NodeSamlLogin(
      () => {
        saml ??= readSamlSettings(env, settings.publicBaseUrl);
        if (saml === undefined) throw new Error("SAML is configured in this test");
        return saml;
      },
      table.stores.samlRequests,
      systemClock,
    ),
    ...(logins.groupRoles === undefined ? {} : { groupRoles: logins.groupRoles }),
  });
  const server = await serveLocal(app.fetch, 0, null);
  settings.publicBaseUrl = server.url;
  url = server.url;
  close = server.close;
}, 120_000);

afterAll(async () => {
  await close();
  await table.drop();
  await rm(folder, { recursive: true, force: true });
});

/** GET /login/saml as a browser follows it: the redirect to the IdP, and the request it carries. */
async function startLogin(client: Client, next = "/"): Promise<{ page: Page; request: AuthnRequest }> {
  const page = await client.get(`/login/saml?${new URLSearchParams({ next }).toString()}`);
  return { page, request: readAuthnRequest(page.location ?? "") };
}

function answer(request: AuthnRequest, person: string, overrides: Partial<ResponseOptions> = {}): string {
  return idp.respond({
    inResponseTo: request.id,
    acsUrl: request.acsUrl,
    audience: request.issuer,
    nameId: `S-1-5-21-${person}`,
    email: `${person}@kommune.example.dk`,
    groups: [person === "sara" ? "fristflow-sagsbehandlere" : "fristflow-laesere", "Domain Users"],
    ...overrides,
  });
}

/** The IdP's auto-submitting form, posted: SAMLResponse and RelayState to the ACS. */
function post(client: Client, xml: string, relayState: string | null): Promise<Page> {
  const fields: Record<string, string> = { SAMLResponse: Buffer.from(xml, "utf8").toString("base64") };
  if (relayState !== null) fields.RelayState = relayState;
  return client.post("/login/saml/callback", fields, { csrf: null });
}

/** The reason the last refused SAML login was logged with (node-saml's words). */
function lastFailure(): string {
  const failed = logs.filter((l) => l.message === "SAML login failed");
  return String(failed[failed.length - 1]?.attributes.error ?? "");
}

async function expectNoSession(client: Client, page: Page): Promise<void> {
  expect(page.status).toBe(400);
  expect(visibleText(page.text)).toContain("Login mislykkedes");
  expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  expect((await client.get("/")).status).toBe(303);
}

describe("the SAML login", () => {
  it("offers SAML on the login page and hands the IdP fristflow's metadata", async () => {
    const client = new Client({ url });
    const login = await client.get("/login");
    const metadata = await client.get("/login/saml/metadata");
    expect(visibleText(login.text)).toContain("Log ind med organisationens fælles login (SAML)");
    expect(login.text).toContain('href="/login/saml?next=%2F"');
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get("content-type")).toContain("application/samlmetadata+xml");
    expect(metadata.text).toContain(`entityID="${SP_ENTITY_ID}"`);
    expect(metadata.text).toContain(`Location="${url}/login/saml/callback"`);
    expect(metadata.text).toContain('WantAssertionsSigned="true"');
  });

  it("sends the browser to the IdP with an AuthnRequest and logs in with its signed answer", async () => {
    // Prepare
    const client = new Client({ url });
    const { page, request } = await startLogin(client, "/instances");
    // Act
    const callback = await post(client, answer(request, "vera", { name: "Vera Læser" }), request.relayState);
    const overview = await client.get("/");
    // Assess
    expect(page.status).toBe(303);
    expect(page.location?.startsWith("https://adfs.kommune.example.dk/adfs/ls/?SAMLRequest=")).toBe(true);
    expect(request.acsUrl).toBe(`${url}/login/saml/callback`);
    expect(request.issuer).toBe(SP_ENTITY_ID);
    expect(callback.status).toBe(200);
    expect(callback.text).toContain('http-equiv="refresh" content="0;url=/instances"');
    expect(client.cookies.get(SESSION_COOKIE)).toMatch(/^s1\.vera\./);
    expect(overview.status).toBe(200);
    expect(visibleText(overview.text)).toContain("Logget ind som Vera Læser");
    const stored = await table.stores.users.get("vera");
    expect(stored?.subjects).toEqual([`${IDP_ENTITY_ID} S-1-5-21-vera`]);
    expect((await table.stores.sessions.list("vera")).map((s) => s.method)).toContain("saml");
  });

  it("refuses a replay of a response that was used, with no session", async () => {
    // Prepare
    const first = new Client({ url });
    const { request } = await startLogin(first);
    const xml = answer(request, "vera");
    expect((await post(first, xml, request.relayState)).status).toBe(200);
    // Act
    const thief = new Client({ url });
    const replay = await post(thief, xml, request.relayState);
    // Assess
    expect(lastFailure()).toMatch(/InResponseTo/);
    await expectNoSession(thief, replay);
  });

  it("refuses a tampered response, another audience and an expired assertion, with no session", async () => {
    const cases: [string, (request: AuthnRequest) => string, RegExp][] = [
      [
        "tampered",
        (r) => answer(r, "vera").replace("vera@kommune.example.dk", "sara@kommune.example.dk"),
        /signature/i,
      ],
      [
        "another audience",
        (r) => answer(r, "vera", { audience: "https://other.example.dk/saml" }),
        /audience/,
      ],
      [
        "expired",
        (r) => answer(r, "vera", { issuedAt: new Date(Date.now() - 20 * 60_000), validSeconds: 300 }),
        // The bearer confirmation's NotOnOrAfter is checked first; it ends with the assertion.
        /subject confirmation|expired/,
      ],
      [
        "a forged IdP",
        (r) => answer(r, "vera", { signingKeyPem: selfSignedCertificate("Forged").keyPem }),
        /signature/i,
      ],
    ];
    for (const [what, make, reason] of cases) {
      // Prepare
      const client = new Client({ url });
      const { request } = await startLogin(client);
      const xml = make(request);
      // Act
      const page = await post(client, xml, request.relayState);
      // Assess
      expect({ what, reason: lastFailure() }).toEqual({ what, reason: expect.stringMatching(reason) });
      await expectNoSession(client, page);
    }
  });

  it("refuses a response nobody asked for: an unknown request id, or none at all", async () => {
    // Prepare: a request of ours, so only the id differs
    const client = new Client({ url });
    const { request } = await startLogin(client);
    // Act
    const unknown = await post(
      client,
      answer(request, "vera", { inResponseTo: "_0123456789abcdef0123" }),
      null,
    );
    const unknownReason = lastFailure();
    const unsolicited = await post(client, answer(request, "vera", { inResponseTo: null }), null);
    // Assess
    expect(unknownReason).toMatch(/InResponseTo is not valid/);
    expect(lastFailure()).toMatch(/InResponseTo is missing/);
    await expectNoSession(client, unknown);
    await expectNoSession(client, unsolicited);
  });

  it("refuses another browser's answer (login CSRF), and keeps the started request's id only for the callback", async () => {
    // Prepare: the attacker starts a login and gets a valid answer for their own account
    const attacker = new Client({ url });
    const { page: started, request } = await startLogin(attacker);
    const xml = answer(request, "vera");
    // Act: the victim's browser posts it (an auto-submitting form on the attacker's site), once
    // without a login of its own and once with one it started itself
    const victim = new Client({ url }, { from: "192.0.2.30" });
    const blind = await post(victim, xml, request.relayState);
    const blindReason = lastFailure();
    await startLogin(victim);
    const crossed = await post(victim, xml, request.relayState);
    // Assess
    expect(started.headers.get("set-cookie")).toMatch(
      /^fristflow_saml=_[0-9a-f]+; Max-Age=600; Path=\/login\/saml\/callback; HttpOnly; Secure; SameSite=None/,
    );
    expect(blindReason).toMatch(/did not start/);
    expect(lastFailure()).toMatch(/did not start/);
    await expectNoSession(victim, blind);
    await expectNoSession(victim, crossed);
    // The attacker's own browser still could use it: the binding is per browser, not a lockout.
    expect((await post(attacker, xml, request.relayState)).status).toBe(200);
  });

  it("refuses a person the IdP knows and fristflow does not, with no session", async () => {
    // Prepare
    const client = new Client({ url });
    const { request } = await startLogin(client);
    // Act
    const page = await post(client, answer(request, "ukendt"), request.relayState);
    // Assess
    expect(page.status).toBe(403);
    expect(visibleText(page.text)).toContain("Din konto er ikke oprettet i fristflow");
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await table.stores.users.findBySubject(`${IDP_ENTITY_ID} S-1-5-21-ukendt`)).toBeNull();
  });
});

describe("roles from the group attribute", () => {
  it("gives the mapped roles at login, audits the change by the IdP and ends the sessions that had the lost role", async () => {
    // Prepare: Sara logged in as a caseworker (her group unchanged: nothing to audit)
    const before = new Client({ url });
    const first = await startLogin(before);
    await post(before, answer(first.request, "sara"), first.request.relayState);
    expect((await before.get("/instances/_new")).status).toBe(200);
    expect(await table.stores.audit.list(userAuditId("sara"))).toEqual([]);
    // Act: the IdP now puts her among the readers only
    const after = new Client({ url });
    const second = await startLogin(after);
    const page = await post(
      after,
      answer(second.request, "sara", { groups: ["fristflow-laesere"] }),
      second.request.relayState,
    );
    // Assess
    expect(page.status).toBe(200);
    expect((await table.stores.users.get("sara"))?.roles).toEqual(["viewer"]);
    const trail = await table.stores.audit.list(userAuditId("sara"));
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      action: "user.roles.changed",
      by: providerActor(IDP_ENTITY_ID),
      details: { before: ["caseworker"], after: ["viewer"] },
    });
    expect((await before.get("/")).status).toBe(303);
    expect((await after.get("/")).status).toBe(200);
    expect((await after.get("/instances/_new")).status).toBe(403);
  });
});

describe("roles from KOMBIT Context Handler's privileges", () => {
  it("gives the roles of the privileges held in the municipality's scope, and none held for another", async () => {
    // Prepare: Kim is a caseworker here and an administrator in another municipality
    const client = new Client({ url });
    const { request } = await startLogin(client);
    const privileges = privilegeList([
      { scope: OUR_SCOPE, privileges: [KOMBIT_ROLE("sagsbehandler")] },
      { scope: "urn:dk:gov:saml:cvrNumberIdentifier:11111111", privileges: [KOMBIT_ROLE("administrator")] },
    ]);
    // Act: Context Handler sends privileges and no groups
    const page = await post(client, answer(request, "kim", { groups: [], privileges }), request.relayState);
    // Assess
    expect(page.status).toBe(200);
    expect((await table.stores.users.get("kim"))?.roles).toEqual(["caseworker"]);
    expect((await client.get("/instances/_new")).status).toBe(200);
    expect((await client.get("/users")).status).toBe(403);
  });

  it("refuses an answer whose privilege list is not one, with no session", async () => {
    const client = new Client({ url }, { from: "192.0.2.31" });
    const { request } = await startLogin(client);
    const privileges = Buffer.from("<PrivilegeList><PrivilegeGroup", "utf8").toString("base64");
    const page = await post(client, answer(request, "kim", { groups: [], privileges }), request.relayState);
    expect(lastFailure()).toMatch(/privilege list is not XML/);
    await expectNoSession(client, page);
  });
});

describe("SAML answers that do not check out count as failed logins", () => {
  it("refuses the 11th failed answer from one address with 429, and another address still gets in", async () => {
    // Prepare: answers from one loopback address that nobody signed
    const garbage = new URLSearchParams({
      SAMLResponse: Buffer.from("<nope/>").toString("base64"),
    }).toString();
    const postFrom = (address: string) =>
      new Promise<number>((resolve, reject) => {
        const target = new URL("/login/saml/callback", url);
        const req = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: "POST",
            localAddress: address,
            headers: { "content-type": "application/x-www-form-urlencoded" },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end(garbage);
      });
    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push(await postFrom("127.0.0.81"));
    const eleventh = await postFrom("127.0.0.81");
    // From an address of its own: the other tests' failed answers count against 127.0.0.1.
    const elsewhere = new Client({ url }, { from: "192.0.2.20" });
    const { request: fresh } = await startLogin(elsewhere);
    const good = await post(elsewhere, answer(fresh, "vera"), fresh.relayState);
    // Assess
    expect(statuses).toEqual(Array(10).fill(400));
    expect(eleventh).toBe(429);
    expect(good.status).toBe(200);
  });
});
