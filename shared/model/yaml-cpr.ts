/**
 * CPR numbers in a definition's source as written, comments included: the source is stored and
 * shown with the definition, so a number in a comment, or one split across a folded line, is as
 * much stored as one in a title. Hits inside a value the tree walk already reported are not
 * reported twice.
 */
import { CPR_MESSAGE, findCpr } from "./cpr.ts";
import { formatPath, type LocatedError } from "./errors.ts";
import type { PositionOf } from "./yaml-locate.ts";
import type { ScalarSpan } from "./yaml-walk.ts";

/** Enough to show an administrator where to look; a file full of numbers says so at the top. */
const MAX_HITS = 20;

export function sourceCprErrors(
  text: string,
  scalars: readonly ScalarSpan[],
  position: PositionOf,
  file: string,
): LocatedError[] {
  const errors: LocatedError[] = [];
  for (const hit of findCpr(text).slice(0, MAX_HITS)) {
    const within = scalars.find((s) => s.start <= hit.start && hit.start < s.end);
    if (within?.flagged) continue;
    errors.push({
      file,
      ...position(hit.start),
      path: within === undefined ? "" : formatPath(within.path),
      message: within === undefined ? `a comment ${CPR_MESSAGE}` : `the text ${CPR_MESSAGE}`,
    });
  }
  return errors;
}
