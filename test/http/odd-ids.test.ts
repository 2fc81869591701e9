/**
 * The bad-input suite's odd ids (test/hardening/tables.ts) against the real DynamoDB table: the
 * suite runs on the in-memory stores, where any id is a plain miss, but DynamoDB refuses a key
 * over its size limit with a ValidationException. A route that lets such an id through to the
 * table answers 500 here, and only here; each must be a 403 or 404 before it gets that far.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "../dashboard/client.ts";
import { ODD_IDS } from "../hardening/tables.ts";
import { type Harness, instanceWithLinks, startHarness, UNITS } from "./harness.ts";

let h: Harness;
let admin: Client;
let runningId = "";

beforeAll(async () => {
  h = await startHarness();
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  admin = new Client(h);
  await admin.login();
  runningId = (await instanceWithLinks(h)).instanceId;
});

afterAll(async () => {
  await h?.close();
});

const status = async (path: string) => (await fetch(`${h.url}${path}`)).status;

describe.each(ODD_IDS)("an id with %s, on DynamoDB", (_what, id) => {
  it("is refused by the confirm link, the calendar feed and the outbox, never a 500", async () => {
    // Act
    const answers = {
      confirmId: await status(`/confirm/${id}?sig=${"A".repeat(43)}`),
      confirmSig: await status(`/confirm/abc?sig=${id}`),
      feedInstance: await status(`/instances/${id}/deadlines.ics?key=x`),
      feedKey: await status(`/instances/${runningId}/deadlines.ics?key=${id}`),
      outbox: (await admin.get(`/outbox/${id}`)).status,
    };
    // Assess
    for (const [where, answer] of Object.entries(answers)) {
      expect([403, 404], `${where}: ${answer}`).toContain(answer);
    }
    expect(answers.outbox).toBe(404);
    expect(h.logs.filter((l) => l.level === "error")).toEqual([]);
  });
});
