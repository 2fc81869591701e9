import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadUnitsFile, loadWorkflowFile } from "../../infra/cli/files.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fristflow-model-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadWorkflowFile", () => {
  it("loads a workflow from disk, naming the file in errors", async () => {
    const path = join(dir, "w.yaml");
    await writeFile(
      path,
      "id: w\ntitle: Tæt på\nmilestones:\n  - { id: a, title: A, owner: unit:x, due: soon }\n",
    );

    const result = await loadWorkflowFile(path);

    expect(!result.ok && result.errors.map((e) => [e.file, e.line, e.path])).toEqual([
      [path, 4, "milestones[0].due"],
    ]);
  });

  it("reports a missing file as an error instead of throwing", async () => {
    const path = join(dir, "missing.yaml");

    const result = await loadWorkflowFile(path);

    expect(result).toEqual({
      ok: false,
      errors: [{ file: path, line: 0, column: 0, path: "", message: "file not found" }],
    });
  });

  it("reports a directory", async () => {
    const result = await loadWorkflowFile(dir);

    expect(!result.ok && result.errors[0]?.message).toBe("is a directory, not a file");
  });

  it("refuses a file over 512 KiB without reading it", async () => {
    const path = join(dir, "big.yaml");
    await writeFile(path, `id: w\ndescription: ${"x".repeat(600 * 1024)}\n`);

    const result = await loadWorkflowFile(path);

    expect(!result.ok && result.errors[0]?.message).toContain("at most 512 KiB");
  });

  it("refuses text that is not UTF-8", async () => {
    const path = join(dir, "latin1.yaml");
    await writeFile(path, Buffer.from("id: w\ntitle: B\xf8rn\n", "latin1"));

    const result = await loadWorkflowFile(path);

    expect(!result.ok && result.errors[0]?.message).toContain("not valid UTF-8");
  });
});

describe("loadUnitsFile", () => {
  it("loads units from disk", async () => {
    const path = join(dir, "units.yaml");
    await writeFile(
      path,
      "- { id: s1, name: Skole, type: school, leader: { name: L, email: l@skole.dk } }\n",
    );

    const result = await loadUnitsFile(path);

    expect(result.ok && result.value[0]?.leader.email).toBe("l@skole.dk");
  });
});
