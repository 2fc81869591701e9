/**
 * Bad-input cases: input that amplifies work. Huge and deeply nested YAML and JSON for the
 * parsers, plans that fan out or reach past the 50-year horizon, and reserved keys (__proto__,
 * constructor, prototype) in definitions and instance bodies.
 */
import { api, type BadCase, json, yaml } from "./support.ts";
import { definition, milestoneDefinition } from "./tables.ts";

export function amplificationCases(): BadCase[] {
  const keys = (n: number, indent: string) =>
    Array.from({ length: n }, (_, i) => `${indent}${i.toString(36)}: 1`).join("\n");
  const big = [
    ["50,000 keys under parameters (488 KB)", definition("amp", "parameters:", keys(50_000, "  "))],
    ["50,000 top-level keys", `${keys(50_000, "")}\n`],
    [
      "20,000 list items",
      `id: amp\ntitle: A\nmilestones:\n${Array.from({ length: 20_000 }, (_, i) => `  - m${i}`).join("\n")}\n`,
    ],
    [
      "2,000 milestones",
      `id: amp\ntitle: A\nmilestones:\n${Array.from({ length: 2_000 }, (_, i) => `  - { id: m${i}, title: M, owner: unit:forvaltning, due: P1M }`).join("\n")}\n`,
    ],
    [
      "a flow mapping of 40,000 keys",
      `{${Array.from({ length: 40_000 }, (_, i) => `"k${i}": 1`).join(",")}}`,
    ],
    ["100,000 nested lists", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
    ["100,000 nested mappings", `${"{a: ".repeat(100_000)}1${"}".repeat(100_000)}`],
    ["200,000 nested JSON lists", `${"[".repeat(200_000)}${"]".repeat(200_000)}`],
    ["a duplicate key among 30,000", `${keys(30_000, "")}\nk0: again\n`],
  ];
  const cases: BadCase[] = big.map(([what, body = ""]) => ({
    name: `amplification: ${what}`,
    send: yaml(body),
    status: [400],
  }));
  for (const type of ["application/json", "application/yaml"]) {
    cases.push({
      name: `amplification: 200,000-deep JSON as a definition (${type})`,
      send: () => api("POST", "/api/workflows", `${"[".repeat(200_000)}${"]".repeat(200_000)}`, type),
      status: [400],
    });
  }
  for (const [what, body] of [
    ["200,000-deep JSON instance body", `${"[".repeat(200_000)}${"]".repeat(200_000)}`],
    [
      "80,000-deep params",
      `{"workflowId":"skoleopfoelgning","start":"2024-09-01","params":${'{"a":'.repeat(80_000)}1${"}".repeat(80_000)}}`,
    ],
  ] as [string, string][]) {
    cases.push({
      name: `amplification: ${what}`,
      send: () => api("POST", "/api/instances", body),
      status: [400],
    });
  }
  cases.push({
    name: "amplification: fan-out × daily recurrence × 500 over three units",
    send: json("/api/instances", { workflowId: "amplified", start: "2024-09-01" }),
    status: [400],
    error: { path: "units", message: "at most 1000" },
  });
  for (const [what, field, path, message] of [
    ["due P999999999Y", "due: P999999999Y", "milestones[0].due", "longer than 50 years"],
    ["due PT999999999999S", "due: PT999999999999S", "milestones[0].due", "longer than 50 years"],
    ["due 99999 working days", "due: 99999 working days", "milestones[0].due", "longer than 50 years"],
    ["due in P60Y from start", "due: { in: P60Y }", "milestones[0].due.in", "longer than 50 years"],
    [
      "a reminder P51Y before",
      "due: P1M\n    reminders: [P51Y]",
      "milestones[0].reminders[0]",
      "longer than 50 years",
    ],
    [
      "recurrence until P100Y",
      "due: P1M\n    recurrence: { every: P1D, until: P100Y }",
      "milestones[0].recurrence.until",
      "longer than 50 years",
    ],
    [
      "recurrence every P1D until 2099",
      "due: 2024-09-01\n    recurrence: { every: P1D, until: 2099-12-31 }",
      "milestones[0].recurrence",
      "repeats more than 500 times",
    ],
    ["a deadline in 2199", "due: 2199-01-01", "milestones[0].due", "more than 50 years after the start"],
    [
      "escalation every P99Y",
      "due: P1M\n    escalation: { every: P99Y }",
      "milestones[0].escalation.every",
      "longer than 50 years",
    ],
  ] as [string, string, string, string][]) {
    cases.push({
      name: `plan ceiling: ${what}`,
      send: yaml(milestoneDefinition("ceiling", ...field.split("\n    "))),
      status: [400],
      error: { path, message },
    });
  }
  for (const [what, lines, path] of [
    ["__proto__ parameter", ["parameters:", "  __proto__: { type: string }"], "parameters.__proto__"],
    ["constructor parameter", ["parameters:", "  constructor: { type: string }"], "parameters.constructor"],
    ["prototype parameter", ["parameters:", "  prototype: { type: string }"], "parameters.prototype"],
    ["__proto__ key at the top", ["__proto__: { polluted: true }"], "__proto__"],
  ] as [string, string[], string][]) {
    cases.push({
      name: `reserved: ${what}`,
      send: yaml(definition("reserved", ...lines)),
      status: [400],
      error: { path, message: "reserved" },
    });
  }
  for (const [what, params, path] of [
    ["__proto__ param", '{"__proto__":{"sag":"x"}}', "params.__proto__"],
    ["constructor param", '{"constructor":"x"}', "params.constructor"],
    ["prototype param", '{"prototype":"x"}', "params.prototype"],
  ] as [string, string, string][]) {
    cases.push({
      name: `reserved: ${what} in an instance body`,
      send: () =>
        api(
          "POST",
          "/api/instances",
          `{"workflowId":"skoleopfoelgning","start":"2024-09-01","params":${params}}`,
        ),
      status: [400],
      error: { path, message: "reserved" },
    });
  }
  return cases;
}
