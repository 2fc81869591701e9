/**
 * findMilestones: every open milestone a person may see that passes a filter (filter.ts), with
 * plain fields, in the filter's order. The overview shows a page of them; the export writes all.
 *
 * Reads, none of them a scan: the due index for the filter's deadline window (queryWindow), each
 * listed instance once per request (instances/names.ts instanceReader) and its definition from the process's cache
 * (app/definitions.ts), the directory once (unit
 * leaders' and managers' names), and the staff user of each caseworker address once (their name).
 * Visibility is the one policy of shared/app/visibility.ts, as on every page that lists instances.
 * Statuses come from the one status function (timeline/status.ts), an instance on hold included.
 */
import { ownerOf, userNames, withName } from "../../app/mail-people.ts";
import { RecipientError, recipientId, resolveAddress } from "../../app/recipients.ts";
import type { Principal } from "../../app/sessions.ts";
import { visibleAmong } from "../../app/visibility.ts";
import type { HttpDeps } from "../../http/context.ts";
import type { Language, Unit, Workflow } from "../../model/schema.ts";
import type { DueEntry } from "../../store/ports.ts";
import type { InstanceRecord } from "../../store/records.ts";
import { Temporal } from "../../time/temporal.ts";
import { pickText } from "../../timeline/format.ts";
import { identifyingParams, instanceIdentity, instanceLabel } from "../../timeline/instance-name.ts";
import { type OccurrenceStatusName, statusAt } from "../../timeline/status.ts";
import type { RecipientRef } from "../../timeline/types.ts";
import { DEFAULT_TIMEZONE, describeOwner } from "../common/format.ts";
import { occurrenceLabel } from "../instances/audit.ts";
import { type InstanceReader, instanceReader, type ListedInstance } from "../instances/names.ts";
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

export type FindDeps = Pick<
  HttpDeps,
  "dueIndex" | "instances" | "workflows" | "units" | "users" | "definitions"
>;

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

/** Where a long window is cut into ranges read side by side: days from now. */
const SLICE_DAYS = [-365, -90, -30, 0, 30, 90, 365];

/**
 * The index entries in the window (unbounded ahead: to the horizon), earliest first. A long
 * window is read as a few adjacent ranges at once (cut at SLICE_DAYS from now): the same entries,
 * each once (a range takes its start and leaves out its end), in about the time of the largest.
 */
export async function indexRange(
  deps: Pick<FindDeps, "dueIndex">,
  window: DueWindow,
  now: Temporal.Instant,
): Promise<DueEntry[]> {
  const end = window.to ?? (window.from ?? now).add({ hours: HORIZON_HOURS });
  const inside = (cut: Temporal.Instant) =>
    (window.from === null || Temporal.Instant.compare(cut, window.from) > 0) &&
    Temporal.Instant.compare(cut, end) < 0;
  const cuts = SLICE_DAYS.map((days) => now.add({ hours: 24 * days })).filter(inside);
  const starts = [window.from, ...cuts];
  const ends = [...cuts, end];
  const ranges = await Promise.all(
    starts.map((from, i) => deps.dueIndex.entries(from?.toString() ?? null, (ends[i] ?? end).toString())),
  );
  return ranges.flat();
}

export async function findMilestones(
  deps: FindDeps,
  principal: Principal,
  filter: MilestoneFilter,
  now: Temporal.Instant,
  language: Language,
  read: InstanceReader = instanceReader(deps),
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
    read(mine.map((m) => m.instanceId)),
    mine.length === 0 ? Promise.resolve(new Map<string, Unit>()) : deps.units.list().then(byId),
  ]);
  const people = ownerNames(deps, directory, language);
  const facts = new Map<string, InstanceFacts>();
  const rows: FoundMilestone[] = [];
  for (const m of mine) {
    const entry = named.get(m.instanceId);
    if (entry === undefined || entry.instance.status !== "running" || m.dueAt === null) continue;
    let known = facts.get(m.instanceId);
    if (known === undefined) {
      known = instanceFacts(entry, language, now);
      facts.set(m.instanceId, known);
    }
    const row = await toRow({ ...m, dueAt: m.dueAt }, entry, known, now, people);
    if (matches(filter, row, window)) rows.push(row);
  }
  return sortRows(rows, filter.sort, filter.order);
}

/** What every row of one instance shares, worked out once per instance. */
interface InstanceFacts {
  workflowTitle: string;
  instanceName: string;
  instanceLabel: string;
  caseRef: string | null;
  names: Parameters<typeof occurrenceLabel>[1];
  declared: ReadonlyMap<string, Workflow["milestones"][number]>;
  /** Today in the workflow's time zone (for days overdue). */
  today: Temporal.PlainDate;
}

function instanceFacts(
  { instance, definition }: ListedInstance,
  language: Language,
  now: Temporal.Instant,
): InstanceFacts {
  const refs = identifyingParams(instance, definition, language).map((p) => p.value);
  return {
    workflowTitle: pickText(definition.title, language),
    instanceName: instanceIdentity(instance, definition, language).name,
    instanceLabel: instanceLabel(instance, definition, language),
    caseRef: refs.length === 0 ? null : refs.join(", "),
    names: {
      titles: new Map(definition.milestones.map((d) => [d.id, pickText(d.title, language)])),
      units: new Map(instance.units.map((u) => [u.id, u.name])),
      recurring: recurringMilestones(definition),
    },
    declared: new Map(definition.milestones.map((d) => [d.id, d])),
    today: now.toZonedDateTimeISO(definition.timezone).toPlainDate(),
  };
}

function byId(units: readonly Unit[]): Map<string, Unit> {
  return new Map(units.map((u) => [u.id, u]));
}

type OwnerName = (owner: RecipientRef | null, entry: ListedInstance) => Promise<string | null>;

/**
 * The owner's name where the directory or the staff users have one, else who they are in words;
 * once per unit role, and once per instance for an address parameter.
 */
function ownerNames(deps: FindDeps, directory: ReadonlyMap<string, Unit>, language: Language): OwnerName {
  const s = dashboardStrings(language);
  const names = userNames(deps.users);
  const lookup = { get: async (id: string) => directory.get(id) ?? null };
  const seen = new Map<string, Promise<string | null>>();
  const resolve = async (owner: RecipientRef, instance: InstanceRecord): Promise<string | null> => {
    try {
      const person = await withName(
        await resolveAddress(owner, { directory: lookup, params: instance.params }),
        names,
      );
      if (person.name !== undefined) return person.name;
    } catch (err) {
      if (!(err instanceof RecipientError)) throw err;
    }
    return describeOwner(owner, new Map(instance.units.map((u) => [u.id, u.name])), s);
  };
  return (owner, { instance }) => {
    if (owner === null) return Promise.resolve(null);
    const key = owner.kind === "param" ? `${instance.instanceId} ${recipientId(owner)}` : recipientId(owner);
    let name = seen.get(key);
    if (name === undefined) {
      name = resolve(owner, instance);
      seen.set(key, name);
    }
    return name;
  };
}

async function toRow(
  m: DueEntry & { dueAt: string },
  entry: ListedInstance,
  facts: InstanceFacts,
  now: Temporal.Instant,
  ownerName: OwnerName,
): Promise<FoundMilestone> {
  const { instance, definition } = entry;
  const declared = facts.declared.get(m.milestoneId);
  const status = statusAt(m, now, { onHold: instance.hold !== undefined });
  return {
    instanceId: m.instanceId,
    occurrenceKey: m.occurrenceKey,
    workflowId: instance.workflowId,
    workflowTitle: facts.workflowTitle,
    instanceName: facts.instanceName,
    instanceLabel: facts.instanceLabel,
    caseRef: facts.caseRef,
    milestoneLabel: occurrenceLabel(m.occurrenceKey, facts.names),
    unitId: m.unitId,
    unitName: m.unitId === null ? null : (facts.names.units.get(m.unitId) ?? m.unitId),
    owner: declared === undefined ? null : await ownerName(ownerOf(declared, m.unitId), entry),
    dueAt: m.dueAt,
    timezone: definition.timezone,
    status,
    daysOverdue: status === "overdue" ? daysOverdue(m.dueAt, now, definition.timezone, facts.today) : null,
  };
}
