/** Fixtures of the dashboard tests. */

import { composeNotificationEmail } from "../../shared/mail/compose.ts";
import { type Harness, startHarness, UNITS } from "../http/harness.ts";
import { Client } from "./client.ts";

/** A harness with the sample units in its directory and an administrator logged in. */
export async function adminHarness(): Promise<{ h: Harness; admin: Client }> {
  const h = await startHarness();
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  const admin = new Client(h);
  await admin.login();
  return { h, admin };
}

/** Mail for the outbox pages: a real reminder, composed as notify composes it, stored as the local stack stores it. */
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
  await h.table.stores.outbox.put({
    messageId: mail.messageId,
    at: options.at,
    to: ["bo@skole-b.example.dk"],
    subject: mail.subject,
    raw: mail.raw.toString("utf8"),
    instanceId: options.instanceId,
  });
  return mail.messageId;
}
