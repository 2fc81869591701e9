import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "../http/harness.ts";
import { type Client, visibleText } from "./client.ts";
import { adminHarness } from "./fixtures.ts";

let h: Harness;
let admin: Client;

beforeAll(async () => {
  ({ h, admin } = await adminHarness());
});
afterAll(async () => {
  await h.close();
});

const HEADER = "id;name;type;leader_name;leader_email;manager_name;manager_email";

describe("the directory", () => {
  it("lists units with id, name, type, leader and manager, escaping names", async () => {
    await h.table.stores.units.put({
      id: "skole-x",
      name: "<script>alert(1)</script>",
      type: "skole",
      leader: { name: "X", email: "x@example.dk" },
    });
    const page = await admin.get("/units");
    const text = visibleText(page.text);
    expect(page.status).toBe(200);
    expect(text).toContain("Enheder");
    expect(text).toContain(
      "skole-a Skole A skole Lene Leder lene@skole-a.example.dk Mads Chef mads@example.dk",
    );
    expect(page.text).not.toContain("<script>");
    expect(page.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("edits a unit, showing field errors in Danish and keeping the rest of what was typed", async () => {
    // Act
    const bad = await admin.post("/units/skole-b/edit", {
      name: "Skole B",
      type: "skole",
      leader_name: "",
      leader_email: "bo@",
      manager_name: "Chef uden mail",
      manager_email: "",
    });
    const good = await admin.post("/units/skole-b/edit", {
      id: "forsoeg-paa-nyt-id",
      name: "Skole B (ny)",
      type: "skole",
      leader_name: "Bo Leder",
      leader_email: "bo@skole-b.example.dk",
      manager_name: "",
      manager_email: "",
    });
    // Assess
    expect(bad.status).toBe(400);
    const text = visibleText(bad.text);
    expect(text).toContain("Leder: Navn: skal udfyldes");
    expect(text).toContain("Leder: E-mail: ugyldig e-mail");
    expect(text).toContain("Chef: E-mail: udfyld både navn og e-mail, eller ingen af dem");
    expect(bad.text).toContain('value="Chef uden mail"');
    expect(bad.text).toMatch(/id="f-leader_email" name="leader_email" value="bo@"[^>]*aria-invalid="true"/);
    expect(good.location).toBe("/units?saved=skole-b");
    expect((await h.table.stores.units.get("skole-b"))?.name).toBe("Skole B (ny)");
    expect(await h.table.stores.units.get("forsoeg-paa-nyt-id")).toBeNull();
    expect((await admin.get("/units?saved=skole-b")).text).toContain("Skole B (ny) er gemt.");
  });

  it("creates a unit and refuses an id that exists", async () => {
    const fields = { name: "Ny", type: "skole", leader_name: "N", leader_email: "n@example.dk" };
    const taken = await admin.post("/units/_new", { id: "skole-a", ...fields });
    const created = await admin.post("/units/_new", { id: "ny-skole", ...fields });
    expect(taken.status).toBe(400);
    expect(visibleText(taken.text)).toContain("Id: en enhed med dette id findes allerede");
    expect(created.location).toBe("/units?saved=ny-skole");
    expect(await h.table.stores.units.get("ny-skole")).not.toBeNull();
  });

  it("deletes a unit only after the confirmation step", async () => {
    const confirm = await admin.get("/units/ny-skole/delete");
    expect(confirm.text).toContain("Slet Ny?");
    expect(await h.table.stores.units.get("ny-skole")).not.toBeNull();
    const deleted = await admin.post("/units/ny-skole/delete", {});
    expect(deleted.location).toBe("/units?deleted=ny-skole");
    expect(await h.table.stores.units.get("ny-skole")).toBeNull();
  });
});

describe("the CSV import", () => {
  it("imports a hundred units in one go, and refuses a file of more with what to do, storing none", async () => {
    // Arrange
    const before = await h.table.stores.units.list();
    const rows = (n: number, prefix: string) =>
      Array.from(
        { length: n },
        (_, i) => `${prefix}-${i};Dagtilbud ${i};daycare;Leder ${i};leder${i}@example.dk;;`,
      );
    const hundred = [HEADER, ...rows(100, "hundred")].join("\r\n");
    const tooMany = [HEADER, ...rows(101, "toomany")].join("\r\n");
    // Act
    const refused = await admin.post("/units/_import", { action: "preview", csv: tooMany });
    const preview = await admin.post("/units/_import", { action: "preview", csv: hundred });
    const hash = /name="previewHash" value="([0-9a-f]+)"/.exec(preview.text)?.[1] ?? "";
    const imported = await admin.post("/units/_import", {
      action: "import",
      csv: hundred,
      previewHash: hash,
    });
    // Assess
    expect(refused.status).toBe(400);
    expect(visibleText(refused.text)).toContain("Filen har 101 enheder. En import kan højst have 100");
    expect((await h.table.stores.units.list()).filter((u) => u.id.startsWith("toomany-"))).toEqual([]);
    expect(imported.location).toBe("/units?imported=100");
    const after = await h.table.stores.units.list();
    expect(after.filter((u) => u.id.startsWith("hundred-"))).toHaveLength(100);
    expect(after.length).toBe(before.length + 100);
  });

  it("imports nothing when a row is bad, and says which row and field", async () => {
    // Arrange
    const before = await h.table.stores.units.list();
    const csv = [
      HEADER,
      "dag-a;Dagtilbud A;daycare;Anna;anna@example.dk;;",
      "dag-b;Dagtilbud B;daycare;Berit;berit@example.dk;;",
      "dag-c;Dagtilbud C;daycare;Carl;carl(at)example.dk;;",
    ].join("\r\n");
    // Act
    const preview = await admin.post("/units/_import", { action: "preview", csv });
    const forced = await admin.post("/units/_import", { action: "import", csv, previewHash: "x" });
    // Assess
    expect(preview.status).toBe(400);
    expect(visibleText(preview.text)).toContain("1 fejl – intet er importeret");
    expect(visibleText(preview.text)).toContain("række 4: leader_email: ugyldig e-mail");
    expect(forced.status).toBe(400);
    expect(await h.table.stores.units.list()).toEqual(before);
  });

  it("previews first, then imports exactly the previewed file (also uploaded with a BOM)", async () => {
    // Arrange
    const csv = `\uFEFF${HEADER}\r\ndag-a;"Dagtilbud A; Vest";daycare;Anna;anna@example.dk;Dorte;dorte@example.dk\r\nskole-a;Skole A;skole;Lene Leder;lene@skole-a.example.dk;;\r\n`;
    // Act
    const preview = await admin.upload(
      "/units/_import",
      { action: "preview", csv: "" },
      { field: "csvFile", name: "enheder.csv", bytes: new TextEncoder().encode(csv) },
    );
    const hash = /name="previewHash" value="([0-9a-f]+)"/.exec(preview.text)?.[1] ?? "";
    const shownCsv = (
      /<textarea id="f-csv" name="csv"[^>]*>([\s\S]*?)<\/textarea>/.exec(preview.text)?.[1] ?? ""
    )
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
    const stale = await admin.post("/units/_import", {
      action: "import",
      csv: shownCsv.replace("Anna", "Annika"),
      previewHash: hash,
    });
    const unitsAfterStale = await h.table.stores.units.get("dag-a");
    const imported = await admin.post("/units/_import", {
      action: "import",
      csv: shownCsv,
      previewHash: hash,
    });
    // Assess
    expect(preview.status).toBe(200);
    const text = visibleText(preview.text);
    expect(text).toContain("Forhåndsvisning");
    expect(text).toMatch(
      /2 ny dag-a Dagtilbud A; Vest daycare Anna anna@example\.dk Dorte dorte@example\.dk/,
    );
    expect(text).toMatch(/3 opdateres skole-a Skole A/);
    expect(text).toContain("Importér 2 enheder");
    // A text changed after the preview is previewed again, not imported.
    expect(stale.status).toBe(200);
    expect(stale.text).toContain("Annika");
    expect(unitsAfterStale).toBeNull();
    expect(imported.location).toBe("/units?imported=2");
    expect((await h.table.stores.units.get("dag-a"))?.manager?.name).toBe("Dorte");
    expect((await admin.get("/units?imported=2")).text).toContain("2 enheder er importeret.");
  });

  it("refuses a file that is not UTF-8 with advice", async () => {
    const latin1 = Uint8Array.from([...Buffer.from(`${HEADER}\ndag-z;B`, "utf8"), 0xf8, 0x0a]);
    const page = await admin.upload(
      "/units/_import",
      { action: "preview", csv: "" },
      { field: "csvFile", name: "enheder.csv", bytes: latin1 },
    );
    expect(page.status).toBe(400);
    expect(page.text).toContain("CSV UTF-8");
  });

  it("shows a directory of more than 50 units a page at a time, and says a page number that is not one", async () => {
    // Arrange: enough units for two pages, whatever the earlier tests left.
    const added = Array.from({ length: 60 }, (_, i) => `side-${String(i).padStart(2, "0")}`);
    for (const id of added)
      await h.table.stores.units.put({
        id,
        name: `Enhed ${id}`,
        type: "daycare",
        leader: { name: "L", email: "l@example.dk" },
      });
    const total = (await h.table.stores.units.list()).length;
    try {
      // Act
      const first = await admin.get("/units");
      const second = await admin.get("/units?page=2");
      const bad = await admin.get("/units?page=to");
      // Assess
      const rowsOf = (markup: string) => (markup.match(/<tr><td data-label=/g) ?? []).length;
      expect(first.status).toBe(200);
      expect(rowsOf(first.text)).toBe(50);
      expect(visibleText(first.text)).toContain(`Viser 1–50 af ${total}`);
      expect(first.text).toContain('<a rel="next" href="/units?page=2">Næste</a>');
      expect(rowsOf(second.text)).toBe(Math.min(50, total - 50));
      expect(second.text).toContain('<a rel="prev" href="/units">Forrige</a>');
      expect(bad.status).toBe(400);
      expect(visibleText(bad.text)).toContain("Sider: Sidetallet skal være et helt tal fra 1 og op.");
      expect(rowsOf(bad.text)).toBe(50);
    } finally {
      for (const id of added) await h.table.stores.units.delete(id);
    }
  });
});
