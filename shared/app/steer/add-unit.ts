/**
 * Add a unit to a running fan-out (a new school opens mid-period): the unit comes from the
 * directory, must be of a type some milestone is repeated for, and must not be in the instance
 * yet. Only the instance's unit list changes: decide() plans the new unit's occurrences from it,
 * and the loop's next step (woken by the save) writes their milestone states, as it does for a
 * fresh instance. The new unit is told as decide() tells anyone who starts late: per occurrence
 * the latest reminder that is due (one mail, not every reminder it missed), or, for a deadline
 * already passed, the latest escalation due; the preview lists these under "sends now". A unit
 * that joins after a deadline passed need not be escalated about it at once: `overdueTo` gives its
 * overdue occurrences a new deadline (an override, as moving a deadline makes), so it is reminded
 * towards that date instead.
 */
import { z } from "zod";
import { quote, quoteDa } from "../../model/errors.ts";
import { Temporal } from "../../time/temporal.ts";
import { PlanLimitError } from "../../timeline/ceilings.ts";
import { occurrenceStatus } from "../../timeline/decide.ts";
import { checkPlanCeilings } from "../../timeline/plan.ts";
import { BODY_FILE, InvalidInputError, located } from "../admin-input.ts";
import type { SteerAction } from "./actions.ts";
import type { SteerContext } from "./change.ts";
import { deadlineInstant } from "./move-deadline.ts";
import type { ProposedChange } from "./preview.ts";
import { fanOutTypes, refuseUnit, sortUnits, type UnitChangeInput, unitChangeShape } from "./unit-change.ts";

export const addUnitShape = {
  ...unitChangeShape,
  /** A new deadline (a date) for the unit's occurrences whose deadline has passed already. */
  overdueTo: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
    .optional(),
};

type AddUnitInput = UnitChangeInput & { overdueTo?: string | undefined };

/** The new unit's open occurrences already past their deadline, moved to `overdueTo`. */
function overdueOverrides(
  context: SteerContext,
  units: SteerContext["loaded"]["state"]["units"],
  unitId: string,
  overdueTo: string,
): Record<string, string> {
  const to = deadlineInstant(overdueTo, context);
  if (to === null) {
    throw new InvalidInputError([
      located(
        BODY_FILE,
        ["overdueTo"],
        `${quote(overdueTo)} is not a date that exists`,
        `${quoteDa(overdueTo)} er ikke en dato, der findes.`,
      ),
    ]);
  }
  if (Temporal.Instant.compare(to, context.now) <= 0) {
    throw new InvalidInputError([
      located(
        BODY_FILE,
        ["overdueTo"],
        "the new deadline has passed already; choose a later date",
        "Den nye frist er allerede overskredet. Vælg en senere dato.",
      ),
    ]);
  }
  const statuses = occurrenceStatus(context.definition, { ...context.loaded.state, units }, context.now);
  const overdue = statuses.filter(
    (o) =>
      o.unitId === unitId &&
      o.confirmable &&
      o.dueAt !== null &&
      Temporal.Instant.compare(Temporal.Instant.from(o.dueAt), context.now) <= 0,
  );
  return Object.fromEntries(overdue.map((o) => [o.key, to.toString()]));
}

export async function proposeAddUnit(
  context: SteerContext,
  input: AddUnitInput,
  meta: { reason: string; by: string },
): Promise<ProposedChange> {
  const { loaded, definition } = context;
  const types = fanOutTypes(definition);
  if (types.length === 0) {
    throw refuseUnit(
      "this workflow is not repeated for units, so a unit cannot be added to it",
      "Forløbet gentages ikke for enheder, så der kan ikke tilføjes en enhed.",
    );
  }
  const unit = await context.directory.get(input.unitId);
  if (unit === null) {
    throw refuseUnit(
      `the directory has no unit ${quote(input.unitId)}`,
      `Der er ingen enhed ${quoteDa(input.unitId)} i enhedsoversigten.`,
    );
  }
  if (!types.includes(unit.type)) {
    throw refuseUnit(
      `${unit.id} is of type ${unit.type}; this workflow fans out over ${types.join(" or ")}`,
      `${quoteDa(unit.id)} er af typen ${quoteDa(unit.type)}, men forløbet gentages for ${types.map(quoteDa).join(" eller ")}.`,
    );
  }
  if (loaded.instance.units.some((u) => u.id === unit.id)) {
    throw refuseUnit(
      `${unit.id} is already in the instance`,
      `${quoteDa(unit.id)} er allerede med i forløbet.`,
    );
  }
  const units = sortUnits([...loaded.instance.units, { id: unit.id, type: unit.type, name: unit.name }]);
  try {
    checkPlanCeilings(definition, loaded.state.startAt, units);
  } catch (err) {
    if (err instanceof PlanLimitError)
      throw refuseUnit(
        `with ${unit.id} the plan is too big: ${err.message}`,
        `Med ${quoteDa(unit.id)} bliver forløbets plan for stor (${err.message}).`,
      );
    throw err;
  }
  const moved =
    input.overdueTo === undefined ? {} : overdueOverrides(context, units, unit.id, input.overdueTo);
  const hasMoved = Object.keys(moved).length > 0;
  return {
    change: {
      audit: {
        action: "unit.added",
        by: meta.by,
        details: {
          reason: meta.reason,
          unitId: unit.id,
          unitName: unit.name,
          unitType: unit.type,
          ...(hasMoved
            ? { overdueMovedTo: Object.values(moved)[0] ?? null, overdue: Object.keys(moved) }
            : {}),
        },
      },
      set: { units, ...(hasMoved ? { dueOverrides: { ...loaded.state.dueOverrides, ...moved } } : {}) },
    },
  };
}

export const addUnitAction: SteerAction<typeof addUnitShape> = {
  name: "add-unit",
  shape: addUnitShape,
  propose: proposeAddUnit,
};
