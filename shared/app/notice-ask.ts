/**
 * The mail a "notice" notification sends (notify.ts): it asks the milestone's owner, the
 * caseworker, for the expected decision date, with a link to the page where they give it. The
 * applicant is written to only when the caseworker approves the text (citizen-notice.ts).
 */
import { createHash } from "node:crypto";
import { composeAskForDate } from "../mail/citizen-notice.ts";
import type { Milestone, Workflow } from "../model/schema.ts";
import type { InstanceRecord } from "../store/records.ts";
import { pickText } from "../timeline/format.ts";
import { CASE_REFERENCE_PARAMETER, identityLine, instanceIdentity } from "../timeline/instance-name.ts";
import type { ScheduledNotification } from "../timeline/types.ts";
import { replyAddress } from "./mail-people.ts";
import type { AppSettings } from "./ports.ts";
import type { Person } from "./recipients.ts";

/** The notice's index in the milestone (the `detail` of its key `<id>/<occ>/notice/<i>/<due>`). */
export function noticeIndexOf(key: string): string {
  const rest = key.slice(key.lastIndexOf("/notice/") + "/notice/".length);
  return rest.slice(0, rest.indexOf("/"));
}

/** Path of the page where the expected date is given (the dashboard's notice page). */
export function noticePagePath(instanceId: string, occurrenceKey: string, notice: string): string {
  const query = new URLSearchParams({ occurrence: occurrenceKey, notice }).toString();
  return `/instances/${instanceId}/notice?${query}`;
}

export function askForDateMail(input: {
  settings: AppSettings;
  instance: InstanceRecord;
  definition: Workflow;
  milestone: Milestone;
  n: ScheduledNotification;
  recipient: Person;
  now: string;
}) {
  const { settings, instance, definition, n } = input;
  const baseUrl = settings.publicBaseUrl.replace(/\/+$/, "");
  const caseReference = instance.params[CASE_REFERENCE_PARAMETER];
  const local = createHash("sha256")
    .update(JSON.stringify([instance.instanceId, n.key]), "utf8")
    .digest("hex");
  const domain = settings.mailFrom.slice(settings.mailFrom.lastIndexOf("@") + 1);
  return composeAskForDate({
    language: definition.language,
    timezone: definition.timezone,
    milestoneTitle: pickText(input.milestone.title, definition.language),
    dueAt: n.dueAt,
    caseReference: typeof caseReference === "string" ? caseReference : undefined,
    identity: identityLine(instanceIdentity(instance, definition, definition.language)),
    recipient: input.recipient,
    pageUrl: `${baseUrl}${noticePagePath(instance.instanceId, n.occurrenceKey, noticeIndexOf(n.key))}`,
    organisationName: settings.organisation,
    from: settings.mailFrom,
    replyTo: replyAddress(settings),
    now: input.now,
    messageId: `<${local.slice(0, 40)}@${domain}>`,
  });
}
