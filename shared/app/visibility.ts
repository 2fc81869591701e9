/**
 * Which instances a person may see. Viewers, editors and administrators see every instance; a
 * caseworker only those they own (they started it: its createdBy names them) or are named in
 * (their e-mail is one of its parameters, such as the caseworker's address, or they lead or
 * manage a unit it fans out over, as the directory says now). Every route that shows an instance
 * asks here, and one it may not see is answered as if it did not exist (404): a caseworker is not
 * told that a case they have no part in is there.
 */
import pLimit from "p-limit";
import type { Unit } from "../model/schema.ts";
import { NotFoundError } from "../store/errors.ts";
import type { InstanceRecord } from "../store/records.ts";
import type { AppDeps } from "./ports.ts";
import type { Principal } from "./sessions.ts";

/** What of an instance decides who may see it. */
export type InstanceFacts = Pick<InstanceRecord, "createdBy" | "params" | "units">;

/** The people of the directory's units, by unit id. */
export type UnitPeople = ReadonlyMap<string, Pick<Unit, "leader" | "manager">>;

/** Pure: does this person see every instance (no need to look at any)? */
export function seesAll(principal: Principal): boolean {
  return principal.roles.some((role) => role === "administrator" || role === "editor" || role === "viewer");
}

/**
 * Pure: did this person start the instance? The audit actor is `user:<id> (<name>)` (actorOf);
 * the id is matched, not the name, which can change.
 */
export function owns(principal: Principal, instance: Pick<InstanceRecord, "createdBy">): boolean {
  if (principal.kind !== "user") return false;
  const actor = `user:${principal.userId}`;
  return instance.createdBy === actor || instance.createdBy.startsWith(`${actor} (`);
}

/** Pure: is the person's e-mail one of the instance's parameters, or a leader or manager of one of its units? */
export function namedIn(principal: Principal, instance: InstanceFacts, directory: UnitPeople): boolean {
  const email = principal.email?.toLowerCase();
  if (email === undefined || email === "") return false;
  const same = (value: unknown) => typeof value === "string" && value.trim().toLowerCase() === email;
  if (Object.values(instance.params).some(same)) return true;
  return instance.units.some((u) => {
    const unit = directory.get(u.id);
    return unit !== undefined && (same(unit.leader.email) || same(unit.manager?.email));
  });
}

/** Pure: may this person see the instance? The one policy every instance route asks. */
export function maySee(principal: Principal, instance: InstanceFacts, directory: UnitPeople): boolean {
  if (seesAll(principal)) return true;
  if (!principal.roles.includes("caseworker")) return false;
  return owns(principal, instance) || namedIn(principal, instance, directory);
}

function peopleOf(units: readonly Unit[]): UnitPeople {
  return new Map(units.map((u) => [u.id, u]));
}

/**
 * NotFoundError unless the person may see the instance: what a route calls once it has the
 * instance, before it shows anything of it. Reads the directory only when it must.
 */
export async function requireVisible(
  deps: Pick<AppDeps, "units">,
  principal: Principal,
  instance: InstanceFacts & Pick<InstanceRecord, "instanceId">,
): Promise<void> {
  if (seesAll(principal) || owns(principal, instance)) return;
  const directory = instance.units.length === 0 ? new Map() : peopleOf(await deps.units.list());
  if (!maySee(principal, instance, directory)) throw new NotFoundError("instance", instance.instanceId);
}

/** Instance reads at once while a caseworker's list is sorted out. */
const LIST_READS = 8;

/**
 * Which of these instances the person may see, as a test on ids: for whoever sees all, at no
 * cost; for a caseworker, by reading each instance (the list index does not carry who is named
 * in it) and the directory once. An id that is gone is not seen.
 */
export async function visibleAmong(
  deps: Pick<AppDeps, "instances" | "units">,
  principal: Principal,
  instanceIds: Iterable<string>,
): Promise<(instanceId: string) => boolean> {
  if (seesAll(principal)) return () => true;
  const ids = [...new Set(instanceIds)];
  if (ids.length === 0 || !principal.roles.includes("caseworker")) return () => false;
  const limit = pLimit(LIST_READS);
  const [directory, records] = await Promise.all([
    deps.units.list().then(peopleOf),
    Promise.all(ids.map((id) => limit(() => deps.instances.get(id)))),
  ]);
  const seen = new Set(
    records
      .filter((r): r is InstanceRecord => r !== null && maySee(principal, r, directory))
      .map((r) => r.instanceId),
  );
  return (instanceId) => seen.has(instanceId);
}
