/**
 * Turns a validated Workflow into the parsed form the planner works on: durations parsed once,
 * the business calendar built once, per-milestone policies resolved from the defaults.
 * Compiling is pure and cached per definition object, because decide() runs on every wake-up.
 */
import type { Milestone, Workflow } from "../model/schema.ts";
import { type BusinessCalendar, createBusinessCalendar } from "../time/calendar.ts";
import { type ParsedDuration, parseDuration } from "../time/duration.ts";

export type DueRule =
  | { kind: "date"; date: string }
  | { kind: "dateTime"; dateTime: string }
  | { kind: "relative"; from: "start" | string; duration: ParsedDuration };

export interface EscalationPolicy {
  to: string;
  after: ParsedDuration;
  every: ParsedDuration;
  max: number;
}

export interface RecurrenceRule {
  every: ParsedDuration;
  untilDate?: string;
  untilDuration?: ParsedDuration;
  count?: number;
}

export interface CompiledMilestone {
  source: Milestone;
  id: string;
  owner: string | null;
  due: DueRule;
  /** Dependencies, including the milestone a relative due counts from. */
  after: string[];
  forEach: string[] | null;
  recurrence: RecurrenceRule | null;
  reminders: { text: string; duration: ParsedDuration }[];
  escalation: EscalationPolicy | null;
  notices: { to: string; before: ParsedDuration; text: string }[];
  adjustToWorkingDay: boolean;
  confirmable: boolean;
}

export interface CompiledWorkflow {
  workflow: Workflow;
  timezone: string;
  calendar: BusinessCalendar;
  dueTime: { hour: number; minute: number };
  notifyTime: { hour: number; minute: number };
  /** Milestones in dependency order: every milestone comes after those it depends on. */
  milestones: CompiledMilestone[];
  byId: Map<string, CompiledMilestone>;
  /** Schedule results by their inputs: decide() recomputes the same deadlines on every wake-up. */
  memo: Map<string, unknown>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

function parseTimeOfDay(text: string): { hour: number; minute: number } {
  const [hour = 0, minute = 0] = text.split(":").map(Number);
  return { hour, minute };
}

function compileDue(due: Milestone["due"]): DueRule {
  if (typeof due === "string") {
    if (DATE.test(due)) return { kind: "date", date: due };
    if (DATE_TIME.test(due)) return { kind: "dateTime", dateTime: due };
    return { kind: "relative", from: "start", duration: parseDuration(due) };
  }
  return { kind: "relative", from: due.from, duration: parseDuration(due.in) };
}

function compileRecurrence(recurrence: Milestone["recurrence"]): RecurrenceRule | null {
  if (!recurrence) return null;
  const rule: RecurrenceRule = { every: parseDuration(recurrence.every) };
  if (recurrence.until !== undefined) {
    if (DATE.test(recurrence.until)) rule.untilDate = recurrence.until;
    else rule.untilDuration = parseDuration(recurrence.until);
  }
  if (recurrence.count !== undefined) rule.count = recurrence.count;
  return rule;
}

function compileMilestone(m: Milestone, workflow: Workflow): CompiledMilestone {
  const due = compileDue(m.due);
  const after = [...m.after];
  if (due.kind === "relative" && due.from !== "start" && !after.includes(due.from)) after.push(due.from);
  const escalationInput = m.escalation ?? workflow.defaults.escalation;
  const reminderTexts = m.reminders ?? workflow.defaults.reminders;
  return {
    source: m,
    id: m.id,
    owner: m.owner ?? (m.forEach ? "leader" : null),
    due,
    after,
    forEach: m.forEach ?? null,
    recurrence: compileRecurrence(m.recurrence),
    reminders: m.confirm ? reminderTexts.map((text) => ({ text, duration: parseDuration(text) })) : [],
    escalation:
      m.confirm && escalationInput !== false
        ? {
            to: escalationInput.to,
            after: parseDuration(escalationInput.after),
            every: parseDuration(escalationInput.every),
            max: escalationInput.max,
          }
        : null,
    notices: m.confirm
      ? m.notices.map((n) => ({ to: n.to, before: parseDuration(n.before), text: n.before }))
      : [],
    adjustToWorkingDay: m.adjust === "next-working-day",
    confirmable: m.confirm,
  };
}

/** Orders milestones so dependencies come first; the loader has already refused cycles. */
function dependencyOrder(milestones: CompiledMilestone[]): CompiledMilestone[] {
  const byId = new Map(milestones.map((m) => [m.id, m]));
  const ordered: CompiledMilestone[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const visit = (m: CompiledMilestone): void => {
    if (placed.has(m.id)) return;
    if (visiting.has(m.id)) throw new Error(`dependency cycle through milestone '${m.id}'`);
    visiting.add(m.id);
    for (const dep of m.after) {
      const d = byId.get(dep);
      if (!d) throw new Error(`milestone '${m.id}' depends on unknown milestone '${dep}'`);
      visit(d);
    }
    visiting.delete(m.id);
    placed.add(m.id);
    ordered.push(m);
  };
  for (const m of milestones) visit(m);
  return ordered;
}

const cache = new WeakMap<Workflow, CompiledWorkflow>();

export function compileWorkflow(workflow: Workflow): CompiledWorkflow {
  const cached = cache.get(workflow);
  if (cached) return cached;
  const milestones = dependencyOrder(workflow.milestones.map((m) => compileMilestone(m, workflow)));
  const compiled: CompiledWorkflow = {
    workflow,
    timezone: workflow.timezone,
    calendar: createBusinessCalendar(workflow.calendar),
    dueTime: parseTimeOfDay(workflow.dueTime),
    notifyTime: parseTimeOfDay(workflow.notifyTime),
    milestones,
    byId: new Map(milestones.map((m) => [m.id, m])),
    memo: new Map(),
  };
  cache.set(workflow, compiled);
  return compiled;
}
