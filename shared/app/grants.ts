/**
 * Which workflows a person may start and steer (cancel) instances of: an administrator all of
 * them; a caseworker those an administrator granted them (on the user's page, stored on the user
 * record); nobody else any. The access table (shared/http/access.ts) decides who reaches the start
 * and cancel routes at all; this decides, per workflow, for those it admits.
 */
import { type ErrorCategory, FristflowError } from "../errors/errors.ts";
import { quote } from "../model/errors.ts";
import { NotFoundError } from "../store/errors.ts";
import type { AuditEntry, WorkflowSummary } from "../store/records.ts";
import type { AppDeps } from "./ports.ts";
import type { Principal } from "./sessions.ts";
import { requireVisible } from "./visibility.ts";

/** A caseworker asked to start or steer an instance of a workflow they were not granted (403). */
export class NotGrantedError extends FristflowError {
  readonly category: ErrorCategory = "refused";

  constructor(readonly workflowId: string) {
    super(
      `you may not start or steer instances of workflow ${quote(workflowId)}: ` +
        "an administrator grants workflows to caseworkers on their user page",
    );
  }
}

/** Pure: may this person start and steer instances of the workflow? */
export function mayRun(principal: Principal, workflowId: string): boolean {
  if (principal.roles.includes("administrator")) return true;
  return principal.roles.includes("caseworker") && (principal.grants ?? []).includes(workflowId);
}

/** NotGrantedError unless the person may start and steer instances of the workflow. */
export function requireGrant(principal: Principal, workflowId: string): void {
  if (!mayRun(principal, workflowId)) throw new NotGrantedError(workflowId);
}

/** Pure: the workflows the start form offers this person. */
export function runnableWorkflows<T extends Pick<WorkflowSummary, "workflowId">>(
  principal: Principal,
  workflows: readonly T[],
): T[] {
  return workflows.filter((w) => mayRun(principal, w.workflowId));
}

/** One of the workflows to grant does not exist; nothing was changed. */
export class UnknownWorkflowError extends FristflowError {
  readonly category: ErrorCategory = "invalid";

  constructor(readonly workflowIds: readonly string[]) {
    super(`unknown workflow(s): ${workflowIds.map(quote).join(", ")}`);
  }
}

/**
 * Grants a user exactly these workflows (replacing what they had), audited with before and after.
 * UnknownWorkflowError if one does not exist, NotFoundError for an unknown user; nothing changes then.
 */
export async function setGrants(
  deps: Pick<AppDeps, "users" | "workflows">,
  userId: string,
  workflowIds: readonly string[],
  by: string,
): Promise<{ before: string[]; after: string[]; entry: AuditEntry }> {
  const [known, user] = await Promise.all([deps.workflows.list(), deps.users.get(userId)]);
  if (user === null) throw new NotFoundError("user", userId);
  const ids = new Set(known.map((w) => w.workflowId));
  const unknown = workflowIds.filter((id) => !ids.has(id));
  if (unknown.length > 0) throw new UnknownWorkflowError(unknown);
  return deps.users.setGrants(userId, workflowIds, by);
}

/**
 * Before a change to an instance (cancel): NotFoundError if it does not exist or the person may
 * not see it (a 404, as for reading it), NotGrantedError if they see it but may not steer its
 * workflow (a 403).
 */
export async function requireSteer(
  deps: Pick<AppDeps, "instances" | "units">,
  principal: Principal,
  instanceId: string,
): Promise<void> {
  const instance = await deps.instances.get(instanceId);
  if (instance === null) throw new NotFoundError("instance", instanceId);
  await requireVisible(deps, principal, instance);
  requireGrant(principal, instance.workflowId);
}
