import { describe, expect, it } from "vitest";
import { MAX_INPUT_DEPTH, nestedDeeperThan } from "../../shared/app/admin-input.ts";

describe("the JSON body's nesting, checked before it is parsed", () => {
  it("refuses only what the input check would refuse anyway, and ignores brackets inside strings", () => {
    const nested = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
    expect(nestedDeeperThan(nested(MAX_INPUT_DEPTH), MAX_INPUT_DEPTH)).toBe(false);
    expect(nestedDeeperThan(nested(MAX_INPUT_DEPTH + 1), MAX_INPUT_DEPTH)).toBe(true);
    expect(nestedDeeperThan(nested(200_000), MAX_INPUT_DEPTH)).toBe(true);
    const brackets = JSON.stringify({
      name: "[".repeat(100),
      note: 'a \\" [[[ {{{ "',
      list: [[1], { a: [2] }],
    });
    // { list: [ [1], { a: [2] } ] } opens four at once; the strings' hundred brackets count for nothing.
    expect(nestedDeeperThan(brackets, 4)).toBe(false);
    expect(nestedDeeperThan(brackets, 3)).toBe(true);
  });
});
