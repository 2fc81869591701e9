/**
 * Which section of the grammar reference explains an editor error: read from the error's path
 * (`milestones[2].due` -> the time section), so every error links to the rules it broke.
 */
import type { LocatedError } from "../../model/errors.ts";
import type { SectionId } from "./reference-content.ts";

export const REFERENCE_PATH = "/workflows/_reference";

/** Keys of a milestone (and of `defaults`) with a section of their own. */
const MILESTONE_KEY: Record<string, SectionId> = {
  due: "time",
  adjust: "time",
  reminders: "reminders",
  escalation: "reminders",
  notices: "reminders",
  owner: "recipients",
  after: "dependencies",
  forEach: "fan-out",
  recurrence: "recurrence",
  confirm: "periods",
  title: "texts",
  description: "texts",
};

const TOP_KEY: Record<string, SectionId> = {
  title: "texts",
  description: "texts",
  timezone: "time",
  calendar: "time",
  dueTime: "time",
  notifyTime: "time",
  parameters: "parameters",
  milestones: "milestone-keys",
};

/** The keys of a path such as `milestones[2].due.from` or `a["odd key"]`: ["milestones", "due", "from"]. */
export function pathKeys(path: string): string[] {
  return [...path.matchAll(/\[("(?:[^"\\]|\\.)*"|\d+)\]|([^.[\]]+)/g)]
    .filter((m) => m[2] !== undefined || m[1]?.startsWith('"') === true)
    .map((m) => m[2] ?? String(JSON.parse(m[1] ?? '""')));
}

export function sectionFor(error: Pick<LocatedError, "path" | "message">): SectionId {
  if (/\bCPR\b/.test(error.message)) return "cpr";
  const [first, second] = pathKeys(error.path);
  if (first === undefined) return "validation";
  if (first === "milestones" || first === "defaults") {
    if (second === undefined) return first === "milestones" ? "milestone-keys" : "reminders";
    return MILESTONE_KEY[second] ?? "milestone-keys";
  }
  return TOP_KEY[first] ?? "workflow-keys";
}

export function referenceHref(section: SectionId): string {
  return `${REFERENCE_PATH}#${section}`;
}
