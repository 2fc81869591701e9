import { describe, expect, it } from "vitest";
import {
  createConfirmLink,
  type LinkRecord,
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

describe("createConfirmLink", () => {
  it("makes a 128-bit base64url id, a signed path and a record bound to the milestone", () => {
    // Act
    const link = createConfirmLink(input, key, fixedRandom);

    // Assess
    expect(link.record).toEqual({
      id: Buffer.alloc(16, 0xab).toString("base64url"),
      purpose: "confirm",
      instanceId: "ishoej-2023",
      occurrenceKey: "lokal-handleplan/skole-a/0",
      recipient: "unitLeader:skole-a",
      expiresAt: 1735689600,
    });
    expect(link.record.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(link.sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.path).toBe(`/confirm/${link.record.id}?sig=${link.sig}`);
  });

  it("uses fresh randomness for every link by default", () => {
    // Act
    const a = createConfirmLink(input, key);
    const b = createConfirmLink(input, key);

    // Assess
    expect(a.record.id).not.toBe(b.record.id);
    expect(a.sig).not.toBe(b.sig);
  });

  it("accepts an Instant as expiry and stores whole epoch seconds", () => {
    // Act
    const link = createConfirmLink(
      { ...input, expiresAt: Temporal.Instant.from("2025-01-01T00:00:00.900Z") },
      key,
      fixedRandom,
    );

    // Assess
    expect(link.record.expiresAt).toBe(1735689600);
  });

  it("refuses a short key and empty bindings", () => {
    // Act / Assess
    expect(() => createConfirmLink(input, Buffer.alloc(16), fixedRandom)).toThrow(/at least 32 bytes/);
    expect(() => createConfirmLink({ ...input, recipient: "" }, key, fixedRandom)).toThrow(/recipient/);
  });
});

describe("verifyLink", () => {
  it("accepts the link it made until it expires", () => {
    // Prepare
    const { record, sig } = createConfirmLink(input, key, fixedRandom);

    // Act
    const result = verifyLink(record, sig, key, beforeExpiry);

    // Assess
    expect(result).toEqual({ ok: true });
  });

  it("says unknown when the store has no record for the id", () => {
    // Act
    const result = verifyLink(null, "x".repeat(43), key, beforeExpiry);

    // Assess
    expect(result).toEqual({ ok: false, reason: "unknown" });
  });

  it("says expired from the expiry second on", () => {
    // Prepare
    const { record, sig } = createConfirmLink(input, key, fixedRandom);

    // Act
    const atExpiry = verifyLink(record, sig, key, Temporal.Instant.from("2025-01-01T00:00:00Z"));

    // Assess
    expect(atExpiry).toEqual({ ok: false, reason: "expired" });
  });

  const swaps: Array<[string, Partial<LinkRecord>]> = [
    ["another milestone", { occurrenceKey: "lokal-handleplan/skole-b/0" }],
    ["another instance", { instanceId: "ballerup-2024" }],
    ["another recipient", { recipient: "unitManager:skole-a" }],
    ["a later expiry", { expiresAt: 1835689600 }],
    ["another id", { id: Buffer.alloc(16, 0xac).toString("base64url") }],
  ];
  for (const [what, change] of swaps) {
    it(`says tampered when the record is swapped to ${what}`, () => {
      // Prepare
      const { record, sig } = createConfirmLink(input, key, fixedRandom);

      // Act
      const result = verifyLink({ ...record, ...change }, sig, key, beforeExpiry);

      // Assess
      expect(result).toEqual({ ok: false, reason: "tampered" });
    });
  }

  it("says tampered for a signature made with another key, even after expiry", () => {
    // Prepare
    const { record, sig } = createConfirmLink(input, otherKey, fixedRandom);

    // Act
    const result = verifyLink(record, sig, key, Temporal.Instant.from("2030-01-01T00:00:00Z"));

    // Assess
    expect(result).toEqual({ ok: false, reason: "tampered" });
  });

  it("never throws on malformed signatures and calls them tampered", () => {
    // Prepare
    const { record, sig } = createConfirmLink(input, key, fixedRandom);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // Same decoded bytes, other spelling: flips one of the two spare bits of the last character.
    const sameBitsOtherSpelling = sig.slice(0, -1) + alphabet[alphabet.indexOf(sig.at(-1) ?? "") ^ 1];
    expect(Buffer.from(sameBitsOtherSpelling, "base64url")).toEqual(Buffer.from(sig, "base64url"));
    const malformed = [
      "",
      "abc",
      `${sig}A`,
      sig.slice(0, -1),
      `${sig.slice(0, -1)}=`,
      `${sig.slice(0, -2)}+/`,
      "%00".repeat(15),
      sameBitsOtherSpelling,
      undefined as unknown as string,
    ];

    // Act
    const results = malformed.map((s) => verifyLink(record, s, key, beforeExpiry));

    // Assess
    for (const r of results) expect(r).toEqual({ ok: false, reason: "tampered" });
  });

  it("says tampered for a stored record of another purpose", () => {
    // Prepare
    const { record, sig } = createConfirmLink(input, key, fixedRandom);
    const other = { ...record, purpose: "unsubscribe" } as unknown as LinkRecord;

    // Act
    const result = verifyLink(other, sig, key, beforeExpiry);

    // Assess
    expect(result).toEqual({ ok: false, reason: "tampered" });
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
