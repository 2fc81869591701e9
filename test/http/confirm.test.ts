import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { createConfirmLink } from "../../shared/links/index.ts";
import { countDynamoOps, type OpCount } from "../../shared/store/index.ts";
import {
  confirmUrl,
  type Harness,
  instanceWithLinks,
  LINK_KEY,
  park,
  pressConfirm,
  required,
  snapshot,
  startHarness,
} from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const STATUS_A = "status/skole-a/0";
const STATUS_B = "status/skole-b/0";
const PLAN = "plan/-/0";

describe("GET /confirm/:id", () => {
  it("shows what will be confirmed, with a button, and changes nothing (also when fetched 5 times)", async () => {
    // Prepare
    const { links } = await instanceWithLinks(h);
    const link = required(links.get(STATUS_A), "link");
    const before = await snapshot(h.table);
    // Act
    const responses = await Promise.all(Array.from({ length: 5 }, () => fetch(confirmUrl(h, link))));
    const pages = await Promise.all(responses.map((r) => r.text()));
    // Assess
    for (const r of responses) expect(r.status).toBe(200);
    const page = required(pages[0], "page");
    expect(page).toContain('<html lang="da">');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain("Statusrapport");
    expect(page).toContain("Opfølgning på skoler");
    expect(page).toContain("Skole A");
    expect(page).toContain("lørdag den 1. juni 2024 kl. 23:59");
    expect(page).toContain('<form method="post"');
    expect(page).toContain(`<input type="hidden" name="sig" value="${link.sig}">`);
    expect(page).toMatch(/<button type="submit">Bekræft<\/button>/);
    expect(page).not.toMatch(/<script|onload|http-equiv="refresh"|<link /i);
    expect(await snapshot(h.table)).toEqual(before);
    expect(h.wakes).toEqual([]);
  });

  it("sends the security headers", async () => {
    // Prepare
    const { links } = await instanceWithLinks(h);
    // Act
    const response = await fetch(confirmUrl(h, required(links.get(STATUS_A), "link")));
    const page = await response.text();
    // Assess
    const csp = required(response.headers.get("content-security-policy"), "CSP");
    // The policy names exactly the stylesheet the page carries.
    const style = required(/<style>([^<]*)<\/style>/.exec(page)?.[1], "style");
    expect(csp).toContain(`'sha256-${createHash("sha256").update(style).digest("base64")}'`);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/form-action 'self'/);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-type")).toMatch(/^text\/html; charset=utf-8/i);
  });

  it("speaks English with ?lang=en or an English Accept-Language", async () => {
    // Prepare
    const { links } = await instanceWithLinks(h);
    const link = required(links.get(STATUS_A), "link");
    // Act
    const byQuery = await (await fetch(confirmUrl(h, link, "&lang=en"))).text();
    const byHeader = await (
      await fetch(confirmUrl(h, link), { headers: { "accept-language": "en-GB,en;q=0.9" } })
    ).text();
    const danishBrowser = await (
      await fetch(confirmUrl(h, link), { headers: { "accept-language": "da-DK,da;q=0.9,en;q=0.8" } })
    ).text();
    // Assess
    for (const page of [byQuery, byHeader]) {
      expect(page).toContain('<html lang="en">');
      expect(page).toContain("Status report");
      expect(page).toContain("School follow-up");
      expect(page).toContain(">Confirm</button>");
    }
    expect(danishBrowser).toContain('<html lang="da">');
  });

  it("escapes a milestone title with markup: it arrives as text", async () => {
    // Prepare
    const { links } = await instanceWithLinks(h);
    // Act
    const page = await (await fetch(confirmUrl(h, required(links.get(PLAN), "link")))).text();
    // Assess
    expect(page).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; plan");
    expect(page).not.toContain("<script");
  });
});

describe("POST /confirm/:id", () => {
  it("confirms once, records who and from which link, and wakes the parked loop", async () => {
    // Prepare
    const { instanceId, links } = await instanceWithLinks(h);
    const link = required(links.get(STATUS_A), "link");
    await park(h, instanceId, "task-token-1");
    const revBefore = required(await h.table.stores.instances.get(instanceId), "instance").rev;
    h.wakes.length = 0;
    // Act
    const response = await pressConfirm(h, link);
    // Assess
    expect(response.status).toBe(200);
    const page = await response.text();
    // 06:00Z is 08:00 in Copenhagen (summer time).
    expect(page).toContain("Tak – »Statusrapport« er registreret som bekræftet den 1. maj 2024 kl. 08:00.");
    expect(h.wakes).toEqual([{ token: "task-token-1", payload: { reason: "confirmed" } }]);
    const instance = required(await h.table.stores.instances.get(instanceId), "instance");
    expect(instance.rev).toBe(revBefore + 1);
    expect(instance.taskToken).toBeUndefined();
    const milestone = required(
      (await h.table.stores.instances.listMilestones(instanceId)).find((m) => m.occurrenceKey === STATUS_A),
      "milestone",
    );
    expect(milestone).toMatchObject({
      status: "confirmed",
      confirmedAt: "2024-05-01T06:00:00Z",
      confirmedBy: `unitLeader:skole-a via link ${link.linkId}`,
      linkId: link.linkId,
    });
    const audit = await h.table.stores.audit.list(instanceId);
    expect(audit.map((a) => a.action)).toEqual(["instance.created", "confirmation.recorded"]);
    expect(audit[1]?.details).toMatchObject({
      occurrenceKey: STATUS_A,
      at: "2024-05-01T06:00:00Z",
      linkId: link.linkId,
    });
    // Never an address in the trail: the recipient is a reference.
    expect(JSON.stringify(audit)).not.toContain("@");
    // The other school's milestone is untouched.
    const other = (await h.table.stores.instances.listMilestones(instanceId)).find(
      (m) => m.occurrenceKey === STATUS_B,
    );
    expect(other?.status).toBe("open");
  });

  it("finishes the instance with its last open milestone: done in the same write, the parked loop ended, not woken", async () => {
    // Prepare: every milestone but one confirmed; the step marks the last one as it decides
    const { instanceId, links } = await instanceWithLinks(h);
    const milestones = await h.table.stores.instances.listMilestones(instanceId);
    const open = milestones.filter((m) => m.confirmable).map((m) => m.occurrenceKey);
    const last = required(open.at(-1), "last milestone");
    for (const key of open.slice(0, -1)) {
      expect((await pressConfirm(h, required(links.get(key), key))).status).toBe(200);
    }
    const decided = await runDecide(
      { ...h.table.stores, clock: h.clock },
      { instanceId, execution: { id: "exec-1", startedAt: h.clock.now().toString() } },
    );
    expect(decided.decision.done).toBe(false);
    const marked = required(await h.table.stores.instances.getMilestone(instanceId, last), "marked");
    expect(marked.closesAtRev).toBe(decided.instance.rev);
    await park(h, instanceId, "task-token-last");
    h.wakes.length = 0;
    h.ends.length = 0;
    const counter = countDynamoOps(h.table.doc);
    // Act
    const response = await pressConfirm(h, required(links.get(last), last));
    const requests = Object.values(counter.byCommand()).reduce((n, c) => n + c.requests, 0);
    counter.detach();
    // Assess
    expect(response.status).toBe(200);
    expect(requests).toBe(2); // the milestone and token read, one transaction
    expect(h.ends).toEqual([{ token: "task-token-last", reason: "every milestone is complete" }]);
    expect(h.wakes).toEqual([]);
    const instance = required(await h.table.stores.instances.get(instanceId), "instance");
    expect(instance.status).toBe("done");
    expect(instance.taskToken).toBeUndefined();
    const actions = (await h.table.stores.audit.list(instanceId)).map((a) => a.action);
    expect(actions.filter((a) => a !== "loop.execution-started").slice(-2)).toEqual([
      "confirmation.recorded",
      "instance.done",
    ]);
    // The loop, should it run once more (a timer), finds the instance stopped and writes nothing.
    const again = await runDecide(
      { ...h.table.stores, clock: h.clock },
      { instanceId, execution: { id: "exec-1", startedAt: h.clock.now().toString() } },
    );
    expect(again.decision.done).toBe(true);
    expect((await h.table.stores.audit.list(instanceId)).length).toBe(actions.length);
  });

  it("confirms a marked milestone alone when the instance changed since the step: the loop is woken to decide", async () => {
    // Prepare: the last open milestone marked, then a deadline moved (rev up) before the confirmation
    const { instanceId, links } = await instanceWithLinks(h);
    const open = (await h.table.stores.instances.listMilestones(instanceId))
      .filter((m) => m.confirmable)
      .map((m) => m.occurrenceKey);
    const last = required(open.at(-1), "last milestone");
    for (const key of open.slice(0, -1)) await pressConfirm(h, required(links.get(key), key));
    await runDecide(
      { ...h.table.stores, clock: h.clock },
      { instanceId, execution: { id: "exec-2", startedAt: h.clock.now().toString() } },
    );
    await park(h, instanceId, "task-token-moved");
    const marked = required(await h.table.stores.instances.getMilestone(instanceId, last), "marked");
    await h.table.stores.instances.moveDeadline(instanceId, last, "2024-09-01T21:59:00Z", "admin:test");
    h.wakes.length = 0;
    h.ends.length = 0;
    // Act
    const response = await pressConfirm(h, required(links.get(last), last));
    // Assess
    expect(marked.closesAtRev).toEqual(expect.any(Number));
    expect(response.status).toBe(200);
    expect(h.ends).toEqual([]);
    expect(h.wakes).toEqual([{ token: "task-token-moved", payload: { reason: "confirmed" } }]);
    expect(required(await h.table.stores.instances.get(instanceId), "instance").status).toBe("running");
    const confirmed = required(await h.table.stores.instances.getMilestone(instanceId, last), "milestone");
    expect(confirmed.status).toBe("confirmed");
  });

  it("repairs a wake a dead signaller left undone on a repeat a minute later, not on a repeat at once", async () => {
    // Prepare: parked at rev R, then confirmed by a signaller that died before taking the token
    const { instanceId, links } = await instanceWithLinks(h);
    const link = required(links.get(STATUS_A), "link");
    await park(h, instanceId, "orphaned-token");
    await h.table.stores.instances.recordConfirmation({
      instanceId,
      occurrenceKey: STATUS_A,
      at: h.clock.now().toString(),
      by: "unitLeader:skole-a",
    });
    const startedAt = h.clock.now();
    h.wakes.length = 0;
    try {
      // Act
      const atOnce = await pressConfirm(h, link);
      const wakesAtOnce = [...h.wakes];
      const parkedAfterRepeat = (await h.table.stores.instances.get(instanceId))?.taskToken;
      h.clock.set(startedAt.add({ seconds: 61 }));
      const later = await pressConfirm(h, link);
      // Assess
      expect([atOnce.status, later.status]).toEqual([200, 200]);
      expect(wakesAtOnce).toEqual([]);
      expect(parkedAfterRepeat).toBe("orphaned-token");
      expect(h.wakes).toEqual([{ token: "orphaned-token", payload: { reason: "confirmed" } }]);
      expect((await h.table.stores.instances.get(instanceId))?.taskToken).toBeUndefined();
    } finally {
      h.clock.set(startedAt);
    }
  });

  it("answers a second POST with 'already confirmed' and the original time, changing nothing", async () => {
    // Prepare
    const { instanceId, links } = await instanceWithLinks(h);
    const link = required(links.get(STATUS_B), "link");
    await park(h, instanceId, "task-token-2");
    expect((await pressConfirm(h, link)).status).toBe(200);
    await park(h, instanceId, "task-token-3");
    h.clock.advance("PT3H");
    const before = await snapshot(h.table);
    h.wakes.length = 0;
    // Act
    const again = await pressConfirm(h, link);
    const view = await fetch(confirmUrl(h, link));
    // Assess
    expect(again.status).toBe(200);
    const page = await again.text();
    expect(page).toContain("Allerede bekræftet");
    expect(page).toContain("»Statusrapport« blev bekræftet den 1. maj 2024 kl. 08:00.");
    const viewPage = await view.text();
    expect(view.status).toBe(200);
    expect(viewPage).toContain("Allerede bekræftet");
    expect(viewPage).not.toContain("<form");
    expect(await snapshot(h.table)).toEqual(before);
    expect(h.wakes).toEqual([]);
    h.clock.set("2024-05-01T06:00:00Z");
  });

  it("records exactly one confirmation out of 20 concurrent POSTs, without a server error", async () => {
    // Prepare
    const { instanceId, links } = await instanceWithLinks(h);
    const link = required(links.get(STATUS_A), "link");
    await park(h, instanceId, "task-token-race");
    h.wakes.length = 0;
    // Act
    const responses = await Promise.all(Array.from({ length: 20 }, () => pressConfirm(h, link)));
    const pages = await Promise.all(responses.map((r) => r.text()));
    // Assess
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(pages.filter((p) => p.includes("er registreret som bekræftet"))).toHaveLength(1);
    expect(pages.filter((p) => p.includes("Allerede bekræftet"))).toHaveLength(19);
    for (const p of pages) expect(p).toContain("1. maj 2024 kl. 08:00");
    const audit = await h.table.stores.audit.list(instanceId);
    expect(audit.filter((a) => a.action === "confirmation.recorded")).toHaveLength(1);
    expect(h.wakes).toEqual([{ token: "task-token-race", payload: { reason: "confirmed" } }]);
  });

  it("confirms without a parked loop: no wake, and the rev change tells a park in flight", async () => {
    // Prepare
    const { instanceId, links } = await instanceWithLinks(h);
    const seen = required(await h.table.stores.instances.get(instanceId), "instance").rev;
    h.wakes.length = 0;
    // Act
    const response = await pressConfirm(h, required(links.get(STATUS_A), "link"));
    // Assess
    expect(response.status).toBe(200);
    expect(h.wakes).toEqual([]);
    // The loop decided at `seen` and now tries to park: it must decide again instead of sleeping.
    expect(
      await h.table.stores.tokens.park(instanceId, "late-token", seen, {
        startedAt: "2024-05-01T06:00:00Z",
        loops: 1,
      }),
    ).toBe("changed");
  });

  it("shows the receipt in English when asked", async () => {
    // Prepare
    const { links } = await instanceWithLinks(h);
    // Act
    const page = await (await pressConfirm(h, required(links.get(STATUS_A), "link"), "en")).text();
    // Assess
    expect(page).toContain("Thank you – “Status report” is recorded as confirmed on 1 May 2024 at 08:00.");
  });
});

describe("refused links change nothing", () => {
  async function bothMethods(url: string, id: string, sig: string) {
    const get = await fetch(url);
    const post = await pressConfirm(h, { id, sig });
    return {
      get: { status: get.status, page: await get.text() },
      post: { status: post.status, page: await post.text() },
    };
  }

  it("refuses a forged signature with 403", async () => {
    // Prepare
    const { links } = await instanceWithLinks(h);
    const link = required(links.get(STATUS_A), "link");
    const forged = `${link.sig.slice(0, 10)}${link.sig[10] === "A" ? "B" : "A"}${link.sig.slice(11)}`;
    const before = await snapshot(h.table);
    // Act
    const result = await bothMethods(confirmUrl(h, { id: link.id, sig: forged }), link.id, forged);
    // Assess
    expect(result.get.status).toBe(403);
    expect(result.post.status).toBe(403);
    expect(result.get.page).toContain("Linket er ikke gyldigt");
    expect(await snapshot(h.table)).toEqual(before);
  });

  it("refuses another milestone's id with this link's signature (403)", async () => {
    // Prepare
    const { links } = await instanceWithLinks(h);
    const mine = required(links.get(STATUS_A), "link");
    const theirs = required(links.get(STATUS_B), "link");
    const before = await snapshot(h.table);
    // Act
    const result = await bothMethods(confirmUrl(h, { id: theirs.id, sig: mine.sig }), theirs.id, mine.sig);
    // Assess
    expect(result.get.status).toBe(403);
    expect(result.post.status).toBe(403);
    expect(await snapshot(h.table)).toEqual(before);
  });

  it("refuses a missing signature (403)", async () => {
    // Prepare
    const { links } = await instanceWithLinks(h);
    const link = required(links.get(STATUS_A), "link");
    // Act
    const response = await fetch(`${h.url}/confirm/${link.id}`);
    // Assess
    expect(response.status).toBe(403);
  });

  it("refuses an expired link with 410", async () => {
    // Prepare
    const { links } = await instanceWithLinks(h);
    const link = required(links.get(STATUS_A), "link");
    const before = await snapshot(h.table);
    h.clock.set(new Date(link.expiresAt * 1000).toISOString());
    try {
      // Act
      const result = await bothMethods(confirmUrl(h, link), link.id, link.sig);
      // Assess
      expect(result.get.status).toBe(410);
      expect(result.post.status).toBe(410);
      expect(result.post.page).toContain("Linket er udløbet");
      expect(await snapshot(h.table)).toEqual(before);
    } finally {
      h.clock.set("2024-05-01T06:00:00Z");
    }
  });

  it("refuses a made-up id with 403, a signed link to a milestone that does not exist with 410, a malformed id with 404", async () => {
    // Prepare: links are stateless, so a link nobody issued has no valid signature (403); a
    // genuine signature on a milestone that is gone (or never was) finds nothing (410).
    const unissued = randomBytes(16).toString("base64url");
    const sig = randomBytes(32).toString("base64url");
    const nowhere = createConfirmLink(
      {
        instanceId: "no-such-instance",
        occurrenceKey: STATUS_A,
        recipient: "unitLeader:skole-a",
        expiresAt: h.clock.now().add({ hours: 24 * 30 }),
      },
      LINK_KEY,
    );
    const before = await snapshot(h.table);
    // Act
    const made = await bothMethods(confirmUrl(h, { id: unissued, sig }), unissued, sig);
    const gone = await bothMethods(confirmUrl(h, nowhere), nowhere.id, nowhere.sig);
    const malformed = await fetch(`${h.url}/confirm/${"x".repeat(3000)}?sig=${sig}`);
    // Assess
    expect([made.get.status, made.post.status]).toEqual([403, 403]);
    expect([gone.get.status, gone.post.status]).toEqual([410, 410]);
    expect(gone.get.page).toContain("Milepælen findes ikke længere");
    expect(malformed.status).toBe(404);
    expect(await snapshot(h.table)).toEqual(before);
  });

  it("refuses a link of a cancelled instance with 409", async () => {
    // Prepare
    const { instanceId, links } = await instanceWithLinks(h);
    const link = required(links.get(STATUS_A), "link");
    await h.table.stores.instances.cancel(instanceId, "test");
    const before = await snapshot(h.table);
    // Act
    const result = await bothMethods(confirmUrl(h, link, "&lang=en"), link.id, link.sig);
    // Assess
    expect(result.get.status).toBe(409);
    expect(result.post.status).toBe(409);
    expect(result.get.page).toContain("The process was cancelled");
    expect(result.post.page).toContain("Forløbet er annulleret");
    expect(await snapshot(h.table)).toEqual(before);
  });
});

describe("failures", () => {
  it("answers an unexpected failure with a 500 page and a request id, logged without the link", async () => {
    // Prepare
    const { links } = await instanceWithLinks(h);
    const link = required(links.get(STATUS_A), "link");
    h.linkKey.fail = true;
    h.logs.length = 0;
    try {
      // Act
      const response = await fetch(confirmUrl(h, link));
      // Assess
      const page = await response.text();
      const requestId = required(response.headers.get("x-request-id"), "request id");
      expect(response.status).toBe(500);
      expect(page).toContain("Noget gik galt");
      expect(page).toContain(`Fejl-id: ${requestId}`);
      expect(page).not.toMatch(/Secrets Manager|at .*\.ts/);
      const logged = h.logs.filter((l) => l.level === "error");
      expect(logged).toHaveLength(1);
      expect(logged[0]?.attributes).toMatchObject({ requestId, route: "/confirm/:id", status: 500 });
      expect(JSON.stringify(h.logs)).not.toContain(link.sig);
    } finally {
      h.linkKey.fail = false;
    }
  });

  it("answers an unknown path under /confirm with a 404 page", async () => {
    // Act
    const response = await fetch(`${h.url}/confirm/a/b/c`);
    // Assess
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Siden findes ikke");
  });
});

describe("cost", () => {
  it("measures DynamoDB reads and writes per page view and per confirmation", async () => {
    // Prepare
    const { instanceId, links } = await instanceWithLinks(h);
    const link = required(links.get(STATUS_A), "link");
    await park(h, instanceId, "task-token-cost");
    const counter = countDynamoOps(h.table.doc);
    try {
      // Act
      await fetch(confirmUrl(h, link));
      const view = counter.byCommand();
      counter.reset();
      await pressConfirm(h, link);
      const confirm = counter.byCommand();
      counter.reset();
      await pressConfirm(h, link);
      const repeat = counter.byCommand();
      // Assess
      const sum = (counts: Record<string, OpCount>) => ({
        requests: Object.values(counts).reduce((n, c) => n + c.requests, 0),
        readUnits: Object.values(counts).reduce((n, c) => n + c.readUnits, 0),
        writeUnits: Object.values(counts).reduce((n, c) => n + c.writeUnits, 0),
      });
      console.log(
        "DynamoDB per confirm-link request:\n",
        JSON.stringify({ get: { byCommand: view, total: sum(view) } }),
        "\n",
        JSON.stringify({ post: { byCommand: confirm, total: sum(confirm) } }),
        "\n",
        JSON.stringify({ repeatedPost: { byCommand: repeat, total: sum(repeat) } }),
      );
      expect(sum(view).writeUnits).toBe(0);
      // Issue 13: a page view reads the milestone (and, once per process, the workflow version);
      // a confirmation reads the milestone and the parked token at once, and one transaction
      // records it and takes the token.
      expect(sum(view).requests).toBeLessThanOrEqual(2);
      expect(view.GetItem?.requests).toBe(sum(view).requests);
      expect(sum(confirm).requests).toBe(2);
      expect(confirm.BatchGetItem?.requests).toBe(1);
      expect(confirm.TransactWriteItems?.requests).toBe(1);
      expect(sum(repeat).writeUnits).toBe(0);
      expect(repeat.TransactWriteItems).toBeUndefined();
    } finally {
      counter.detach();
    }
  });
});
