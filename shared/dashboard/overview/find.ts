/**
 * findMilestones: every open milestone a person may see that passes a filter (filter.ts), with
 * plain fields, in the filter's order. The overview shows a page of them; the export writes all.
 *
 * Reads, none of them a scan: the due index for the filter's deadline window (queryWindow), each
 * listed instance and its workflow version once (instances/names.ts), the directory once (unit
 * leaders' and managers' names), and the staff user of each caseworker address once (their name).
 * Visibility is the one policy of shared/app/visibility.ts, as on every page that lists instances.
 * Statuses come from the one status function (timeline/status.ts), an instance on hold included.
 */
import { ownerOf, userNames, withName } from "../../app/mail-people.ts";
import { RecipientError, resolveAddress } from "../../app/recipients.ts";
import type { Principal } from "../../app/sessions.ts";
import { visibleAmong } from "../../app/visibility.ts";
import type { HttpDeps } from "../../http/context.ts";
import type { Language, Unit } from "../../model/schema.ts";
import type { MilestoneRecord } from "../../store/records.ts";
import type { Temporal } from "../../time/temporal.ts";
import { pickText } from "../../timeline/format.ts";
import { identifyingParams, instanceIdentity, instanceLabel } from "../../timeline/instance-name.ts";
import { type OccurrenceStatusName, statusAt } from "../../timeline/status.ts";
import type { RecipientRef } from "../../timeline/types.ts";
import { DEFAULT_TIMEZONE, describeOwner } from "../common/format.ts";
import { occurrenceLabel } from "../instances/audit.ts";
import { type InstanceWithVersion, instancesWithVersions } from "../instances/names.ts";
import { recurringMilestones } from "../instances/pages.ts";
import { dashboardStrings } from "../strings.ts";
import {
  type DueWindow,
  daysOverdue,
  type MilestoneFilter,
  matches,
  queryWindow,
  sortRows,
} from "./filter.ts";

export type FindDeps = Pick<HttpDeps, "dueIndex" | "instances" | "workflows" | "units" | "users">;

/** One milestone occurrence as a list or an export shows it. */
export interface FoundMilestone {
  instanceId: string;
  occurrenceKey: string;
  workflowId: string;
  workflowTitle: string;
  instanceName: string;
  /** Name and case reference in one line, as every list says it (timeline/instance-name.ts). */
  instanceLabel: string;
  /** The case-identifying parameters' values (timeline/instance-name.ts), joined; null: none. */
  caseRef: string | null;
  milestoneLabel: string;
  unitId: string | null;
  unitName: string | null;
  /** The responsible person's name, or who they are in words ("Leder af Skole A"); null: nobody. */
  owner: string | null;
  dueAt: string;
  timezone: string;
  status: OccurrenceStatusName;
  /** Calendar days past the deadline (filter.ts daysOverdue) when overdue; null otherwise. */
  daysOverdue: number | null;
}

/** Far enough ahead for any deadline a timeline plans (as Mine frister reads). */
const HORIZON_HOURS = 20 * 366 * 24;

/** The index entries in the window: one range query, or before-now and after-now for no bound. */
export async function indexRange(
  deps: Pick<FindDeps, "dueIndex">,
  window: DueWindow,
  now: Temporal.Instant,
): Promise<MilestoneRecord[]> {
  if (window.from === null && window.to === null) {
    const [past, coming] = await Promise.all([
      deps.dueIndex.overdue(now.toString()),
      deps.dueIndex.dueBetween(now.toString(), now.add({ hours: HORIZON_HOURS }).toString()),
    ]);
    return [...past, ...coming];
  }
  if (window.from === null) return deps.dueIndex.overdue(window.to?.toString());
  const to = window.to ?? window.from.add({ hours: HORIZON_HOURS });
  // dueBetween takes `to` itself too: the exact end is left out again in matches().
  return deps.dueIndex.dueBetween(window.from.toString(), to.toString());
}

export async function findMilestones(
  deps: FindDeps,
  principal: Principal,
  filter: MilestoneFilter,
  now: Temporal.Instant,
  language: Language,
): Promise<FoundMilestone[]> {
  const window = queryWindow(filter, now, DEFAULT_TIMEZONE);
  if (window === null) return [];
  const listed = (await indexRange(deps, window, now)).filter(
    (m) =>
      m.dueAt !== null &&
      (m.instanceStatus === undefined || m.instanceStatus === "running") &&
      (filter.workflow === undefined || m.workflowId === undefined || m.workflowId === filter.workflow) &&
      (filter.unit === undefined || m.unitId === filter.unit),
  );
  const sees = await visibleAmong(
    deps,
    principal,
    listed.map((m) => m.instanceId),
  );
  const mine = listed.filter((m) => sees(m.instanceId));
  const [named, directory] = await Promise.all([
    instancesWithVersions(
      deps,
      mine.map((m) => m.instanceId),
    ),
    mine.length === 0 ? Promise.resolve(new Map<string, Unit>()) : deps.units.list().then(byId),
  ]);
  const people = ownerNames(deps, directory, language);
  const rows: FoundMilestone[] = [];
  for (const m of mine) {
    const entry = named.get(m.instanceId);
    if (entry === undefined || entry.instance.status !== "running" || m.dueAt === null) continue;
    const row = await toRow({ ...m, dueAt: m.dueAt }, entry, now, language, people);
    if (matches(filter, row, window)) rows.push(row);
  }
  return sortRows(rows, filter.sort, filter.order);
}

function byId(units: readonly Unit[]): Map<string, Unit> {
  return new Map(units.map((u) => [u.id, u]));
}

type OwnerName = (owner: RecipientRef | null, entry: InstanceWithVersion) => Promise<string | null>;

/** The owner's name where the directory or the staff users have one, else who they are in words. */
function ownerNames(deps: FindDeps, directory: ReadonlyMap<string, Unit>, language: Language): OwnerName {
  const s = dashboardStrings(language);
  const names = userNames(deps.users);
  const lookup = { get: async (id: string) => directory.get(id) ?? null };
  return async (owner, { instance }) => {
    if (owner === null) return null;
    try {
      const person = await withName(
        await resolveAddress(owner, { directory: lookup, params: instance.params }),
        names,
      );
      if (person.name !== undefined) return person.name;
    } catch (err) {
      if (!(err instanceof RecipientError)) throw err;
    }
    const unitNames = new Map(instance.units.map((u) => [u.id, u.name]));
    return describeOwner(owner, unitNames, s);
  };
}

async function toRow(
  m: MilestoneRecord & { dueAt: string },
  { instance, version }: InstanceWithVersion,
  now: Temporal.Instant,
  language: Language,
  ownerName: OwnerName,
): Promise<FoundMilestone> {
  const definition = version.definition;
  const declared = definition.milestones.find((d) => d.id === m.milestoneId);
  const status = statusAt(m, now, { onHold: instance.hold !== undefined });
  const unitName =
    m.unitId === null ? null : (instance.units.find((u) => u.id === m.unitId)?.name ?? m.unitId);
  const refs = identifyingParams(instance, definition, language).map((p) => p.value);
  return {
    instanceId: m.instanceId,
    occurrenceKey: m.occurrenceKey,
    workflowId: instance.workflowId,
    workflowTitle: pickText(definition.title, language),
    instanceName: instanceIdentity(instance, definition, language).name,
    instanceLabel: instanceLabel(instance, definition, language),
    caseRef: refs.length === 0 ? null : refs.join(", "),
    milestoneLabel: occurrenceLabel(m.occurrenceKey, {
      titles: new Map(definition.milestones.map((d) => [d.id, pickText(d.title, language)])),
      units: new Map(instance.units.map((u) => [u.id, u.name])),
      recurring: recurringMilestones(definition),
    }),
    unitId: m.unitId,
    unitName,
    owner:
      declared === undefined ? null : await ownerName(ownerOf(declared, m.unitId), { instance, version }),
    dueAt: m.dueAt,
    timezone: definition.timezone,
    status,
    daysOverdue: status === "overdue" ? daysOverdue(m.dueAt, now, definition.timezone) : null,
  };
}
