/**
 * The instance list's search (shared/dashboard/instances/list-filter.ts), pure: what the query
 * takes and refuses, by field, matching an instance, and the query paging links carry.
 */
import { describe, expect, it } from "vitest";
import {
  instanceQuery,
  matchesInstance,
  needsRecords,
  parseInstanceFilter,
} from "../../shared/dashboard/instances/list-filter.ts";

const parse = (query: string) => parseInstanceFilter(new URLSearchParams(query));

describe("the instance list's search", () => {
  it("takes workflow, status, unit, case reference, name and page; empty fields are no filter", () => {
    expect(parse("workflow=underretning&status=running&unit=skole-a&ref=+und+&name=&page=2")).toEqual({
      ok: true,
      filter: { workflow: "underretning", status: "running", unit: "skole-a", ref: "und", page: 2 },
    });
    expect(parse("")).toEqual({ ok: true, filter: { page: 1 } });
  });

  it("refuses each bad field with its reason", () => {
    const result = parse(`workflow=Ikke_et_id&status=paused&ref=${"x".repeat(101)}&page=-1`);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(Object.fromEntries(result.errors)).toEqual({
        workflow: "badId",
        status: "badStatus",
        ref: "tooLong",
        page: "badPage",
      });
  });

  it("matches unit exactly, case reference and name as parts in any case", () => {
    const facts = { unitIds: ["skole-a", "skole-b"], name: "Trappelift til Karen", caseRef: "SAG-2024-117" };
    const ok = (query: string) => {
      const result = parse(query);
      if (!result.ok) throw new Error(query);
      return matchesInstance(result.filter, facts);
    };
    expect(ok("unit=skole-b&ref=sag-2024&name=KAREN")).toBe(true);
    expect(ok("unit=skole-c")).toBe(false);
    expect(ok("ref=118")).toBe(false);
    expect(matchesInstance({ page: 1, ref: "sag" }, { ...facts, caseRef: null })).toBe(false);
  });

  it("reads records only for what the index does not carry, and writes the search back for paging", () => {
    expect(needsRecords({ page: 1, workflow: "x", status: "done" })).toBe(false);
    expect(needsRecords({ page: 1, name: "x" })).toBe(true);
    const filter = { page: 1, workflow: "underretning", name: "Karen Ø" };
    expect(instanceQuery(filter, 3)).toBe("workflow=underretning&name=Karen+%C3%98&page=3");
    expect(instanceQuery(filter, 1)).toBe("workflow=underretning&name=Karen+%C3%98");
  });
});
