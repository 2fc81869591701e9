/**
 * The people a staff mail names, beyond its recipient: their names (for the greeting and the
 * contact line), who has not confirmed (an escalation says so), and the reply address.
 *
 * Names: the unit directory has leaders' and managers' names; a `param:` address (a caseworker, a
 * team leader) is looked up among the staff users, who have names. An address is never a name.
 */
import type { Milestone } from "../model/schema.ts";
import type { UserStore } from "../store/ports.ts";
import { resolveRecipient as ownerReference } from "../timeline/schedule.ts";
import type { InstanceUnit, RecipientRef } from "../timeline/types.ts";
import type { AppSettings } from "./ports.ts";
import { type Directory, type Person, RecipientError, resolveAddress } from "./recipients.ts";

/** Where names of staff come from; one read per address, and only when the directory has none. */
export type NameLookup = (email: string) => Promise<string | undefined>;

export function userNames(users: Pick<UserStore, "findByEmail"> | undefined): NameLookup {
  const seen = new Map<string, Promise<string | undefined>>();
  return (email) => {
    if (users === undefined) return Promise.resolve(undefined);
    const key = email.toLowerCase();
    let name = seen.get(key);
    if (name === undefined) {
      // A greeting may miss a rename of the last second: half the read cost of every staff mail.
      name = users.findByEmail(key, "eventual").then((u) => (u === null || !u.active ? undefined : u.name));
      seen.set(key, name);
    }
    return name;
  };
}

/** The person with a name to greet by, when the directory or the users have one. */
export async function withName(person: Person, names: NameLookup): Promise<Person> {
  if (isName(person.name, person.email)) return person;
  const found = await names(person.email);
  return isName(found, person.email) ? { name: found, email: person.email } : { email: person.email };
}

function isName(name: string | undefined, email: string): name is string {
  const trimmed = name?.trim();
  return Boolean(trimmed) && !trimmed?.includes("@") && trimmed?.toLowerCase() !== email.toLowerCase();
}

/** Who owns an occurrence: the milestone's owner, or the unit's leader for a fan-out milestone. */
export function ownerOf(milestone: Milestone, unitId: string | null): RecipientRef | null {
  const spec = milestone.owner ?? (milestone.forEach ? "leader" : null);
  return spec === null ? null : ownerReference(spec, unitId, spec);
}

/**
 * Who has not confirmed, for an escalation: the owner's name and address where they resolve, and
 * the unit they lead. Nothing when the milestone has no owner; the unit alone when the directory
 * lost it (the instance keeps its units' names).
 */
export async function notConfirmedBy(
  owner: RecipientRef | null,
  context: { directory: Directory; params: Parameters<typeof resolveAddress>[1]["params"] },
  units: readonly InstanceUnit[],
  names: NameLookup,
): Promise<{ name?: string; email?: string; unit?: string } | undefined> {
  if (owner === null) return undefined;
  const unit = owner.kind === "param" ? undefined : units.find((u) => u.id === owner.unitId)?.name;
  let person: Person | undefined;
  try {
    person = await withName(await resolveAddress(owner, context), names);
  } catch (err) {
    if (!(err instanceof RecipientError)) throw err;
  }
  const who = {
    ...(person?.name === undefined ? {} : { name: person.name }),
    ...(person === undefined ? {} : { email: person.email }),
    ...(unit === undefined || owner.kind === "unitManager" ? {} : { unit }),
  };
  return Object.keys(who).length === 0 ? undefined : who;
}

/**
 * The Reply-To of staff mails: the municipality's configured contact address, named after the
 * organisation. Not configured: none, so nobody is invited to write to the system sender.
 */
export function replyAddress(settings: AppSettings): Person | null {
  return settings.replyTo === undefined ? null : { name: settings.organisation, email: settings.replyTo };
}
