/**
 * What is worth saying about a valid definition before it is saved, without refusing it: a
 * fan-out over a unit type no unit in the directory has (a typo such as `scool`, or a type whose
 * units are not imported yet) gives that milestone no occurrences at all.
 */
import { quote } from "../model/errors.ts";
import type { Unit, Workflow } from "../model/schema.ts";

export interface WorkflowWarning {
  /** A stable code for the kind of warning, for translations. */
  code: "unknown-unit-type";
  /** Like `milestones[1].forEach[0]`. */
  path: string;
  milestoneId: string;
  unitType: string;
  /** In English, like the validator's messages. */
  message: string;
}

export function fanOutWarnings(
  definition: Workflow,
  directory: readonly Pick<Unit, "type">[],
): WorkflowWarning[] {
  const known = new Set(directory.map((u) => u.type));
  return definition.milestones.flatMap((m, index) =>
    (m.forEach ?? []).flatMap((unitType, i) =>
      known.has(unitType)
        ? []
        : [
            {
              code: "unknown-unit-type" as const,
              path: `milestones[${index}].forEach[${i}]`,
              milestoneId: m.id,
              unitType,
              message: `no unit in the directory has the type ${quote(unitType)}; the milestone ${quote(m.id)} has no occurrences until one has`,
            },
          ],
    ),
  );
}
