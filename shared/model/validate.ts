/**
 * Rules that need more than one value at a time, checked after the zod schema accepted the
 * shape: references between milestones, dependency cycles, dates that do not exist, recipients
 * that cannot be resolved, durations that must be more than zero, CPR-looking text.
 *
 * Every rule reports and carries on, so an administrator sees all problems of a file at once.
 */
import { isRealDate, isValidTimeZone } from "../time/calendar.ts";
import { DurationSyntaxError, isZeroDuration, type ParsedDuration, parseDuration } from "../time/duration.ts";
import { CPR_MESSAGE, looksLikeCpr, numberLooksLikeCpr } from "./cpr.ts";
import {
  closest,
  formatPath,
  type LocatedError,
  listNames,
  type PathSegment,
  quote,
  sortErrors,
  unknownName,
} from "./errors.ts";
import { MAX_HORIZON_YEARS } from "./limits.ts";
import { compilePattern } from "./pattern.ts";
import type { EscalationInput, Milestone, Workflow } from "./schema.ts";

/**
 * Maps a path in the definition to its position in the source. `at: "key"` asks for the key of
 * the last segment rather than its value (for "unknown key" and "duplicate" messages).
 */
export type Locate = (path: readonly PathSegment[], at?: "key" | "value") => { line: number; column: number };

export interface ValidateOptions {
  /** Shown in every error; default "<workflow>". */
  file?: string;
  /** Source positions; without it every error is at 0:0 (a definition built in code). */
  locate?: Locate;
  /**
   * Scan every text for CPR-looking values (default true). The YAML loader turns this off
   * because it scans the source itself, where it also sees `0102031234` before YAML turns it
   * into a number without its leading zero.
   */
  checkCpr?: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const MONTH_DAY = /^\d{2}-\d{2}$/;

/** A leap year, so "02-29" counts as a closing day that exists (in leap years). */
const LEAP_YEAR = "2024";

export function validateWorkflow(workflow: Workflow, options: ValidateOptions = {}): LocatedError[] {
  const file = options.file ?? "<workflow>";
  const locate: Locate = options.locate ?? (() => ({ line: 0, column: 0 }));
  const errors: LocatedError[] = [];
  const report = (path: readonly PathSegment[], message: string, at: "key" | "value" = "value"): void => {
    errors.push({ file, ...locate(path, at), path: formatPath(path), message });
  };

  checkTimezone(workflow, report);
  checkCalendar(workflow, report);
  checkParameters(workflow, report);
  checkDurations(workflow, report);
  const ids = checkMilestoneIds(workflow, report);
  checkReferences(workflow, ids, report);
  checkCycles(workflow, ids, report);
  for (const [index, milestone] of workflow.milestones.entries()) {
    checkMilestone(workflow, milestone, index, report);
  }
  if (options.checkCpr !== false) checkCprValues(workflow, report);
  return sortErrors(errors);
}

type Report = (path: readonly PathSegment[], message: string, at?: "key" | "value") => void;

function checkTimezone(workflow: Workflow, report: Report): void {
  if (isValidTimeZone(workflow.timezone)) return;
  const suggestion = closest(workflow.timezone, knownTimeZones());
  const hint = suggestion === undefined ? "" : ` (did you mean ${quote(suggestion)}?)`;
  report(
    ["timezone"],
    `unknown timezone ${quote(workflow.timezone)}${hint}; use an IANA time zone name such as ` +
      "Europe/Copenhagen or UTC, or an offset such as +01:00",
  );
}

function knownTimeZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["Europe/Copenhagen", "UTC"];
  }
}

function checkCalendar(workflow: Workflow, report: Report): void {
  for (const [i, day] of workflow.calendar.closingDays.entries()) {
    const full = MONTH_DAY.test(day) ? `${LEAP_YEAR}-${day}` : day;
    if (!isRealDate(full)) {
      report(
        ["calendar", "closingDays", i],
        `${quote(day)} is not a date that exists; closing days are MM-DD (every year) or YYYY-MM-DD, e.g. 12-24`,
      );
    }
  }
}

function checkParameters(workflow: Workflow, report: Report): void {
  for (const [name, parameter] of Object.entries(workflow.parameters)) {
    if (parameter.pattern === undefined) continue;
    if (parameter.type !== "string" && parameter.type !== "email") {
      report(
        ["parameters", name, "pattern"],
        `a pattern only applies to parameters of type string or email, not ${parameter.type}`,
      );
      continue;
    }
    const compiled = compilePattern(parameter.pattern);
    if (!compiled.ok) {
      report(
        ["parameters", name, "pattern"],
        `${quote(parameter.pattern)} cannot be used as a pattern: ${compiled.why}`,
      );
    }
  }
}

/** A duration's length in years, roughly (a working year has about 250 working days). */
function approximateYears(d: ParsedDuration): number {
  if (d.kind === "workingDays") return d.days / 250;
  return (
    d.years +
    d.months / 12 +
    d.weeks / 52 +
    d.days / 365 +
    d.hours / 8760 +
    d.minutes / 525_600 +
    d.seconds / 31_536_000
  );
}

/** Parses a duration the schema's regular expression let through, reporting what the planner would refuse. */
function duration(path: readonly PathSegment[], text: string, report: Report): ParsedDuration | undefined {
  try {
    const parsed = parseDuration(text);
    if (approximateYears(parsed) > MAX_HORIZON_YEARS) {
      report(
        path,
        `${quote(text)} is longer than ${MAX_HORIZON_YEARS} years; a plan covers at most ${MAX_HORIZON_YEARS} years ` +
          "from its start, so deadlines, reminders, escalations and recurrences must fit in that",
      );
      return undefined;
    }
    return parsed;
  } catch (error) {
    if (error instanceof DurationSyntaxError) {
      report(path, error.message);
      return undefined;
    }
    throw error;
  }
}

function checkEscalationDurations(
  base: readonly PathSegment[],
  escalation: EscalationInput | false | undefined,
  report: Report,
): void {
  if (escalation === undefined || escalation === false) return;
  for (const key of ["after", "every"] as const) {
    const value = escalation[key];
    const parsed = duration([...base, key], value, report);
    if (parsed !== undefined && isZeroDuration(parsed)) {
      const what =
        key === "after" ? "the first escalation after the deadline" : "the interval between escalations";
      report(
        [...base, key],
        `${quote(value)} is zero: ${what} must be more than zero, e.g. P1D or '2 working days'`,
      );
    }
  }
}

function checkDurations(workflow: Workflow, report: Report): void {
  for (const [i, reminder] of workflow.defaults.reminders.entries()) {
    duration(["defaults", "reminders", i], reminder, report);
  }
  checkEscalationDurations(["defaults", "escalation"], workflow.defaults.escalation, report);

  for (const [index, m] of workflow.milestones.entries()) {
    const base = ["milestones", index] as const;
    if (typeof m.due === "string") {
      if (!DATE.test(m.due) && !DATE_TIME.test(m.due)) duration([...base, "due"], m.due, report);
    } else {
      duration([...base, "due", "in"], m.due.in, report);
    }
    for (const [i, reminder] of (m.reminders ?? []).entries()) {
      duration([...base, "reminders", i], reminder, report);
    }
    for (const [i, notice] of m.notices.entries()) {
      duration([...base, "notices", i, "before"], notice.before, report);
    }
    checkEscalationDurations([...base, "escalation"], m.escalation, report);
    if (m.recurrence !== undefined) {
      const every = duration([...base, "recurrence", "every"], m.recurrence.every, report);
      if (every !== undefined && isZeroDuration(every)) {
        report(
          [...base, "recurrence", "every"],
          `${quote(m.recurrence.every)} is zero: the interval between occurrences must be more than zero, e.g. P1Y or P6M`,
        );
      }
      const until = m.recurrence.until;
      if (until !== undefined && !DATE.test(until)) duration([...base, "recurrence", "until"], until, report);
    }
  }
}

/** Id -> index of its first milestone; later duplicates are reported. */
function checkMilestoneIds(workflow: Workflow, report: Report): Map<string, number> {
  const ids = new Map<string, number>();
  for (const [index, m] of workflow.milestones.entries()) {
    const first = ids.get(m.id);
    if (first === undefined) {
      ids.set(m.id, index);
    } else {
      report(
        ["milestones", index, "id"],
        `duplicate milestone id ${quote(m.id)}: milestones[${first}] already has it; every milestone needs its own id`,
      );
    }
  }
  return ids;
}

function unknownMilestone(id: string, ids: Map<string, number>): string {
  return unknownName("milestone", id, [...ids.keys()], "milestones");
}

function checkReferences(workflow: Workflow, ids: Map<string, number>, report: Report): void {
  for (const [index, m] of workflow.milestones.entries()) {
    for (const [i, ref] of m.after.entries()) {
      if (!ids.has(ref)) report(["milestones", index, "after", i], unknownMilestone(ref, ids));
    }
    if (typeof m.due !== "string" && m.due.from !== "start" && !ids.has(m.due.from)) {
      report(
        ["milestones", index, "due", "from"],
        `${unknownMilestone(m.due.from, ids)} (or 'start' for the instance start)`,
      );
    }
  }
}

interface Edge {
  to: number;
  path: readonly PathSegment[];
}

/**
 * `after: [b]` and `due: { from: b }` both make a milestone wait for b's confirmation, so both
 * are edges; a cycle would leave every milestone on it waiting forever.
 */
function checkCycles(workflow: Workflow, ids: Map<string, number>, report: Report): void {
  const milestones = workflow.milestones;
  const edges: Edge[][] = milestones.map((m, index) => {
    const out: Edge[] = [];
    for (const [i, ref] of m.after.entries()) {
      const to = ids.get(ref);
      if (to !== undefined) out.push({ to, path: ["milestones", index, "after", i] });
    }
    if (typeof m.due !== "string" && m.due.from !== "start") {
      const to = ids.get(m.due.from);
      if (to !== undefined) out.push({ to, path: ["milestones", index, "due", "from"] });
    }
    return out;
  });

  // Iterative depth-first search (a generated file may hold thousands of milestones, too deep
  // for recursion); every edge back into the current path closes one cycle.
  const state: ("new" | "open" | "done")[] = milestones.map(() => "new");
  const reported = new Set<string>();
  for (let root = 0; root < milestones.length; root++) {
    if (state[root] !== "new") continue;
    const stack: { node: number; next: number }[] = [{ node: root, next: 0 }];
    state[root] = "open";
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame === undefined) break;
      const edge = edges[frame.node]?.[frame.next];
      if (edge === undefined) {
        state[frame.node] = "done";
        stack.pop();
        continue;
      }
      frame.next++;
      if (state[edge.to] === "new") {
        state[edge.to] = "open";
        stack.push({ node: edge.to, next: 0 });
      } else if (state[edge.to] === "open") {
        const start = stack.findIndex((f) => f.node === edge.to);
        reportCycle(
          stack.slice(start).map((f) => f.node),
          edges,
          milestones,
          reported,
          report,
        );
      }
    }
  }
}

function reportCycle(
  cycle: number[],
  edges: Edge[][],
  milestones: readonly Milestone[],
  reported: Set<string>,
  report: Report,
): void {
  // Start at the milestone that comes first in the file, so the same cycle always reads the same.
  const first = cycle.indexOf(Math.min(...cycle));
  const ordered = [...cycle.slice(first), ...cycle.slice(0, first)];
  const key = ordered.join(",");
  if (reported.has(key)) return;
  reported.add(key);
  const from = ordered[0] ?? 0;
  const to = ordered[1] ?? from;
  const edge = edges[from]?.find((e) => e.to === to);
  const names = [...ordered, from].map((i) => milestones[i]?.id ?? "?");
  const rendered = names.join(" -> ");
  report(
    edge?.path ?? ["milestones", from],
    `dependency cycle ${rendered}: each milestone waits for the next (through 'after' or 'due.from'), ` +
      "so none of them can ever start; remove one of these references",
  );
}

function effectiveOwner(m: Milestone): string | undefined {
  return m.owner ?? (m.forEach !== undefined ? "leader" : undefined);
}

/** Recipients resolved per unit of a fan-out; meaningless without forEach. */
function isUnitRelative(recipient: string): boolean {
  return recipient === "leader" || recipient === "manager";
}

function checkParamRecipient(
  workflow: Workflow,
  path: readonly PathSegment[],
  recipient: string,
  report: Report,
): void {
  if (!recipient.startsWith("param:")) return;
  const name = recipient.slice("param:".length);
  // Own properties only: "param:constructor" must not find Object.prototype.constructor.
  const parameter = Object.hasOwn(workflow.parameters, name) ? workflow.parameters[name] : undefined;
  const emails = Object.entries(workflow.parameters)
    .filter(([, p]) => p.type === "email")
    .map(([n]) => n);
  if (parameter === undefined) {
    report(
      path,
      `${unknownName("parameter", name, Object.keys(workflow.parameters), "declared parameters")}; ` +
        "a recipient 'param:<name>' needs a parameter declared under 'parameters' with type email",
    );
  } else if (parameter.type !== "email") {
    report(
      path,
      `parameter ${quote(name)} has type ${parameter.type}, but a recipient needs a parameter of type email ` +
        `(email parameters: ${listNames(emails)})`,
    );
  }
}

function checkMilestone(workflow: Workflow, m: Milestone, index: number, report: Report): void {
  const base = ["milestones", index] as const;
  const fansOut = m.forEach !== undefined;
  const owner = effectiveOwner(m);

  if (m.owner !== undefined) {
    if (isUnitRelative(m.owner) && !fansOut) {
      report(
        [...base, "owner"],
        `owner ${quote(m.owner)} means the ${m.owner} of each unit the milestone fans out over, so it needs ` +
          "forEach; without forEach use 'unit:<unit id>' or 'param:<parameter name>'",
      );
    }
    checkParamRecipient(workflow, [...base, "owner"], m.owner, report);
  } else if (!fansOut && m.confirm) {
    report(
      [...base, "owner"],
      "missing owner: a milestone without forEach needs an owner ('unit:<unit id>' or 'param:<parameter name>'), " +
        "unless it only marks a period (confirm: false)",
    );
  }

  checkDates(m, index, report);

  for (const [i, notice] of m.notices.entries()) {
    checkRecipient(workflow, m, owner, [...base, "notices", i, "to"], notice.to, "a notice", report);
  }

  // A period marker is never confirmed, so it is never overdue and never escalates.
  if (!m.confirm) return;
  const own = m.escalation;
  const escalation = own ?? workflow.defaults.escalation;
  if (escalation === false) return;
  const path = own === undefined ? [...base, "escalation"] : [...base, "escalation", "to"];
  const inherited = own === undefined ? " (inherited from defaults.escalation)" : "";
  checkRecipient(workflow, m, owner, path, escalation.to, `escalation${inherited}`, report);
}

function checkRecipient(
  workflow: Workflow,
  m: Milestone,
  owner: string | undefined,
  path: readonly PathSegment[],
  to: string,
  what: string,
  report: Report,
): void {
  if (to === "leader" && m.forEach === undefined) {
    report(
      path,
      `${what} to 'leader' means the leader of each unit the milestone fans out over, so it needs forEach; ` +
        "without forEach use 'unit:<unit id>' or 'param:<parameter name>'",
    );
  } else if (to === "manager" && owner !== undefined && !hasManager(owner)) {
    // A missing owner is reported on its own; "no manager" as well would only repeat it.
    report(
      path,
      `${what} goes to the owner's manager, but owner ${quote(owner)} has no manager in the directory (only 'leader' and ` +
        "'unit:<unit id>' owners do); set 'to' explicitly (e.g. 'unit:<unit id>' or 'param:<name>') " +
        "or turn it off with 'escalation: false'",
    );
  }
  checkParamRecipient(workflow, path, to, report);
}

/** Only directory units have managers: a fan-out leader's or a fixed unit's. */
function hasManager(owner: string): boolean {
  return owner === "leader" || owner.startsWith("unit:");
}

function checkDates(m: Milestone, index: number, report: Report): void {
  const base = ["milestones", index] as const;
  let firstDue: string | undefined;
  if (typeof m.due === "string" && (DATE.test(m.due) || DATE_TIME.test(m.due))) {
    const date = m.due.slice(0, 10);
    if (isRealDate(date)) firstDue = date;
    else report([...base, "due"], `${quote(m.due)} is not a date that exists; write a real date YYYY-MM-DD`);
  }
  const until = m.recurrence?.until;
  if (until === undefined || !DATE.test(until)) return;
  if (!isRealDate(until)) {
    report(
      [...base, "recurrence", "until"],
      `${quote(until)} is not a date that exists; write a real date YYYY-MM-DD`,
    );
  } else if (firstDue !== undefined && until < firstDue) {
    report(
      [...base, "recurrence", "until"],
      `recurrence ends ${quote(until)} before the first due date ${quote(firstDue)}, so nothing would ever be due; ` +
        "'until' must be on or after the first due date",
    );
  }
}

function checkCprValues(workflow: Workflow, report: Report): void {
  const visit = (value: unknown, path: PathSegment[]): void => {
    if (typeof value === "string") {
      if (looksLikeCpr(value)) report(path, `the text ${CPR_MESSAGE}`);
    } else if (typeof value === "number") {
      if (numberLooksLikeCpr(value)) report(path, `the number ${CPR_MESSAGE}`);
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, [...path, i]);
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (looksLikeCpr(key)) report([...path, key], `the key ${CPR_MESSAGE}`, "key");
        visit(item, [...path, key]);
      }
    }
  };
  visit(workflow, []);
}
