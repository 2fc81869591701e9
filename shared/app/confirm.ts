/**
 * Confirming a milestone with the link from a reminder: what the page shows (describe, reads
 * only, because mail security scanners fetch every link) and what pressing the button records
 * (confirm, once).
 *
 * Both check the link the same way before touching anything: a well-formed id that is stored,
 * a signature over the stored record, not expired; then that the milestone still exists and the
 * instance still runs. Every refusal is a LinkRefusedError with a reason, which the HTTP layer
 * turns into a page in one place.
 */
import { createHash } from "node:crypto";
import { type ErrorCategory, FristflowError } from "../errors/errors.ts";
import { type LinkPurpose, type LinkRecord, verifyLink } from "../links/confirm-link.ts";
import type { LinkKeyProvider } from "../links/keys.ts";
import type { Language, Milestone, Workflow } from "../model/schema.ts";
import { ConflictError, NotFoundError } from "../store/errors.ts";
import type { InstanceStore } from "../store/ports.ts";
import type { InstanceRecord, MilestoneRecord, StoredLink } from "../store/records.ts";
import { pickText } from "../timeline/format.ts";
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
}

/** Whether the parked execution was woken; a failed wake is caught up at the loop's next timer. */
export type WakeResult =
  | { status: "woken" }
  | { status: "not-parked" }
  | { status: "failed"; error: unknown };

export type ConfirmOutcome =
  | {
      status: "confirmed";
      at: string;
      view: ConfirmView;
      wake: WakeResult;
      /** Bookkeeping after the confirmation that did not go through (logged; the confirmation stands). */
      incomplete: ("link-use" | "audit")[];
    }
  | { status: "already"; at: string; view: ConfirmView; wake: WakeResult | null };

export interface ConfirmMeta {
  /** Correlates the audit entry with the request's log lines. */
  requestId?: string;
}

export type ConfirmDeps = Pick<
  AppDeps,
  "workflows" | "instances" | "tokens" | "links" | "audit" | "clock" | "signaller"
>;

/** Ids are 16 random bytes in base64url; anything else cannot be a link, so it is not looked up. */
const LINK_ID = /^[A-Za-z0-9_-]{22}$/;

/** Reads only: safe for the GET that scanners and previews make. */
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
  if (view.confirmedAt === null) refuseUnlessRunning(found.instance);
  return view;
}

/**
 * Records the confirmation once, then wakes the instance loop. A repeated call (a double click,
 * a reload, a second recipient) gets `already` with the original time and writes nothing.
 */
export async function confirmLink(
  deps: ConfirmDeps,
  id: string,
  sig: string,
  linkKey: LinkKeyProvider,
  meta: ConfirmMeta & { language?: Language } = {},
): Promise<ConfirmOutcome> {
  const found = await resolveLink(deps, id, sig, linkKey);
  const view = toView(found, meta.language ?? "da");
  if (view.confirmedAt !== null) {
    return { status: "already", at: view.confirmedAt, view, wake: await wakeIfMissed(deps, found.instance) };
  }
  refuseUnlessRunning(found.instance);

  const { link } = found;
  const by = confirmer(link);
  const at = deps.clock.now().toString();
  let result: Awaited<ReturnType<InstanceStore["recordConfirmation"]>>;
  try {
    // The transaction also bumps the instance's rev and writes the audit entry (who, when, which
    // link): a park that races with us sees the rev change and decides again at once.
    result = await deps.instances.recordConfirmation({
      instanceId: link.instanceId,
      occurrenceKey: link.occurrenceKey,
      at,
      by,
      linkId: link.id,
    });
  } catch (err) {
    throw await explainRefusedWrite(deps.instances, link.instanceId, err);
  }
  if (result.status === "already") {
    // Another request won the race between our read and our write.
    return {
      status: "already",
      at: result.at,
      view: { ...view, confirmedAt: result.at },
      wake: await wakeIfMissed(deps, found.instance),
    };
  }

  // The confirmation is recorded; what follows must not turn it into an error page.
  const [wake, linkUse, audit] = await Promise.all([
    wakeParked(deps, link.instanceId, "confirmed"),
    settle(deps.links.markUsed(link.id, at)),
    settle(
      deps.audit.append(link.instanceId, {
        action: "confirmation.via-link",
        by,
        details: {
          note: "confirmed via link",
          linkId: link.id,
          occurrenceKey: link.occurrenceKey,
          requestId: meta.requestId ?? null,
        },
      }),
    ),
  ]);
  const incomplete: ("link-use" | "audit")[] = [];
  if (!linkUse) incomplete.push("link-use");
  if (!audit) incomplete.push("audit");
  return { status: "confirmed", at, view: { ...view, confirmedAt: at }, wake, incomplete };
}

/**
 * Takes the parked task token, if any, and sends the signal. Taking is atomic, so of several
 * signallers at most one wakes a given park. No token means the loop is between Decide and park:
 * park sees the rev the signaller's write bumped and decides again (no lost wake-up).
 */
export async function wakeParked(
  deps: Pick<AppDeps, "tokens" | "signaller">,
  instanceId: string,
  reason: string,
): Promise<WakeResult> {
  try {
    const token = await deps.tokens.take(instanceId);
    if (token === null) return { status: "not-parked" };
    await deps.signaller.wake(token, { reason });
    return { status: "woken" };
  } catch (error) {
    // The change is written already, so this is not the caller's failure: the execution wakes
    // at its own timeout and decides then.
    return { status: "failed", error };
  }
}

/**
 * A token parked at an older rev than the instance has now was left by a signaller that wrote
 * its change but never woke the loop (it died in between). Waking it here repairs that; in the
 * ordinary repeat nothing is parked at an old rev, so nothing is written.
 */
async function wakeIfMissed(deps: ConfirmDeps, instance: InstanceRecord): Promise<WakeResult | null> {
  if (instance.taskToken === undefined || instance.parkedRev === instance.rev) return null;
  return wakeParked(deps, instance.instanceId, "confirmed");
}

interface Resolved {
  link: StoredLink;
  instance: InstanceRecord;
  milestone: MilestoneRecord;
  definition: Workflow;
  declared: Milestone;
}

async function resolveLink(
  deps: ConfirmDeps,
  id: string,
  sig: string,
  linkKey: LinkKeyProvider,
): Promise<Resolved> {
  if (!LINK_ID.test(id)) throw new LinkRefusedError("unknown");
  const [link, key] = await Promise.all([deps.links.get(id), linkKey.getKey()]);
  const verdict = verifyLink(link === null ? null : asLinkRecord(link), sig, key, deps.clock.now());
  if (!verdict.ok) throw new LinkRefusedError(verdict.reason);
  if (link === null) throw new LinkRefusedError("unknown");

  const [instance, milestones] = await Promise.all([
    deps.instances.get(link.instanceId),
    deps.instances.listMilestones(link.instanceId),
  ]);
  const milestone = milestones.find((m) => m.occurrenceKey === link.occurrenceKey);
  if (instance === null || milestone === undefined) throw new LinkRefusedError("gone");
  const version = await deps.workflows.get(instance.workflowId, instance.workflowVersion);
  const declared = version?.definition.milestones.find((m) => m.id === milestone.milestoneId);
  if (version === null || declared === undefined || !milestone.confirmable) {
    throw new LinkRefusedError("gone");
  }
  return { link, instance, milestone, definition: version.definition, declared };
}

/** verifyLink checks the purpose (and the rest of the shape) itself; the cast only names the type. */
function asLinkRecord(link: StoredLink): LinkRecord {
  return { ...link, purpose: link.purpose as LinkPurpose };
}

function toView(found: Resolved, language: Language): ConfirmView {
  const { link, instance, milestone, definition, declared } = found;
  const unit = milestone.unitId === null ? undefined : instance.units.find((u) => u.id === milestone.unitId);
  return {
    linkId: link.id,
    instanceId: link.instanceId,
    occurrenceKey: link.occurrenceKey,
    workflowTitle: pickText(definition.title, language),
    milestoneTitle: pickText(declared.title, language),
    description: declared.description === undefined ? null : pickText(declared.description, language),
    unitName: milestone.unitId === null ? null : (unit?.name ?? milestone.unitId),
    dueAt: milestone.dueAt,
    timezone: definition.timezone,
    confirmedAt: milestone.status === "confirmed" ? (milestone.confirmedAt ?? null) : null,
  };
}

function refuseUnlessRunning(instance: Pick<InstanceRecord, "status">): void {
  const reason = stoppedReason(instance);
  if (reason !== null) throw new LinkRefusedError(reason);
}

function stoppedReason(instance: Pick<InstanceRecord, "status">): LinkRefusal | null {
  if (instance.status === "running") return null;
  return instance.status === "cancelled" ? "cancelled" : "stopped";
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
  const reason = instance === null ? "gone" : (stoppedReason(instance) ?? "gone");
  return new LinkRefusedError(reason, { cause: err });
}

/**
 * Who confirmed, for the milestone state and the audit trail: the recipient reference the link
 * was made for and the link itself. References are never addresses by contract; should one ever
 * look like an address, only a digest of it is kept, because the audit trail is kept for years.
 */
function confirmer(link: StoredLink): string {
  const recipient = link.recipient.includes("@")
    ? `recipient:${createHash("sha256").update(link.recipient).digest("hex").slice(0, 16)}`
    : link.recipient;
  return `${recipient} via link ${link.id}`;
}

async function settle(work: Promise<unknown>): Promise<boolean> {
  try {
    await work;
    return true;
  } catch {
    return false;
  }
}
