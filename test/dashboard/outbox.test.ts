import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

  it("answers an unknown mail with a 404 page", async () => {
    const page = await admin.get("/outbox/%3Cnope%40example%3E");
    expect(page.status).toBe(404);
  });
});
