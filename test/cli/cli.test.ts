import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../../infra/cli/main.ts";

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "fristflow-cli-"));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe("fristflow validate", () => {
  it("exits 0 for every shipped template", async () => {
    const r = await run(
      "validate",
      "workflows/ishoj-staerke-faellesskaber.yaml",
      "workflows/underretning.yaml",
      "workflows/ansoegningsfrist.yaml",
    );

    expect(r.code).toBe(0);
    expect(r.out).toContain("workflows/underretning.yaml: valid");
  });

  it("exits 1 and lists located errors: file, line:column, path, what is wrong", async () => {
    const file = await tempFile(
      "bad.yaml",
      [
        "id: bad",
        "title: Forkert",
        "milestones:",
        "  - id: a",
        "    title: A",
        "    owner: unit:x",
        "    due: 2024-02-30",
        "",
      ].join("\n"),
    );

    const r = await run("validate", file);

    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      new RegExp(
        `${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:7:\\d+ milestones\\[0\\]\\.due: .*2024-02-30`,
      ),
    );
    expect(r.err).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it("a missing file is a clear error, not a crash", async () => {
    const r = await run("validate", "workflows/does-not-exist.yaml");

    expect(r.code).toBe(1);
    expect(r.err).toContain("does-not-exist.yaml");
  });
});

describe("fristflow plan", () => {
  it("prints the Ishøj timeline per daycare and school, from adoption in 2023 to anchoring in 2027", async () => {
    const r = await run(
      "plan",
      "workflows/ishoj-staerke-faellesskaber.yaml",
      "--start",
      "2023-11-01",
      "--units",
      "workflows/samples/ishoj-units.yaml",
    );

    expect(r.code).toBe(0);
    expect(r.out).toContain("30.11.2023 23:59");
    expect(r.out).toContain("Skolen ved Åen");
    expect(r.out).toContain("31.05.2027");
    expect(r.out).toMatch(/27 occurrences/);
  });

  it("--json gives the plan as data", async () => {
    const r = await run(
      "plan",
      "workflows/underretning.yaml",
      "--start",
      "2024-03-30T12:00",
      "--param",
      "caseRef=U-2024-17",
      "--param",
      "caseworker=sagsbehandler@kommune.example",
      "--json",
    );

    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out) as { occurrences: { milestoneId: string; dueAt: string }[] };
    const dues = plan.occurrences.map((o) => o.dueAt);
    expect(dues).toContain("2024-03-31T11:00:00Z"); // 24 elapsed hours across the DST change
  });

  it("refuses a CPR number as a parameter and says why", async () => {
    const r = await run(
      "plan",
      "workflows/underretning.yaml",
      "--start",
      "2024-03-30",
      "--param",
      "caseRef=010203-1234",
      "--param",
      "caseworker=a@b.example",
    );

    expect(r.code).toBe(1);
    expect(r.err).toMatch(/CPR/);
    expect(r.out).toBe("");
  });

  it("a wrong start date is a usage error with exit code 2", async () => {
    const r = await run("plan", "workflows/ishoj-staerke-faellesskaber.yaml", "--start", "1. november");

    expect(r.code).toBe(2);
    expect(r.err).toContain("--start");
  });

  it("runs as the installed command through bin/fristflow.mjs", async () => {
    const { stdout } = await promisify(execFile)("node", [
      "bin/fristflow.mjs",
      "validate",
      "workflows/ballerup-aarlig-opfoelgning.yaml",
    ]);

    expect(stdout).toContain("valid");
  });
});
