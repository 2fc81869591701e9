/**
 * Human-readable rendering of a plan: a table for the terminal. Pure, so the CLI test can check
 * the text without running a process.
 */
import type { Workflow } from "../model/schema.ts";
import { pickText } from "../model/text.ts";
import { formatNumeric } from "../time/format.ts";
import type { Plan, PlannedOccurrence, RecipientRef } from "./types.ts";

export { pickText };

export function describeRecipient(r: RecipientRef | null, unitNames: Map<string, string>): string {
  if (!r) return "-";
  if (r.kind === "param") return `param:${r.name}`;
  const unit = unitNames.get(r.unitId) ?? r.unitId;
  return r.kind === "unitLeader" ? `leader of ${unit}` : `manager of ${unit}`;
}

function remindersColumn(o: PlannedOccurrence, timezone: string): string {
  return o.notifications
    .filter((n) => n.kind === "reminder")
    .map((n) => formatNumeric(n.at, timezone, { time: false }))
    .join(", ");
}

function escalationsColumn(o: PlannedOccurrence, timezone: string): string {
  return o.notifications
    .filter((n) => n.kind === "escalation")
    .map((n) => formatNumeric(n.at, timezone, { time: false }))
    .join(", ");
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const [head, ...body] = rows;
  if (!head) return "";
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

export function formatPlanTable(plan: Plan, definition: Workflow, unitNames: Map<string, string>): string {
  const titles = new Map(definition.milestones.map((m) => [m.id, pickText(m.title, plan.language)]));
  const rows = [["Milestone", "Unit", "Due", "Owner", "Reminders", "Escalations"]];
  for (const o of plan.occurrences) {
    const title = titles.get(o.milestoneId) ?? o.milestoneId;
    rows.push([
      o.index > 0 || definition.milestones.find((m) => m.id === o.milestoneId)?.recurrence
        ? `${title} #${o.index + 1}`
        : title,
      o.unitId ? (unitNames.get(o.unitId) ?? o.unitId) : "",
      formatNumeric(o.plannedDueAt, plan.timezone),
      o.confirmable ? describeRecipient(o.owner, unitNames) : "(period)",
      remindersColumn(o, plan.timezone),
      escalationsColumn(o, plan.timezone),
    ]);
  }
  const count = (kind: string) =>
    plan.occurrences.reduce((sum, o) => sum + o.notifications.filter((n) => n.kind === kind).length, 0);
  const summary =
    `${plan.occurrences.length} occurrences; ${count("reminder")} reminders, ${count("activated")} "your turn" mails, ` +
    `${count("notice")} notices; ${count("escalation")} escalations possible if deadlines are missed.`;
  return `${pickText(definition.title, plan.language)} — start ${formatNumeric(plan.startAt, plan.timezone)} (${plan.timezone})\n\n${table(rows)}\n\n${summary}`;
}
