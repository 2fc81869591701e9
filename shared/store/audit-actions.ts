/**
 * Every action the audit trail records, as one list: the writers name their action from it (the
 * type of AuditInput.action), and the dashboard's words for the trail are a record over it, so an
 * action added here without words does not compile, and a unit test reads every one back in words.
 *
 * `confirmation.via-link` is no longer written (a link's confirmation is `confirmation.recorded`
 * with its link id), but trails written before that still hold it.
 */
export const AUDIT_ACTIONS = [
  "instance.created",
  "instance.cancelled",
  "instance.done",
  "instance.failed",
  "instance.held",
  "instance.resumed",
  "instance.migrated",
  "confirmation.recorded",
  "confirmation.via-link",
  "confirmation.ignored",
  "confirmation.on-behalf",
  "confirmation.undone",
  "deadline.moved",
  "notification.sent",
  "notification.failed",
  "notice.approved",
  "loop.execution-started",
  "loop.failed",
  "unit.added",
  "unit.removed",
  "deputy.set",
  "deputy.ended",
  "user.grants.changed",
  "user.roles.changed",
  "apiToken.created",
  "apiToken.revoked",
  "attempts.limited",
  "workflow.version.deleted",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const KNOWN: ReadonlySet<string> = new Set(AUDIT_ACTIONS);

/** Whether a stored entry's action is one this version knows (an older or newer one may not be). */
export function isAuditAction(action: string): action is AuditAction {
  return KNOWN.has(action);
}
