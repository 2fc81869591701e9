/**
 * The Mine frister routes over real HTTP on the in-memory stores: what the page lists for a
 * person, and that a tampered, expired or wrong-purpose link is refused before anything is read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMineLink, mineLinkExpiry } from "../../shared/links/mine-link.ts";
import { instanceWithLinks, LINK_KEY, UNITS } from "./app-harness.ts";
import { type MemoryHarness, startMemoryHarness } from "./memory-harness.ts";

let h: MemoryHarness;
const LENE = "lene@skole-a.example.dk";
/** Counts the due index's reads: a refused link must make none. */
let dueReads = 0;

beforeAll(async () => {
  h = await startMemoryHarness();
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  await instanceWithLinks(h);
  const index = h.table.stores.dueIndex;
  const overdue = index.overdue.bind(index);
  const dueBetween = index.dueBetween.bind(index);
  index.overdue = (now) => {
    dueReads += 1;
    return overdue(now);
  };
  index.dueBetween = (from, to) => {
    dueReads += 1;
    return dueBetween(from, to);
  };
});
afterAll(async () => {
  await h.close();
});

function mineLink(email = LENE, expiresAt = mineLinkExpiry(h.clock.now())) {
  return createMineLink({ email, expiresAt }, LINK_KEY);
}

describe("GET /mine/:id", () => {
  it("lists the person's own open milestones, not other leaders'", async () => {
    // Prepare
    const link = mineLink();
    // Act
    const response = await fetch(`${h.url}${link.path}`);
    const page = await response.text();
    // Assess
    expect(response.status).toBe(200);
    expect(page).toContain("Mine frister");
    expect(page).toContain("Statusrapport");
    expect(page).toContain("Skole A");
    expect(page).not.toContain("Skole B");
    expect(page).not.toContain("&lt;script&gt;alert"); // the administration's milestone is Frida's
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("refuses tampered, expired and wrong-purpose links with a page, reading nothing", async () => {
    // Prepare
    const good = mineLink();
    const expired = mineLink(LENE, h.clock.now().subtract({ seconds: 1 }));
    const { links } = await instanceWithLinks(h);
    const confirm = [...links.values()][0];
    if (confirm === undefined) throw new Error("no confirm link");
    const flipped = `${good.sig.slice(0, 5)}${good.sig[5] === "A" ? "B" : "A"}${good.sig.slice(6)}`;
    const before = await h.snapshot();
    dueReads = 0;
    // Act
    const tampered = await fetch(`${h.url}/mine/${good.id}?sig=${flipped}`);
    const wrongPurpose = await fetch(`${h.url}/mine/${confirm.id}?sig=${confirm.sig}`);
    const old = await fetch(`${h.url}${expired.path}`);
    const feed = await fetch(`${h.url}/mine/${good.id}/deadlines.ics?sig=${flipped}`);
    const post = await fetch(`${h.url}/mine/${good.id}/deputies`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        sig: flipped,
        name: "X",
        email: "x@example.dk",
        from: "2024-05-01",
        to: "2024-05-02",
      }),
    });
    // Assess
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain("Linket er ikke gyldigt");
    expect(wrongPurpose.status).toBe(403);
    expect(old.status).toBe(410);
    expect(await old.text()).toContain("Linket er udløbet");
    expect(feed.status).toBe(403);
    expect(post.status).toBe(403);
    expect(dueReads).toBe(0);
    expect(await h.snapshot()).toEqual(before);
  });

  it("refuses a deputy form it cannot take, storing nothing", async () => {
    // Prepare
    const link = mineLink();
    const before = await h.snapshot();
    // Act
    const response = await fetch(`${h.url}/mine/${link.id}/deputies`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        sig: link.sig,
        name: "Dorte",
        email: "not an address",
        from: "2024-05-10",
        to: "2024-05-01",
      }),
    });
    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Tjek felterne");
    expect(await h.snapshot()).toEqual(before);
  });

  it("refuses a confirm button from another person's page", async () => {
    // Prepare: Bo's page offers Bo's milestones; Lene's link posts one of them.
    const boLink = mineLink(UNITS[1]?.leader.email ?? "");
    const boPage = await (await fetch(`${h.url}${boLink.path}`)).text();
    const linkField = /name="link" value="([^"]+)"/.exec(boPage)?.[1] ?? "";
    const linkSig = /name="linkSig" value="([^"]+)"/.exec(boPage)?.[1] ?? "";
    const lene = mineLink();
    const before = await h.snapshot();
    // Act
    const response = await fetch(`${h.url}/mine/${lene.id}/confirm`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ sig: lene.sig, link: linkField, linkSig }),
    });
    // Assess
    expect(linkField).not.toBe("");
    expect(response.status).toBe(403);
    expect(await h.snapshot()).toEqual(before);
  });
});
