/**
 * The "reopened" mail (an undone confirmation): composed as real MIME and parsed back. It names
 * the milestone, the workflow and the unit, says who undid the confirmation and why, and carries
 * a fresh confirm link; the reason a person typed arrives as text, never as markup.
 */
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { composeNotificationEmail, type NotificationEmailInput } from "../../shared/mail/compose.ts";

const CONFIRM_URL = "https://fristflow.ishoj.dk/confirm/q83vEjRWeJq83vEjRWeJqw?sig=A1b2C3d4E5f6G7h8I9j0K1l2";

function input(overrides: Partial<NotificationEmailInput> = {}): NotificationEmailInput {
  return {
    language: "da",
    kind: "reopened",
    workflowTitle: { da: "Stærke fællesskaber", en: "Strong communities" },
    milestoneTitle: { da: "Lokal handleplan", en: "Local action plan" },
    unitName: "Vejleåskolen",
    dueAt: "2024-10-31T22:59:00Z",
    timezone: "Europe/Copenhagen",
    now: "2024-10-02T06:00:00Z",
    recipient: { name: "Mette Hansen", email: "mette.hansen@ishoj.dk" },
    contact: { name: "Lars Jensen", email: "lars.jensen@ishoj.dk" },
    confirmUrl: CONFIRM_URL,
    from: "fristflow@ishoj.dk",
    organisationName: "Ishøj Kommune",
    instanceId: "ishoej-staerke-faellesskaber",
    occurrenceKey: "handleplan/vejleaa/0",
    notificationKey: "ishoej-staerke-faellesskaber/handleplan/vejleaa/0/reopened/2024-10-02T06:00:00Z",
    reopened: { byName: "Anna Andersen", reason: "Bekræftet ved en fejl <b>før</b> mødet" },
    ...overrides,
  };
}

describe("the reopened mail", () => {
  it("says in Danish whose confirmation of what was undone, by whom and why, with a confirm link", async () => {
    // Act
    const mail = await simpleParser((await composeNotificationEmail(input())).raw);
    // Assess
    expect(mail.subject).toBe("Din bekræftelse er fortrudt: Lokal handleplan – frist 31.10.2024");
    expect(mail.to).toMatchObject({ value: [{ address: "mette.hansen@ishoj.dk" }] });
    expect(mail.text).toContain(
      "Din bekræftelse af milepælen »Lokal handleplan« i »Stærke fællesskaber« for Vejleåskolen er fortrudt, så milepælen er åben igen.",
    );
    expect(mail.text).toContain("Det er gjort af Anna Andersen.");
    expect(mail.text).toContain("Begrundelse: Bekræftet ved en fejl <b>før</b> mødet");
    expect(mail.text).toContain("Når milepælen er nået, så bekræft den igen med ét klik:");
    expect(mail.text).toContain(CONFIRM_URL);
    // The typed reason is text in the HTML part, not markup
    expect(mail.html).toContain("Bekræftet ved en fejl &lt;b&gt;før&lt;/b&gt; mødet");
    expect(mail.html).not.toContain("<b>før</b>");
    expect(mail.html).toContain(`href="${CONFIRM_URL.replace("&", "&amp;")}"`);
  });

  it("says it in English, and names an administrator when no person's name is known", async () => {
    // Act
    const mail = await simpleParser(
      (
        await composeNotificationEmail(
          input({ language: "en", reopened: { byName: null, reason: "Confirmed by mistake" } }),
        )
      ).raw,
    );
    // Assess
    expect(mail.subject).toBe("Your confirmation was undone: Local action plan – due 31 Oct 2024");
    expect(mail.text).toContain(
      "Your confirmation of the milestone “Local action plan” in “Strong communities” for Vejleåskolen was undone, so the milestone is open again.",
    );
    expect(mail.text).toContain("It was done by an administrator.");
    expect(mail.text).toContain("Reason: Confirmed by mistake");
    expect(mail.text).toContain(CONFIRM_URL);
  });
});
