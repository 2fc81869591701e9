/** Mail for the outbox pages: a real reminder, composed as notify composes it, stored as the local stack stores it. */

import { composeNotificationEmail } from "../../shared/mail/compose.ts";
import type { Harness } from "../http/harness.ts";

export async function storeReminder(
  h: Harness,
  options: { confirmUrl: string; instanceId: string; at: string },
): Promise<string> {
  const mail = await composeNotificationEmail({
    language: "da",
    kind: "reminder",
    workflowTitle: "Opfølgning på skoler",
    milestoneTitle: { da: "Statusrapport", en: "Status report" },
    unitName: "Skole B",
    dueAt: "2024-06-01T21:59:00Z",
    timezone: "Europe/Copenhagen",
    now: options.at,
    recipient: { name: "Bo Leder", email: "bo@skole-b.example.dk" },
    contact: { name: "Frida Direktør", email: "frida@example.dk" },
    confirmUrl: options.confirmUrl,
    from: "noreply@example.dk",
    organisationName: "Testkommune",
    instanceId: options.instanceId,
    occurrenceKey: "status/skole-b/0",
  });
  await h.table.store.putOutbox({
    messageId: mail.messageId,
    at: options.at,
    to: ["bo@skole-b.example.dk"],
    subject: mail.subject,
    raw: mail.raw.toString("utf8"),
    instanceId: options.instanceId,
  });
  return mail.messageId;
}
