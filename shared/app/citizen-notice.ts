/**
 * The notice to an applicant (retssikkerhedsloven § 3, stk. 2), as the caseworker gives it: they
 * enter the date a decision can be expected, see the mail composed from it, and approve it. Only
 * the approval sends it, once: the send is claimed in the notification store under its own key
 * (a second approval finds it sent), and the approval is in the audit trail (who, when, the date).
 */
import { z } from "zod";
import { citizenNoticeText, composeCitizenNotice } from "../mail/citizen-notice.ts";
import { type MailTransport, sendWithRetry } from "../mail/index.ts";
import type { Milestone, Workflow } from "../model/schema.ts";
import { NotFoundError } from "../store/errors.ts";
import type { Stores } from "../store/ports.ts";
import type { InstanceRecord } from "../store/records.ts";
import type { Clock } from "../time/clock.ts";
import { Temporal } from "../time/temporal.ts";
import { occurrenceStatus } from "../timeline/decide.ts";
import { CASE_REFERENCE_PARAMETER } from "../timeline/instance-name.ts";
import { resolveRecipient } from "../timeline/schedule.ts";
import { loadDefinition } from "./definitions.ts";
import { ownerOf, userNames, withName } from "./mail-people.ts";
import type { AppSettings } from "./ports.ts";
import { batchDirectory, resolveAddress } from "./recipients.ts";

export interface CitizenNoticeDeps {
  instances: Stores["instances"];
  workflows: Stores["workflows"];
  units: Stores["units"];
  notifications: Stores["notifications"];
  audit: Stores["audit"];
  users: Pick<Stores["users"], "findByEmail">;
  clock: Clock;
  settings: AppSettings;
  /** The mail transport the loop uses (the local outbox, SES); without it nothing can be sent. */
  mailTransport?: MailTransport | undefined;
}

/** Why a date is refused; the page says it in words. */
export type DateProblem = "invalid" | "past" | "not-after-deadline";

export class NoticeDateError extends Error {
  constructor(readonly problem: DateProblem) {
    super(`expected decision date refused: ${problem}`);
  }
}

const DateSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/);

/** Pure: the date a caseworker gave, checked against today and the deadline (both local dates). */
export function checkExpectedDate(raw: unknown, today: string, deadline: string): string {
  const parsed = DateSchema.safeParse(raw);
  if (!parsed.success) throw new NoticeDateError("invalid");
  let date: Temporal.PlainDate;
  try {
    date = Temporal.PlainDate.from(parsed.data, { overflow: "reject" });
  } catch {
    throw new NoticeDateError("invalid");
  }
  if (Temporal.PlainDate.compare(date, Temporal.PlainDate.from(today)) < 0) throw new NoticeDateError("past");
  // A date the deadline already covers needs no notice, and the text would contradict itself.
  if (Temporal.PlainDate.compare(date, Temporal.PlainDate.from(deadline)) <= 0)
    throw new NoticeDateError("not-after-deadline");
  return date.toString();
}

export interface NoticeCase {
  instance: InstanceRecord;
  definition: Workflow;
  milestone: Milestone;
  occurrenceKey: string;
  notice: number;
  dueAt: string;
  /** Local dates in the workflow's time zone. */
  today: string;
  deadline: string;
  applicant: string;
  caseworker: { name?: string | undefined; email: string };
  caseReference?: string | undefined;
}

/** The case a notice page is about, or NotFoundError (also for a notice the milestone lacks). */
export async function noticeCase(
  deps: CitizenNoticeDeps,
  instanceId: string,
  occurrenceKey: string,
  noticeIndex: string,
): Promise<NoticeCase> {
  const { instance, state } = await deps.instances.loadState(instanceId);
  const definition = await loadDefinition(deps, instance.workflowId, instance.workflowVersion);
  const now = deps.clock.now();
  const occurrence = occurrenceStatus(definition, state, now).find((o) => o.key === occurrenceKey);
  const milestone = definition.milestones.find((m) => m.id === occurrence?.milestoneId);
  const notice = /^\d{1,3}$/.test(noticeIndex) ? Number(noticeIndex) : -1;
  const spec = milestone?.notices[notice];
  if (occurrence === undefined || milestone === undefined || spec === undefined || occurrence.dueAt === null)
    throw new NotFoundError("notice", `${occurrenceKey}/${noticeIndex}`);
  const context = { directory: batchDirectory(deps.units), params: instance.params };
  const to = resolveRecipient(spec.to, occurrence.unitId, milestone.owner ?? null);
  const owner = ownerOf(milestone, occurrence.unitId);
  if (to === null || owner === null) throw new NotFoundError("notice", `${occurrenceKey}/${noticeIndex}`);
  const [applicant, caseworker] = await Promise.all([
    resolveAddress(to, context),
    resolveAddress(owner, context).then((p) => withName(p, userNames(deps.users))),
  ]);
  const caseReference = instance.params[CASE_REFERENCE_PARAMETER];
  const zone = definition.timezone;
  return {
    instance,
    definition,
    milestone,
    occurrenceKey,
    notice,
    dueAt: occurrence.dueAt,
    today: now.toZonedDateTimeISO(zone).toPlainDate().toString(),
    deadline: Temporal.Instant.from(occurrence.dueAt).toZonedDateTimeISO(zone).toPlainDate().toString(),
    applicant: applicant.email,
    caseworker: { name: caseworker.name, email: caseworker.email },
    caseReference: typeof caseReference === "string" ? caseReference : undefined,
  };
}

/** The claim key of the applicant's mail: one per notice and deadline. */
export function citizenNoticeKey(c: NoticeCase): string {
  return `${c.instance.instanceId}/${c.occurrenceKey}/citizen-notice/${c.notice}/${c.dueAt}`;
}

function mailInput(deps: CitizenNoticeDeps, c: NoticeCase, expectedDate: string) {
  const { definition, instance } = c;
  const domain = deps.settings.mailFrom.slice(deps.settings.mailFrom.lastIndexOf("@") + 1);
  const local = Buffer.from(citizenNoticeKey(c)).toString("base64url").slice(-40);
  return {
    language: definition.language,
    timezone: definition.timezone,
    dueAt: c.dueAt,
    expectedDate,
    caseReference: c.caseReference,
    organisationName: deps.settings.organisation,
    from: deps.settings.mailFrom,
    to: c.applicant,
    caseworker: c.caseworker,
    now: deps.clock.now().toString(),
    messageId: `<${instance.instanceId.slice(0, 20)}.${local}@${domain}>`,
  };
}

/** What the applicant would get: writes and sends nothing. */
export function previewCitizenNotice(deps: CitizenNoticeDeps, c: NoticeCase, raw: unknown) {
  const expectedDate = checkExpectedDate(raw, c.today, c.deadline);
  return { expectedDate, to: c.applicant, ...citizenNoticeText(mailInput(deps, c, expectedDate)) };
}

export type ApproveOutcome =
  | { status: "sent"; expectedDate: string }
  | { status: "already-sent" }
  | { status: "busy" };

/** Sends the approved notice exactly once and audits the approval. */
export async function approveCitizenNotice(
  deps: CitizenNoticeDeps,
  c: NoticeCase,
  raw: unknown,
  by: string,
): Promise<ApproveOutcome> {
  const expectedDate = checkExpectedDate(raw, c.today, c.deadline);
  const transport = deps.mailTransport;
  if (transport === undefined)
    throw new Error("no mail transport configured for the notice to the applicant");
  const { instanceId } = c.instance;
  const key = citizenNoticeKey(c);
  const claim = await deps.notifications.claim(instanceId, key, `approval:${by}`, 90);
  if (!claim.claimed)
    return claim.current?.status === "sent" ? { status: "already-sent" } : { status: "busy" };
  let providerId: string;
  try {
    const mail = await composeCitizenNotice(mailInput(deps, c, expectedDate));
    const sent = await sendWithRetry(
      transport,
      { raw: mail.raw, from: deps.settings.mailFrom, to: [c.applicant], messageId: mail.messageId },
      { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random },
    );
    providerId = sent.providerId;
  } catch (err) {
    await deps.notifications.release(instanceId, key, err instanceof Error ? err.message : "send failed");
    throw err;
  }
  const details = { occurrenceKey: c.occurrenceKey, notice: c.notice, expectedDate, notificationKey: key };
  await deps.notifications.markSent(instanceId, key, {
    messageId: providerId,
    occurrenceKey: c.occurrenceKey,
    kind: "notice",
    details: { ...details, recipient: "applicant", transport: transport.name, providerId },
  });
  await deps.audit.append(instanceId, { action: "notice.approved", by, details });
  return { status: "sent", expectedDate };
}
