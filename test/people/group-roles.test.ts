/**
 * Roles from a group claim: the pure mapping (shared/model/group-roles.ts) and the login use case
 * on the in-memory stores (shared/app/group-login.ts): roles set from the groups, the change
 * audited by the provider, the other sessions ended when a role is lost. No server, no Java.
 */
import { describe, expect, it } from "vitest";
import { matchLoginWithGroups, providerActor } from "../../shared/app/group-login.ts";
import { startSession } from "../../shared/app/sessions.ts";
import {
  type GroupRoles,
  GroupRolesSchema,
  groupsOf,
  roleChange,
  rolesFromGroups,
} from "../../shared/model/group-roles.ts";
import type { Role } from "../../shared/model/people.ts";
import { userAuditId } from "../../shared/store/ports.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createMemoryTable } from "../support/memory.ts";

const MAPPING: GroupRoles = {
  "3f1c0a52-1111-4a4b-9c3e-000000000001": "administrator",
  "Fristflow-Redaktører": "editor",
  "fristflow-sagsbehandlere": "caseworker",
  "fristflow-laesere": "viewer",
};

describe("the group mapping", () => {
  it("gives each mapped group's role once, in canonical order, whatever the case; unmapped groups give none", () => {
    expect(rolesFromGroups(MAPPING, ["fristflow-laesere", "FRISTFLOW-REDAKTØRER", "Domain Users"])).toEqual([
      "editor",
      "viewer",
    ]);
    expect(rolesFromGroups(MAPPING, ["3F1C0A52-1111-4A4B-9C3E-000000000001", "fristflow-laesere"])).toEqual([
      "administrator",
      "viewer",
    ]);
    expect(rolesFromGroups(MAPPING, ["Domain Users"])).toEqual([]);
    expect(rolesFromGroups(MAPPING, [])).toEqual([]);
  });

  it("reads a claim's value as groups: one string or a list of strings, nothing else", () => {
    expect(groupsOf("fristflow-laesere")).toEqual(["fristflow-laesere"]);
    expect(groupsOf(["a", 7, "", "b", null])).toEqual(["a", "b"]);
    expect(groupsOf(undefined)).toEqual([]);
    expect(groupsOf({ group: "a" })).toEqual([]);
  });

  it("says whether roles changed and whether one was lost", () => {
    expect(roleChange(["viewer", "editor"], ["editor", "viewer"])).toMatchObject({
      changed: false,
      lost: false,
    });
    expect(roleChange(["viewer"], ["editor", "viewer"])).toMatchObject({ changed: true, lost: false });
    expect(roleChange(["caseworker", "viewer"], ["viewer"])).toEqual({
      before: ["caseworker", "viewer"],
      after: ["viewer"],
      changed: true,
      lost: true,
    });
  });

  it("validates the configured mapping: known roles only, no empty group", () => {
    expect(GroupRolesSchema.safeParse(MAPPING).success).toBe(true);
    expect(GroupRolesSchema.safeParse({ g: "superuser" }).success).toBe(false);
    expect(GroupRolesSchema.safeParse({ " ": "viewer" }).success).toBe(false);
    expect(GroupRolesSchema.safeParse(["viewer"]).success).toBe(false);
  });
});

describe("a login with a group claim", () => {
  const ISSUER = "https://sts.windows.net/tenant-1/";

  async function setup(roles: Role[]) {
    const clock = new ManualClock("2024-05-01T06:00:00Z");
    const table = await createMemoryTable({ clock });
    const deps = { ...table.stores, clock };
    await deps.users.create({
      userId: "sara",
      name: "Sara Sagsbehandler",
      email: "sara@kommune.example.dk",
      roles,
      active: true,
      updatedBy: "test",
    });
    return deps;
  }
  const claims = (groups: string[] | undefined) => ({
    issuer: ISSUER,
    subject: "sub-sara",
    email: "sara@kommune.example.dk",
    groups,
  });

  it("sets the roles from the groups, audits the change by the provider and ends the other sessions when one is lost", async () => {
    // Prepare: Sara is a caseworker with an open session; the provider now puts her among the readers only
    const deps = await setup(["caseworker"]);
    await startSession(deps, "sara", "oidc");
    // Act
    const match = await matchLoginWithGroups(deps, claims(["fristflow-laesere"]), MAPPING);
    // Assess
    expect(match).toMatchObject({ ok: true, rolesChanged: true, user: { roles: ["viewer"] } });
    const stored = await deps.users.get("sara");
    expect(stored?.roles).toEqual(["viewer"]);
    expect(stored?.updatedBy).toBe(providerActor(ISSUER));
    expect(stored?.subjects).toEqual([`${ISSUER} sub-sara`]);
    const trail = await deps.audit.list(userAuditId("sara"));
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      action: "user.roles.changed",
      by: `idp:${ISSUER}`,
      details: { before: ["caseworker"], after: ["viewer"] },
    });
    expect(await deps.sessions.list("sara")).toEqual([]);
  });

  it("keeps the other sessions when a role is only added, and writes nothing when nothing changes", async () => {
    // Prepare
    const deps = await setup(["viewer"]);
    await startSession(deps, "sara", "oidc");
    // Act
    const added = await matchLoginWithGroups(
      deps,
      claims(["fristflow-laesere", "fristflow-sagsbehandlere"]),
      MAPPING,
    );
    const same = await matchLoginWithGroups(
      deps,
      claims(["fristflow-sagsbehandlere", "fristflow-laesere"]),
      MAPPING,
    );
    // Assess
    expect(added).toMatchObject({ ok: true, rolesChanged: true });
    expect(same).toMatchObject({ ok: true, rolesChanged: false, user: { roles: ["caseworker", "viewer"] } });
    expect(await deps.sessions.list("sara")).toHaveLength(1);
    expect(await deps.audit.list(userAuditId("sara"))).toHaveLength(1);
  });

  it("refuses a login whose groups give no role (also without the claim), having taken the roles away", async () => {
    // Prepare
    const deps = await setup(["editor"]);
    // Act
    const none = await matchLoginWithGroups(deps, claims(undefined), MAPPING);
    // Assess
    expect(none).toEqual({ ok: false, reason: "no-role" });
    expect((await deps.users.get("sara"))?.roles).toEqual([]);
    expect((await deps.audit.list(userAuditId("sara")))[0]?.details).toMatchObject({ after: [] });
  });

  it("leaves the dashboard's roles alone without a mapping, and never changes a deactivated user", async () => {
    // Prepare
    const deps = await setup(["editor"]);
    // Act
    const unmapped = await matchLoginWithGroups(deps, claims(["fristflow-laesere"]), undefined);
    const user = await deps.users.get("sara");
    if (user === null) throw new Error("no sara");
    await deps.users.update({ ...user, active: false, updatedBy: "test" });
    const inactive = await matchLoginWithGroups(deps, claims(["fristflow-laesere"]), MAPPING);
    // Assess
    expect(unmapped).toMatchObject({ ok: true, user: { roles: ["editor"] } });
    expect(inactive).toEqual({ ok: false, reason: "inactive" });
    expect((await deps.users.get("sara"))?.roles).toEqual(["editor"]);
    expect(await deps.audit.list(userAuditId("sara"))).toEqual([]);
  });
});
