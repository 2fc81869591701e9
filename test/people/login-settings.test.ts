/**
 * The login settings from the environment (shared/http/login-settings.ts): SAML off unless its
 * variables are set, a valid set read into the settings the adapter takes, and every mistake
 * reported with the variable's name. Pure; the certificate comes from node-forge.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  LoginSettingsError,
  readGroupRoles,
  readLoginSettings,
  readSamlSettings,
} from "../../shared/http/login-settings.ts";
import { selfSignedCertificate } from "../support/saml-idp.ts";

const BASE = "https://fristflow.ishoj.example";
let cert: string;
let rollover: string;

beforeAll(() => {
  cert = selfSignedCertificate("ADFS Signing").certPem;
  rollover = selfSignedCertificate("ADFS Signing (next)").certPem;
});

function problems(read: () => unknown): string[] {
  try {
    read();
  } catch (err) {
    if (err instanceof LoginSettingsError) return err.problems;
    throw err;
  }
  throw new Error("expected a LoginSettingsError");
}

describe("readSamlSettings", () => {
  it("leaves SAML off when none of its variables is set", () => {
    expect(readSamlSettings({}, BASE)).toBeUndefined();
    expect(readSamlSettings({ FRISTFLOW_SAML_ENTRY_POINT: " " }, BASE)).toBeUndefined();
  });

  it("reads a valid set, with the callback on the public URL and two certificates during a rollover", () => {
    // Act
    const settings = readSamlSettings(
      {
        FRISTFLOW_SAML_ENTRY_POINT: "https://adfs.ishoj.example/adfs/ls/",
        FRISTFLOW_SAML_IDP_CERT: `${cert}${rollover}`.replace(/\n/g, "\\n"),
        FRISTFLOW_SAML_IDP_ISSUER: "http://adfs.ishoj.example/adfs/services/trust",
        FRISTFLOW_SAML_SP_ENTITY_ID: "https://fristflow.ishoj.example/saml",
        FRISTFLOW_SAML_GROUP_ATTRIBUTE: "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
      },
      `${BASE}/`,
    );
    // Assess
    expect(settings).toMatchObject({
      entryPoint: "https://adfs.ishoj.example/adfs/ls/",
      idpIssuer: "http://adfs.ishoj.example/adfs/services/trust",
      spEntityId: "https://fristflow.ishoj.example/saml",
      callbackUrl: `${BASE}/login/saml/callback`,
      groupAttribute: "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
    });
    expect(settings?.idpCert).toHaveLength(2);
    expect(settings?.idpCert[0]).toMatch(/^-----BEGIN CERTIFICATE-----\r?\n/);
  });

  it("takes KOMBIT's privilege scope as a CVR number or its URN, and names a typo", () => {
    const base = {
      FRISTFLOW_SAML_ENTRY_POINT: "https://adfs.ishoj.example/adfs/ls/",
      FRISTFLOW_SAML_IDP_CERT: cert,
    };
    const scope = "urn:dk:gov:saml:cvrNumberIdentifier:29189978";
    expect(
      readSamlSettings({ ...base, FRISTFLOW_SAML_PRIVILEGE_SCOPE: "29189978" }, BASE)?.privilegeScope,
    ).toBe(scope);
    expect(readSamlSettings({ ...base, FRISTFLOW_SAML_PRIVILEGE_SCOPE: scope }, BASE)?.privilegeScope).toBe(
      scope,
    );
    expect(
      problems(() => readSamlSettings({ ...base, FRISTFLOW_SAML_PRIVILEGE_SCOPE: "2918997" }, BASE)),
    ).toEqual(["FRISTFLOW_SAML_PRIVILEGE_SCOPE must be a CVR number (8 digits) or its scope URN"]);
  });

  it("takes fristflow's metadata URL as its entity id when none is given", () => {
    const settings = readSamlSettings(
      { FRISTFLOW_SAML_ENTRY_POINT: "https://adfs.ishoj.example/adfs/ls/", FRISTFLOW_SAML_IDP_CERT: cert },
      BASE,
    );
    expect(settings?.spEntityId).toBe(`${BASE}/login/saml/metadata`);
  });

  it("names the variable of every mistake", () => {
    expect(problems(() => readSamlSettings({ FRISTFLOW_SAML_IDP_ISSUER: "x" }, BASE))).toEqual([
      "FRISTFLOW_SAML_ENTRY_POINT is needed when FRISTFLOW_SAML_IDP_ISSUER is set",
      "FRISTFLOW_SAML_IDP_CERT is needed when FRISTFLOW_SAML_IDP_ISSUER is set",
    ]);
    const wrong = problems(() =>
      readSamlSettings(
        {
          FRISTFLOW_SAML_ENTRY_POINT: "http://adfs.ishoj.example/adfs/ls/",
          FRISTFLOW_SAML_IDP_CERT: "not a cert",
        },
        BASE,
      ),
    );
    expect(wrong).toHaveLength(2);
    expect(wrong[0]).toMatch(/^FRISTFLOW_SAML_ENTRY_POINT must be an https:\/\/ URL/);
    expect(wrong[1]).toMatch(/^FRISTFLOW_SAML_IDP_CERT /);
  });
});

describe("readGroupRoles and readLoginSettings", () => {
  it("reads the mapping, and leaves the roles to the dashboard without it", () => {
    expect(readGroupRoles({ FRISTFLOW_GROUP_ROLES: '{"Fristflow-Admins":"administrator"}' })).toEqual({
      "Fristflow-Admins": "administrator",
    });
    expect(readGroupRoles({})).toBeUndefined();
  });

  it("refuses a mapping that is not JSON or names an unknown role, naming the variable and the group", () => {
    expect(problems(() => readGroupRoles({ FRISTFLOW_GROUP_ROLES: "{admins: administrator}" }))[0]).toMatch(
      /^FRISTFLOW_GROUP_ROLES is not JSON/,
    );
    expect(problems(() => readGroupRoles({ FRISTFLOW_GROUP_ROLES: '{"admins":"root"}' }))[0]).toMatch(
      /^FRISTFLOW_GROUP_ROLES \(group "admins"\) /,
    );
  });

  it("reports every problem at once, and defaults the OpenID group claim to Entra ID's", () => {
    expect(readLoginSettings({}, BASE)).toEqual({ oidcGroupClaim: "groups" });
    expect(readLoginSettings({ FRISTFLOW_OIDC_GROUP_CLAIM: "roles" }, BASE).oidcGroupClaim).toBe("roles");
    const all = problems(() =>
      readLoginSettings({ FRISTFLOW_SAML_SP_ENTITY_ID: "x", FRISTFLOW_GROUP_ROLES: "[" }, BASE),
    );
    expect(all).toHaveLength(3);
    expect(all[2]).toMatch(/^FRISTFLOW_GROUP_ROLES/);
  });
});
