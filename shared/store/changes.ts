/**
 * What every adapter checks of an InstanceChange before it writes anything (the same refusals in
 * memory and in DynamoDB), and how big a change may be.
 */
import { ConflictError } from "./errors.ts";
import { type InstanceChange, MAX_CHANGE_ITEMS } from "./records.ts";

/** The milestone states and notification marks the change writes, each once. */
export function changeItemCount(change: InstanceChange): number {
  return (
    (change.confirm?.length ?? 0) +
    (change.reopen?.length ?? 0) +
    (change.put?.length ?? 0) +
    (change.remove?.length ?? 0) +
    (change.markSent?.length ?? 0)
  );
}

/** ConflictError for a change that is too big for one write or names one occurrence twice. */
export function checkChangeShape(change: InstanceChange): void {
  const count = changeItemCount(change);
  if (count > MAX_CHANGE_ITEMS) {
    throw new ConflictError(
      `the change touches ${count} milestone states and notifications; at most ${MAX_CHANGE_ITEMS} ` +
        "can change at once: split it (one unit or one milestone at a time)",
    );
  }
  const keys = [
    ...(change.confirm ?? []).map((c) => c.occurrenceKey),
    ...(change.reopen ?? []).map((r) => r.occurrenceKey),
    ...(change.put ?? []).map((m) => m.occurrenceKey),
    ...(change.remove ?? []),
  ];
  const twice = keys.find((key, i) => keys.indexOf(key) !== i);
  if (twice !== undefined) throw new ConflictError(`the change names occurrence ${twice} twice`);
}

/** The instance changed between the preview and the save. */
export function changedSincePreview(instanceId: string, expectedRev: number, rev: number): ConflictError {
  return new ConflictError(
    `instance ${instanceId} changed since this change was prepared (rev ${expectedRev}, now ${rev}); ` +
      "look at it again and repeat the change",
  );
}
