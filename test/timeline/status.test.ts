import { describe, expect, it } from "vitest";
import { countStatuses, DUE_SOON_DAYS, isOutstanding, statusAt } from "../../shared/timeline/status.ts";

const NOW = "2025-03-03T09:00:00Z";
const active = { confirmable: true, activatedAt: "2025-01-01T00:00:00Z", confirmedAt: null };

describe("statusAt: one status per occurrence, for every page", () => {
  it("tells overdue, due soon and open apart by the deadline, the due-soon edge included", () => {
    expect(statusAt({ ...active, dueAt: "2025-03-03T08:59:59Z" }, NOW)).toBe("overdue");
    expect(statusAt({ ...active, dueAt: "2025-03-03T09:00:00Z" }, NOW)).toBe("due-soon");
    expect(
      statusAt({ ...active, dueAt: `2025-03-${String(3 + DUE_SOON_DAYS).padStart(2, "0")}T09:00:00Z` }, NOW),
    ).toBe("due-soon");
    expect(statusAt({ ...active, dueAt: "2025-03-10T09:00:01Z" }, NOW)).toBe("open");
  });

  it("says waiting, not overdue, for a milestone past its planned deadline that is not active yet", () => {
    const pastDue = { confirmable: true, dueAt: "2025-02-01T00:00:00Z" };
    expect(statusAt({ ...pastDue, activatedAt: null }, NOW)).toBe("waiting");
    expect(statusAt({ ...pastDue, activatedAt: "2025-04-01T00:00:00Z" }, NOW)).toBe("waiting");
    expect(statusAt({ ...active, dueAt: null }, NOW)).toBe("waiting");
    // A state stored before activation was kept counts as active.
    expect(statusAt({ confirmable: true, dueAt: "2025-02-01T00:00:00Z" }, NOW)).toBe("overdue");
  });

  it("puts confirmed and period before everything, and on hold before the deadline's verdict", () => {
    expect(
      statusAt({ ...active, dueAt: "2025-02-01T00:00:00Z", confirmedAt: "2025-01-20T00:00:00Z" }, NOW),
    ).toBe("confirmed");
    expect(statusAt({ confirmable: false, dueAt: "2025-02-01T00:00:00Z" }, NOW)).toBe("period");
    expect(statusAt({ ...active, dueAt: "2025-02-01T00:00:00Z" }, NOW, { onHold: true })).toBe("on-hold");
    expect(
      statusAt({ ...active, dueAt: "2025-02-01T00:00:00Z", confirmedAt: "2025-01-20T00:00:00Z" }, NOW, {
        onHold: true,
      }),
    ).toBe("confirmed");
  });

  it("counts every status, zeros included, and knows which are still somebody's task", () => {
    expect(countStatuses(["overdue", "waiting", "waiting"])).toEqual({
      overdue: 1,
      "due-soon": 0,
      open: 0,
      waiting: 2,
      "on-hold": 0,
      confirmed: 0,
      period: 0,
    });
    expect(
      ["overdue", "due-soon", "open", "waiting", "on-hold", "confirmed", "period"].filter((s) =>
        isOutstanding(s as Parameters<typeof isOutstanding>[0]),
      ),
    ).toEqual(["overdue", "due-soon", "open", "waiting"]);
  });
});
