/**
 * Put a running instance on hold: decide() sends nothing while it is held (the loop sleeps until
 * the resume wakes it), and every page shows its open milestones as paused. Nothing about the
 * deadlines changes here; the resume (./resume.ts) chooses whether they keep or shift.
 */
import { formatNumeric } from "../../time/format.ts";
import { BODY_FILE, InvalidInputError, located } from "../admin-input.ts";
import type { SteerAction } from "./actions.ts";
import type { SteerContext } from "./change.ts";
import type { ProposedChange } from "./preview.ts";

/** Only the reason (every change's own field). */
export const holdShape = {};

export function proposeHold(
  context: SteerContext,
  _input: Record<string, never>,
  meta: { reason: string; by: string },
): ProposedChange {
  const held = context.loaded.instance.hold;
  if (held !== undefined) {
    throw new InvalidInputError([
      located(
        BODY_FILE,
        ["hold"],
        `the instance is on hold already (since ${held.since}); resume it first`,
        `Forløbet er allerede sat på pause (siden ${formatNumeric(held.since, context.definition.timezone)}). Genoptag det først.`,
      ),
    ]);
  }
  const since = context.now.toString();
  return {
    change: {
      audit: { action: "instance.held", by: meta.by, details: { reason: meta.reason, since } },
      set: { hold: { since, by: meta.by, reason: meta.reason } },
    },
  };
}

export const holdAction: SteerAction<typeof holdShape> = {
  name: "hold",
  shape: holdShape,
  propose: proposeHold,
};
