import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createConfirmLink } from "../../shared/links/confirm-link.ts";
import { createMineLink, mineLinkExpiry, personIdOf, verifyMineLink } from "../../shared/links/mine-link.ts";
import { Temporal } from "../../shared/time/temporal.ts";

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 8);
const now = Temporal.Instant.from("2024-05-01T06:00:00Z");
const EMAIL = "Lene.Leder@Skole-A.example.dk";

describe("personIdOf", () => {
  it("is the same for an address in any case, differs per address and key, and is no address", () => {
    // Act
    const id = personIdOf(EMAIL, key);
    // Assess
    expect(personIdOf(EMAIL.toLowerCase(), key)).toBe(id);
    expect(personIdOf("bo@skole-b.example.dk", key)).not.toBe(id);
    expect(personIdOf(EMAIL, otherKey)).not.toBe(id);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Not a bare HMAC under the link key itself: the person key is derived.
    const bare = createHmac("sha256", key).update(EMAIL.toLowerCase()).digest().subarray(0, 16);
    expect(id).not.toBe(bare.toString("base64url"));
  });
});

describe("createMineLink and verifyMineLink", () => {
  it("verifies its own link and names the person without the address in the URL", () => {
    // Act
    const link = createMineLink({ email: EMAIL, expiresAt: mineLinkExpiry(now) }, key);
    const verdict = verifyMineLink(link.id, link.sig, key, now);
    // Assess
    expect(verdict).toEqual({ ok: true, claims: link.claims });
    expect(link.claims.personId).toBe(personIdOf(EMAIL, key));
    expect(link.claims.expiresAt).toBe(Math.floor(now.add({ hours: 60 * 24 }).epochMilliseconds / 1000));
    const decoded = Buffer.from(link.id, "base64url").toString("utf8");
    expect(`${link.path} ${decoded}`.toLowerCase()).not.toContain("lene");
    expect(link.path).toBe(`/mine/${link.id}?sig=${link.sig}`);
  });

  it("refuses a changed id, a changed signature or another key as tampered", () => {
    // Prepare
    const link = createMineLink({ email: EMAIL, expiresAt: mineLinkExpiry(now) }, key);
    const other = createMineLink({ email: "bo@skole-b.example.dk", expiresAt: mineLinkExpiry(now) }, key);
    const flipped = `${link.sig.slice(0, 10)}${link.sig[10] === "A" ? "B" : "A"}${link.sig.slice(11)}`;
    // Act / Assess
    expect(verifyMineLink(other.id, link.sig, key, now)).toEqual({ ok: false, reason: "tampered" });
    expect(verifyMineLink(link.id, flipped, key, now)).toEqual({ ok: false, reason: "tampered" });
    expect(verifyMineLink(link.id, link.sig, otherKey, now)).toEqual({ ok: false, reason: "tampered" });
    expect(verifyMineLink(link.id, "", key, now)).toEqual({ ok: false, reason: "tampered" });
    expect(verifyMineLink("not a link!", link.sig, key, now)).toEqual({ ok: false, reason: "unknown" });
  });

  it("refuses an expired link, only once the signature checked out", () => {
    // Prepare
    const link = createMineLink({ email: EMAIL, expiresAt: now.add({ hours: 1 }) }, key);
    // Act
    const late = verifyMineLink(link.id, link.sig, key, now.add({ hours: 1 }));
    const early = verifyMineLink(link.id, link.sig, key, now.add({ minutes: 59 }));
    // Assess
    expect(late).toEqual({ ok: false, reason: "expired" });
    expect(early.ok).toBe(true);
  });

  it("refuses a confirm link as a personal link (another purpose, another layout)", () => {
    // Prepare
    const confirm = createConfirmLink(
      {
        instanceId: "i",
        occurrenceKey: "o",
        recipient: "unitLeader:skole-a",
        expiresAt: "2025-01-01T00:00:00Z",
      },
      key,
    );
    // A personal link's content signed the way a confirm link is signed.
    const id = Buffer.from(JSON.stringify(["mine", personIdOf(EMAIL, key), 1900000000])).toString(
      "base64url",
    );
    const confirmStyleSig = createHmac("sha256", key).update(`fristflow-link-v2.${id}`).digest("base64url");
    // Act / Assess
    expect(verifyMineLink(confirm.id, confirm.sig, key, now)).toEqual({ ok: false, reason: "tampered" });
    expect(verifyMineLink(id, confirmStyleSig, key, now)).toEqual({ ok: false, reason: "tampered" });
  });
});
