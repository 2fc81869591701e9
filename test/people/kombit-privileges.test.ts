/**
 * KOMBIT Context Handler's privilege list (OIOSAML basic privilege profile), read as groups of the
 * municipality's own scope (shared/http/kombit-privileges.ts).
 */
import { describe, expect, it } from "vitest";
import { privilegesIn } from "../../shared/http/kombit-privileges.ts";
import { privilegeScopeOf } from "../../shared/model/privilege-scope.ts";
import { privilegeList } from "../support/saml-idp.ts";

const ISHOJ = "urn:dk:gov:saml:cvrNumberIdentifier:29189978";
const ROLE = (name: string) => `http://fristflow.dk/roles/usersystemrole/${name}/1`;

describe("privilegesIn", () => {
  it("gives the privileges of the municipality's scope, each once, and none of another's", () => {
    const list = privilegeList([
      { scope: ISHOJ, privileges: [ROLE("laeser"), ROLE("sagsbehandler")] },
      { scope: "urn:dk:gov:saml:cvrNumberIdentifier:11111111", privileges: [ROLE("admin")] },
      { scope: ISHOJ, privileges: [` ${ROLE("laeser")} `] },
    ]);
    expect(privilegesIn(list, ISHOJ)).toEqual([ROLE("laeser"), ROLE("sagsbehandler")]);
    expect(privilegesIn(list, "urn:dk:gov:saml:cvrNumberIdentifier:22222222")).toEqual([]);
  });

  it("reads a list with any namespace prefix, or none", () => {
    const list = privilegeList([{ scope: ISHOJ, privileges: [ROLE("laeser")] }], "p");
    expect(privilegesIn(list, ISHOJ)).toEqual([ROLE("laeser")]);
  });

  it("refuses what is not a privilege list, saying what is wrong", () => {
    const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
    expect(() => privilegesIn(b64("<PrivilegeList><PrivilegeGroup"), ISHOJ)).toThrow(/not XML/);
    expect(() => privilegesIn(b64("<Groups><Group>x</Group></Groups>"), ISHOJ)).toThrow(/no PrivilegeList/);
    expect(() => privilegesIn("", ISHOJ)).toThrow(/empty/);
    expect(() => privilegesIn(b64(`<PrivilegeList>${"x".repeat(70_000)}</PrivilegeList>`), ISHOJ)).toThrow(
      /over 65536 bytes/,
    );
  });
});

describe("privilegeScopeOf", () => {
  it("takes a CVR number or the scope itself", () => {
    expect(privilegeScopeOf("29189978")).toBe(ISHOJ);
    expect(privilegeScopeOf(` ${ISHOJ} `)).toBe(ISHOJ);
  });
});
