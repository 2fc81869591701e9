/**
 * The one occurrence a confirmation change is about (confirm on someone's behalf, undo a
 * confirmation): its decided status and its stored state, or a refusal located at occurrenceKey.
 */
import { quote } from "../../model/errors.ts";
import type { MilestoneRecord } from "../../store/records.ts";
import { type OccurrenceStatus, occurrenceStatus } from "../../timeline/decide.ts";
import { BODY_FILE, InvalidInputError, located } from "../admin-input.ts";
import type { SteerContext } from "./change.ts";

export interface TargetOccurrence {
  status: OccurrenceStatus;
  record: MilestoneRecord;
  /** Every occurrence as it stands now (what the use case may look at besides). */
  all: OccurrenceStatus[];
}

export function refuse(message: string): InvalidInputError {
  return new InvalidInputError([located(BODY_FILE, ["occurrenceKey"], message)]);
}

/** The occurrence and its stored state; refused if the instance has no such (confirmable) occurrence. */
export function targetOccurrence(context: SteerContext, occurrenceKey: string): TargetOccurrence {
  const { loaded, definition, now } = context;
  const all = occurrenceStatus(definition, loaded.state, now);
  const status = all.find((o) => o.key === occurrenceKey);
  if (status === undefined) throw refuse(`the instance has no occurrence ${quote(occurrenceKey)}`);
  if (!status.confirmable) {
    throw refuse(`${quote(occurrenceKey)} is a period marker; nobody confirms it`);
  }
  const record = loaded.milestones.find((m) => m.occurrenceKey === occurrenceKey);
  if (record === undefined) {
    // The loop writes an occurrence's state when it first plans it; until then there is nothing to change.
    throw refuse(`${quote(occurrenceKey)} is not planned by the instance yet; try again in a minute`);
  }
  return { status, record, all };
}
