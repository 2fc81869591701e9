import { type ParsedMail, simpleParser } from "mailparser";
import * as nodeIcal from "node-ical";
import { describe, expect, it } from "vitest";
import { composeNotificationEmail, type NotificationEmailInput } from "../../shared/mail/compose.ts";
import { calendarUid } from "../../shared/mail/ics.ts";
import type { Language } from "../../shared/model/schema.ts";

const CONFIRM_URL =
  "https://fristflow.ishoj.dk/confirm/q83vEjRWeJq83vEjRWeJqw?sig=A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v";
const DUE = "2024-10-31T22:59:00Z"; // Thursday 31 October 2024, 23:59 in Copenhagen (CET, after the DST change)

function input(overrides: Partial<NotificationEmailInput> = {}): NotificationEmailInput {
  return {
    language: "da",
    kind: "reminder",
    workflowTitle: {
      da: "Stærke fællesskaber for alle børn og unge",
      en: "Strong communities for all children",
    },
    milestoneTitle: { da: "Lokal handleplan", en: "Local action plan" },
    milestoneDescription: {
      da: "Handleplanen beskriver skolens indsatser.",
      en: "The plan describes the school's actions.",
    },
    unitName: "Vejleåskolen",
    dueAt: DUE,
    timezone: "Europe/Copenhagen",
    now: "2024-10-28T07:00:00Z",
    recipient: { name: "Mette Hansen", email: "mette.hansen@ishoj.dk" },
    contact: { name: "Lars Jensen", email: "lars.jensen@ishoj.dk" },
    confirmUrl: CONFIRM_URL,
    from: "fristflow@ishoj.dk",
    organisationName: "Ishøj Kommune",
    instanceId: "ishoej-staerke-faellesskaber",
    occurrenceKey: "lokal-handleplan/vejleaa/0",
    notificationKey: "lokal-handleplan/vejleaa/0#reminder#P3D",
    ...overrides,
  };
}

async function parse(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw);
}

function calendarEvent(mail: ParsedMail): nodeIcal.VEvent {
  const attachment = mail.attachments.find((a) => a.contentType === "text/calendar");
  if (!attachment) throw new Error("no text/calendar attachment");
  const events = Object.values(nodeIcal.sync.parseICS(attachment.content.toString("utf8"))).filter(
    (c): c is nodeIcal.VEvent => c.type === "VEVENT",
  );
  expect(events).toHaveLength(1);
  const [event] = events;
  if (!event) throw new Error("unreachable");
  return event;
}

interface StaffCase {
  language: Language;
  kind: "reminder" | "escalation" | "activated";
  now: string;
  level?: number;
  subject: string;
  milestone: string;
  longDue: string;
  relative: string;
}

const staffCases: StaffCase[] = [
  {
    language: "da",
    kind: "reminder",
    now: "2024-10-28T07:00:00Z",
    subject: "Påmindelse: Lokal handleplan – frist 31.10.2024",
    milestone: "Lokal handleplan",
    longDue: "torsdag den 31. oktober 2024 kl. 23:59",
    relative: "3 dage tilbage",
  },
  {
    language: "en",
    kind: "reminder",
    now: "2024-10-28T07:00:00Z",
    subject: "Reminder: Local action plan – due 31 Oct 2024",
    milestone: "Local action plan",
    longDue: "Thursday, 31 October 2024 at 23:59",
    relative: "3 days left",
  },
  {
    language: "da",
    kind: "escalation",
    now: "2024-11-02T09:00:00Z",
    level: 2,
    subject: "Frist overskredet (rykker 2): Lokal handleplan – frist 31.10.2024",
    milestone: "Lokal handleplan",
    longDue: "torsdag den 31. oktober 2024 kl. 23:59",
    relative: "2 dage over fristen",
  },
  {
    language: "en",
    kind: "escalation",
    now: "2024-11-02T09:00:00Z",
    level: 1,
    subject: "Overdue: Local action plan – due 31 Oct 2024",
    milestone: "Local action plan",
    longDue: "Thursday, 31 October 2024 at 23:59",
    relative: "2 days overdue",
  },
  {
    language: "da",
    kind: "activated",
    now: "2024-10-17T06:00:00Z",
    subject: "Din milepæl er den næste: Lokal handleplan – frist 31.10.2024",
    milestone: "Lokal handleplan",
    longDue: "torsdag den 31. oktober 2024 kl. 23:59",
    relative: "14 dage tilbage",
  },
  {
    language: "en",
    kind: "activated",
    now: "2024-10-31T08:00:00Z",
    subject: "Your milestone is next: Local action plan – due 31 Oct 2024",
    milestone: "Local action plan",
    longDue: "Thursday, 31 October 2024 at 23:59",
    relative: "today",
  },
];

describe("composeNotificationEmail for staff", () => {
  for (const c of staffCases) {
    it(`${c.kind} in ${c.language}: subject, both bodies, headers and the confirm link survive MIME`, async () => {
      // Prepare
      const mailInput = input({
        language: c.language,
        kind: c.kind,
        now: c.now,
        ...(c.level ? { escalationLevel: c.level } : {}),
      });

      // Act
      const composed = await composeNotificationEmail(mailInput);
      const mail = await parse(composed.raw);

      // Assess
      expect(mail.subject).toBe(c.subject);
      expect(composed.subject).toBe(c.subject);
      for (const body of [mail.text ?? "", mail.html || ""]) {
        expect(body).toContain(c.milestone);
        expect(body).toContain(c.longDue);
        expect(body).toContain(c.relative);
        expect(body).toContain("Lars Jensen");
        expect(body).toContain("lars.jensen@ishoj.dk");
        expect(body).toContain("Vejleåskolen");
      }
      expect(mail.text).toContain(`\n${CONFIRM_URL}\n`);
      expect(mail.html).toContain(`href="${CONFIRM_URL}"`);
      expect(mail.html).toContain(`<html lang="${c.language}">`);
      expect(mail.html).not.toMatch(/<script|<img/i);
      expect(mail.from?.value).toEqual([{ name: "Ishøj Kommune", address: "fristflow@ishoj.dk" }]);
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([
        { name: "Mette Hansen", address: "mette.hansen@ishoj.dk" },
      ]);
      expect(mail.replyTo?.value).toEqual([{ name: "Lars Jensen", address: "lars.jensen@ishoj.dk" }]);
      expect(mail.headers.get("auto-submitted")).toBe("auto-generated");
      expect(mail.messageId).toBe(composed.messageId);
      expect(mail.date?.toISOString()).toBe(new Date(c.now).toISOString());
    });
  }

  it("escalations say which escalation it is", async () => {
    // Act
    const composed = await composeNotificationEmail(
      input({ kind: "escalation", now: "2024-11-08T09:00:00Z", escalationLevel: 3 }),
    );

    // Assess
    expect(composed.text).toContain("Dette er rykker nr. 3.");
    expect(composed.text).toContain("8 dage over fristen");
  });

  it("attaches an .ics event at the deadline with a UID that is the same for every mail about the occurrence", async () => {
    // Prepare
    const reminder = input({ kind: "reminder", now: "2024-10-17T06:00:00Z", notificationKey: "k1" });
    const laterEscalation = input({ kind: "escalation", now: "2024-11-02T09:00:00Z", notificationKey: "k2" });

    // Act
    const first = calendarEvent(await parse((await composeNotificationEmail(reminder)).raw));
    const second = calendarEvent(await parse((await composeNotificationEmail(laterEscalation)).raw));

    // Assess
    expect(first.start.toISOString()).toBe("2024-10-31T22:59:00.000Z");
    expect(first.summary).toBe("Lokal handleplan");
    expect(first.description).toContain(CONFIRM_URL);
    expect(first.uid).toBe(
      calendarUid("ishoej-staerke-faellesskaber", "lokal-handleplan/vejleaa/0", "staff"),
    );
    expect(second.uid).toBe(first.uid);
    expect(second.dtstamp.toISOString()).toBe("2024-11-02T09:00:00.000Z");
  });

  it("gives another occurrence another calendar UID", async () => {
    // Act
    const a = calendarEvent(await parse((await composeNotificationEmail(input())).raw));
    const b = calendarEvent(
      await parse(
        (await composeNotificationEmail(input({ occurrenceKey: "lokal-handleplan/vejleaa/1" }))).raw,
      ),
    );

    // Assess
    expect(b.uid).not.toBe(a.uid);
  });

  it("derives the Message-ID from the notification key, so a retried send repeats it", async () => {
    // Act
    const a = await composeNotificationEmail(input());
    const again = await composeNotificationEmail(input({ now: "2024-10-28T07:05:00Z" }));
    const other = await composeNotificationEmail(
      input({ notificationKey: "lokal-handleplan/vejleaa/0#reminder#P0D" }),
    );

    // Assess
    expect(a.messageId).toMatch(/^<[0-9a-f]{40}@ishoj\.dk>$/);
    expect(again.messageId).toBe(a.messageId);
    expect(other.messageId).not.toBe(a.messageId);
  });

  it("falls back to Danish for texts without English, and takes a random Message-ID without a key", async () => {
    // Prepare
    const mailInput = input({
      language: "en",
      milestoneTitle: "Årlig status til udvalget",
      notificationKey: undefined,
      randomBytes: (n) => Buffer.alloc(n, 0xcd),
    });

    // Act
    const composed = await composeNotificationEmail(mailInput);

    // Assess
    expect(composed.subject).toBe("Reminder: Årlig status til udvalget – due 31 Oct 2024");
    expect(composed.text).toContain("Strong communities for all children");
    expect(composed.messageId).toBe(`<${"cd".repeat(20)}@ishoj.dk>`);
  });

  it("without a confirm link says whom to tell instead of showing a button", async () => {
    // Act
    const composed = await composeNotificationEmail(input({ confirmUrl: undefined }));

    // Assess
    expect(composed.html).not.toContain('<a href="http');
    expect(composed.text).toContain("Kontakt den ansvarlige i forvaltningen");
  });

  it("refuses a confirm link that is not an absolute http(s) URL", async () => {
    // Act / Assess
    await expect(composeNotificationEmail(input({ confirmUrl: "javascript:alert(1)" }))).rejects.toThrow(
      /http/,
    );
    await expect(composeNotificationEmail(input({ confirmUrl: "/confirm/abc?sig=x" }))).rejects.toThrow(
      /absolute/,
    );
  });
});

describe("composeNotificationEmail escapes user text in HTML", () => {
  it("delivers markup in titles as text, not as tags", async () => {
    // Prepare
    const mailInput = input({
      milestoneTitle: "<script>alert(1)</script>",
      workflowTitle: 'Tom & "Jerry"',
      unitName: "<b>Skolen</b>",
      milestoneDescription: "<img src=x onerror=alert(2)>",
      contact: { name: "<i>Lars</i>", email: "lars.jensen@ishoj.dk" },
      confirmUrl: 'https://fristflow.ishoj.dk/confirm/abc?sig=def&x="><script>',
    });

    // Act
    const composed = await composeNotificationEmail(mailInput);
    const mail = await parse(composed.raw);
    const html = mail.html || "";

    // Assess
    expect(html).not.toMatch(/<script|<img|<b>|<i>|onerror=alert\(2\)>/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("Tom &amp; &quot;Jerry&quot;");
    expect(html).toContain("&lt;b&gt;Skolen&lt;/b&gt;");
    expect(html).toContain(
      'href="https://fristflow.ishoj.dk/confirm/abc?sig=def&amp;x=&quot;&gt;&lt;script&gt;"',
    );
    expect(mail.text).toContain("»<script>alert(1)</script>«");
    expect(mail.subject).toBe("Påmindelse: <script>alert(1)</script> – frist 31.10.2024");
  });
});

describe("composeNotificationEmail renders the HTML blocks", () => {
  it("keeps a description's line breaks as <br>, each line escaped, and links the contact's first address", async () => {
    // Prepare: a contact without a name is named by the address, which then appears twice.
    const mailInput = input({
      milestoneDescription: "Trin 1 & 2\r\nTrin <3>\nTrin 4",
      contact: { name: "o'hara@ishoj.dk", email: "o'hara@ishoj.dk" },
    });

    // Act
    const composed = await composeNotificationEmail(mailInput);
    const mail = await parse(composed.raw);
    const html = mail.html || "";

    // Assess
    expect(html).toContain("<br>Trin 1 &amp; 2<br>Trin &lt;3&gt;<br>Trin 4</p>");
    expect(html.match(/href="mailto:/g)).toHaveLength(1);
    expect(html).toContain(
      'Kontakt <a href="mailto:o&#39;hara@ishoj.dk" style="color:#1d4ed8;">o&#39;hara@ishoj.dk</a> (o&#39;hara@ishoj.dk).',
    );
    expect(composed.html.endsWith("</div></div></body></html>\n")).toBe(true);
  });
});

describe("composeNotificationEmail for a citizen notice", () => {
  const expected = "2024-11-29T10:00:00Z"; // Friday 29 November 2024, 11:00 in Copenhagen

  for (const [language, subject, longDue, longExpected] of [
    [
      "da",
      "Din sag 2024-1234: forventet afgørelse senest 29.11.2024",
      "torsdag den 31. oktober 2024 kl. 23:59",
      "fredag den 29. november 2024 kl. 11:00",
    ],
    [
      "en",
      "Your case 2024-1234: expect a decision by 29 Nov 2024",
      "Thursday, 31 October 2024 at 23:59",
      "Friday, 29 November 2024 at 11:00",
    ],
  ] as const) {
    it(`in ${language}: says when to expect a decision, whom to ask, and nothing internal`, async () => {
      // Prepare
      const mailInput = input({
        language,
        kind: "notice",
        now: "2024-10-24T08:00:00Z",
        recipient: { email: "borger@example.dk" },
        expectedDecisionAt: expected,
        caseReference: "2024-1234",
        milestoneTitle: "Intern afgørelse (teamleder)",
        workflowTitle: "Sagsbehandlingsfrist, ansøgning",
        unitName: "Team Familie Øst",
      });

      // Act
      const composed = await composeNotificationEmail(mailInput);
      const mail = await parse(composed.raw);
      const event = calendarEvent(mail);

      // Assess
      expect(mail.subject).toBe(subject);
      for (const body of [mail.text ?? "", mail.html || ""]) {
        expect(body).toContain(longDue);
        expect(body).toContain(longExpected);
        expect(body).toContain("Lars Jensen");
        expect(body).toContain("lars.jensen@ishoj.dk");
        expect(body).toContain("2024-1234");
        expect(body).toContain("Ishøj Kommune");
        expect(body).not.toContain("Intern afgørelse");
        expect(body).not.toContain("Sagsbehandlingsfrist");
        expect(body).not.toContain("Team Familie Øst");
        expect(body).not.toContain("/confirm/");
      }
      expect(event.start.toISOString()).toBe("2024-11-29T10:00:00.000Z");
      expect(event.uid).toBe(
        calendarUid("ishoej-staerke-faellesskaber", "lokal-handleplan/vejleaa/0", "citizen"),
      );
      expect(JSON.stringify(event)).not.toContain("/confirm/");
      expect(event.summary).not.toContain("Intern afgørelse");
    });
  }
});
