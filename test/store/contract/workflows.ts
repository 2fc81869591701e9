import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../../shared/time/clock.ts";
import { uniqueId, workflow } from "../fixtures.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

export function workflowContract(setup: StoreSetup): void {
  describe("workflow definition versions", () => {
    const clock = new ManualClock("2024-03-01T09:00:00Z");
    let table: StoreHarness;

    beforeAll(async () => {
      table = await setup.create(clock);
    });
    afterAll(async () => {
      await table.drop();
    });

    it("numbers versions 1, 2, … and keeps every version readable", async () => {
      // Prepare
      const id = uniqueId("wf");
      // Act
      const first = await table.stores.workflows.putVersion({
        workflowId: id,
        source: "title: Første",
        definition: workflow(id, "Første"),
        createdBy: "anna",
      });
      clock.advance("PT1H");
      const second = await table.stores.workflows.putVersion({
        workflowId: id,
        source: "title: Anden",
        definition: workflow(id, "Anden"),
        createdBy: "bo",
      });
      // Assess
      expect([first.version, second.version]).toEqual([1, 2]);
      const latest = await table.stores.workflows.get(id);
      expect(latest).toMatchObject({
        version: 2,
        source: "title: Anden",
        createdBy: "bo",
        createdAt: "2024-03-01T10:00:00Z",
      });
      expect(latest?.definition.title).toBe("Anden");
      const v1 = await table.stores.workflows.get(id, 1);
      expect(v1).toMatchObject({ version: 1, createdBy: "anna", createdAt: "2024-03-01T09:00:00Z" });
      expect(v1?.definition).toEqual(workflow(id, "Første"));
      expect(await table.stores.workflows.listVersions(id)).toEqual([
        { workflowId: id, version: 1, createdAt: "2024-03-01T09:00:00Z", createdBy: "anna" },
        { workflowId: id, version: 2, createdAt: "2024-03-01T10:00:00Z", createdBy: "bo" },
      ]);
    });

    it("returns null for an unknown workflow or version", async () => {
      // Prepare
      const id = uniqueId("wf");
      await table.stores.workflows.putVersion({
        workflowId: id,
        source: "x",
        definition: workflow(id),
        createdBy: "a",
      });
      // Act
      const unknown = await table.stores.workflows.get(uniqueId("nope"));
      const unknownVersion = await table.stores.workflows.get(id, 2);
      // Assess
      expect(unknown).toBeNull();
      expect(unknownVersion).toBeNull();
    });

    it("gives two concurrent saves versions 1 and 2, never two 1s", async () => {
      // Prepare
      const id = uniqueId("wf");
      // Act
      const saved = await Promise.all(
        ["a", "b"].map((by) =>
          table.stores.workflows.putVersion({
            workflowId: id,
            source: by,
            definition: workflow(id),
            createdBy: by,
          }),
        ),
      );
      // Assess
      expect(saved.map((s) => s.version).sort()).toEqual([1, 2]);
      const stored = await Promise.all([1, 2].map((v) => table.stores.workflows.get(id, v)));
      expect(stored.map((s) => s?.source).sort()).toEqual(["a", "b"]);
      expect((await table.stores.workflows.get(id))?.version).toBe(2);
    });

    it("numbers eight concurrent saves 1 to 8 without gaps", async () => {
      // Prepare
      const id = uniqueId("wf");
      const savers = Array.from({ length: 8 }, (_, i) => `saver-${i}`);
      // Act
      const saved = await Promise.all(
        savers.map((by) =>
          table.stores.workflows.putVersion({
            workflowId: id,
            source: by,
            definition: workflow(id),
            createdBy: by,
          }),
        ),
      );
      // Assess
      expect(saved.map((s) => s.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const versions = await table.stores.workflows.listVersions(id);
      expect(versions.map((v) => v.createdBy).sort()).toEqual([...savers].sort());
    });

    it("lists each workflow once, with its latest version and title", async () => {
      // Prepare
      const a = uniqueId("wf-a");
      const b = uniqueId("wf-b");
      await table.stores.workflows.putVersion({
        workflowId: a,
        source: "1",
        definition: workflow(a, "A1"),
        createdBy: "x",
      });
      await table.stores.workflows.putVersion({
        workflowId: a,
        source: "2",
        definition: workflow(a, "A2"),
        createdBy: "y",
      });
      await table.stores.workflows.putVersion({
        workflowId: b,
        source: "1",
        definition: workflow(b, "B1"),
        createdBy: "z",
      });
      // Act
      const listed = await table.stores.workflows.list();
      // Assess
      const mine = listed.filter((w) => w.workflowId === a || w.workflowId === b);
      expect(mine).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ workflowId: a, latestVersion: 2, title: "A2", latestBy: "y" }),
          expect.objectContaining({ workflowId: b, latestVersion: 1, title: "B1", latestBy: "z" }),
        ]),
      );
      expect(mine).toHaveLength(2);
    });
  });
}
