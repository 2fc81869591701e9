import { describe, expect, it } from "vitest";
import { loadUnits } from "../../shared/model/load.ts";
import { errorAt, errorsOf, expectError, lines } from "./helpers.ts";

const school = (id: string, email = "leder@skole.dk") =>
  `- { id: ${id}, name: Skole, type: school, leader: { name: Leder, email: ${email} } }`;

describe("loadUnits", () => {
  it("loads a list of units", () => {
    const result = loadUnits(lines(school("s1"), school("s2")), "units.yaml");

    expect(result.ok && result.value.map((u) => u.id)).toEqual(["s1", "s2"]);
  });

  it("refuses a duplicate unit id at the second occurrence", () => {
    const result = loadUnits(lines(school("s1"), school("s2"), school("s1")), "units.yaml");

    expectError(errorAt(result, "[2].id"), {
      line: 3,
      column: 9,
      file: "units.yaml",
      includes: ["duplicate unit id 's1'", "unit [0] (line 1) already has it"],
    });
  });

  it("refuses an invalid leader e-mail address", () => {
    const result = loadUnits(lines(school("s1", "nobody")), "units.yaml");

    expectError(errorAt(result, "[0].leader.email"), {
      line: 1,
      column: 70,
      includes: ["'nobody' is not a valid e-mail address"],
    });
  });

  it("refuses a mapping where a list is expected", () => {
    const errors = errorsOf(loadUnits(lines("id: s1"), "units.yaml"));

    expect(errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [1, 1, "the top level must be a list of units, each with id, name, type and leader; got a mapping"],
    ]);
  });
});
