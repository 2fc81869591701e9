/**
 * Confirm on someone's behalf: an administrator records that a milestone occurrence is reached
 * when its owner cannot (away, no access to the mail), with a reason. It is the same confirmation
 * as the owner's own: the occurrence's reminders stop and what follows it gets its "your turn" mail.
 */
import { quote, quoteDa } from "../../model/errors.ts";
import { Temporal } from "../../time/temporal.ts";
import { compileWorkflow } from "../../timeline/compile.ts";
import type { OccurrenceStatus } from "../../timeline/decide.ts";
import type { SteerAction } from "./actions.ts";
import type { SteerContext } from "./change.ts";
import { OccurrenceKeySchema } from "./move-deadline.ts";
import { refuse, targetOccurrence } from "./occurrence.ts";
import type { ProposedChange } from "./preview.ts";

export const confirmForShape = { occurrenceKey: OccurrenceKeySchema };

/** Confirmed, or a period marker whose end has come: what a dependency must be. */
function complete(o: OccurrenceStatus, context: SteerContext): boolean {
  if (o.confirmable) return o.confirmedAt !== null;
  return o.dueAt !== null && Temporal.Instant.compare(Temporal.Instant.from(o.dueAt), context.now) <= 0;
}

/** The earlier occurrences a waiting one waits for (the same rule as the schedule's dependencies). */
function waitsFor(context: SteerContext, target: OccurrenceStatus, all: OccurrenceStatus[]): string[] {
  const milestone = compileWorkflow(context.definition).milestones.find((m) => m.id === target.milestoneId);
  const keys: string[] = [];
  for (const depId of milestone?.after ?? []) {
    const ofDep = all.filter((o) => o.milestoneId === depId);
    const own = ofDep.filter((o) => o.unitId === target.unitId);
    const deps = target.unitId !== null && own.length > 0 ? own : ofDep;
    for (const o of deps) if (!complete(o, context)) keys.push(o.key);
  }
  return keys;
}

export function proposeConfirmFor(
  context: SteerContext,
  input: { occurrenceKey: string },
  meta: { reason: string; by: string },
): ProposedChange {
  const { status, record, all } = targetOccurrence(context, input.occurrenceKey);
  const key = quote(input.occurrenceKey);
  const keyDa = quoteDa(input.occurrenceKey);
  if (record.status !== "open" || status.confirmedAt !== null) {
    throw refuse(`${key} is confirmed already`, `${keyDa} er allerede bekræftet.`);
  }
  if (status.activatedAt === null) {
    const earlier = waitsFor(context, status, all);
    throw refuse(
      `${key} is waiting for ${earlier.length === 0 ? "an earlier milestone" : earlier.map(quote).join(", ")} to be confirmed first`,
      `${keyDa} venter på, at ${earlier.length === 0 ? "en tidligere milepæl" : earlier.map(quoteDa).join(", ")} bliver bekræftet først.`,
    );
  }
  const at = context.now.toString();
  return {
    change: {
      audit: {
        action: "confirmation.on-behalf",
        by: meta.by,
        details: { reason: meta.reason, occurrenceKey: input.occurrenceKey },
      },
      confirm: [{ occurrenceKey: input.occurrenceKey, at, by: meta.by }],
    },
  };
}

export const confirmForAction: SteerAction<typeof confirmForShape> = {
  name: "confirm-for",
  shape: confirmForShape,
  propose: proposeConfirmFor,
};
