/** A user's grants as every adapter stores and audits them. */
import type { AuditInput } from "./records.ts";

/** Workflow ids sorted, each once: the same grants always read the same. */
export function sortedGrants(workflowIds: Iterable<string>): string[] {
  return [...new Set(workflowIds)].sort();
}

/** The audit entry of a change of grants: who, and the grants before and after. */
export function grantChange(by: string, before: readonly string[], after: readonly string[]): AuditInput {
  return { action: "user.grants.changed", by, details: { before: [...before], after: [...after] } };
}
