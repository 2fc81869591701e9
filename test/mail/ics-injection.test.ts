/**
 * Issue 15, finding 9: a workflow title (or organisation name) with a line break must not add
 * properties or events to a calendar feed; every property is escaped as RFC 5545 says, and each
 * event has a duration and an alarm and links to the dashboard, never to a confirm link.
 */
import * as nodeIcal from "node-ical";
import { describe, expect, it } from "vitest";
import type { InstanceDetail } from "../../shared/app/admin.ts";
import { deadlineFeed } from "../../shared/dashboard/instances/feed.ts";
import { icsProdIdPart, icsText } from "../../shared/mail/ics-text.ts";

const INJECTION = "Plan\r\nEND:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Log ind her\r\nURL:https://phish.example";

function detail(workflowTitle: string, milestoneTitle = "Statusrapport"): InstanceDetail {
  return {
    instance: { instanceId: "i-1" },
    workflowTitle,
    identity: { name: workflowTitle, identifiers: [] },
    timezone: "Europe/Copenhagen",
    units: [
      {
        unit: { id: "skole-a", name: "Skole A\r\nATTENDEE:mailto:x@phish.example" },
        milestones: [
          {
            key: "status/skole-a/0",
            title: milestoneTitle,
            confirmable: true,
            dueAt: "2024-06-01T21:59:00Z",
            status: "open",
          },
        ],
      },
    ],
  } as unknown as InstanceDetail;
}

const feed = (title: string, organisation = "Ishøj Kommune", milestoneTitle?: string) =>
  deadlineFeed(detail(title, milestoneTitle), {
    organisation,
    instanceUrl: "https://frister.ishoj.dk/instances/i-1",
    now: "2024-05-01T06:00:00Z",
  });

/** Unfolded content lines (RFC 5545 3.1: a CRLF followed by a space continues the line). */
const lines = (text: string) => text.replace(/\r\n[ \t]/g, "").split("\r\n");

describe("the calendar feed against injection", () => {
  it.each([
    ["the workflow title", () => feed(INJECTION)],
    ["the organisation", () => feed("Plan", INJECTION)],
    ["the milestone title", () => feed("Plan", "Ishøj Kommune", INJECTION)],
    ["a bare LF", () => feed(INJECTION.replace(/\r\n/g, "\n"))],
    ["a bare CR", () => feed(INJECTION.replace(/\r\n/g, "\r"))],
  ])("a line break in %s adds no property and no event", (_, make) => {
    const text = make();
    const parsed = Object.values(nodeIcal.sync.parseICS(text));
    expect(parsed.filter((c) => c.type === "VEVENT")).toHaveLength(1);
    // Every content line is one the feed writes itself, and the calendar ends once, at the end.
    const names = lines(text).map((l) => /^[A-Z-]+/.exec(l)?.[0] ?? l);
    expect(names.filter((n) => n === "END")).toHaveLength(3); // VALARM, VEVENT, VCALENDAR
    expect(lines(text).at(-1) ?? lines(text).at(-2)).toMatch(/^(END:VCALENDAR)?$/);
    expect(text).not.toMatch(/^(SUMMARY:Log ind her|URL:https:\/\/phish|ATTENDEE)/m);
  });

  it("keeps the title readable: the calendar's name unescapes to the text with its line break", () => {
    const text = feed("Plan; 2024, del 1\\2\nnæste linje");
    const nameLine = lines(text).find((l) => l.startsWith("X-WR-CALNAME:"));
    expect(nameLine).toBe("X-WR-CALNAME:Plan\\; 2024\\, del 1\\\\2\\nnæste linje (Ishøj Kommune)");
  });

  it("gives each event a half-hour ending at the deadline and a display alarm a day before", () => {
    const text = feed("Plan");
    const event = Object.values(nodeIcal.sync.parseICS(text)).find((c) => c.type === "VEVENT");
    expect(event?.type === "VEVENT" && event.end?.toISOString()).toBe("2024-06-01T21:59:00.000Z");
    expect(event?.type === "VEVENT" && event.start.toISOString()).toBe("2024-06-01T21:29:00.000Z");
    expect(text).toContain("BEGIN:VALARM");
    expect(text).toContain("ACTION:DISPLAY");
    expect(text).toContain("TRIGGER:-P1D");
  });

  it("links to the dashboard page, never to a confirm link", () => {
    const text = feed("Plan");
    expect(text).toContain("URL;VALUE=URI:https://frister.ishoj.dk/instances/i-1");
    expect(text).not.toContain("/confirm/");
  });
});

describe("icsText and icsProdIdPart", () => {
  it.each([
    ["a\r\nb", "a\\nb"],
    ["a\nb", "a\\nb"],
    ["a;b,c\\d", "a\\;b\\,c\\\\d"],
    ["tab\there\u0000nul", "tab\there nul"],
    ["line\u2028sep", "line sep"],
  ])("icsText(%j) is %j", (input, expected) => {
    expect(icsText(input)).toBe(expected);
  });

  it("makes a PRODID part one line without slashes", () => {
    expect(icsProdIdPart("Ishøj//Kommune\r\nX:y")).toBe("Ishøj--Kommune X:y");
    expect(icsProdIdPart("\n")).toBe("fristflow");
  });
});
