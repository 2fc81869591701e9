/**
 * Every action of the audit trail reads as words on the instance page, in Danish and English: an
 * action added to the list (shared/store/audit-actions.ts) without words fails here (and does not
 * compile in audit.ts), and an action this version does not know never shows its dotted name.
 */
import { describe, expect, it } from "vitest";
import { auditLines, type OccurrenceNames } from "../../shared/dashboard/instances/audit.ts";
import { dashboardStrings } from "../../shared/dashboard/strings.ts";
import { AUDIT_ACTIONS, type AuditAction, isAuditAction } from "../../shared/store/audit-actions.ts";
import type { AuditEntry, JsonValue } from "../../shared/store/records.ts";

const NAMES: OccurrenceNames = {
  titles: new Map([["handleplan", "Handleplan"]]),
  units: new Map([["skole-a", "Skole A"]]),
  recurring: new Set(),
};

function entry(action: AuditAction, details?: { [key: string]: JsonValue }): AuditEntry {
  return {
    instanceId: "i-1",
    id: "0001",
    at: "2024-05-01T06:00:00Z",
    action,
    by: "system",
    ...(details === undefined ? {} : { details }),
  };
}

/** A dotted key (`loop.failed`, `apiToken.created`) anywhere in the text. */
const DOTTED = /[A-Za-z]\.[A-Za-z]/;

describe("the audit trail in words", () => {
  it("lists each action once", () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    expect(AUDIT_ACTIONS).toEqual(
      expect.arrayContaining([
        "loop.failed",
        "notice.approved",
        "unit.added",
        "unit.removed",
        "instance.migrated",
      ]),
    );
  });

  for (const language of ["da", "en"] as const) {
    const s = dashboardStrings(language);
    it.each(AUDIT_ACTIONS)(`gives %s a line in words (${language})`, (action) => {
      const lines = auditLines([entry(action)], NAMES, s);
      expect(lines).toHaveLength(1);
      const what = lines[0]?.what ?? "";
      expect(what.length).toBeGreaterThan(10);
      expect(what).not.toContain(action);
      expect(what).not.toMatch(DOTTED);
      expect(s.audit.action[action]).not.toMatch(DOTTED);
    });
  }

  it("says what failed, was approved, added, removed or migrated, from the entry's details", () => {
    const da = dashboardStrings("da");
    const lines = auditLines(
      [
        entry("loop.failed", { error: "Timeout", failuresInARow: 3, retryInSeconds: 1800, giveUp: false }),
        entry("loop.failed", { error: "Timeout", failuresInARow: 8, retryInSeconds: null, giveUp: true }),
        entry("notice.approved", { occurrenceKey: "handleplan/skole-a/0", expectedDate: "2024-06-01" }),
        entry("unit.added", { reason: "Ny skole i kommunen", unitId: "skole-b", unitName: "Skole B" }),
        entry("unit.removed", { reason: "Skolen er lukket", unitId: "skole-a", unitName: "Skole A" }),
        entry("instance.migrated", { reason: "Ny lovgivning", fromVersion: 2, toVersion: 3 }),
      ],
      NAMES,
      da,
    );
    expect(lines.map((l) => l.what)).toEqual([
      "Tidslinjen stødte på en fejl for 3. gang i træk og prøver igen senere",
      "Tidslinjen stoppede efter 8 fejl i træk",
      "Besked til borger om »Handleplan – Skole A« blev godkendt og sendt",
      "Enheden »Skole B« blev føjet til forløbet",
      "Enheden »Skole A« blev fjernet fra forløbet",
      "Forløbet blev flyttet fra version 2 til version 3 af skabelonen",
    ]);
    expect(lines.map((l) => l.detail)).toEqual([
      undefined,
      undefined,
      undefined,
      "Begrundelse: Ny skole i kommunen",
      "Begrundelse: Skolen er lukket",
      "Begrundelse: Ny lovgivning",
    ]);
    const en = auditLines(
      [entry("loop.failed", { failuresInARow: 2, giveUp: false })],
      NAMES,
      dashboardStrings("en"),
    );
    expect(en[0]?.what).toBe("The timeline met an error for the 2nd time in a row and tries again later");
  });

  it("shows an action it does not know in words, never as its dotted name", () => {
    const action = "loop.someNew-thing";
    expect(isAuditAction(action)).toBe(false);
    const stored = { ...entry("instance.created"), action } as unknown as AuditEntry;
    for (const language of ["da", "en"] as const) {
      const s = dashboardStrings(language);
      const [line] = auditLines([stored], NAMES, s);
      expect(line?.what).toBe(s.audit.unknown);
      expect(line?.detail).toContain("loop some new thing");
      expect(`${line?.what} ${line?.detail}`).not.toMatch(DOTTED);
    }
  });
});
