/**
 * The local outbox lists each mail by the Subject it reads from the header block alone: the same
 * subject as parsing the whole message, for a composed mail with Danish letters and a subject long
 * enough to be folded, and for a plain one without a body.
 */
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { subjectOf } from "../../infra/local/mail-subject.ts";
import { composeNotificationEmail } from "../../shared/mail/compose.ts";

describe("the local outbox's subject", () => {
  it("is the subject of the whole parsed message, encoded words and folding included", async () => {
    // Arrange
    const composed = await composeNotificationEmail({
      language: "da",
      kind: "escalation",
      workflowTitle: { da: "Børnefaglig undersøgelse – § 50", en: "Child assessment" },
      milestoneTitle: { da: "Afslutning af børnefaglig undersøgelse (særlig støtte)", en: "Close" },
      dueAt: "2024-10-28T22:59:00Z",
      timezone: "Europe/Copenhagen",
      now: "2024-10-29T06:00:00Z",
      recipient: { name: "Søren Ærø", email: "soren.aero@ishoj.dk" },
      contact: { name: "Teamleder", email: "teamleder@ishoj.dk" },
      from: "fristflow@ishoj.dk",
      organisationName: "Ishøj Kommune",
      instanceId: "bfu-1",
      occurrenceKey: "afslutning/-/0",
      notificationKey: "afslutning/-/0#escalation#P1D",
      instance: {
        name: "Åse Øster-Ærenlund",
        identifiers: [{ name: "caseRef", label: "Sagsnummer", value: "SAG-2024-000017" }],
      },
    });
    const raw = composed.raw.toString("utf8");
    const whole = (await simpleParser(raw)).subject;
    // Act
    const subject = await subjectOf(raw);
    // Assess
    expect(whole).toContain("Åse Øster-Ærenlund");
    expect(subject).toBe(whole);
  });

  it("reads a message that is all header, and one without a subject as empty", async () => {
    // Act
    const onlyHeader = await subjectOf("Subject: =?UTF-8?Q?P=C3=A5mindelse?=\r\nTo: a@b.dk\r\n");
    const none = await subjectOf("To: a@b.dk\r\n\r\nSubject: not a header\r\n");
    // Assess
    expect(onlyHeader).toBe("Påmindelse");
    expect(none).toBe("");
  });
});
