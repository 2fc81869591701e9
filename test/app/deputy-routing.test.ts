import { describe, expect, it } from "vitest";
import { dayIn, deputyOn, goesToDeputy, routeMail } from "../../shared/app/deputy-routing.ts";
import type { DeputyRecord } from "../../shared/store/records.ts";
import { Temporal } from "../../shared/time/temporal.ts";

const LEADER = { name: "Lene Leder", email: "Lene@skole-a.example.dk" };
const TZ = "Europe/Copenhagen";

function deputy(overrides: Partial<DeputyRecord> = {}): DeputyRecord {
  return {
    scope: { kind: "person", personId: "p" },
    deputyId: "d1",
    name: "Dorte Stedfortræder",
    email: "dorte@skole-a.example.dk",
    from: "2024-05-01",
    to: "2024-05-31",
    createdAt: "2024-04-30T10:00:00Z",
    createdBy: "person:p",
    ...overrides,
  };
}

const at = (iso: string) => Temporal.Instant.from(iso);

describe("routeMail", () => {
  it("sends a reminder to the deputy in force, with the leader in Cc", () => {
    // Act
    const routing = routeMail({
      kind: "reminder",
      recipient: LEADER,
      personDeputies: [deputy()],
      unitDeputies: [],
      now: at("2024-05-10T06:00:00Z"),
      timezone: TZ,
    });
    // Assess
    expect(routing.to).toEqual({ name: "Dorte Stedfortræder", email: "dorte@skole-a.example.dk" });
    expect(routing.cc).toEqual([LEADER]);
    expect(routing.deputy?.deputyId).toBe("d1");
  });

  it("sends escalations and notices where they always went", () => {
    for (const kind of ["escalation", "notice"] as const) {
      // Act
      const routing = routeMail({
        kind,
        recipient: LEADER,
        personDeputies: [deputy()],
        unitDeputies: [deputy({ deputyId: "u" })],
        now: at("2024-05-10T06:00:00Z"),
        timezone: TZ,
      });
      // Assess
      expect(routing).toEqual({ to: LEADER, cc: [], deputy: null });
    }
    expect(goesToDeputy("activated")).toBe(true);
  });

  it("reads the dates in the workflow's timezone, both ends included", () => {
    const base = { kind: "activated" as const, recipient: LEADER, unitDeputies: [], timezone: TZ };
    const d = deputy({ from: "2024-05-01", to: "2024-05-31" });
    // 22:30 UTC on 30 April is already 1 May in Copenhagen.
    expect(
      routeMail({ ...base, personDeputies: [d], now: at("2024-04-30T22:30:00Z") }).deputy,
    ).not.toBeNull();
    expect(routeMail({ ...base, personDeputies: [d], now: at("2024-04-30T21:30:00Z") }).deputy).toBeNull();
    expect(
      routeMail({ ...base, personDeputies: [d], now: at("2024-05-31T21:59:00Z") }).deputy,
    ).not.toBeNull();
    expect(routeMail({ ...base, personDeputies: [d], now: at("2024-05-31T22:00:00Z") }).deputy).toBeNull();
    expect(dayIn(at("2024-04-30T22:30:00Z"), TZ)).toBe("2024-05-01");
  });

  it("prefers the leader's own deputy to the unit's, and of several the one set last", () => {
    // Prepare
    const unitDeputy = deputy({ deputyId: "unit", scope: { kind: "unit", unitId: "skole-a" } });
    const older = deputy({ deputyId: "older", createdAt: "2024-04-01T00:00:00Z" });
    const newer = deputy({ deputyId: "newer", createdAt: "2024-04-20T00:00:00Z", email: "n@x.dk" });
    const now = at("2024-05-10T06:00:00Z");
    // Act
    const own = routeMail({
      kind: "reminder",
      recipient: LEADER,
      personDeputies: [newer, older],
      unitDeputies: [unitDeputy],
      now,
      timezone: TZ,
    });
    const unitOnly = routeMail({
      kind: "reminder",
      recipient: LEADER,
      personDeputies: [],
      unitDeputies: [unitDeputy],
      now,
      timezone: TZ,
    });
    // Assess
    expect(own.deputy?.deputyId).toBe("newer");
    expect(unitOnly.deputy?.deputyId).toBe("unit");
  });

  it("ignores a deputy that is ended, not yet begun, or the leader themselves", () => {
    // Prepare
    const ended = deputy({ to: "2024-05-05", endedAt: "2024-05-05T10:00:00Z" });
    const future = deputy({ from: "2024-06-01", to: "2024-06-30" });
    const self = deputy({ email: "lene@SKOLE-A.example.dk" });
    // Act
    const routing = routeMail({
      kind: "reminder",
      recipient: LEADER,
      personDeputies: [ended, future, self],
      unitDeputies: [],
      now: at("2024-05-10T06:00:00Z"),
      timezone: TZ,
    });
    // Assess
    expect(routing).toEqual({ to: LEADER, cc: [], deputy: null });
    expect(deputyOn([ended, future], "2024-06-01")).toBe(future);
  });
});
