import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DUE_ENTRY_FIELDS } from "../../../shared/store/ports.ts";
import { ManualClock } from "../../../shared/time/clock.ts";
import { occurrence, runningInstance } from "../fixtures.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

export function dueIndexContract(setup: StoreSetup): void {
  // Its own table: the due index spans all instances, so the lists here contain only these.
  const clock = new ManualClock("2024-06-10T10:00:00Z");
  let table: StoreHarness;
  let first: string;
  let second: string;

  beforeAll(async () => {
    table = await setup.create(clock);
    first = await runningInstance(table.stores, [
      occurrence("overdue/-/0", "2024-06-01T21:59:00Z"),
      occurrence("confirmed/-/0", "2024-06-02T21:59:00Z"),
      occurrence("exactly-now/-/0", "2024-06-10T10:00:00.000Z"),
      occurrence("future/-/0", "2024-06-20T21:59:00Z"),
      occurrence("waiting/-/0", null),
      occurrence("period/-/0", "2024-05-01T21:59:00Z", { confirmable: false }),
    ]);
    second = await runningInstance(table.stores, [
      // Written without milliseconds: must still sort as the same instant as its neighbours.
      occurrence("status/skole-a/0", "2024-06-05T08:00:00Z"),
      occurrence("status/skole-b/0", "2024-06-15T08:00:00.000Z"),
    ]);
    await table.stores.instances.recordConfirmation({
      instanceId: first,
      occurrenceKey: "confirmed/-/0",
      at: "2024-06-01T09:00:00Z",
      by: "x",
    });
  });
  afterAll(async () => {
    await table.drop();
  });

  describe("listOverdue", () => {
    it("lists open milestones due before now across instances, earliest first", async () => {
      // Act
      const overdue = await table.stores.dueIndex.overdue("2024-06-10T10:00:00Z");
      // Assess: not the confirmed one, not the one due exactly now, not future, waiting or period markers.
      expect(overdue.map((m) => [m.instanceId, m.occurrenceKey])).toEqual([
        [first, "overdue/-/0"],
        [second, "status/skole-a/0"],
      ]);
      expect(overdue[0]).toMatchObject({
        status: "open",
        dueAt: "2024-06-01T21:59:00Z",
        milestoneId: "overdue",
      });
    });

    it("reads now from the clock when not given", async () => {
      // Prepare
      clock.set("2024-06-16T00:00:00Z");
      // Act
      const overdue = await table.stores.dueIndex.overdue();
      // Assess
      expect(overdue.map((m) => m.occurrenceKey)).toEqual([
        "overdue/-/0",
        "status/skole-a/0",
        "exactly-now/-/0",
        "status/skole-b/0",
      ]);
    });
  });

  describe("listDueBetween", () => {
    it("lists open milestones due in [from, to)", async () => {
      // Act
      const due = await table.stores.dueIndex.dueBetween("2024-06-05T08:00:00Z", "2024-06-15T08:00:00Z");
      // Assess
      expect(due.map((m) => m.occurrenceKey)).toEqual(["status/skole-a/0", "exactly-now/-/0"]);
    });

    it("follows a moved deadline", async () => {
      // Prepare
      await table.stores.instances.moveDeadline(first, "future/-/0", "2024-06-06T21:59:00Z", "admin");
      // Act
      const due = await table.stores.dueIndex.dueBetween("2024-06-06T00:00:00Z", "2024-06-07T00:00:00Z");
      const later = await table.stores.dueIndex.dueBetween("2024-06-20T00:00:00Z", "2024-06-21T00:00:00Z");
      // Assess
      expect(due.map((m) => m.occurrenceKey)).toEqual(["future/-/0"]);
      expect(later).toEqual([]);
    });
  });

  describe("entries", () => {
    const keys = (list: { instanceId: string; occurrenceKey: string }[]) =>
      list.map((m) => `${m.instanceId} ${m.occurrenceKey}`);

    it("lists what overdue and dueBetween list, in one range, earliest first", async () => {
      // Act
      const before = await table.stores.dueIndex.entries(null, "2024-06-10T10:00:00Z");
      const between = await table.stores.dueIndex.entries("2024-06-05T08:00:00Z", "2024-06-15T08:00:00Z");
      // Assess
      expect(keys(before)).toEqual(keys(await table.stores.dueIndex.overdue("2024-06-10T10:00:00Z")));
      expect(keys(between)).toEqual(
        keys(await table.stores.dueIndex.dueBetween("2024-06-05T08:00:00Z", "2024-06-15T08:00:00Z")),
      );
      expect(between.length).toBeGreaterThan(1);
      expect(
        keys(await table.stores.dueIndex.entries("2024-06-30T00:00:00Z", "2024-07-01T00:00:00Z")),
      ).toEqual([]);
    });

    it("gives only the entry's fields, the same as the whole item has", async () => {
      // Act
      const [entry] = await table.stores.dueIndex.entries(null, "2024-06-02T00:00:00Z");
      const [whole] = await table.stores.dueIndex.overdue("2024-06-02T00:00:00Z");
      // Assess
      expect(entry).toBeDefined();
      for (const field of Object.keys(entry ?? {})) expect(DUE_ENTRY_FIELDS).toContain(field);
      expect(entry).toMatchObject({
        instanceId: first,
        occurrenceKey: "overdue/-/0",
        milestoneId: "overdue",
        dueAt: "2024-06-01T21:59:00Z",
        status: "open",
        confirmable: true,
      });
      const expected = Object.fromEntries(
        Object.entries(whole ?? {}).filter(([k]) => (DUE_ENTRY_FIELDS as readonly string[]).includes(k)),
      );
      expect(entry).toEqual(expected);
    });
  });
}
