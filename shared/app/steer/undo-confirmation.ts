/**
 * Undo a confirmation (a leader confirmed by mistake): the occurrence is open again with the
 * deadline decide() plans for it without the confirmation, its reminders follow that deadline,
 * and its owner is told once, by a "reopened" mail the loop sends (decide() emits it from the
 * notice stored on the milestone state), with who undid it, why, and a fresh confirm link.
 */
import { quote, quoteDa } from "../../model/errors.ts";
import { occurrenceStatus } from "../../timeline/decide.ts";
import type { SteerAction } from "./actions.ts";
import type { SteerContext } from "./change.ts";
import { OccurrenceKeySchema } from "./move-deadline.ts";
import { refuse, targetOccurrence } from "./occurrence.ts";
import { type ProposedChange, stateAfterChange } from "./preview.ts";

export const undoConfirmationShape = { occurrenceKey: OccurrenceKeySchema };

export function proposeUndoConfirmation(
  context: SteerContext,
  input: { occurrenceKey: string },
  meta: { reason: string; by: string },
): ProposedChange {
  const { occurrenceKey } = input;
  const { record } = targetOccurrence(context, occurrenceKey);
  if (record.status !== "confirmed") {
    throw refuse(
      `${quote(occurrenceKey)} is not confirmed`,
      `${quoteDa(occurrenceKey)} er ikke bekræftet, så der er ingen bekræftelse at fortryde.`,
    );
  }
  // The deadline as decide() plans it with the confirmation gone.
  const reopenOnly = {
    audit: { action: "confirmation.undone", by: meta.by },
    reopen: [{ occurrenceKey, dueAt: null }],
  };
  const without = stateAfterChange(context.loaded.state, reopenOnly);
  const after = occurrenceStatus(context.definition, without, context.now).find(
    (o) => o.key === occurrenceKey,
  );
  const notice = { at: context.now.toString(), by: meta.by, reason: meta.reason };
  return {
    change: {
      audit: {
        action: "confirmation.undone",
        by: meta.by,
        details: {
          reason: meta.reason,
          occurrenceKey,
          confirmedAt: record.confirmedAt ?? null,
          confirmedBy: record.confirmedBy ?? null,
        },
      },
      reopen: [{ occurrenceKey, dueAt: after?.dueAt ?? null, notice }],
    },
  };
}

export const undoConfirmationAction: SteerAction<typeof undoConfirmationShape> = {
  name: "undo-confirmation",
  shape: undoConfirmationShape,
  propose: proposeUndoConfirmation,
};
