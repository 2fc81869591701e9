/**
 * Add a unit to a running fan-out (a new school opens mid-period): the unit comes from the
 * directory, must be of a type some milestone is repeated for, and must not be in the instance
 * yet. Only the instance's unit list changes: decide() plans the new unit's occurrences from it,
 * and the loop's next step (woken by the save) writes their milestone states, as it does for a
 * fresh instance. The new unit is told as decide() tells anyone who starts late: per occurrence
 * the latest reminder that is due (one mail, not every reminder it missed), or, for a deadline
 * already passed, the latest escalation due; the preview lists these under "sends now".
 */
import { quote } from "../../model/errors.ts";
import { PlanLimitError } from "../../timeline/ceilings.ts";
import { checkPlanCeilings } from "../../timeline/plan.ts";
import type { SteerAction } from "./actions.ts";
import type { SteerContext } from "./change.ts";
import type { ProposedChange } from "./preview.ts";
import { fanOutTypes, refuseUnit, sortUnits, type UnitChangeInput, unitChangeShape } from "./unit-change.ts";

export async function proposeAddUnit(
  context: SteerContext,
  input: UnitChangeInput,
  meta: { reason: string; by: string },
): Promise<ProposedChange> {
  const { loaded, definition } = context;
  const types = fanOutTypes(definition);
  if (types.length === 0) {
    throw refuseUnit("this workflow is not repeated for units, so a unit cannot be added to it");
  }
  const unit = await context.directory.get(input.unitId);
  if (unit === null) throw refuseUnit(`the directory has no unit ${quote(input.unitId)}`);
  if (!types.includes(unit.type)) {
    throw refuseUnit(`${unit.id} is of type ${unit.type}; this workflow fans out over ${types.join(" or ")}`);
  }
  if (loaded.instance.units.some((u) => u.id === unit.id)) {
    throw refuseUnit(`${unit.id} is already in the instance`);
  }
  const units = sortUnits([...loaded.instance.units, { id: unit.id, type: unit.type, name: unit.name }]);
  try {
    checkPlanCeilings(definition, loaded.state.startAt, units);
  } catch (err) {
    if (err instanceof PlanLimitError)
      throw refuseUnit(`with ${unit.id} the plan is too big: ${err.message}`);
    throw err;
  }
  return {
    change: {
      audit: {
        action: "unit.added",
        by: meta.by,
        details: { reason: meta.reason, unitId: unit.id, unitName: unit.name, unitType: unit.type },
      },
      set: { units },
    },
  };
}

export const addUnitAction: SteerAction<typeof unitChangeShape> = {
  name: "add-unit",
  shape: unitChangeShape,
  propose: proposeAddUnit,
};
