/**
 * Confirming a milestone with the link from a reminder: what the page shows (describe, reads
 * only, because mail security scanners fetch every link) and what pressing the button records
 * (confirm, once).
 *
 * Both check the link the same way before touching anything: a signature over the link's content
 * (stateless: shared/links/confirm-link.ts), not expired; then that the milestone still exists
 * and its instance still runs (the milestone state says so; no instance read). Every refusal is a LinkRefusedError with a reason, which the HTTP layer
 * turns into a page in one place.
 */
import { createHash } from "node:crypto";
import { type ErrorCategory, FristflowError } from "../errors/errors.ts";
import { type LinkClaims, verifyLink } from "../links/confirm-link.ts";
import type { LinkKeyProvider } from "../links/keys.ts";
import type { Language, Milestone, Workflow } from "../model/schema.ts";
import { ConflictError, NotFoundError } from "../store/errors.ts";
import type { InstanceStore } from "../store/ports.ts";
import { DONE_REASON, type InstanceRecord, type MilestoneRecord } from "../store/records.ts";
import { pickText } from "../timeline/format.ts";
import { type InstanceIdentity, instanceIdentity } from "../timeline/instance-name.ts";
import { type DefinitionCache, loadDefinition } from "./definitions.ts";
import type { AppDeps } from "./ports.ts";

/**
 * Why a link does not lead to a confirmation. `cancelled` and `stopped` (done or failed) are
 * about the instance, `gone` about the milestone (no longer stored, no longer in the definition,
 * or nothing anybody confirms).
 */
export type LinkRefusal = "unknown" | "tampered" | "expired" | "cancelled" | "stopped" | "gone";

export class LinkRefusedError extends FristflowError {
  readonly category: ErrorCategory = "refused";

  constructor(
    readonly reason: LinkRefusal,
    options?: ErrorOptions,
  ) {
    super(`confirm link refused: ${reason}`, options);
  }
}

/** What a confirm page says will be (or was) confirmed; texts already in the page's language. */
export interface ConfirmView {
  linkId: string;
  instanceId: string;
  occurrenceKey: string;
  workflowTitle: string;
  milestoneTitle: string;
  description: string | null;
  /** The unit of a fan-out milestone, as named when the instance started. */
  unitName: string | null;
  /** The current deadline (instant), null while it waits for an earlier milestone. */
  dueAt: string | null;
  /** The workflow's timezone: show every instant in it. */
  timezone: string;
  /** When the milestone was confirmed, by this link or any other way; null while it is open. */
  confirmedAt: string | null;
  /** The instance's name and the parameters that identify its case (timeline/instance-name.ts). */
  identity: InstanceIdentity;
}

/** Whether the parked execution was woken; a failed wake is caught up at the loop's next timer. */
export type WakeResult =
  | { status: "woken" }
  | { status: "not-parked" }
  | { status: "failed"; error: unknown };

export type ConfirmOutcome =
  | { status: "confirmed"; at: string; view: ConfirmView; wake: WakeResult }
  | { status: "already"; at: string; view: ConfirmView; wake: WakeResult | null };

export interface ConfirmMeta {
  /** Correlates the audit entry with the request's log lines. */
  requestId?: string;
  /** Where the button was pressed, when not on the link's own page (`mine`: Mine frister). */
  via?: "mine";
}

export type ConfirmDeps = Pick<AppDeps, "workflows" | "instances" | "tokens" | "clock" | "signaller"> & {
  /** Workflow versions never change: a warm server reads each once. */
  definitions?: DefinitionCache;
};

/**
 * Reads only: safe for the GET that scanners and previews make. One DynamoDB read (the
 * milestone) and the workflow version from the cache.
 */
export async function describeConfirmLink(
  deps: ConfirmDeps,
  id: string,
  sig: string,
  linkKey: LinkKeyProvider,
  options: { language?: Language } = {},
): Promise<ConfirmView> {
  const found = await resolveLink(deps, id, sig, linkKey);
  const view = toView(found, options.language ?? "da");
  // A confirmed milestone is shown as such even on a stopped instance: a late click on a
  // finished timeline is not an error.
  if (view.confirmedAt === null) refuseUnlessRunning(found.milestone);
  return view;
}

/**
 * Records the confirmation once, then wakes the instance loop: one read (the milestone and the
 * parked token), one transaction (milestone, rev and the token taken, audit entry), then the
 * signal to Step Functions. A repeated call (a double click, a reload, a second recipient) gets
 * `already` with the original time and writes nothing.
 */
export async function confirmLink(
  deps: ConfirmDeps,
  id: string,
  sig: string,
  linkKey: LinkKeyProvider,
  meta: ConfirmMeta & { language?: Language } = {},
): Promise<ConfirmOutcome> {
  // The milestone and the parked token in one read: the transaction takes the token itself.
  const found = await resolveLink(deps, id, sig, linkKey, { withParkedToken: true });
  const view = toView(found, meta.language ?? "da");
  const { claims, linkId } = found;
  if (view.confirmedAt !== null) {
    return {
      status: "already",
      at: view.confirmedAt,
      view,
      wake: await wakeIfMissed(deps, claims.instanceId, view.confirmedAt),
    };
  }
  refuseUnlessRunning(found.milestone);

  const by = confirmer(claims, linkId);
  const at = deps.clock.now().toString();
  let result: Awaited<ReturnType<InstanceStore["recordConfirmation"]>>;
  try {
    // The transaction also bumps the instance's rev and writes the audit entry (who, when, which
    // link): a park that races with us sees the rev change and decides again at once.
    result = await deps.instances.recordConfirmation({
      instanceId: claims.instanceId,
      occurrenceKey: claims.occurrenceKey,
      at,
      by,
      linkId,
      ...(meta.requestId === undefined ? {} : { requestId: meta.requestId }),
      ...(claims.onBehalfOf === undefined ? {} : { onBehalfOf: claims.onBehalfOf }),
      ...(meta.via === undefined ? {} : { via: meta.via }),
      ...(found.milestone.closesAtRev === undefined ? {} : { closesAtRev: found.milestone.closesAtRev }),
      parkedToken: found.parkedToken,
    });
  } catch (err) {
    throw await explainRefusedWrite(deps.instances, claims.instanceId, err);
  }
  if (result.status === "already") {
    // Another request won the race between our read and our write.
    return {
      status: "already",
      at: result.at,
      view: { ...view, confirmedAt: result.at },
      wake: await wakeIfMissed(deps, claims.instanceId, result.at),
    };
  }
  // The confirmation is recorded; a failed wake must not turn it into an error page. When it also
  // finished the instance, the parked execution is told to leave the loop, not to decide again.
  // The transaction took the token it read (or, after a storm on the instance, none: take it now).
  const taken = result.takenToken;
  const take = taken === undefined ? () => deps.tokens.take(claims.instanceId) : async () => taken;
  const wake = await signal(deps, take, result.finished ? DONE_REASON : "confirmed", {
    end: result.finished,
  });
  return { status: "confirmed", at, view: { ...view, confirmedAt: at }, wake };
}

/**
 * Takes the parked task token, if any, and sends the signal. Taking is atomic, so of several
 * signallers at most one wakes a given park. No token means the loop is between its step and
 * park: park sees the rev the signaller's write bumped and decides again (no lost wake-up).
 */
export async function wakeParked(
  deps: Pick<AppDeps, "tokens" | "signaller">,
  instanceId: string,
  reason: string,
): Promise<WakeResult> {
  return signal(deps, () => deps.tokens.take(instanceId), reason);
}

async function signal(
  deps: Pick<AppDeps, "signaller">,
  take: () => Promise<string | null>,
  reason: string,
  how: { end: boolean } = { end: false },
): Promise<WakeResult> {
  try {
    const token = await take();
    if (token === null) return { status: "not-parked" };
    if (how.end) await deps.signaller.finish(token, reason);
    else await deps.signaller.wake(token, { reason });
    return { status: "woken" };
  } catch (error) {
    // The change is written already, so this is not the caller's failure: the execution wakes
    // at its own timeout and decides then.
    return { status: "failed", error };
  }
}

/**
 * A confirmation younger than this is still being signalled by whoever made it: a repeat (a
 * double click, a reload, a second recipient at the same moment) leaves the repair to them.
 */
export const REPAIR_AFTER_SECONDS = 60;

/**
 * A token parked at an older rev than the instance has now was left by a signaller that wrote
 * its change but never woke the loop (it died in between). Taking it here repairs that; in the
 * ordinary repeat nothing is parked at an old rev, and the conditional take changes nothing.
 * Tried only once the confirmation is REPAIR_AFTER_SECONDS old, so a burst of repeats costs a
 * read each and no write (issue 13); until then the loop's own timer would catch up as well.
 */
async function wakeIfMissed(
  deps: ConfirmDeps,
  instanceId: string,
  confirmedAt: string,
): Promise<WakeResult | null> {
  const age = deps.clock.now().epochMilliseconds - Date.parse(confirmedAt);
  if (age < REPAIR_AFTER_SECONDS * 1000) return null;
  const wake = await signal(deps, () => deps.tokens.takeIfStale(instanceId), "confirmed");
  return wake.status === "not-parked" ? null : wake;
}

interface Resolved {
  claims: LinkClaims;
  linkId: string;
  /** The URL's id, for the page's form to post back to. */
  id: string;
  milestone: MilestoneRecord;
  unitName: string | null;
  definition: Workflow;
  declared: Milestone;
  /** The instance's parked task token as read with the milestone (a confirmation's read only). */
  parkedToken: string | null;
}

async function resolveLink(
  deps: ConfirmDeps,
  id: string,
  sig: string,
  linkKey: LinkKeyProvider,
  options: { withParkedToken: boolean } = { withParkedToken: false },
): Promise<Resolved> {
  const verdict = verifyLink(id, sig, await linkKey.getKey(), deps.clock.now());
  if (!verdict.ok) throw new LinkRefusedError(verdict.reason);
  const { claims, linkId } = verdict;
  const read = options.withParkedToken
    ? await deps.instances.getForConfirmation(claims.instanceId, claims.occurrenceKey)
    : {
        milestone: await deps.instances.getMilestone(claims.instanceId, claims.occurrenceKey),
        parkedToken: null,
      };
  const stored = read.milestone;
  if (stored === null || !stored.confirmable) throw new LinkRefusedError("gone");
  const { milestone, unitName } = await withInstanceContext(deps, stored);
  const definition = await loadDefinitionOrNull(deps, milestone);
  const declared = definition?.milestones.find((m) => m.id === milestone.milestoneId);
  if (definition === null || declared === undefined) throw new LinkRefusedError("gone");
  return { claims, linkId, id, milestone, unitName, definition, declared, parkedToken: read.parkedToken };
}

/**
 * A milestone state written before it carried its instance's workflow and unit name (or one of
 * a stopped instance that never got the mark) is completed from the instance: a second read,
 * only for such old items.
 */
async function withInstanceContext(
  deps: ConfirmDeps,
  milestone: MilestoneRecord,
): Promise<{ milestone: MilestoneRecord; unitName: string | null }> {
  if (
    milestone.workflowId !== undefined &&
    milestone.workflowVersion !== undefined &&
    milestone.unitName !== undefined
  ) {
    return { milestone, unitName: milestone.unitName };
  }
  const instance = await deps.instances.get(milestone.instanceId);
  if (instance === null) throw new LinkRefusedError("gone");
  const unit = milestone.unitId === null ? undefined : instance.units.find((u) => u.id === milestone.unitId);
  return {
    milestone: {
      ...milestone,
      workflowId: instance.workflowId,
      workflowVersion: instance.workflowVersion,
      ...(instance.status === "running" ? {} : { instanceStatus: instance.status }),
      ...(instance.name === undefined ? {} : { instanceName: instance.name }),
    },
    unitName: milestone.unitId === null ? null : (unit?.name ?? milestone.unitId),
  };
}

async function loadDefinitionOrNull(deps: ConfirmDeps, milestone: MilestoneRecord): Promise<Workflow | null> {
  if (milestone.workflowId === undefined || milestone.workflowVersion === undefined) return null;
  try {
    return await loadDefinition(deps, milestone.workflowId, milestone.workflowVersion);
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

function toView(found: Resolved, language: Language): ConfirmView {
  const { claims, milestone, definition, declared } = found;
  return {
    linkId: found.id,
    instanceId: claims.instanceId,
    occurrenceKey: claims.occurrenceKey,
    workflowTitle: pickText(definition.title, language),
    milestoneTitle: pickText(declared.title, language),
    description: declared.description === undefined ? null : pickText(declared.description, language),
    unitName: found.unitName,
    dueAt: milestone.dueAt,
    timezone: definition.timezone,
    confirmedAt: milestone.status === "confirmed" ? (milestone.confirmedAt ?? null) : null,
    identity: instanceIdentity(
      { name: milestone.instanceName, params: milestone.instanceRefs },
      definition,
      language,
    ),
  };
}

function refuseUnlessRunning(milestone: Pick<MilestoneRecord, "instanceStatus">): void {
  const reason = stoppedReason(milestone.instanceStatus ?? "running");
  if (reason !== null) throw new LinkRefusedError(reason);
}

function stoppedReason(status: InstanceRecord["status"]): LinkRefusal | null {
  if (status === "running") return null;
  return status === "cancelled" ? "cancelled" : "stopped";
}

/** The store refused the write after our checks passed: the state changed in between. */
async function explainRefusedWrite(
  instances: InstanceStore,
  instanceId: string,
  err: unknown,
): Promise<unknown> {
  if (err instanceof NotFoundError) return new LinkRefusedError("gone", { cause: err });
  if (!(err instanceof ConflictError)) return err;
  const instance = await instances.get(instanceId);
  const reason = instance === null ? "gone" : (stoppedReason(instance.status) ?? "gone");
  return new LinkRefusedError(reason, { cause: err });
}

/**
 * Who confirmed, for the milestone state and the audit trail: the recipient reference the link
 * was made for and the link itself. References are never addresses by contract; should one ever
 * look like an address, only a digest of it is kept, because the audit trail is kept for years.
 */
function confirmer(claims: LinkClaims, linkId: string): string {
  const recipient = opaque(claims.recipient);
  // A deputy confirms in the leader's place: the record names both (the deputy first).
  const behalf = claims.onBehalfOf === undefined ? "" : ` on behalf of ${opaque(claims.onBehalfOf)}`;
  return `${recipient}${behalf} via link ${linkId}`;
}

function opaque(reference: string): string {
  return reference.includes("@")
    ? `recipient:${createHash("sha256").update(reference).digest("hex").slice(0, 16)}`
    : reference;
}
