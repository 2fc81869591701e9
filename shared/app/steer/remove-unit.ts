/**
 * Remove a unit from a running fan-out (two schools merge): the unit leaves the instance's unit
 * list, every milestone state of it is deleted (confirmed ones too: their confirmations stay in
 * the audit trail, as do the mails sent about them) and its deadline overrides go, so its planned
 * mails are no longer sent. Removing the last unit, when nothing else would be left to do, is
 * refused: that is what cancelling the instance is for.
 */
import { quote, quoteDa } from "../../model/errors.ts";
import { MAX_CHANGE_ITEMS } from "../../store/records.ts";
import { occurrenceStatus } from "../../timeline/decide.ts";
import type { SteerAction } from "./actions.ts";
import type { SteerContext } from "./change.ts";
import type { ProposedChange } from "./preview.ts";
import { refuseUnit, type UnitChangeInput, unitChangeShape } from "./unit-change.ts";

/** Whether an occurrence key (`<milestone>/<unit or ->/<repetition>`) is the unit's. */
function ofUnit(occurrenceKey: string, unitId: string): boolean {
  return occurrenceKey.split("/")[1] === unitId;
}

export function proposeRemoveUnit(
  context: SteerContext,
  input: UnitChangeInput,
  meta: { reason: string; by: string },
): ProposedChange {
  const { loaded, definition, now } = context;
  const unit = loaded.instance.units.find((u) => u.id === input.unitId);
  if (unit === undefined) {
    throw refuseUnit(
      `${quote(input.unitId)} is not in the instance`,
      `${quoteDa(input.unitId)} er ikke med i forløbet.`,
    );
  }
  const units = loaded.instance.units.filter((u) => u.id !== unit.id);
  if (occurrenceStatus(definition, { ...loaded.state, units }, now).length === 0) {
    throw refuseUnit(
      `${unit.id} is the instance's last unit and nothing would be left to do without it; ` +
        "cancel the instance instead",
      `${quoteDa(unit.id)} er forløbets sidste enhed, og uden den er der intet tilbage at gøre. Annullér forløbet i stedet.`,
    );
  }
  const removed = loaded.milestones.filter((m) => m.unitId === unit.id);
  if (removed.length > MAX_CHANGE_ITEMS) {
    throw refuseUnit(
      `removing ${unit.id} deletes ${removed.length} milestone states; at most ${MAX_CHANGE_ITEMS} ` +
        "can change in one save",
      `Hvis ${quoteDa(unit.id)} fjernes, slettes ${removed.length} milepæle, men højst ${MAX_CHANGE_ITEMS} kan ændres på én gang.`,
    );
  }
  const overrides = Object.entries(loaded.state.dueOverrides);
  const kept = overrides.filter(([key]) => !ofUnit(key, unit.id));
  return {
    change: {
      audit: {
        action: "unit.removed",
        by: meta.by,
        details: {
          reason: meta.reason,
          unitId: unit.id,
          unitName: unit.name,
          // Confirmed ones go too; the trail keeps their confirmations.
          removedOccurrences: removed.map((m) => ({
            occurrenceKey: m.occurrenceKey,
            status: m.status,
            confirmedAt: m.confirmedAt ?? null,
            confirmedBy: m.confirmedBy ?? null,
          })),
        },
      },
      set: {
        units,
        ...(kept.length === overrides.length ? {} : { dueOverrides: Object.fromEntries(kept) }),
      },
      remove: removed.map((m) => m.occurrenceKey),
    },
  };
}

export const removeUnitAction: SteerAction<typeof unitChangeShape> = {
  name: "remove-unit",
  shape: unitChangeShape,
  propose: proposeRemoveUnit,
};
