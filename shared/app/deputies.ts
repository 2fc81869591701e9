/**
 * Deputies as people set them: a leader on their Mine frister page (their person scope), an
 * administrator or editor on a unit's edit page (the unit's scope). Input is checked here, at the
 * boundary (zod); the store writes each change with its audit entry, naming who made it.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { type LinkKeyProvider, personIdOf } from "../links/index.ts";
import type { DeputyStore } from "../store/ports.ts";
import type { DeputyRecord, DeputyScope } from "../store/records.ts";
import type { Clock } from "../time/clock.ts";
import type { NotificationKind, RecipientRef } from "../timeline/types.ts";
import { parseInput } from "./admin-input.ts";
import { goesToDeputy } from "./deputy-routing.ts";

const IsoDate = z.iso.date();

/** What the forms send; a period of at most a year (a deputy is for an absence, not for good). */
export const DeputyForm = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254),
    from: IsoDate,
    to: IsoDate,
  })
  .refine((f) => f.from <= f.to, { path: ["to"], message: "the last day comes before the first" })
  .refine((f) => Date.parse(f.to) - Date.parse(f.from) <= 366 * 86_400_000, {
    path: ["to"],
    message: "a deputy is set for at most a year",
  });

export type DeputyFormInput = z.infer<typeof DeputyForm>;

export interface DeputyDeps {
  deputies: DeputyStore;
  clock: Clock;
}

/** Checks the form and stores the deputy; InvalidInputError (nothing stored) when it does not hold. */
export async function setDeputy(
  deps: DeputyDeps,
  scope: DeputyScope,
  form: unknown,
  by: string,
): Promise<DeputyRecord> {
  // CPR-looking values are refused before anything else reads them (a name field is free text).
  const parsed = { data: parseInput(DeputyForm, form, "<form>") };
  const record: DeputyRecord = {
    scope,
    deputyId: randomBytes(9).toString("base64url"),
    name: parsed.data.name,
    email: parsed.data.email.toLowerCase(),
    from: parsed.data.from,
    to: parsed.data.to,
    createdAt: deps.clock.now().toString(),
    createdBy: by,
  };
  await deps.deputies.put(record);
  return record;
}

/** Ends a deputy today (the day before `today` counts as their last), or removes a future one's days. */
export async function endDeputy(
  deps: DeputyDeps,
  scope: DeputyScope,
  deputyId: string,
  today: string,
  by: string,
): Promise<DeputyRecord> {
  const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return deps.deputies.end(scope, deputyId, yesterday, by);
}

/** Deputies still to come or in force on `today`, for a page to list. */
export function current(deputies: readonly DeputyRecord[], today: string): DeputyRecord[] {
  return deputies.filter((d) => d.to >= today && d.from <= d.to);
}

/** The audit actor for a leader acting through their personal link (no account, no address). */
export function personActor(personId: string): string {
  return `person:${personId}`;
}

export interface DeputyLookup {
  /** The recipient's own deputies and their unit's, for a mail a deputy may take; none otherwise. */
  of(
    kind: NotificationKind,
    ref: RecipientRef,
    email: string,
  ): Promise<{ personDeputies: DeputyRecord[]; unitDeputies: DeputyRecord[] }>;
}

/** Per batch: each scope read once (two Queries by key at most per recipient), never a scan. */
export function deputyLookup(store: DeputyStore, linkKey: LinkKeyProvider): DeputyLookup {
  const seen = new Map<string, Promise<DeputyRecord[]>>();
  const list = (scope: DeputyScope): Promise<DeputyRecord[]> => {
    const id = scope.kind === "person" ? `p:${scope.personId}` : `u:${scope.unitId}`;
    let found = seen.get(id);
    if (found === undefined) {
      // Eventually consistent: a deputy set in the last second may miss one mail, at half the
      // read cost of every reminder (issue 13). The Mine frister page reads them strongly.
      found = store.list(scope, "eventual");
      seen.set(id, found);
    }
    return found;
  };
  return {
    async of(kind, ref, email) {
      if (!goesToDeputy(kind)) return { personDeputies: [], unitDeputies: [] };
      const personId = personIdOf(email, await linkKey.getKey());
      const [personDeputies, unitDeputies] = await Promise.all([
        list({ kind: "person", personId }),
        ref.kind === "unitLeader" ? list({ kind: "unit", unitId: ref.unitId }) : Promise.resolve([]),
      ]);
      return { personDeputies, unitDeputies };
    },
  };
}
