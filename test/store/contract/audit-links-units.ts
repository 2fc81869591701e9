import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, MAX_UNITS_PER_WRITE, NotFoundError } from "../../../shared/store/index.ts";
import { ManualClock } from "../../../shared/time/clock.ts";
import { runningInstance, uniqueId } from "../fixtures.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

export function recordContract(setup: StoreSetup): void {
  const clock = new ManualClock("2024-05-01T06:00:00Z");
  let table: StoreHarness;

  beforeAll(async () => {
    table = await setup.create(clock);
  });
  afterAll(async () => {
    await table.drop();
  });

  describe("audit trail", () => {
    it("appends an entry once per key, dated as asked, however often a re-run asks", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      const entry = {
        action: "loop.execution-started" as const,
        by: "system",
        details: { executionId: "e-1" },
      };
      // Act
      await Promise.all([
        table.stores.audit.appendOnce(id, "execution:e-1", "2024-04-30T22:00:00Z", entry),
        table.stores.audit.appendOnce(id, "execution:e-1", "2024-04-30T22:00:00Z", entry),
      ]);
      await table.stores.audit.appendOnce(id, "execution:e-1", "2024-04-30T22:00:00Z", entry);
      await table.stores.audit.appendOnce(id, "execution:e-2", "2024-05-01T06:00:00Z", entry);
      // Assess
      const trail = await table.stores.audit.list(id);
      const started = trail.filter((e) => e.action === "loop.execution-started");
      expect(started.map((e) => e.at)).toEqual(["2024-04-30T22:00:00Z", "2024-05-01T06:00:00Z"]);
      // In time order with the rest: dated before the instance's creation, it comes first.
      expect(trail[0]?.action).toBe("loop.execution-started");
    });

    it("leaves an entry out once its expiresAt has passed, before the table's TTL deletes it", async () => {
      // Prepare: one entry that expires in an hour, one that stays
      clock.set("2024-05-01T06:00:00Z");
      const id = await runningInstance(table.stores);
      const inAnHour = Math.floor(Date.parse("2024-05-01T07:00:00Z") / 1000);
      await table.stores.audit.append(id, { action: "attempts.limited", by: "limits", expiresAt: inAnHour });
      await table.stores.audit.append(id, { action: "deadline.moved", by: "admin" });
      const before = (await table.stores.audit.list(id)).map((e) => e.action);
      // Act
      clock.set("2024-05-01T07:00:00Z");
      const after = (await table.stores.audit.list(id)).map((e) => e.action);
      // Assess
      expect(before).toEqual(["instance.created", "attempts.limited", "deadline.moved"]);
      expect(after).toEqual(["instance.created", "deadline.moved"]);
    });

    it("finds the date of an entry written once, by its key alone", async () => {
      // Prepare: two once-entries whose keys share a beginning, and an ordinary entry
      const id = await runningInstance(table.stores);
      const entry = { action: "loop.execution-started", by: "system" } as const;
      await table.stores.audit.appendOnce(id, "execution:e-1", "2024-04-30T22:00:00Z", entry);
      await table.stores.audit.appendOnce(id, "execution:e-10", "2024-05-01T06:00:00Z", entry);
      await table.stores.audit.append(id, { action: "deadline.moved", by: "admin" });
      // Act
      const [first, tenth, none] = await Promise.all([
        table.stores.audit.onceDate(id, "execution:e-1"),
        table.stores.audit.onceDate(id, "execution:e-10"),
        table.stores.audit.onceDate(id, "execution:e-2"),
      ]);
      // Assess
      expect(first).toBe("2024-04-30T22:00:00Z");
      expect(tenth).toBe("2024-05-01T06:00:00Z");
      expect(none).toBeNull();
    });

    it("keeps write order, also for entries in the same millisecond", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      const steps = Array.from({ length: 12 }, (_, i) => `step-${i}`);
      // Act (the manual clock stands still: every entry has the same instant)
      for (const by of steps) await table.stores.audit.append(id, { action: "deadline.moved", by });
      const firstRead = await table.stores.audit.list(id);
      const secondRead = await table.stores.audit.list(id);
      // Assess
      expect(firstRead.map((e) => e.by)).toEqual([expect.any(String), ...steps]);
      expect(firstRead[0]?.action).toBe("instance.created");
      expect(secondRead).toEqual(firstRead);
      expect(new Set(firstRead.map((e) => e.id)).size).toBe(firstRead.length);
    });

    it("orders by time and keeps details", async () => {
      // Prepare
      const id = await runningInstance(table.stores);
      // Act
      clock.advance("PT1S");
      const entry = await table.stores.audit.append(id, {
        action: "deadline.moved",
        by: "admin:anna",
        details: { text: "ring skolen", n: 2, ok: true, none: null },
      });
      // Assess
      expect(entry).toMatchObject({ instanceId: id, at: clock.now().toString(), action: "deadline.moved" });
      expect((await table.stores.audit.list(id)).at(-1)).toEqual(entry);
    });

    it("does not let concurrent writers in the same millisecond overwrite each other", async () => {
      // Prepare: two store instances (two Lambdas) with clocks at the same instant.
      const id = await runningInstance(table.stores);
      const other = table.storesWith(new ManualClock(clock.now()));
      // Act
      await Promise.all([
        ...Array.from({ length: 5 }, (_, i) =>
          table.stores.audit.append(id, { action: "deadline.moved", by: `a${i}` }),
        ),
        ...Array.from({ length: 5 }, (_, i) =>
          other.audit.append(id, { action: "deadline.moved", by: `b${i}` }),
        ),
      ]);
      // Assess
      expect(await table.stores.audit.list(id)).toHaveLength(11);
    });
  });

  describe("directory units", () => {
    const unit = (id: string, type: string) => ({
      id,
      name: `Navn ${id}`,
      type,
      leader: { name: "Leder", email: `leder@${id}.dk` },
      manager: { name: "Chef", email: "chef@kommune.dk" },
    });

    it("puts, replaces, lists by type and deletes", async () => {
      // Prepare
      const skole = uniqueId("skole");
      const dagtilbud = uniqueId("dagtilbud");
      // Act
      await table.stores.units.put(unit(skole, "skole"));
      await table.stores.units.put(unit(dagtilbud, "dagtilbud"));
      await table.stores.units.put({ ...unit(skole, "skole"), name: "Ny skole" });
      const all = await table.stores.units.list();
      const schools = await table.stores.units.list("skole");
      await table.stores.units.delete(dagtilbud);
      // Assess
      expect(all.map((u) => u.id).sort()).toEqual([dagtilbud, skole].sort());
      expect(schools).toEqual([{ ...unit(skole, "skole"), name: "Ny skole" }]);
      expect(await table.stores.units.get(skole)).toEqual({ ...unit(skole, "skole"), name: "Ny skole" });
      expect(await table.stores.units.get(dagtilbud)).toBeNull();
      await expect(table.stores.units.delete(dagtilbud)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("puts a batch all at once, up to one transaction's 100", async () => {
      // Prepare
      const ids = Array.from({ length: MAX_UNITS_PER_WRITE }, () => uniqueId("batch"));
      const existing = ids[0] as string;
      await table.stores.units.put({ ...unit(existing, "skole"), name: "Gammelt navn" });
      // Act
      await table.stores.units.putAll(ids.map((id) => unit(id, "skole")));
      // Assess
      const stored = new Map((await table.stores.units.list("skole")).map((u) => [u.id, u]));
      expect(ids.every((id) => stored.has(id))).toBe(true);
      expect(stored.get(existing)?.name).toBe(`Navn ${existing}`);
    });

    it("writes none of a batch it refuses: too many, or one id twice", async () => {
      // Prepare
      const tooMany = Array.from({ length: MAX_UNITS_PER_WRITE + 1 }, () => unit(uniqueId("many"), "skole"));
      const twice = uniqueId("twice");
      const other = uniqueId("other");
      // Act
      const refusals = await Promise.all([
        table.stores.units.putAll(tooMany).catch((err: unknown) => err),
        table.stores.units
          .putAll([unit(other, "skole"), unit(twice, "skole"), { ...unit(twice, "skole"), name: "x" }])
          .catch((err: unknown) => err),
      ]);
      // Assess
      for (const refusal of refusals) expect(refusal).toBeInstanceOf(ConflictError);
      expect(await table.stores.units.get(tooMany[0]?.id ?? "")).toBeNull();
      expect(await table.stores.units.get(other)).toBeNull();
    });
  });

  describe("outbox", () => {
    it("lists newest first without the raw message, and returns it by id", async () => {
      // Prepare
      const older = {
        messageId: "<1@local>",
        at: "2024-05-01T06:00:00Z",
        to: ["a@x.dk"],
        subject: "Påmindelse",
        raw: "MIME 1",
      };
      const newer = {
        messageId: "<2@local>",
        at: "2024-05-01T07:00:00.000Z",
        to: ["b@x.dk", "c@x.dk"],
        subject: "Frist overskredet",
        path: ".data/outbox/2.eml",
        instanceId: "inst-1",
        notificationKey: "n-1",
      };
      // Act
      await table.stores.outbox.put(older);
      await table.stores.outbox.put(newer);
      const listed = await table.stores.outbox.list();
      const limited = await table.stores.outbox.list(1);
      // Assess
      expect(listed).toEqual([
        newer,
        { messageId: "<1@local>", at: older.at, to: older.to, subject: older.subject },
      ]);
      expect(limited.map((m) => m.messageId)).toEqual(["<2@local>"]);
      expect(await table.stores.outbox.get("<1@local>")).toEqual(older);
      expect(await table.stores.outbox.get("<missing@local>")).toBeNull();
      await expect(table.stores.outbox.put(older)).rejects.toBeInstanceOf(ConflictError);
    });
  });
}
