import * as nodeIcal from "node-ical";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachmentFile } from "../../shared/dashboard/outbox/routes.ts";
import type { Harness } from "../http/harness.ts";
import { type Client, visibleText } from "./client.ts";
import { adminHarness, storeReminder } from "./fixtures.ts";

let h: Harness;
let admin: Client;

beforeAll(async () => {
  ({ h, admin } = await adminHarness());
});
afterAll(async () => {
  await h.close();
});

describe("the outbox", () => {
  it("is in the menu only once there is mail, and lists the mail newest first", async () => {
    // Arrange
    const before = await admin.get("/");
    await storeReminder(h, {
      confirmUrl: `${h.url}/confirm/old?sig=a`,
      instanceId: "i-1",
      at: "2024-05-01T06:00:00Z",
    });
    await storeReminder(h, {
      confirmUrl: `${h.url}/confirm/new?sig=b`,
      instanceId: "i-2",
      at: "2024-05-02T06:00:00Z",
    });
    // Act
    const after = await admin.get("/");
    const list = await admin.get("/outbox");
    // Assess
    expect(before.text).not.toContain('href="/outbox"');
    expect(after.text).toContain('<a href="/outbox">Udbakke</a>');
    const text = visibleText(list.text);
    expect(text).toContain("Udbakke");
    expect(text.indexOf("02.05.2024")).toBeLessThan(text.indexOf("01.05.2024"));
    expect(text).toContain("bo@skole-b.example.dk");
    expect(text).toContain("Statusrapport");
  });

  it("renders a mail: subject, recipient, date, the HTML in a sandboxed frame with its links, the text part", async () => {
    // Arrange
    const confirmUrl = `${h.url}/confirm/abc123?sig=zzz`;
    const messageId = await storeReminder(h, { confirmUrl, instanceId: "i-3", at: "2024-05-03T06:00:00Z" });
    // Act
    const page = await admin.get(`/outbox/${encodeURIComponent(messageId)}`);
    // Assess
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<h1>[^<]*Statusrapport[^<]*<\/h1>/);
    expect(visibleText(page.text)).toContain("Til Bo Leder <bo@skole-b.example.dk>");
    const frame = /<iframe class="mail"[^>]*>/.exec(page.text)?.[0] ?? "";
    expect(frame).toContain('sandbox="allow-popups allow-popups-to-escape-sandbox"');
    expect(frame).not.toContain("allow-scripts");
    expect(frame).not.toContain("allow-same-origin");
    expect(frame).toContain("&lt;base target=&quot;_blank&quot;&gt;");
    expect(frame).toContain(confirmUrl);
    expect(page.text).toMatch(new RegExp(`<a href="${confirmUrl.replace(/[?]/g, "\\?")}" target="_blank"`));
    const policy = page.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("style-src-attr 'unsafe-inline'");
    expect(policy).not.toContain("script-src");
    expect(visibleText(page.text)).toContain("Vedhæftninger");
  });

  it("serves a mail's .ics attachment from a link on the mail: a calendar whose event starts at the deadline", async () => {
    // Arrange
    const messageId = await storeReminder(h, {
      confirmUrl: `${h.url}/confirm/ics1?sig=yyy`,
      instanceId: "i-4",
      at: "2024-05-04T06:00:00Z",
    });
    const mailAddress = `/outbox/${encodeURIComponent(messageId)}`;
    const page = await admin.get(mailAddress);
    const link = /<a href="([^"]*\/attachments\/[^"]*)"/.exec(page.text)?.[1];
    // Act
    const file = await admin.get(link ?? "/missing-link");
    // Assess
    expect(link).toBe(`${mailAddress}/attachments/1`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="[A-Za-z0-9._-]+\.ics"/);
    expect(file.text).toMatch(/^BEGIN:VCALENDAR\r?\n/);
    expect(file.text).toContain("DTSTART");
    const events = Object.values(nodeIcal.sync.parseICS(file.text)).filter(
      (c): c is nodeIcal.VEvent => c.type === "VEVENT",
    );
    expect(events.map((e) => e.start.toISOString())).toEqual(["2024-06-01T21:59:00.000Z"]);
  });

  it.each([
    ["0", "numbers start at 1"],
    ["2", "the mail has one attachment"],
    ["01", "a leading zero"],
    ["-1", "a sign"],
    ["1.0", "not a whole number"],
    ["abc", "not a number"],
    ["1000", "too many digits"],
  ])("refuses the attachment number %s (%s) with a 404 page", async (n) => {
    const messageId = await storeReminder(h, {
      confirmUrl: `${h.url}/confirm/ics2?sig=xxx`,
      instanceId: "i-5",
      at: "2024-05-05T06:00:00Z",
    });
    const page = await admin.get(`/outbox/${encodeURIComponent(messageId)}/attachments/${n}`);
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(visibleText(page.text)).toContain("Siden findes ikke");
  });

  it("answers an attachment of an unknown mail with a 404 page", async () => {
    const page = await admin.get("/outbox/%3Cnope%40example%3E/attachments/1");
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toContain("text/html");
  });

  it("answers an unknown mail with a 404 page", async () => {
    const page = await admin.get("/outbox/%3Cnope%40example%3E");
    expect(page.status).toBe(404);
  });
});

describe("an attachment's headers", () => {
  it("serves a calendar as UTF-8 text/calendar and anything else only as a download, with a safe file name", () => {
    const calendar = attachmentFile({ filename: "frist æøå.ics", contentType: "text/calendar" }, 1);
    const other = attachmentFile({ filename: 'x"; y.html', contentType: "text/html" }, 2);
    const unnamed = attachmentFile({ filename: "", contentType: "TEXT/CALENDAR; method=PUBLISH" }, 3);
    expect(calendar).toEqual({
      contentType: "text/calendar; charset=utf-8",
      disposition: `attachment; filename="frist____.ics"; filename*=UTF-8''frist%20%C3%A6%C3%B8%C3%A5.ics`,
    });
    expect(other.contentType).toBe("application/octet-stream");
    expect(other.disposition).toMatch(
      /^attachment; filename="x___y.html"; filename\*=UTF-8''x%22%3B%20y.html$/,
    );
    expect(unnamed.disposition).toMatch(/^attachment; filename="attachment-3.ics"/);
  });
});
