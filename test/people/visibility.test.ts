/**
 * Who sees which instance, and who may start and steer which workflow: the pure policies case by
 * case, and the use cases over the in-memory stores. No server, no DynamoDB Local.
 */
import { describe, expect, it } from "vitest";
import {
  mayRun,
  NotGrantedError,
  requireGrant,
  runnableWorkflows,
  setGrants,
  UnknownWorkflowError,
} from "../../shared/app/grants.ts";
import { ADMIN_TOKEN_PRINCIPAL, type Principal, principalOf } from "../../shared/app/sessions.ts";
import {
  type InstanceFacts,
  maySee,
  namedIn,
  owns,
  requireVisible,
  seesAll,
  type UnitPeople,
  visibleAmong,
} from "../../shared/app/visibility.ts";
import type { Role } from "../../shared/model/people.ts";
import { NotFoundError } from "../../shared/store/errors.ts";
import { userAuditId } from "../../shared/store/ports.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { testWorkflow, UNITS, WORKFLOW_YAML } from "../http/app-harness.ts";
import { createMemoryTable } from "../support/memory.ts";

function person(roles: Role[], overrides: Partial<Principal> = {}): Principal {
  return {
    kind: "user",
    userId: "sara",
    name: "Sara Sagsbehandler",
    roles,
    email: "sara@kommune.example.dk",
    ...overrides,
  };
}

const SARA = person(["caseworker"], { grants: ["underretning"] });

function instance(overrides: Partial<InstanceFacts> = {}): InstanceFacts {
  return {
    createdBy: "user:carl (Carl Sagsbehandler)",
    params: { caseRef: "UND-2026-1" },
    units: [],
    ...overrides,
  };
}

const DIRECTORY: UnitPeople = new Map(UNITS.map((u) => [u.id, u]));
const SKOLE_A = { id: "skole-a", type: "skole", name: "Skole A" };

describe("who sees an instance (maySee)", () => {
  it("viewers, editors and administrators see every instance, and so does the admin token", () => {
    for (const roles of [["viewer"], ["editor"], ["administrator"], ["caseworker", "viewer"]] as Role[][]) {
      expect(maySee(person(roles), instance(), DIRECTORY)).toBe(true);
      expect(seesAll(person(roles))).toBe(true);
    }
    expect(maySee(ADMIN_TOKEN_PRINCIPAL, instance(), DIRECTORY)).toBe(true);
  });

  it("a caseworker sees the instance they started, matched by user id, not by a longer id that begins the same", () => {
    expect(maySee(SARA, instance({ createdBy: "user:sara (Sara Sagsbehandler)" }), DIRECTORY)).toBe(true);
    // The name at the time of the start does not matter.
    expect(owns(SARA, { createdBy: "user:sara (Sara Gammelt Navn)" })).toBe(true);
    expect(owns(SARA, { createdBy: "user:sara" })).toBe(true);
    expect(maySee(SARA, instance({ createdBy: "user:sarah (Sarah Anden)" }), DIRECTORY)).toBe(false);
    expect(maySee(SARA, instance({ createdBy: "user:sara-b (Sara B)" }), DIRECTORY)).toBe(false);
    expect(maySee(SARA, instance({ createdBy: "admin-dashboard" }), DIRECTORY)).toBe(false);
  });

  it("a caseworker sees an instance whose parameters name their e-mail, in any case", () => {
    const named = instance({ params: { caseRef: "UND-1", caseworker: "Sara@Kommune.Example.DK" } });
    expect(maySee(SARA, named, DIRECTORY)).toBe(true);
    expect(namedIn(SARA, named, DIRECTORY)).toBe(true);
    expect(maySee(SARA, instance({ params: { caseworker: "carl@kommune.example.dk" } }), DIRECTORY)).toBe(
      false,
    );
  });

  it("a caseworker who leads or manages a unit the instance fans out over sees it", () => {
    const overA = instance({ units: [SKOLE_A] });
    expect(maySee(person(["caseworker"], { email: "lene@skole-a.example.dk" }), overA, DIRECTORY)).toBe(true);
    expect(maySee(person(["caseworker"], { email: "mads@example.dk" }), overA, DIRECTORY)).toBe(true);
    // Bo leads Skole B, which this instance does not fan out over.
    expect(maySee(person(["caseworker"], { email: "bo@skole-b.example.dk" }), overA, DIRECTORY)).toBe(false);
    // A unit gone from the directory names nobody any more.
    expect(maySee(person(["caseworker"], { email: "lene@skole-a.example.dk" }), overA, new Map())).toBe(
      false,
    );
  });

  it("a caseworker named nowhere sees nothing; nor does one without an e-mail, or a person with no role", () => {
    expect(maySee(SARA, instance(), DIRECTORY)).toBe(false);
    const noEmail = person(["caseworker"], { email: undefined });
    expect(maySee(noEmail, instance({ params: { caseworker: "" } }), DIRECTORY)).toBe(false);
    expect(maySee(person([]), instance({ createdBy: "user:sara (Sara)" }), DIRECTORY)).toBe(false);
  });
});

describe("who starts and steers which workflow (grants)", () => {
  it("an administrator may run every workflow without a grant; a caseworker only the granted ones", () => {
    expect(mayRun(person(["administrator"]), "anything")).toBe(true);
    expect(mayRun(ADMIN_TOKEN_PRINCIPAL, "anything")).toBe(true);
    expect(mayRun(SARA, "underretning")).toBe(true);
    expect(mayRun(SARA, "ansoegningsfrist")).toBe(false);
    expect(mayRun(person(["caseworker"]), "underretning")).toBe(false);
    // A grant without the caseworker role gives nothing (the role was taken away).
    expect(mayRun(person(["viewer"], { grants: ["underretning"] }), "underretning")).toBe(false);
  });

  it("refuses an ungranted workflow with a 403-class error that says what to do, and lists only granted ones", () => {
    expect(() => requireGrant(SARA, "underretning")).not.toThrow();
    let refused: unknown;
    try {
      requireGrant(SARA, "ansoegningsfrist");
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(NotGrantedError);
    expect((refused as NotGrantedError).category).toBe("refused");
    expect((refused as Error).message).toContain("an administrator grants workflows to caseworkers");
    const all = [{ workflowId: "ansoegningsfrist" }, { workflowId: "underretning" }];
    expect(runnableWorkflows(SARA, all)).toEqual([{ workflowId: "underretning" }]);
    expect(runnableWorkflows(person(["administrator"]), all)).toEqual(all);
  });

  it("a user's principal carries their e-mail and grants, as stored", async () => {
    const table = await createMemoryTable();
    await table.stores.users.create({
      userId: "sara",
      name: "Sara",
      email: "sara@kommune.example.dk",
      roles: ["caseworker"],
      active: true,
      updatedBy: "test",
    });
    const fresh = await table.stores.users.get("sara");
    expect(fresh && principalOf(fresh)).toMatchObject({ email: "sara@kommune.example.dk", grants: [] });
    await table.stores.users.setGrants("sara", ["underretning"], "test");
    const granted = await table.stores.users.get("sara");
    expect(granted && principalOf(granted).grants).toEqual(["underretning"]);
  });
});

describe("the use cases over the in-memory stores", () => {
  async function prepared() {
    const clock = new ManualClock("2024-05-01T06:00:00Z");
    const table = await createMemoryTable({ clock });
    const definition = testWorkflow();
    await table.stores.workflows.putVersion({
      workflowId: definition.id,
      source: WORKFLOW_YAML,
      definition,
      createdBy: "test",
    });
    for (const unit of UNITS) await table.stores.units.put(unit);
    await table.stores.users.create({
      userId: "sara",
      name: "Sara",
      email: "sara@kommune.example.dk",
      roles: ["caseworker"],
      active: true,
      updatedBy: "test",
    });
    const start = async (instanceId: string, overrides: Partial<InstanceFacts>) =>
      table.stores.instances.create({
        instanceId,
        workflowId: definition.id,
        workflowVersion: 1,
        startAt: "2024-05-01T06:00:00Z",
        params: {},
        units: [],
        createdBy: "test",
        ...overrides,
      });
    return { table, start };
  }

  it("grants only existing workflows: an unknown one changes nothing and writes no audit entry", async () => {
    const { table } = await prepared();
    await expect(
      setGrants(table.stores, "sara", ["skoleopfoelgning", "nope"], "user:anna (Anna)"),
    ).rejects.toBeInstanceOf(UnknownWorkflowError);
    expect((await table.stores.users.get("sara"))?.grants ?? []).toEqual([]);
    expect(await table.stores.audit.list(userAuditId("sara"))).toEqual([]);
    await expect(setGrants(table.stores, "nobody", [], "user:anna (Anna)")).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const done = await setGrants(table.stores, "sara", ["skoleopfoelgning"], "user:anna (Anna)");
    expect(done).toMatchObject({ before: [], after: ["skoleopfoelgning"] });
    expect(done.entry).toMatchObject({ action: "user.grants.changed", by: "user:anna (Anna)" });
  });

  it("sorts a caseworker's list to what they may see, reads nothing for a viewer, and answers 404 for the rest", async () => {
    const { table, start } = await prepared();
    const own = await start("skoleopfoelgning-own", { createdBy: "user:sara (Sara)" });
    const led = await start("skoleopfoelgning-led", { units: [SKOLE_A] });
    const other = await start("skoleopfoelgning-other", { createdBy: "user:carl (Carl)", units: [SKOLE_A] });
    const ids = [own.instanceId, led.instanceId, other.instanceId, "skoleopfoelgning-gone"];
    const sara = person(["caseworker"], { userId: "sara" });
    const lene = person(["caseworker"], { userId: "lene", email: "lene@skole-a.example.dk" });

    const sees = await visibleAmong(table.stores, sara, ids);
    expect(ids.filter(sees)).toEqual([own.instanceId]);
    const leneSees = await visibleAmong(table.stores, lene, ids);
    expect(ids.filter(leneSees)).toEqual([led.instanceId, other.instanceId]);
    const viewerSees = await visibleAmong(table.stores, person(["viewer"]), ids);
    expect(ids.filter(viewerSees)).toEqual(ids);

    await expect(requireVisible(table.stores, sara, own)).resolves.toBeUndefined();
    await expect(requireVisible(table.stores, sara, other)).rejects.toBeInstanceOf(NotFoundError);
    await expect(requireVisible(table.stores, lene, other)).resolves.toBeUndefined();
  });
});
