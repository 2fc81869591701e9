import { describe, expect, it } from "vitest";
import { sectionFor } from "../../shared/dashboard/workflows/reference-anchors.ts";
import { REFERENCE } from "../../shared/dashboard/workflows/reference-content.ts";
import { copyId, copySource, SKELETON } from "../../shared/dashboard/workflows/starting-points.ts";
import { loadWorkflow } from "../../shared/model/load.ts";
import { IdSchema } from "../../shared/model/schema.ts";

describe("starting points", () => {
  it("keeps a copy's id valid however long the original's is", () => {
    expect(copyId("underretning")).toBe("underretning-kopi");
    const long = `a${"b".repeat(62)}`;
    expect(IdSchema.safeParse(copyId(long)).success).toBe(true);
    expect(copyId(long).endsWith("-kopi")).toBe(true);
  });

  it("renames only the top-level id of a copy, a quoted one too, and leaves JSON without a comment on top", () => {
    const yaml = 'id: "flow"\ntitle: T\nmilestones:\n  - id: flow\n';
    expect(copySource(yaml, "flow", "# kopi")).toBe(
      "# kopi\nid: flow-kopi\ntitle: T\nmilestones:\n  - id: flow\n",
    );
    const json = '{ "id": "flow", "title": "T" }';
    expect(copySource(json, "flow", "# kopi")).toBe(json);
  });

  it("offers a skeleton that every bundled check accepts", () => {
    expect(loadWorkflow(SKELETON, "skeleton.yaml")).toMatchObject({ ok: true });
  });
});

describe("the reference section of an error", () => {
  it("is read from the path's keys, the CPR rule from the message", () => {
    const at = (path: string, message = "x") => sectionFor({ path, message });
    expect(at("milestones[2].due")).toBe("time");
    expect(at("milestones[2].due.from")).toBe("time");
    expect(at("milestones[0].forEach[1]")).toBe("fan-out");
    expect(at("milestones[1].escalation.to")).toBe("reminders");
    expect(at("defaults.reminders[0]")).toBe("reminders");
    expect(at("milestones[3]")).toBe("milestone-keys");
    expect(at("parameters.caseRef.pattern")).toBe("parameters");
    expect(at('parameters["0102031234"]', "the key looks like a CPR number; …")).toBe("cpr");
    expect(at("calendar.closingDays[0]")).toBe("time");
    expect(at("language")).toBe("workflow-keys");
    expect(at("")).toBe("validation");
    for (const path of ["milestones[0].recurrence.until", "milestones[0].owner", "milestones[0].after[0]"]) {
      expect(Object.keys(REFERENCE)).toContain(at(path));
    }
  });
});
