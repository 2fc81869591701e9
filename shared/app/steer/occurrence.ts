/**
 * The one occurrence a confirmation change is about (confirm on someone's behalf, undo a
 * confirmation): its decided status and its stored state, or a refusal located at occurrenceKey.
 */
import { quote, quoteDa } from "../../model/errors.ts";
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

/** A refusal located at occurrenceKey, in English (the API) and Danish (the dashboard). */
export function refuse(message: string, da: string): InvalidInputError {
  return new InvalidInputError([located(BODY_FILE, ["occurrenceKey"], message, da)]);
}

/** The occurrence and its stored state; refused if the instance has no such (confirmable) occurrence. */
export function targetOccurrence(context: SteerContext, occurrenceKey: string): TargetOccurrence {
  const { loaded, definition, now } = context;
  const all = occurrenceStatus(definition, loaded.state, now);
  const status = all.find((o) => o.key === occurrenceKey);
  if (status === undefined) {
    throw refuse(
      `the instance has no occurrence ${quote(occurrenceKey)}`,
      `Forløbet har ingen milepæl ${quoteDa(occurrenceKey)}.`,
    );
  }
  if (!status.confirmable) {
    throw refuse(
      `${quote(occurrenceKey)} is a period marker; nobody confirms it`,
      `${quoteDa(occurrenceKey)} markerer en periode, så den bekræftes ikke af nogen.`,
    );
  }
  const record = loaded.milestones.find((m) => m.occurrenceKey === occurrenceKey);
  if (record === undefined) {
    // The loop writes an occurrence's state when it first plans it; until then there is nothing to change.
    throw refuse(
      `${quote(occurrenceKey)} is not planned by the instance yet; try again in a minute`,
      `${quoteDa(occurrenceKey)} er ikke planlagt i forløbet endnu. Prøv igen om et minut.`,
    );
  }
  return { status, record, all };
}
