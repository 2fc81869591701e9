/**
 * The shipped workflow templates (workflows/*.yaml) and sample directories (workflows/samples/*.yaml)
 * are valid against the definition language in shared/model/schema.ts.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Unit, UnitsFileSchema, type Workflow, WorkflowSchema } from "../../shared/model/schema.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const workflowsDir = join(root, "workflows");
const samplesDir = join(workflowsDir, "samples");
const loaderPath = join(root, "shared/model/load.ts");

const templateFiles = readdirSync(workflowsDir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

const EXPECTED_TEMPLATES = [
  "aalborg-aarlig-opdatering",
  "albertslund-boernepolitik",
  "ansoegningsfrist",
  "ballerup-aarlig-opfoelgning",
  "boernefaglig-undersoegelse",
  "ishoj-staerke-faellesskaber",
  "opfoelgning-paa-indsats",
  "underretning",
];

const CASE_TEMPLATES = [
  "underretning",
  "boernefaglig-undersoegelse",
  "opfoelgning-paa-indsats",
  "ansoegningsfrist",
];

function readText(file: string): string {
  return readFileSync(file, "utf8");
}

function parseWorkflow(file: string): Workflow {
  const result = WorkflowSchema.safeParse(parse(readText(join(workflowsDir, file))));
  if (!result.success) {
    throw new Error(
      `${file}: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return result.data;
}

function parseUnits(file: string): Unit[] {
  const result = UnitsFileSchema.safeParse(parse(readText(join(samplesDir, file))));
  if (!result.success) {
    throw new Error(
      `${file}: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return result.data;
}

function countByType(units: Unit[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const u of units) counts[u.type] = (counts[u.type] ?? 0) + 1;
  return counts;
}

describe("workflow templates", () => {
  it("ships the expected templates", () => {
    expect(templateFiles.map((f) => basename(f, ".yaml"))).toEqual(EXPECTED_TEMPLATES);
  });

  it.each(templateFiles)("%s parses and validates against WorkflowSchema", (file) => {
    const raw: unknown = parse(readText(join(workflowsDir, file)));
    const result = WorkflowSchema.safeParse(raw);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it.each(templateFiles)("%s has an id equal to its file name", (file) => {
    expect(parseWorkflow(file).id).toBe(basename(file, ".yaml"));
  });

  it("workflow ids are unique", () => {
    const ids = templateFiles.map((f) => parseWorkflow(f).id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(templateFiles)("%s has unique milestone ids and only known references", (file) => {
    const wf = parseWorkflow(file);
    const ids = wf.milestones.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of wf.milestones) {
      for (const dep of m.after) expect(ids, `${m.id} after ${dep}`).toContain(dep);
      if (typeof m.due === "object" && m.due.from !== "start") expect(ids).toContain(m.due.from);
      const recipients = [
        m.owner,
        ...(m.escalation ? [m.escalation.to] : []),
        ...m.notices.map((n) => n.to),
      ].filter((r): r is string => r !== undefined);
      for (const r of recipients) {
        if (r.startsWith("param:")) expect(Object.keys(wf.parameters), `${m.id}: ${r}`).toContain(r.slice(6));
      }
    }
  });

  it.each(templateFiles)("%s names its source, has English titles and closes on Danish holidays", (file) => {
    const wf = parseWorkflow(file);
    expect(wf.source ?? "").not.toBe("");
    expect(wf.calendar.holidays).toBe("DK");
    for (const m of [wf, ...wf.milestones]) {
      expect(
        typeof m.title === "object" && m.title.en,
        `${"id" in m ? m.id : ""} has an English title`,
      ).toBeTruthy();
    }
  });

  it.each(templateFiles)("%s bounds every recurrence", (file) => {
    for (const m of parseWorkflow(file).milestones) {
      if (m.recurrence)
        expect(m.recurrence.until !== undefined || m.recurrence.count !== undefined).toBe(true);
    }
  });
});

describe("case-deadline templates", () => {
  it.each(CASE_TEMPLATES)("%s takes a case reference, a caseworker and an optional team leader", (id) => {
    const wf = parseWorkflow(`${id}.yaml`);
    expect(wf.parameters.caseRef).toMatchObject({ type: "string", required: true });
    expect(wf.parameters.caseRef?.pattern).toBeTruthy();
    expect(wf.parameters.caseworker).toMatchObject({ type: "email", required: true });
    expect(wf.parameters.teamleader).toMatchObject({ type: "email", required: false });
    for (const m of wf.milestones) {
      expect(m.owner).toBe("param:caseworker");
      const escalation = m.escalation ?? wf.defaults.escalation;
      expect(escalation === false ? "off" : escalation.to).toBe("param:teamleader");
    }
  });

  it.each(CASE_TEMPLATES)(
    "%s case reference pattern refuses a CPR number and accepts a case number",
    (id) => {
      const pattern = parseWorkflow(`${id}.yaml`).parameters.caseRef?.pattern ?? "";
      const full = new RegExp(`^(?:${pattern})$`);
      for (const cpr of ["010203-1234", "0102031234"]) expect(full.test(cpr), cpr).toBe(false);
      for (const ref of ["UND-2026-00123", "27.24.00-G01-12-26"]) expect(full.test(ref), ref).toBe(true);
    },
  );

  it.each(CASE_TEMPLATES)("%s has no parameter that invites a CPR number or a name", (id) => {
    const names = Object.keys(parseWorkflow(`${id}.yaml`).parameters).map((n) => n.toLowerCase());
    for (const n of names) expect(n).not.toMatch(/cpr|personnummer|name|navn/);
  });

  it("underretning: assessment 24 hours after receipt, receipt within 6 working days, hourly reminders", () => {
    const wf = parseWorkflow("underretning.yaml");
    const vurdering = wf.milestones.find((m) => m.id === "vurdering");
    const kvittering = wf.milestones.find((m) => m.id === "kvittering");
    expect(vurdering?.due).toBe("PT24H");
    expect(vurdering?.reminders).toContain("PT4H");
    expect(vurdering?.escalation).toMatchObject({ to: "param:teamleader", after: "PT1H", every: "PT2H" });
    expect(kvittering?.due).toBe("6 working days");
  });

  it("ansoegningsfrist: a fixed published deadline and a notice to the applicant before it", () => {
    const wf = parseWorkflow("ansoegningsfrist.yaml");
    expect(wf.parameters.applicant).toMatchObject({ type: "email", required: false });
    const [afgoerelse] = wf.milestones;
    expect(afgoerelse?.due).toBe("P8W");
    expect(afgoerelse?.notices).toEqual([{ to: "param:applicant", before: "P5D" }]);
  });

  it("boernefaglig-undersoegelse is due 4 months after the start", () => {
    expect(parseWorkflow("boernefaglig-undersoegelse.yaml").milestones[0]?.due).toBe("P4M");
  });

  it("opfoelgning-paa-indsats: first within 3 months, then every 6 months, bounded", () => {
    const [first, ongoing] = parseWorkflow("opfoelgning-paa-indsats.yaml").milestones;
    expect(first?.due).toBe("P3M");
    expect(ongoing?.due).toEqual({ in: "P6M", from: "foerste-opfoelgning" });
    expect(ongoing?.recurrence).toMatchObject({ every: "P6M", count: 6 });
  });
});

describe("Ishøj timeline follows the strategy's Tidsplan/opfølgning", () => {
  const wf = parseWorkflow("ishoj-staerke-faellesskaber.yaml");
  const byId = new Map(wf.milestones.map((m) => [m.id, m]));

  it("has the strategy's dates and order", () => {
    expect(byId.get("vedtagelse")?.due).toBe("2023-11-30");
    expect(byId.get("kommunal-handleplan")).toMatchObject({
      owner: "unit:forvaltning",
      due: "2024-10-31",
      after: ["vedtagelse"],
    });
    expect(byId.get("lokal-handleplan")).toMatchObject({
      forEach: ["daycare", "school"],
      due: "2024-10-31",
      after: ["vedtagelse"],
    });
    expect(byId.get("praesentation-buu")).toMatchObject({ due: "2024-11-30", after: ["lokal-handleplan"] });
    expect(byId.get("implementering")).toMatchObject({ due: "2027-05-31", confirm: false });
    expect(byId.get("aarlig-status")).toMatchObject({
      due: "2025-05-31",
      recurrence: { every: "P1Y", until: "2027-05-31" },
    });
    expect(byId.get("forankring")?.after).toEqual(["implementering"]);
  });

  it("fans out over unit types that the Ishøj sample directory has", () => {
    const types = new Set(parseUnits("ishoj-units.yaml").map((u) => u.type));
    for (const m of wf.milestones) for (const t of m.forEach ?? []) expect(types).toContain(t);
  });
});

describe("sample directories", () => {
  it("ishoj-units.yaml: 15 daycares, 4 schools and the administration", () => {
    const units = parseUnits("ishoj-units.yaml");
    expect(countByType(units)).toEqual({ daycare: 15, school: 4, administration: 1 });
    expect(units.find((u) => u.id === "forvaltning")?.type).toBe("administration");
  });

  it("ballerup-units.yaml: reference groups and the administration", () => {
    const units = parseUnits("ballerup-units.yaml");
    expect(countByType(units)["reference-group"]).toBeGreaterThanOrEqual(2);
    expect(units.find((u) => u.id === "forvaltning")?.type).toBe("administration");
  });

  it.each(["ishoj-units.yaml", "ballerup-units.yaml"])(
    "%s: unique ids, fictional .example addresses",
    (file) => {
      const units = parseUnits(file);
      expect(new Set(units.map((u) => u.id)).size).toBe(units.length);
      for (const u of units) {
        for (const person of [u.leader, u.manager]) {
          if (person) expect(person.email).toMatch(/@[a-z]+\.example$/);
        }
      }
    },
  );

  it("every unit:<id> owner in a template exists in the sample directory of its municipality", () => {
    const directories: Record<string, string> = {
      "ishoj-staerke-faellesskaber": "ishoj-units.yaml",
      "ballerup-aarlig-opfoelgning": "ballerup-units.yaml",
    };
    for (const [id, unitsFile] of Object.entries(directories)) {
      const unitIds = new Set(parseUnits(unitsFile).map((u) => u.id));
      for (const m of parseWorkflow(`${id}.yaml`).milestones) {
        if (m.owner?.startsWith("unit:")) expect(unitIds).toContain(m.owner.slice(5));
      }
    }
  });
});

describe.runIf(existsSync(loaderPath))("full loader (shared/model/load.ts)", () => {
  it.each(templateFiles)("loadWorkflow accepts %s", async (file) => {
    const { loadWorkflow } = (await import(loaderPath)) as {
      loadWorkflow: (text: string, file: string) => { ok: boolean; errors?: unknown };
    };
    const result = loadWorkflow(readText(join(workflowsDir, file)), file);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it.each(["ishoj-units.yaml", "ballerup-units.yaml"])("loadUnits accepts samples/%s", async (file) => {
    const { loadUnits } = (await import(loaderPath)) as {
      loadUnits: (text: string, file: string) => { ok: boolean; errors?: unknown };
    };
    const result = loadUnits(readText(join(samplesDir, file)), file);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});
