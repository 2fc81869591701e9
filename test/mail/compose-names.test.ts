/**
 * What a composed staff mail says about whom: the instance (name, case reference) in subject,
 * body and calendar, the greeting (by name, never by an address), the Reply-To as given, and who
 * has not confirmed. Real MIME, parsed back.
 */
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { composeNotificationEmail, type NotificationEmailInput } from "../../shared/mail/compose.ts";

function input(overrides: Partial<NotificationEmailInput> = {}): NotificationEmailInput {
  return {
    language: "da",
    kind: "reminder",
    workflowTitle: { da: "Ansøgning – afgørelse", en: "Application – decision" },
    milestoneTitle: { da: "Afgørelse på ansøgningen", en: "Decision on the application" },
    dueAt: "2024-10-28T22:59:00Z",
    timezone: "Europe/Copenhagen",
    now: "2024-10-14T06:00:00Z",
    recipient: { name: "Hanne Jensen", email: "hanne.jensen@ishoj.dk" },
    contact: { name: "Teamleder", email: "teamleder@ishoj.dk" },
    from: "fristflow@ishoj.dk",
    organisationName: "Ishøj Kommune",
    instanceId: "ansoegningsfrist-1",
    occurrenceKey: "afgoerelse/-/0",
    notificationKey: "afgoerelse/-/0#reminder#P14D",
    instance: {
      name: "Trappelift til Karen",
      identifiers: [{ name: "caseRef", label: "Sagsnummer", value: "SAG-7" }],
    },
    ...overrides,
  };
}

describe("a staff mail names the instance and the people", () => {
  it("puts the name and the case reference in the subject, the body and the calendar", async () => {
    // Act
    const composed = await composeNotificationEmail(input());
    const mail = await simpleParser(composed.raw);
    // Assess
    expect(mail.subject).toBe(
      "Påmindelse: Afgørelse på ansøgningen – Trappelift til Karen (Sagsnummer: SAG-7) – frist 28.10.2024",
    );
    expect(mail.text).toContain("Kære Hanne Jensen,");
    expect(mail.text).toContain("Forløb: Trappelift til Karen\nSagsnummer: SAG-7");
    expect(mail.html).toContain("Forløb: Trappelift til Karen<br>Sagsnummer: SAG-7");
    const ics =
      mail.attachments.find((a) => a.contentType === "text/calendar")?.content.toString("utf8") ?? "";
    expect(ics.replace(/\r\n[ \t]/g, "")).toContain(
      "SUMMARY:Afgørelse på ansøgningen – Trappelift til Karen (Sagsnummer: SAG-7)",
    );
  });

  it("never greets by an address, and greets neutrally in either language", async () => {
    // Act
    const da = await simpleParser(
      (
        await composeNotificationEmail(
          input({ recipient: { name: "hanne.jensen@ishoj.dk", email: "hanne.jensen@ishoj.dk" } }),
        )
      ).raw,
    );
    const en = await simpleParser(
      (
        await composeNotificationEmail(
          input({ language: "en", recipient: { email: "hanne.jensen@ishoj.dk" } }),
        )
      ).raw,
    );
    // Assess
    expect(da.text?.split("\n")).toContain("Hej,");
    expect(da.text).not.toContain("Kære hanne");
    expect(en.text?.split("\n")).toContain("Dear colleague,");
    expect(en.subject).toBe(
      "Reminder: Decision on the application – Trappelift til Karen (Sagsnummer: SAG-7) – due 28 Oct 2024",
    );
  });

  it("sets the Reply-To it is given, none for null, and invites replies only with one", async () => {
    // Act
    const given = await simpleParser(
      (
        await composeNotificationEmail(
          input({ replyTo: { name: "Ishøj Kommune", email: "borgerservice@ishoj.dk" } }),
        )
      ).raw,
    );
    const none = await simpleParser((await composeNotificationEmail(input({ replyTo: null }))).raw);
    // Assess
    expect(given.replyTo?.value).toEqual([{ name: "Ishøj Kommune", address: "borgerservice@ishoj.dk" }]);
    expect(given.text).toContain("Du kan også svare direkte på denne mail.");
    expect(none.replyTo).toBeUndefined();
    expect(none.headers.has("reply-to")).toBe(false);
    expect(none.text).not.toContain("svare direkte");
  });

  it("an escalation names who has not confirmed; a reminder does not", async () => {
    // Prepare
    const who = { name: "Mette Hansen", email: "mette.hansen@ishoj.dk", unit: "Vejleåskolen" };
    // Act
    const escalation = await composeNotificationEmail(
      input({ kind: "escalation", now: "2024-10-30T07:00:00Z", escalationLevel: 1, notConfirmedBy: who }),
    );
    const unitOnly = await composeNotificationEmail(
      input({ kind: "escalation", now: "2024-10-30T07:00:00Z", notConfirmedBy: { unit: "Vejleåskolen" } }),
    );
    const reminder = await composeNotificationEmail(input({ notConfirmedBy: who }));
    // Assess
    expect(escalation.text).toContain(
      "Milepælen mangler at blive bekræftet af Mette Hansen (mette.hansen@ishoj.dk), leder af Vejleåskolen.",
    );
    expect(unitOnly.text).toContain("Milepælen mangler at blive bekræftet af lederen af Vejleåskolen.");
    expect(reminder.text).not.toContain("mangler at blive bekræftet");
  });
});
