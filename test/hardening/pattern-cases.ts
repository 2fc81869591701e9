/**
 * Bad-input cases: parameter patterns that take a backtracking engine exponential time, against
 * near-miss values through the API and the start form, and patterns RE2 cannot run, refused when
 * the definition is saved.
 */
import { type BadCase, form, json, yaml } from "./support.ts";
import { definition, EVIL_PATTERNS, EVIL_VALUES, REFUSED_PATTERNS } from "./tables.ts";

export function patternCases(): BadCase[] {
  const cases: BadCase[] = [];
  for (const [param, pattern] of EVIL_PATTERNS) {
    for (const [what, value] of EVIL_VALUES) {
      cases.push({
        name: `ReDoS ${pattern} against ${what}: API start`,
        send: json("/api/instances", {
          workflowId: "redos",
          start: "2024-09-01",
          params: { [param]: value },
        }),
        status: [400],
        error: { path: `params.${param}`, message: "does not match the pattern" },
      });
    }
    cases.push({
      name: `ReDoS ${pattern} against 30 a's and a '!': dashboard start form`,
      send: form("/instances/_new", {
        workflowId: "redos",
        version: "1",
        startDate: "2024-09-01",
        startTime: "",
        [`param.${param}`]: `${"a".repeat(30)}!`,
      }),
      status: [400],
      page: "har ikke det krævede format",
    });
  }
  for (const [what, pattern, message] of REFUSED_PATTERNS) {
    cases.push({
      name: `pattern with ${what}: refused at save`,
      send: yaml(
        definition("pattern", "parameters:", `  p: { type: string, pattern: ${JSON.stringify(pattern)} }`),
      ),
      status: [400],
      error: { path: "parameters.p.pattern", message },
    });
  }
  return cases;
}
