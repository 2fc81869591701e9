import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  claimsOfLinkUrl,
  createConfirmLink,
  linkExpiry,
  verifyLink,
} from "../../shared/links/confirm-link.ts";
import { Temporal } from "../../shared/time/temporal.ts";

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 8);
const fixedRandom = (n: number) => Buffer.alloc(n, 0xab);
const input = {
  instanceId: "ishoej-2023",
  occurrenceKey: "lokal-handleplan/skole-a/0",
  recipient: "unitLeader:skole-a",
  expiresAt: "2025-01-01T00:00:00Z",
};
const beforeExpiry = Temporal.Instant.from("2024-12-31T23:59:59Z");
const CLAIMS = {
  purpose: "confirm",
  instanceId: "ishoej-2023",
  occurrenceKey: "lokal-handleplan/skole-a/0",
  recipient: "unitLeader:skole-a",
  expiresAt: 1735689600,
};

/** An id of the link layout with other content, signed with `signKey` as the real one would be. */
function forged(content: unknown[], signKey = key): { id: string; sig: string } {
  const id = Buffer.from(JSON.stringify(content), "utf8").toString("base64url");
  const sig = createHmac("sha256", signKey).update(`fristflow-link-v2.${id}`, "utf8").digest("base64url");
  return { id, sig };
}

describe("createConfirmLink", () => {
  it("makes a signed path whose id carries what the link is for, and a short link id", () => {
    // Act
    const link = createConfirmLink(input, key, fixedRandom);

    // Assess
    expect(link.claims).toEqual(CLAIMS);
    expect(link.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(link.sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.linkId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(link.path).toBe(`/confirm/${link.id}?sig=${link.sig}`);
    // Short enough for a mail on a phone: well under 300 characters for a real instance and unit.
    expect(link.path.length).toBeLessThan(300);
  });

  it("makes every link its own: a fresh nonce, so another id, signature and link id", () => {
    // Act
    const a = createConfirmLink(input, key);
    const b = createConfirmLink(input, key);

    // Assess
    expect(a.id).not.toBe(b.id);
    expect(a.sig).not.toBe(b.sig);
    expect(a.linkId).not.toBe(b.linkId);
  });

  it("accepts an Instant as expiry and signs whole epoch seconds", () => {
    // Act
    const link = createConfirmLink(
      { ...input, expiresAt: Temporal.Instant.from("2025-01-01T00:00:00.900Z") },
      key,
      fixedRandom,
    );

    // Assess
    expect(link.claims.expiresAt).toBe(1735689600);
  });

  it("refuses a short key and empty bindings", () => {
    // Act / Assess
    expect(() => createConfirmLink(input, Buffer.alloc(16), fixedRandom)).toThrow(/at least 32 bytes/);
    expect(() => createConfirmLink({ ...input, recipient: "" }, key, fixedRandom)).toThrow(/recipient/);
  });
});

describe("verifyLink", () => {
  it("gives back what the link says, stored nowhere, until it expires", () => {
    // Prepare
    const link = createConfirmLink(input, key, fixedRandom);

    // Act
    const result = verifyLink(link.id, link.sig, key, beforeExpiry);

    // Assess
    expect(result).toEqual({ ok: true, claims: CLAIMS, linkId: link.linkId });
  });

  it("says expired from the expiry second on, only for a genuine link", () => {
    // Prepare
    const link = createConfirmLink(input, key, fixedRandom);

    // Act
    const atExpiry = verifyLink(link.id, link.sig, key, Temporal.Instant.from("2025-01-01T00:00:00Z"));
    const forgedLate = verifyLink(link.id, link.sig, otherKey, Temporal.Instant.from("2026-01-01T00:00:00Z"));

    // Assess
    expect(atExpiry).toEqual({ ok: false, reason: "expired" });
    expect(forgedLate).toEqual({ ok: false, reason: "tampered" });
  });

  it.each([
    ["another instance", 1, "other-instance"],
    ["another occurrence", 2, "status/skole-a/0"],
    ["another recipient", 3, "unitManager:skole-a"],
    ["a later expiry", 4, 1767225600],
  ])("says tampered when the id is edited to point at %s", (_, index, value) => {
    // Prepare
    const link = createConfirmLink(input, key, fixedRandom);
    const content = JSON.parse(Buffer.from(link.id, "base64url").toString("utf8")) as unknown[];
    content[index] = value;
    const edited = Buffer.from(JSON.stringify(content), "utf8").toString("base64url");

    // Act / Assess
    expect(verifyLink(edited, link.sig, key, beforeExpiry)).toEqual({ ok: false, reason: "tampered" });
  });

  it("never throws on a malformed id or signature", () => {
    // Prepare
    const link = createConfirmLink(input, key, fixedRandom);
    const cases: [string, string, string][] = [
      ["", link.sig, "unknown"],
      ["not/base64", link.sig, "unknown"],
      ["x".repeat(5000), link.sig, "unknown"],
      [link.id, "", "tampered"],
      [link.id, "short", "tampered"],
      [link.id, `${link.sig.slice(0, 42)}!`, "tampered"],
      // 43 characters whose last one carries spare bits: another spelling of the same bytes.
      [link.id, `${link.sig.slice(0, 42)}${link.sig.at(-1) === "A" ? "B" : "A"}`, "tampered"],
    ];

    // Act / Assess
    for (const [id, sig, reason] of cases) {
      expect(verifyLink(id, sig, key, beforeExpiry)).toEqual({ ok: false, reason });
    }
  });

  it("says tampered for content of another shape or purpose, even when signed with the key", () => {
    // Prepare
    const purpose = forged(["mine-frister", "i", "o", "r", 1767225600, "n"]);
    const shape = forged(["confirm", "i", "o", "r", "1767225600", "n"]);
    const notJson = { id: Buffer.from("{oops", "utf8").toString("base64url"), sig: "" };
    notJson.sig = createHmac("sha256", key).update(`fristflow-link-v2.${notJson.id}`).digest("base64url");

    // Act / Assess
    for (const link of [purpose, shape, notJson]) {
      expect(verifyLink(link.id, link.sig, key, beforeExpiry)).toEqual({ ok: false, reason: "tampered" });
    }
  });
});

describe("claimsOfLinkUrl", () => {
  it("reads a mailed link's claims, and nothing from a tampered, foreign or malformed URL", () => {
    // Prepare
    const link = createConfirmLink(input, key, fixedRandom);
    const url = `https://frister.ishoj.dk${link.path}`;
    // Act / Assess
    expect(claimsOfLinkUrl(url, key, beforeExpiry)).toEqual(CLAIMS);
    expect(claimsOfLinkUrl(url.replace(/sig=./, "sig=A"), key, beforeExpiry)).toBeNull();
    expect(claimsOfLinkUrl(url, otherKey, beforeExpiry)).toBeNull();
    expect(claimsOfLinkUrl(url.replace("/confirm/", "/confirmx/"), key, beforeExpiry)).toBeNull();
    expect(claimsOfLinkUrl("not a url", key, beforeExpiry)).toBeNull();
  });
});

describe("linkExpiry", () => {
  it("is 60 days after the deadline when that is far enough away", () => {
    // Act
    const expiry = linkExpiry("2024-10-31T22:59:00Z", Temporal.Instant.from("2024-10-17T06:00:00Z"));

    // Assess
    expect(expiry.toString()).toBe("2024-12-30T22:59:00Z");
  });

  it("is at least 30 days from now for a mail sent long after the deadline", () => {
    // Act
    const expiry = linkExpiry("2024-10-31T22:59:00Z", "2024-12-15T08:00:00Z");

    // Assess
    expect(expiry.toString()).toBe("2025-01-14T08:00:00Z");
  });
});
