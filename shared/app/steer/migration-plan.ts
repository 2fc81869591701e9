/**
 * What moving a running instance to another version of its workflow does to each milestone: kept
 * (same id), renamed (the mapping says so), removed (gone from the new version, or mapped to
 * null), and which of the new version's milestones are added. Pure: the migration action and the
 * bulk migration both start here, and the plan is what the person sees and edits.
 *
 * An occurrence can only be carried over to a milestone that fans out over the same unit types:
 * its key (milestone/unit/repetition) must still name one unit. Anything else is refused with the
 * reason, so nothing is guessed.
 */
import { quote, quoteDa } from "../../model/errors.ts";
import type { Milestone, Workflow } from "../../model/schema.ts";

export type MilestoneFate =
  | { from: string; fate: "kept"; to: string }
  | { from: string; fate: "renamed"; to: string }
  | { from: string; fate: "removed"; to: null };

export interface MigrationPlan {
  fromVersion: number;
  toVersion: number;
  milestones: MilestoneFate[];
  /** Milestones of the new version nothing is carried over to. */
  added: string[];
}

/** old milestone id → new id, or null to remove it; left out: kept if the new version has the id. */
export type MilestoneMapping = Readonly<Record<string, string | null>>;

export interface PlanProblem {
  /** The mapping entry (old milestone id) or "toVersion" it is about. */
  at: string;
  message: string;
  /** The same in Danish, for the dashboard. */
  da: string;
}

function fanOut(m: Milestone): string {
  return [...(m.forEach ?? [])].sort().join(",");
}

function fanOutText(m: Milestone): string {
  return m.forEach === undefined ? "for the whole instance" : `per ${m.forEach.join(", ")}`;
}

function fanOutTextDa(m: Milestone): string {
  return m.forEach === undefined ? "for hele forløbet" : `for hver ${m.forEach.join(", ")}`;
}

export function migrationPlan(
  from: { version: number; definition: Workflow },
  to: { version: number; definition: Workflow },
  mapping: MilestoneMapping,
): { plan: MigrationPlan; problems: PlanProblem[] } {
  const problems: PlanProblem[] = [];
  const oldById = new Map(from.definition.milestones.map((m) => [m.id, m]));
  const newById = new Map(to.definition.milestones.map((m) => [m.id, m]));
  for (const id of Object.keys(mapping)) {
    if (!oldById.has(id)) {
      problems.push({
        at: id,
        message: `version ${from.version} has no milestone ${quote(id)}`,
        da: `Version ${from.version} har ingen milepæl ${quoteDa(id)}.`,
      });
    }
  }
  const milestones: MilestoneFate[] = [];
  const takenBy = new Map<string, string>();
  for (const old of from.definition.milestones) {
    const mapped = Object.hasOwn(mapping, old.id) ? mapping[old.id] : old.id;
    const target = mapped === null || mapped === undefined ? undefined : newById.get(mapped);
    if (mapped === null || (target === undefined && !Object.hasOwn(mapping, old.id))) {
      milestones.push({ from: old.id, fate: "removed", to: null });
      continue;
    }
    if (target === undefined) {
      problems.push({
        at: old.id,
        message: `version ${to.version} has no milestone ${quote(mapped ?? "")}; choose one of ${[...newById.keys()].join(", ")}, or remove it`,
        da: `Version ${to.version} har ingen milepæl ${quoteDa(mapped ?? "")}. Vælg en af ${[...newById.keys()].map(quoteDa).join(", ")}, eller fjern den.`,
      });
      continue;
    }
    if (fanOut(target) !== fanOut(old)) {
      problems.push({
        at: old.id,
        message: `${quote(old.id)} is ${fanOutText(old)} but ${quote(target.id)} in version ${to.version} is ${fanOutText(target)}, so its occurrences cannot be carried over; remove it instead`,
        da: `${quoteDa(old.id)} gælder ${fanOutTextDa(old)}, men ${quoteDa(target.id)} i version ${to.version} gælder ${fanOutTextDa(target)}, så milepælene kan ikke føres over. Fjern den i stedet.`,
      });
      continue;
    }
    const earlier = takenBy.get(target.id);
    if (earlier !== undefined) {
      problems.push({
        at: old.id,
        message: `both ${quote(earlier)} and ${quote(old.id)} would become ${quote(target.id)}; one of them must go elsewhere or be removed`,
        da: `Både ${quoteDa(earlier)} og ${quoteDa(old.id)} ville blive til ${quoteDa(target.id)}. Den ene skal enten blive til noget andet eller fjernes.`,
      });
      continue;
    }
    takenBy.set(target.id, old.id);
    milestones.push({ from: old.id, fate: target.id === old.id ? "kept" : "renamed", to: target.id });
  }
  const added = to.definition.milestones.map((m) => m.id).filter((id) => !takenBy.has(id));
  return { plan: { fromVersion: from.version, toVersion: to.version, milestones, added }, problems };
}

/** An occurrence key in the new version, or null when its milestone is removed. */
export function carriedKey(plan: MigrationPlan, occurrenceKey: string): string | null {
  const slash = occurrenceKey.indexOf("/");
  const milestoneId = occurrenceKey.slice(0, slash);
  const fate = plan.milestones.find((m) => m.from === milestoneId);
  if (fate === undefined || fate.to === null) return null;
  return `${fate.to}${occurrenceKey.slice(slash)}`;
}
