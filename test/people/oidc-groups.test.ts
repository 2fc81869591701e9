/**
 * Roles from the OpenID provider's `groups` claim (Entra ID's), through the embedded provider over
 * real HTTP: the mapped roles replace the stored ones at login and the change is audited by the
 * provider; without a role-giving group nobody gets in. The same app without SAML configured
 * offers no SAML login, and its SAML routes are not there.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerActor } from "../../shared/app/group-login.ts";
import { userAuditId } from "../../shared/store/ports.ts";
import { Client, loginThroughProvider, visibleText } from "../dashboard/client.ts";
import { type Harness, startHarness } from "../http/harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", {
    people: true,
    groupRoles: { "fristflow-laesere": "viewer", "fristflow-sagsbehandlere": "caseworker" },
  });
});
afterAll(async () => {
  await h.close();
});

function user(id: string) {
  const found = h.users.find((u) => u.id === id);
  if (found === undefined) throw new Error(id);
  return found;
}

describe("roles from the OpenID group claim", () => {
  it("replaces the stored roles with the groups' at login and audits the change by the provider", async () => {
    // Prepare: Sara is a caseworker in the table; the provider puts her among the readers
    user("sara").groups = ["fristflow-laesere", "alle-ansatte"];
    const client = new Client(h);
    // Act
    const callback = await loginThroughProvider(client, h.url, user("sara").email, user("sara").password);
    // Assess
    expect(callback.status).toBe(200);
    expect((await client.get("/")).status).toBe(200);
    expect((await client.get("/instances/_new")).status).toBe(403);
    expect((await h.table.stores.users.get("sara"))?.roles).toEqual(["viewer"]);
    const trail = await h.table.stores.audit.list(userAuditId("sara"));
    expect(trail.map((e) => [e.action, e.by, e.details])).toEqual([
      [
        "user.roles.changed",
        providerActor(`${h.url}/oidc`),
        { before: ["caseworker"], after: ["viewer"], source: "group claim" },
      ],
    ]);
  });

  it("lets nobody in whose groups give no role, also without the claim", async () => {
    // Prepare: Erik has no groups at the provider
    const erik = user("erik");
    // Act
    const page = await loginThroughProvider(new Client(h), h.url, erik.email, erik.password);
    // Assess
    expect(page.status).toBe(403);
    expect(visibleText(page.text)).toContain("Din konto har ingen rolle endnu");
    expect((await h.table.stores.users.get("erik"))?.roles).toEqual([]);
  });

  it("offers no SAML login where SAML is not configured", async () => {
    const client = new Client(h);
    const login = await client.get("/login");
    expect(login.text).toContain('href="/login/oidc?next=%2F"');
    expect(login.text).not.toContain("/login/saml");
    expect((await client.get("/login/saml")).status).toBe(404);
    expect((await client.get("/login/saml/metadata")).status).toBe(404);
    expect((await client.post("/login/saml/callback", { SAMLResponse: "x" }, { csrf: null })).status).toBe(
      404,
    );
  });
});
