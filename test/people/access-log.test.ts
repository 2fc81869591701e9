/**
 * The access log's pure parts and its HTTP behaviour over the in-memory stores: the TTL value, the
 * retention setting, entries of instances without a case reference, the CSV's BOM, separator and
 * quoting as Danish Excel reads them, and a view that fails (503) when its entry cannot be written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessEntry,
  accessLogDaysFrom,
  caseRefOf,
  DEFAULT_ACCESS_LOG_DAYS,
  expiresAtOf,
  USER_AGENT_LENGTH,
} from "../../shared/app/access-log.ts";
import { accessLogCsv, defuse, localTime } from "../../shared/dashboard/access-log/csv.ts";
import { feedSignature } from "../../shared/dashboard/auth/session.ts";
import { accessLogPartitionOf } from "../../shared/store/keys.ts";
import type { AccessLogEntry } from "../../shared/store/records.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { Client } from "../dashboard/client.ts";
import { ADMIN_TOKEN, instanceWithLinks, startAppHarness } from "../http/app-harness.ts";
import { type MemoryHarness, startMemoryHarness } from "../http/memory-harness.ts";
import { createMemoryTable } from "../support/memory.ts";

const DAY = 24 * 60 * 60;
const AT = "2024-05-01T06:00:00Z";
const from = { address: "192.0.2.7", userAgent: "Mozilla/5.0" };

describe("the entry", () => {
  it("expires after the retention, in epoch seconds; six months at the least by default", () => {
    expect(DEFAULT_ACCESS_LOG_DAYS).toBe(184);
    expect(expiresAtOf(AT)).toBe(Date.parse(AT) / 1000 + 184 * DAY);
    expect(expiresAtOf(AT, 30)).toBe(Date.parse(AT) / 1000 + 30 * DAY);
    // A fraction of a second rounds up: never a second early.
    expect(expiresAtOf("2024-05-01T06:00:00.200Z", 1)).toBe(Date.parse(AT) / 1000 + 1 + DAY);
    // The longest six months (1 July to 1 January) fit.
    expect(expiresAtOf("2024-07-01T00:00:00Z")).toBeGreaterThanOrEqual(
      Date.parse("2025-01-01T00:00:00Z") / 1000,
    );
  });

  it("reads the retention from FRISTFLOW_ACCESS_LOG_DAYS, refusing what is not a number of days", () => {
    expect(accessLogDaysFrom({})).toBeUndefined();
    expect(accessLogDaysFrom({ FRISTFLOW_ACCESS_LOG_DAYS: "" })).toBeUndefined();
    expect(accessLogDaysFrom({ FRISTFLOW_ACCESS_LOG_DAYS: "365" })).toBe(365);
    for (const bad of ["0", "-3", "6 months", "99999"]) {
      expect(() => accessLogDaysFrom({ FRISTFLOW_ACCESS_LOG_DAYS: bad })).toThrow(
        /FRISTFLOW_ACCESS_LOG_DAYS/,
      );
    }
  });

  it("names no case for an instance without a case reference, and is then keyed by the instance", () => {
    const who = { kind: "user" as const, id: "vera", name: "Vera Læser" };
    const instance = { instanceId: "plain-1", workflowId: "plain", params: { sag: "x" } };
    const plain = accessEntry({ who, view: "instance-page", instance, from }, AT);
    expect(plain).not.toHaveProperty("caseRef");
    expect(plain).toMatchObject({ instanceId: "plain-1", workflowId: "plain", address: "192.0.2.7" });
    expect(accessLogPartitionOf(plain)).toBe("ACCESS#INST#plain-1");
    // Blank or not text is no case reference either; a real one is trimmed and keys the entry.
    expect(caseRefOf({ caseRef: "  " })).toBeUndefined();
    expect(caseRefOf({ caseRef: 42 })).toBeUndefined();
    const cased = accessEntry(
      { who, view: "instance-report", instance: { ...instance, params: { caseRef: " UND-1 " } }, from },
      AT,
    );
    expect(cased.caseRef).toBe("UND-1");
    expect(accessLogPartitionOf(cased)).toMatch(/^ACCESS#CASE#/);
    const listed = accessEntry({ who, view: "api-instance-list", instance: null, from }, AT);
    expect(accessLogPartitionOf(listed)).toBe("ACCESS#DAY#2024-05-01");
  });

  it("cuts a long user agent short", () => {
    const entry = accessEntry(
      {
        who: { kind: "calendar-feed", id: "calendar-feed", name: "calendar feed" },
        view: "instance-feed",
        instance: null,
        from: { address: "", userAgent: "x".repeat(5000) },
      },
      AT,
    );
    expect(entry.userAgent).toHaveLength(USER_AGENT_LENGTH);
    expect(entry.userAgent.endsWith("…")).toBe(true);
  });
});

describe("the CSV", () => {
  const entry = (overrides: Partial<AccessLogEntry>): AccessLogEntry => ({
    id: "1",
    at: AT,
    expiresAt: 0,
    who: { kind: "user", id: "vera", name: "Vera Læser" },
    view: "instance-page",
    caseRef: "UND-1",
    instanceId: "und-1",
    workflowId: "und",
    address: "192.0.2.7",
    userAgent: "",
    ...overrides,
  });

  it("is UTF-8 with a BOM, semicolons and CRLF, Danish column names and Danish local time", () => {
    const csv = accessLogCsv([
      entry({}),
      entry({ who: { kind: "admin-token", id: "~admin", name: "admin token" }, view: "api-instance" }),
    ]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split("\r\n");
    expect(lines[0]).toBe("Tidspunkt;Medarbejder;Visning;Sag;Forløb;Adresse");
    // 06:00 UTC is 08:00 in Copenhagen in May (summer time).
    expect(lines[1]).toBe("2024-05-01 08:00:00;Vera Læser (vera);Forløbets side;UND-1;und-1;192.0.2.7");
    expect(lines[2]).toBe("2024-05-01 08:00:00;Administratortoken;API: forløbet;UND-1;und-1;192.0.2.7");
    expect(lines[3]).toBe("");
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(localTime("2024-12-01T06:00:00Z")).toBe("2024-12-01 07:00:00");
  });

  it("quotes a value with a semicolon or quote and defuses one Excel would run as a formula", () => {
    const csv = accessLogCsv([entry({ who: { kind: "user", id: "x", name: '=HYPERLINK("a;b")' } })]);
    expect(csv.split("\r\n")[1]).toBe(
      `2024-05-01 08:00:00;"'=HYPERLINK(""a;b"") (x)";Forløbets side;UND-1;und-1;192.0.2.7`,
    );
    expect(defuse("-1")).toBe("'-1");
    expect(defuse("Vera")).toBe("Vera");
  });
});

describe("over HTTP behind the deployment's own proxy", () => {
  it("names the address the proxy put last in X-Forwarded-For, not the proxy's", async () => {
    // Prepare
    const clock = new ManualClock(AT);
    const proxied = await startAppHarness(clock, await createMemoryTable({ clock }), (t) => t.snapshot(), {
      trustForwardedFor: true,
    });
    try {
      const { instanceId } = await instanceWithLinks(proxied);
      // Act: what the client wrote first, what the proxy appended last
      const read = await fetch(`${proxied.url}/api/instances/${instanceId}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "x-forwarded-for": "10.0.0.1, 198.51.100.9" },
      });
      // Assess
      expect(read.status).toBe(200);
      const entries = await proxied.table.stores.accessLog.forInstance(instanceId);
      expect(entries.map((e) => e.address)).toEqual(["198.51.100.9"]);
    } finally {
      await proxied.close();
    }
  });
});

describe("over HTTP", () => {
  let h: MemoryHarness;
  let instanceId: string;
  const api = (path: string) =>
    fetch(`${h.url}${path}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "user-agent": "script/1.0" },
    });

  beforeAll(async () => {
    h = await startMemoryHarness(AT);
    ({ instanceId } = await instanceWithLinks(h));
  });
  afterAll(async () => {
    await h.close();
  });

  it("records an API read of an instance without a case reference under the instance, and the list as one entry", async () => {
    // Act
    const read = await api(`/api/instances/${instanceId}`);
    const list = await api("/api/instances?status=running");
    // Assess
    expect(read.status).toBe(200);
    expect(list.status).toBe(200);
    const entries = await h.table.stores.accessLog.forInstance(instanceId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      view: "api-instance",
      who: { kind: "admin-token", id: "~admin" },
      workflowId: "skoleopfoelgning",
      address: "127.0.0.1",
      userAgent: "script/1.0",
      at: AT,
      expiresAt: Date.parse(AT) / 1000 + 184 * DAY,
    });
    expect(entries[0]?.requestId).toBe(read.headers.get("x-request-id"));
    expect(await h.table.stores.accessLog.forDay("2024-05-01")).toMatchObject([
      { view: "api-instance-list", detail: "1 instances (status=running)" },
    ]);
  });

  it("names the address as the attempt limits do: the socket's, not what a client writes in X-Forwarded-For", async () => {
    // Act
    const read = await fetch(`${h.url}/api/instances/${instanceId}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "x-forwarded-for": "198.51.100.9" },
    });
    // Assess
    expect(read.status).toBe(200);
    const entries = await h.table.stores.accessLog.forInstance(instanceId);
    expect(entries.at(-1)?.address).toBe("127.0.0.1");
  });

  it("names the calendar feed as who for a feed opened with its key, and refuses an empty export with 400", async () => {
    // Act
    const key = feedSignature(ADMIN_TOKEN, instanceId);
    const feed = await fetch(`${h.url}/instances/${instanceId}/deadlines.ics?key=${key}`, {
      headers: { "user-agent": "Calendar/1.0" },
    });
    const admin = new Client(h);
    await admin.login(ADMIN_TOKEN);
    const empty = await admin.get("/access-log.csv?caseRef=%20");
    // Assess
    expect(feed.status).toBe(200);
    const entries = await h.table.stores.accessLog.forInstance(instanceId);
    expect(entries.at(-1)).toMatchObject({
      view: "instance-feed",
      who: { kind: "calendar-feed", id: "calendar-feed" },
      userAgent: "Calendar/1.0",
    });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("Skriv et sagsnummer.");
  });

  it("fails the view with 503 when the entry cannot be written, and says so in the log", async () => {
    // Prepare
    const log = h.table.stores.accessLog;
    const record = log.record.bind(log);
    log.record = async () => {
      throw new Error("DynamoDB is unreachable (test)");
    };
    try {
      // Act
      const read = await api(`/api/instances/${instanceId}`);
      // Assess
      expect(read.status).toBe(503);
      const body = await read.text();
      expect(body).not.toContain("skoleopfoelgning-test");
      expect(
        h.logs.some(
          (l) => l.level === "error" && l.attributes.requestId === read.headers.get("x-request-id"),
        ),
      ).toBe(true);
    } finally {
      log.record = record;
    }
  });
});
