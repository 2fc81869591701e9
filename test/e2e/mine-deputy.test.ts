/**
 * Mine frister and deputies on the whole local stack (DynamoDB Local, the local engine, real
 * HTTP, the mail outbox read back as MIME, Debian chromium): the administration's leader names a
 * deputy on the page their reminder links to; the next reminder goes to the deputy with the
 * leader in Cc and says so; the deputy confirms through the link in that mail, once, on behalf of
 * the leader. Then the leader opens Mine frister from a mail in a browser and confirms another
 * milestone with its button.
 */
import { mkdir } from "node:fs/promises";
import { type ParsedMail, simpleParser } from "mailparser";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../infra/local/stack.ts";
import { personIdOf } from "../../shared/links/mine-link.ts";
import { deputyAuditId } from "../../shared/store/ports.ts";
import { launchChromium } from "../support/browser.ts";

const ARTIFACTS = "test/.artifacts";
const LEADER = { name: "Anja Kirkegaard", email: "anja.kirkegaard@ishoj.example" };
const DEPUTY = { name: "Dorte Stedfortræder", email: "dorte.stedfortraeder@ishoj.example" };
const ADOPTION = "vedtagelse/-/0";
const MINE_URL = /https?:\/\/\S+\/mine\/[A-Za-z0-9_-]+\?sig=[A-Za-z0-9_-]+/;
const CONFIRM_URL = /https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+\?sig=[A-Za-z0-9_-]+/;

let stack: LocalStack;
let browser: Browser;
let instanceId: string;
let firstMail: ParsedMail;

/** Every mail in the outbox, parsed, oldest first. */
async function mails(): Promise<ParsedMail[]> {
  const list = await stack.stores.outbox.list(100);
  const parsed: ParsedMail[] = [];
  for (const summary of list.reverse()) {
    const stored = await stack.stores.outbox.get(summary.messageId);
    parsed.push(await simpleParser(stored?.raw ?? ""));
  }
  return parsed;
}

function addresses(field: ParsedMail["to"] | ParsedMail["cc"]): string[] {
  if (field === undefined) return [];
  return (Array.isArray(field) ? field : [field]).flatMap((a) => a.value.map((v) => v.address ?? ""));
}

function post(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  stack = await startLocalStack({ port: 0, clockMode: "skip", startAt: "2023-11-01T07:00:00Z" });
  const created = await fetch(`${stack.url}/api/instances`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ workflowId: "ishoj-staerke-faellesskaber", start: "2023-11-01" }),
  });
  instanceId = ((await created.json()) as { id: string }).id;
  // The first reminder of the adoption (14 days before 30 November) goes out on 16 November.
  await stack.engine.run({ until: "2023-11-16T12:00:00Z" });
  const first = (await mails()).find((m) => addresses(m.to).includes(LEADER.email));
  if (first === undefined) throw new Error("no reminder to the administration's leader");
  firstMail = first;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("a leader names a deputy, who gets the next reminder and confirms on their behalf", () => {
  it("the leader's reminder carries their personal link, which names no address", () => {
    const mineUrl = firstMail.text?.match(MINE_URL)?.[0] ?? "";

    expect(firstMail.text).toContain("Se alle dine frister");
    expect(mineUrl.startsWith(`${stack.url}/mine/`)).toBe(true);
    expect(decodeURIComponent(mineUrl).toLowerCase()).not.toContain("anja");
  });

  it("sets a deputy over HTTP, and the next reminder goes to the deputy with the leader in Cc", async () => {
    // Prepare
    const mineUrl = new URL(firstMail.text?.match(MINE_URL)?.[0] ?? "");
    const sig = mineUrl.searchParams.get("sig") ?? "";
    const base = `${stack.url}${mineUrl.pathname}`;

    // Act: the page's form, posted as a browser would.
    const set = await post(`${base}/deputies`, { sig, ...DEPUTY, from: "2023-11-20", to: "2023-12-10" });
    const page = await (await fetch(`${stack.url}${set.headers.get("location") ?? ""}`)).text();
    await stack.engine.run({ until: "2023-11-27T12:00:00Z" });

    // Assess
    expect(set.status).toBe(303);
    expect(page).toContain("Stedfortræderen er gemt");
    expect(page).toContain(DEPUTY.name);
    const key = await stack.linkKey.getKey();
    const trail = await stack.stores.audit.list(
      deputyAuditId({ kind: "person", personId: personIdOf(LEADER.email, key) }),
    );
    expect(trail.map((e) => [e.action, e.by])).toEqual([
      ["deputy.set", `person:${personIdOf(LEADER.email, key)}`],
    ]);
    const toDeputy = (await mails()).filter((m) => addresses(m.to).includes(DEPUTY.email));
    expect(toDeputy).toHaveLength(1);
    const mail = toDeputy[0] as ParsedMail;
    expect(mail.subject).toMatch(/^Påmindelse: Børne- og Undervisningsudvalget vedtager strategien/);
    expect(addresses(mail.cc)).toEqual([LEADER.email]);
    expect(mail.text).toContain(`Du får denne mail som stedfortræder for ${LEADER.name}.`);
    // The outbox delivered it to both: the Cc is in the envelope, not only in the header.
    const delivered = (await stack.stores.outbox.list(100)).find(
      (o) => o.subject === mail.subject && o.to.includes(DEPUTY.email),
    );
    expect(delivered?.to).toEqual([DEPUTY.email, LEADER.email]);
  }, 120_000);

  it("the deputy confirms through the link in their mail: once, on behalf of the leader", async () => {
    // Prepare
    const mail = (await mails()).find((m) => addresses(m.to).includes(DEPUTY.email));
    const link = new URL(mail?.text?.match(CONFIRM_URL)?.[0] ?? "");
    const sig = link.searchParams.get("sig") ?? "";
    const before = await stack.stores.audit.list(instanceId);

    // Act
    const shown = await fetch(link);
    const pressed = await post(`${stack.url}${link.pathname}`, { sig });
    const again = await post(`${stack.url}${link.pathname}`, { sig });

    // Assess
    expect(shown.status).toBe(200);
    expect(await pressed.text()).toContain("registreret som bekræftet");
    expect(await again.text()).toContain("Allerede bekræftet");
    const milestone = await stack.stores.instances.getMilestone(instanceId, ADOPTION);
    expect(milestone?.status).toBe("confirmed");
    expect(milestone?.confirmedBy).toMatch(
      /^deputy:[A-Za-z0-9_-]+ on behalf of unitLeader:forvaltning via link /,
    );
    const after = await stack.stores.audit.list(instanceId);
    const confirmations = after.filter((e) => e.action === "confirmation.recorded");
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]?.details?.onBehalfOf).toBe("unitLeader:forvaltning");
    expect(after.length).toBeGreaterThan(before.length);
  });
});

describe("the leader opens Mine frister from a mail in a browser and confirms a milestone", () => {
  it("lists their open milestones and confirms one with its button", async () => {
    // Prepare
    const mineUrl = firstMail.text?.match(MINE_URL)?.[0] ?? "";
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "da-DK" });

    // Act
    await page.goto(mineUrl);
    await page.screenshot({ path: `${ARTIFACTS}/mine-1-list.png`, fullPage: true });
    const row = page.locator("dl", { hasText: "Den første kommunale handleplan" }).first();
    const occurrence = (await row.getAttribute("data-occurrence")) ?? "";
    const listed = await page.textContent("body");
    await Promise.all([page.waitForURL(/\/mine\/.*\/confirm/), row.getByRole("button").click()]);
    await page.screenshot({ path: `${ARTIFACTS}/mine-2-confirmed.png`, fullPage: true });

    // Assess
    expect(listed).toContain("Mine frister");
    expect(listed).not.toContain("Børne- og Undervisningsudvalget vedtager strategien"); // confirmed already
    expect(await page.textContent("body")).toContain("er registreret som bekræftet");
    expect(
      await page.locator("dl[data-occurrence]", { hasText: "Den første kommunale handleplan" }).count(),
    ).toBe(0);
    const milestone = await stack.stores.instances.getMilestone(instanceId, occurrence);
    expect(milestone?.status).toBe("confirmed");
    const entry = (await stack.stores.audit.list(instanceId)).find(
      (e) => e.action === "confirmation.recorded" && e.details?.occurrenceKey === occurrence,
    );
    expect(entry?.details?.via).toBe("mine");
    expect(entry?.by).toMatch(/^person:[A-Za-z0-9_-]{22} via link /);
    await page.close();
  });

  it("gives a personal calendar feed of the open milestones", async () => {
    const mineUrl = new URL(firstMail.text?.match(MINE_URL)?.[0] ?? "");

    const feed = await fetch(`${stack.url}${mineUrl.pathname}/deadlines.ics${mineUrl.search}`);
    const body = await feed.text();

    expect(feed.headers.get("content-type")).toContain("text/calendar");
    expect(body).toContain("BEGIN:VEVENT");
    // Confirmed milestones have left it: only what is still open.
    expect(body).not.toContain("vedtager strategien");
    expect(body).not.toContain("Den første kommunale handleplan");
  });
});
