import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadWorkflow } from "../../shared/model/load.ts";
import { type Workflow, WorkflowSchema } from "../../shared/model/schema.ts";
import {
  identifyingParams,
  instanceDisplayName,
  instanceLabel,
} from "../../shared/timeline/instance-name.ts";

async function template(name: string): Promise<Workflow> {
  const source = await readFile(new URL(`../../workflows/${name}.yaml`, import.meta.url), "utf8");
  const loaded = loadWorkflow(source, `${name}.yaml`);
  if (!loaded.ok) throw new Error(`${name} does not load`);
  return loaded.value;
}

const strategy = WorkflowSchema.parse({
  id: "strategi",
  title: { da: "Stærke fællesskaber", en: "Strong communities" },
  parameters: {
    journal: { type: "string", title: { da: "Journalnummer", en: "File number" }, required: false },
    note: { type: "string", title: "Bemærkning", required: false },
    contactRef: { type: "email", title: "Kontakt", required: false },
  },
  milestones: [{ id: "plan", title: "Plan", due: "2025-01-31" }],
});

describe("instanceDisplayName", () => {
  it("calls a case by its case reference, and uses a given name before it", async () => {
    // Prepare
    const ansoegning = await template("ansoegningsfrist");
    const params = {
      caseRef: "SAG-2025-17",
      caseworker: "anne@ishoj.example",
      applicant: "borger@example.dk",
    };
    // Act & Assess
    expect(instanceDisplayName({ params }, ansoegning, "da")).toBe("SAG-2025-17");
    expect(instanceDisplayName({ name: "Hjælpemiddel til Ole", params }, ansoegning, "da")).toBe(
      "Hjælpemiddel til Ole",
    );
    expect(instanceLabel({ name: "Hjælpemiddel til Ole", params }, ansoegning, "da")).toBe(
      "Hjælpemiddel til Ole (Sagsnummer: SAG-2025-17)",
    );
    expect(instanceLabel({ params }, ansoegning, "en")).toBe("SAG-2025-17");
  });

  it("falls back to the workflow title in the reader's language, for old records and strategies", () => {
    expect(instanceDisplayName({ params: {} }, strategy, "da")).toBe("Stærke fællesskaber");
    expect(instanceDisplayName({ name: "  ", params: {} }, strategy, "en")).toBe("Strong communities");
    expect(instanceDisplayName({}, strategy, "da")).toBe("Stærke fællesskaber");
  });
});

describe("identifyingParams", () => {
  it("takes parameters whose name or title says they identify the case, never an address", async () => {
    // Prepare
    const ansoegning = await template("ansoegningsfrist");
    // Act
    const found = identifyingParams(
      { params: { caseRef: "SAG-1", caseworker: "anne@ishoj.example", applicant: "borger@example.dk" } },
      ansoegning,
      "en",
    );
    const strategyFound = identifyingParams(
      { params: { journal: "24.00.00-A00-1-25", note: "SAG-1 nævnt", contactRef: "x@y.dk" } },
      strategy,
      "da",
    );
    // Assess
    expect(found).toEqual([{ name: "caseRef", label: "Case reference", value: "SAG-1" }]);
    expect(strategyFound).toEqual([{ name: "journal", label: "Journalnummer", value: "24.00.00-A00-1-25" }]);
    expect(instanceLabel({ params: { journal: "24.00.00-A00-1-25" } }, strategy, "da")).toBe(
      "Stærke fællesskaber (Journalnummer: 24.00.00-A00-1-25)",
    );
  });

  it("leaves out a value that looks like an address, even under an identifying name", () => {
    const wf = WorkflowSchema.parse({
      id: "x",
      title: "X",
      parameters: { caseRef: { type: "string", title: "Sagsnummer" } },
      milestones: [{ id: "m", title: "M", due: "2025-01-31" }],
    });
    expect(identifyingParams({ params: { caseRef: "borger@example.dk" } }, wf, "da")).toEqual([]);
    expect(instanceDisplayName({ params: { caseRef: "borger@example.dk" } }, wf, "da")).toBe("X");
  });
});
