/** What adding and removing a unit of a running fan-out share: the input, the types, the order. */
import type { Workflow } from "../../model/schema.ts";
import { IdSchema } from "../../model/schema.ts";
import type { InstanceUnit } from "../../timeline/types.ts";
import { BODY_FILE, InvalidInputError, located } from "../admin-input.ts";

export const unitChangeShape = {
  /** A unit of the directory (adding) or of the instance (removing). */
  unitId: IdSchema,
};

export type UnitChangeInput = { unitId: string };

/** The unit types some milestone of the definition is repeated for. */
export function fanOutTypes(definition: Workflow): string[] {
  return [...new Set(definition.milestones.flatMap((m) => m.forEach ?? []))];
}

/** The order an instance's units are kept in, as a start stores them: by type, then id. */
export function sortUnits(units: InstanceUnit[]): InstanceUnit[] {
  return [...units].sort((a, b) =>
    a.type === b.type ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.type < b.type ? -1 : 1,
  );
}

/** A refusal located at the unit field, in English (the API) and Danish (the dashboard). */
export function refuseUnit(message: string, da: string): InvalidInputError {
  return new InvalidInputError([located(BODY_FILE, ["unitId"], message, da)]);
}
