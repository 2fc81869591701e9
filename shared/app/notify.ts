/**
 * The sending half of the loop's step (shared/app/step.ts): send what decide() scheduled, each
 * mail exactly once. It sends on the state the step just read, so a confirmation read with it is
 * never reminded about.
 *
 * Per notification: claim it (a conditional write; of any number of concurrent workers exactly one
 * wins, and a sent one is never claimed again), resolve the recipient from the directory or the
 * instance's parameters, sign a confirm link (stateless: nothing stored), compose the mail in the workflow's language,
 * send it with retries, then mark it sent (one write: the item is the send's audit entry). A failed send gives the claim back so a
 * retry can take it; the batch goes on with the rest and, if any failure was transient, throws
 * `Fristflow.Transient` at the end so Step Functions retries the batch. Already-sent mails are
 * then skipped by their claims.
 *
 * A notification claimed by another worker and not yet sent is never just skipped: that worker
 * may have died between claim and "mark sent" (kill -9, a Lambda timeout), and nothing else would
 * send it. The batch ends with `Fristflow.NotificationBusy`, which Step Functions retries after
 * the claim's lease (90 s) can have lapsed; the retry then finds the mail sent, or takes the claim
 * over and sends it. In the window between the provider accepting a mail and "mark sent", a crash
 * can thus send it twice (at least once, never lost); the Message-ID stays the same, and the local
 * outbox drops the repeat.
 *
 * Who the mail names as contact, first that exists and is not the recipient (a notice asks the
 * owner for the expected decision date instead, notice-ask.ts):
 * - the owner's manager (the manager of the owner's unit: whoever set the task), then
 *   the owner (so an escalation to the manager names the leader who has not confirmed);
 * - otherwise the organisation itself, at its configured reply address (else the sender address).
 *
 * Every staff mail names the instance (its name and the parameters that identify the case,
 * shared/timeline/instance-name.ts), greets the recipient by name where the directory or the
 * users have one (shared/app/mail-people.ts), and has the municipality's configured contact as
 * Reply-To (none when not configured). An escalation says who has not confirmed.
 *
 * Permanent failures (no address, a rejected message) are audited and not retried by Step
 * Functions; the notification stays unsent, so it is tried again only if the instance wakes while
 * it is still the one to send (the next reminder supersedes it), never in a loop.
 */
import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import { describeError, errorName, isRetryable } from "../errors/index.ts";
import {
  createConfirmLink,
  createMineLink,
  type LinkKeyProvider,
  linkExpiry,
  mineLinkExpiry,
} from "../links/index.ts";
import { NOTIFY_CLAIM_LEASE_SECONDS } from "../loop/asl.ts";
import { NotificationBusyError, TransientError } from "../loop/errors.ts";
import {
  composeNotificationEmail,
  type MailTransport,
  type RetryOptions,
  sendWithRetry,
} from "../mail/index.ts";
import type { Milestone, Workflow } from "../model/schema.ts";
import { retry } from "../retry/retry.ts";
import { NotFoundError } from "../store/errors.ts";
import type { ClaimResult, Stores } from "../store/ports.ts";
import type { InstanceRecord, JsonValue, NotificationRecord } from "../store/records.ts";
import type { Clock } from "../time/clock.ts";
import { instanceIdentity } from "../timeline/instance-name.ts";
import type { RecipientRef, ScheduledNotification } from "../timeline/types.ts";
import { type DefinitionCache, loadDefinition } from "./definitions.ts";
import { type DeputyLookup, deputyLookup } from "./deputies.ts";
import { type Routing, routeMail } from "./deputy-routing.ts";
import { type Log, silentLog } from "./log.ts";
import {
  type NameLookup,
  notConfirmedBy,
  ownerOf,
  replyAddress,
  userNames,
  withName,
} from "./mail-people.ts";
import { askForDateMail } from "./notice-ask.ts";
import type { AppSettings } from "./ports.ts";
import {
  batchDirectory,
  type Directory,
  type Person,
  RecipientError,
  recipientId,
  resolveAddress,
} from "./recipients.ts";

export interface NotifyDeps {
  workflows: Stores["workflows"];
  units: Stores["units"];
  instances: Stores["instances"];
  notifications: Stores["notifications"];
  audit: Stores["audit"];
  deputies: Stores["deputies"];
  clock: Clock;
  settings: AppSettings;
  transport: MailTransport;
  linkKey: LinkKeyProvider;
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), for the send retries' jitter. */
  random: () => number;
  definitions?: DefinitionCache;
  log?: Log;
  /** Written on claims, to tell workers apart when reading a notification item. Default: random. */
  workerId?: string;
  /** Mails in flight at once. Default 4: hides SES latency without tripping its per-second rate. */
  concurrency?: number;
  /** Overrides of sendWithRetry's attempts and delays. */
  mailRetry?: Pick<RetryOptions, "maxAttempts" | "baseDelayMs" | "maxDelayMs">;
  /** Staff users, for the names of `param:` addresses (greeting, contact, who has not confirmed). */
  users?: Pick<Stores["users"], "findByEmail">;
}

export interface NotifyReport {
  sent: number;
  /** Sent before (a repeated batch): the claim says so. */
  skipped: number;
  /** Failed this time (permanently or not); each one is in the audit trail. */
  failed: number;
}

const DEFAULT_CONCURRENCY = 4;

type Outcome =
  | { status: "sent" }
  | { status: "skipped" }
  | { status: "failed"; transient: boolean }
  /** Claimed by another worker and not sent: it may be sending now, or gone. */
  | { status: "busy" };

interface Batch {
  deps: NotifyDeps;
  log: Log;
  instance: InstanceRecord;
  definition: Workflow;
  directory: Directory;
  /** Each leader's and unit's deputies read once per batch. */
  deputies: DeputyLookup;
  workerId: string;
  /** Staff names by address, each read once per batch. */
  names: NameLookup;
}

/** What one step sends: the instance and definition it decided on, and the notifications due now. */
export interface BatchInput {
  instance: InstanceRecord;
  definition: Workflow;
  notifications: readonly ScheduledNotification[];
}

/** Sends a batch decided on a state read just before (shared/app/step.ts). */
export async function sendBatch(deps: NotifyDeps, input: BatchInput): Promise<NotifyReport> {
  const log = deps.log ?? silentLog;
  const batch: Batch = {
    deps,
    log,
    instance: input.instance,
    definition: input.definition,
    directory: batchDirectory(deps.units),
    deputies: deputyLookup(deps.deputies, deps.linkKey),
    workerId: deps.workerId ?? `notify-${randomUUID()}`,
    names: userNames(deps.users),
  };
  const limit = pLimit(deps.concurrency ?? DEFAULT_CONCURRENCY);
  const outcomes = await Promise.all(input.notifications.map((n) => limit(() => deliver(batch, n))));

  const count = (status: Outcome["status"]) => outcomes.filter((o) => o.status === status).length;
  const report = { sent: count("sent"), skipped: count("skipped"), failed: count("failed") };
  const busy = count("busy");
  const { instanceId } = input.instance;
  if (busy > 0) {
    // Retried later than a transient failure (after the lease); the retry also covers those.
    log.info("notifications claimed by another worker and not yet sent; batch to be retried", {
      instanceId,
      busy,
      sent: report.sent,
    });
    throw new NotificationBusyError(
      `instance ${instanceId}: ${busy} of ${outcomes.length} notifications are claimed by another ` +
        `worker and not sent (${report.sent} sent); retrying once their claims can have lapsed`,
    );
  }
  const transient = outcomes.filter((o) => o.status === "failed" && o.transient).length;
  if (transient > 0) {
    throw new TransientError(
      `instance ${instanceId}: ${transient} of ${outcomes.length} notifications failed transiently ` +
        `(${report.sent} sent); retrying the batch sends only those`,
    );
  }
  return report;
}

/**
 * Sends notifications of a stored instance (tools and tests; the loop uses sendBatch with the
 * state it read). An instance that no longer runs gets none: nobody wants these mails any more.
 */
export async function runNotify(
  deps: NotifyDeps,
  input: { instanceId: string; notifications: readonly ScheduledNotification[] },
): Promise<NotifyReport> {
  const instance = await deps.instances.get(input.instanceId);
  if (instance === null) throw new NotFoundError("instance", input.instanceId);
  if (instance.status !== "running") return { sent: 0, skipped: input.notifications.length, failed: 0 };
  const definition = await loadDefinition(deps, instance.workflowId, instance.workflowVersion);
  return sendBatch(deps, { instance, definition, notifications: input.notifications });
}

/** Never throws: one notification's failure must not stop the others in the batch. */
async function deliver(batch: Batch, n: ScheduledNotification): Promise<Outcome> {
  const { deps, instance } = batch;
  const ids = { instanceId: instance.instanceId, notificationKey: n.key, kind: n.kind };
  let claim: ClaimResult;
  try {
    claim = await deps.notifications.claim(
      instance.instanceId,
      n.key,
      batch.workerId,
      NOTIFY_CLAIM_LEASE_SECONDS,
    );
  } catch (err) {
    batch.log.warn("claim failed", { ...ids, error: describeError(err) });
    return { status: "failed", transient: isRetryable(err) };
  }
  if (!claim.claimed) return whyNotClaimed(batch, n, claim.current);

  let sent: { providerId: string; attempts: number; linkId: string | null; deputyId: string | null };
  try {
    sent = await composeAndSend(batch, n);
  } catch (err) {
    return failed(batch, n, err);
  }

  // The mail is out. From here a failure must not release the claim (that would send it again at
  // once); a retry finds the claim busy and waits out its lease first (at least once, never lost).
  try {
    // "Sent" is one write, and the item is the send's entry in the audit trail.
    await recordAfterSend(deps, () =>
      deps.notifications.markSent(instance.instanceId, n.key, {
        messageId: sent.providerId,
        occurrenceKey: n.occurrenceKey,
        kind: n.kind,
        ...(n.level === undefined ? {} : { level: n.level }),
        details: {
          recipient: recipientId(n.recipient),
          linkId: sent.linkId,
          transport: deps.transport.name,
          providerId: sent.providerId,
          attempts: sent.attempts,
          // Sent to a deputy in the leader's place (the deputy's entry names who set them).
          ...(sent.deputyId === null ? {} : { deputyId: sent.deputyId }),
        },
      }),
    );
  } catch (err) {
    batch.log.warn("sent but not marked sent", { ...ids, error: describeError(err) });
    return { status: "failed", transient: true };
  }
  batch.log.info("notification sent", {
    ...ids,
    recipient: recipientId(n.recipient),
    attempts: sent.attempts,
  });
  return { status: "sent" };
}

/** A claim refused: sent already (skip it), or claimed by a worker that has not sent it. */
function whyNotClaimed(batch: Batch, n: ScheduledNotification, current: NotificationRecord | null): Outcome {
  if (current?.status === "sent") return { status: "skipped" };
  batch.log.info("notification claimed by another worker, not sent yet", {
    instanceId: batch.instance.instanceId,
    notificationKey: n.key,
    claimedBy: current?.claimedBy ?? null,
    leaseUntil: current?.leaseUntil ?? null,
  });
  return { status: "busy" };
}

/** Tries of a write that records a mail already sent; transient failures (throttling) only. */
const RECORD_ATTEMPTS = 6;
const RECORD_BASE_DELAY_MS = 200;
const RECORD_MAX_DELAY_MS = 10_000;

/**
 * Runs a write that records a mail already sent, retrying transient failures here with backoff.
 * Handing such a failure to Step Functions' retry would send the mail twice: the retried batch
 * finds this worker's claim unsent, waits out its lease, takes it over and sends again.
 */
function recordAfterSend<T>(deps: NotifyDeps, write: () => Promise<T>): Promise<T> {
  return retry(write, {
    attempts: RECORD_ATTEMPTS,
    retryIf: isRetryable,
    baseDelayMs: RECORD_BASE_DELAY_MS,
    maxDelayMs: RECORD_MAX_DELAY_MS,
    sleep: deps.sleep,
    random: deps.random,
  });
}

async function composeAndSend(
  batch: Batch,
  n: ScheduledNotification,
): Promise<{ providerId: string; attempts: number; linkId: string | null; deputyId: string | null }> {
  const { deps, instance, definition } = batch;
  const milestone = definition.milestones.find((m) => m.id === n.milestoneId);
  if (milestone === undefined) {
    throw new Error(
      `milestone ${n.milestoneId} is not in ${definition.id} version ${instance.workflowVersion}`,
    );
  }
  const addressee = await resolveAddress(n.recipient, {
    directory: batch.directory,
    params: instance.params,
  });
  const now = deps.clock.now();
  const routing: Routing = routeMail({
    kind: n.kind,
    recipient: addressee,
    ...(await batch.deputies.of(n.kind, n.recipient, addressee.email)),
    now,
    timezone: definition.timezone,
  });
  // A deputy's and the directory's people have names; a `param:` address may be a staff user's.
  const recipient = await withName(routing.to, batch.names);
  // A notice asks its caseworker for the expected date; the applicant's mail waits for approval.
  if (n.kind === "notice") {
    const ask = await askForDateMail({ ...batch, ...deps, milestone, n, recipient, now: now.toString() });
    const message = {
      raw: ask.raw,
      from: deps.settings.mailFrom,
      to: [recipient.email],
      messageId: ask.messageId,
    };
    const options = { ...deps.mailRetry, sleep: deps.sleep, random: deps.random };
    const result = await sendWithRetry(deps.transport, message, options);
    return { ...result, linkId: null, deputyId: null };
  }
  const contact = await contactFor(batch, n, milestone, recipient);
  const baseUrl = deps.settings.publicBaseUrl.replace(/\/+$/, "");

  const link = createConfirmLink(
    {
      instanceId: instance.instanceId,
      occurrenceKey: n.occurrenceKey,
      // A deputy's link names the deputy, and the leader it confirms for.
      ...(routing.deputy === null
        ? { recipient: recipientId(n.recipient) }
        : { recipient: `deputy:${routing.deputy.deputyId}`, onBehalfOf: recipientId(n.recipient) }),
      expiresAt: linkExpiry(n.dueAt, now),
    },
    await deps.linkKey.getKey(),
  );
  const linkId = link.linkId;
  const confirmUrl = `${baseUrl}${link.path}`;
  // Staff get their personal page with every mail.
  const mineUrl = `${baseUrl}${createMineLink({ email: recipient.email, expiresAt: mineLinkExpiry(now) }, await deps.linkKey.getKey()).path}`;
  const staff = {
    instance: instanceIdentity(instance, definition, definition.language),
    replyTo: replyAddress(deps.settings),
    ...(n.kind === "escalation"
      ? await notConfirmedBy(
          ownerOf(milestone, n.unitId),
          { directory: batch.directory, params: instance.params },
          instance.units,
          batch.names,
        ).then((who) => (who === undefined ? {} : { notConfirmedBy: who }))
      : {}),
  };
  const mail = await composeNotificationEmail({
    ...staff,
    language: definition.language,
    kind: n.kind,
    workflowTitle: definition.title,
    milestoneTitle: milestone.title,
    milestoneDescription: milestone.description,
    unitName: instance.units.find((u) => u.id === n.unitId)?.name,
    dueAt: n.dueAt,
    timezone: definition.timezone,
    now,
    escalationLevel: n.ordinal ?? n.level,
    recipient,
    contact,
    confirmUrl,
    from: deps.settings.mailFrom,
    organisationName: deps.settings.organisation,
    instanceId: instance.instanceId,
    occurrenceKey: n.occurrenceKey,
    notificationKey: n.key,
    mineUrl,
    ...(routing.deputy === null
      ? {}
      : { cc: routing.cc, deputyFor: routing.leader.name ?? routing.leader.email }),
    ...(n.reopened === undefined
      ? {}
      : { reopened: { byName: actorName(n.reopened.by), reason: n.reopened.reason } }),
  });
  const result = await sendWithRetry(
    deps.transport,
    {
      raw: mail.raw,
      from: deps.settings.mailFrom,
      to: [recipient.email],
      messageId: mail.messageId,
      ...(routing.cc.length === 0 ? {} : { cc: routing.cc.map((p) => p.email) }),
    },
    { ...deps.mailRetry, sleep: deps.sleep, random: deps.random },
  );
  return { ...result, linkId, deputyId: routing.deputy?.deputyId ?? null };
}

/** The person's name in an audit actor (`user:<id> (<name>)`, shared/app/sessions.ts); null for a token's label. */
function actorName(by: string): string | null {
  return /^user:\S+ \((.+)\)$/.exec(by)?.[1] ?? null;
}

/** See the module comment for the order. */
async function contactFor(
  batch: Batch,
  n: ScheduledNotification,
  milestone: Milestone,
  recipient: Person,
): Promise<{ name: string; email: string }> {
  const owner = ownerOf(milestone, n.unitId);
  const managerOfOwner: RecipientRef | null =
    owner?.kind === "unitLeader" ? { kind: "unitManager", unitId: owner.unitId } : null;
  for (const ref of [managerOfOwner, owner]) {
    if (ref === null) continue;
    let person: Person;
    try {
      person = await resolveAddress(ref, { directory: batch.directory, params: batch.instance.params });
    } catch (err) {
      if (err instanceof RecipientError) continue;
      throw err;
    }
    if (person.email.toLowerCase() === recipient.email.toLowerCase()) continue;
    const named = await withName(person, batch.names);
    return { name: named.name ?? person.email, email: person.email };
  }
  const { settings } = batch.deps;
  return { name: settings.organisation, email: settings.replyTo ?? settings.mailFrom };
}

async function failed(batch: Batch, n: ScheduledNotification, err: unknown): Promise<Outcome> {
  const { deps, instance } = batch;
  const transient = isRetryable(err);
  const reason = describeError(err);
  try {
    await deps.notifications.release(instance.instanceId, n.key, reason);
  } catch (releaseErr) {
    // The lease runs out on its own; until then a retry finds this one busy and waits.
    batch.log.warn("release failed", {
      instanceId: instance.instanceId,
      notificationKey: n.key,
      error: describeError(releaseErr),
    });
  }
  try {
    await deps.audit.append(instance.instanceId, {
      action: "notification.failed",
      by: "system",
      details: {
        ...auditIds(n),
        transient,
        error: errorName(err),
        reason,
        ...(err instanceof RecipientError ? { problem: err.problem } : {}),
      },
    });
  } catch (auditErr) {
    batch.log.warn("audit of a failed notification failed", {
      instanceId: instance.instanceId,
      notificationKey: n.key,
      error: describeError(auditErr),
    });
  }
  batch.log.warn("notification failed", {
    instanceId: instance.instanceId,
    notificationKey: n.key,
    recipient: recipientId(n.recipient),
    transient,
    error: reason,
  });
  return { status: "failed", transient };
}

function auditIds(n: ScheduledNotification): { [key: string]: JsonValue } {
  return {
    notificationKey: n.key,
    kind: n.kind,
    occurrenceKey: n.occurrenceKey,
    recipient: recipientId(n.recipient),
    level: n.level ?? null,
  };
}
