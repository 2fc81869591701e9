/**
 * "Mine frister": a leader's own open milestones across all running instances, reached with their
 * personal link (shared/links/mine-link.ts), with a confirm button for each, their deputies, and
 * a calendar feed.
 *
 * Finding a person's milestones reads every open milestone from the due index and keeps those
 * whose owner resolves to the person's address: fine for a municipality's thousands of open
 * milestones, and each instance, definition and unit is read once per request. (An index by
 * owner would make it one Query; see issue 14.)
 *
 * Every refusal of the link comes before any read: a forged or expired link learns nothing.
 */
import {
  createConfirmLink,
  type LinkKeyProvider,
  linkExpiry,
  personIdOf,
  verifyMineLink,
} from "../links/index.ts";
import type { Language, Workflow } from "../model/schema.ts";
import { NotFoundError } from "../store/errors.ts";
import type { InstanceRecord, MilestoneRecord } from "../store/records.ts";
import { Temporal } from "../time/temporal.ts";
import { pickText } from "../timeline/format.ts";
import { instanceLabel } from "../timeline/instance-name.ts";
import { resolveRecipient as ownerReference } from "../timeline/schedule.ts";
import { LinkRefusedError } from "./confirm.ts";
import { type DefinitionCache, loadDefinition } from "./definitions.ts";
import type { AppDeps } from "./ports.ts";
import { batchDirectory, RecipientError, resolveAddress } from "./recipients.ts";

export type MineDeps = Pick<AppDeps, "workflows" | "units" | "instances" | "dueIndex" | "clock"> & {
  definitions?: DefinitionCache;
};

export interface MineItem {
  instanceId: string;
  occurrenceKey: string;
  workflowTitle: string;
  milestoneTitle: string;
  unitName: string | null;
  dueAt: string;
  timezone: string;
  overdue: boolean;
  /** A confirm link made for this page (recipient `person:<id>`): what the button posts. */
  confirm: { id: string; sig: string };
  /** The instance is on hold: nothing is overdue, it can still be confirmed. */
  onHold: boolean;
  /** The instance's name and case reference in one line (timeline/instance-name.ts). */
  instanceLabel: string;
}

/** Checks a personal link and gives its person id; LinkRefusedError (nothing read) otherwise. */
export async function verifiedPerson(
  deps: Pick<AppDeps, "clock">,
  id: string,
  sig: string,
  linkKey: LinkKeyProvider,
): Promise<string> {
  const verdict = verifyMineLink(id, sig, await linkKey.getKey(), deps.clock.now());
  if (!verdict.ok) throw new LinkRefusedError(verdict.reason);
  return verdict.claims.personId;
}

/** Far enough ahead for any deadline a timeline plans. */
const HORIZON_HOURS = 20 * 366 * 24;

/** The person's open milestones on running instances, earliest deadline first. */
export async function mineMilestones(
  deps: MineDeps,
  personId: string,
  linkKey: LinkKeyProvider,
  language: Language,
): Promise<MineItem[]> {
  const key = await linkKey.getKey();
  const now = deps.clock.now();
  const [overdue, coming] = await Promise.all([
    deps.dueIndex.overdue(now.toString()),
    deps.dueIndex.dueBetween(now.toString(), now.add({ hours: HORIZON_HOURS }).toString()),
  ]);
  const instances = new Map<string, Promise<InstanceRecord | null>>();
  const instanceOf = (instanceId: string) => {
    let found = instances.get(instanceId);
    if (found === undefined) {
      found = deps.instances.get(instanceId);
      instances.set(instanceId, found);
    }
    return found;
  };
  const directory = batchDirectory(deps.units);
  const items: MineItem[] = [];
  for (const m of [...overdue, ...coming]) {
    if (m.dueAt === null || m.status !== "open" || !m.confirmable) continue;
    if (m.instanceStatus !== undefined && m.instanceStatus !== "running") continue;
    const instance = await instanceOf(m.instanceId);
    if (instance === null || instance.status !== "running") continue;
    const definition = await definitionOrNull(deps, instance);
    const declared = definition?.milestones.find((d) => d.id === m.milestoneId);
    if (definition === null || declared === undefined) continue;
    const spec = declared.owner ?? (declared.forEach ? "leader" : null);
    const owner = spec === null ? null : ownerReference(spec, m.unitId, spec);
    if (owner === null) continue;
    let email: string;
    try {
      email = (await resolveAddress(owner, { directory, params: instance.params })).email;
    } catch (err) {
      if (err instanceof RecipientError) continue;
      throw err;
    }
    if (personIdOf(email, key) !== personId) continue;
    items.push(
      toItem({ ...m, dueAt: m.dueAt }, instance, definition, declared.title, language, now, personId, key),
    );
  }
  return items.sort((a, b) => Temporal.Instant.compare(a.dueAt, b.dueAt));
}

function toItem(
  m: MilestoneRecord & { dueAt: string },
  instance: InstanceRecord,
  definition: Workflow,
  title: Workflow["milestones"][number]["title"],
  language: Language,
  now: Temporal.Instant,
  personId: string,
  key: Buffer,
): MineItem {
  const link = createConfirmLink(
    {
      instanceId: m.instanceId,
      occurrenceKey: m.occurrenceKey,
      recipient: `person:${personId}`,
      expiresAt: linkExpiry(m.dueAt, now),
    },
    key,
  );
  const unit = m.unitId === null ? null : instance.units.find((u) => u.id === m.unitId);
  return {
    instanceId: m.instanceId,
    occurrenceKey: m.occurrenceKey,
    workflowTitle: pickText(definition.title, language),
    milestoneTitle: pickText(title, language),
    unitName: m.unitId === null ? null : (unit?.name ?? m.unitId),
    dueAt: m.dueAt,
    timezone: definition.timezone,
    overdue: instance.hold === undefined && Temporal.Instant.compare(now, m.dueAt) >= 0,
    confirm: { id: link.id, sig: link.sig },
    onHold: instance.hold !== undefined,
    instanceLabel: instanceLabel(instance, definition, language),
  };
}

async function definitionOrNull(deps: MineDeps, instance: InstanceRecord): Promise<Workflow | null> {
  try {
    return await loadDefinition(deps, instance.workflowId, instance.workflowVersion);
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}
