/**
 * Bad-input cases: a CPR number, spelt every way people and programs write one (tables.ts), in
 * every field that takes text (YAML and JSON definitions, API bodies, dashboard forms, a CSV
 * import), and split across YAML lines. Refused without the number coming back.
 */
import { UNITS } from "../http/app-harness.ts";
import { api, app, type BadCase, CPR_PAGE, csvRow, form, json, unitFields, yaml } from "./support.ts";
import { CPR_SPELLINGS, CPR_TRACES, definition } from "./tables.ts";

export function cprCases(): BadCase[] {
  const cases: BadCase[] = [];
  for (const [spelling, cpr] of CPR_SPELLINGS) {
    const quoted = JSON.stringify(cpr);
    const refused = { status: [400], notEchoed: [cpr, ...CPR_TRACES] };
    const apiCpr = (path: string) => ({ ...refused, error: { path, message: "CPR" } });
    const pageCpr = { ...refused, page: CPR_PAGE };
    cases.push(
      {
        name: `CPR ${spelling}: YAML title`,
        send: yaml(definition("cpr-a").replace("title: Prøve", `title: ${quoted}`)),
        ...apiCpr("title"),
      },
      {
        name: `CPR ${spelling}: YAML description`,
        send: yaml(definition("cpr-b", `description: ${quoted}`)),
        ...apiCpr("description"),
      },
      {
        name: `CPR ${spelling}: YAML comment`,
        send: yaml(definition("cpr-c", `# Sag: ${cpr.replace(/[\r\n]/g, " ")}`)),
        ...apiCpr(""),
      },
      {
        name: `CPR ${spelling}: YAML parameter title`,
        send: yaml(definition("cpr-d", "parameters:", `  sag: { type: string, title: ${quoted} }`)),
        ...apiCpr("parameters.sag.title"),
      },
      {
        name: `CPR ${spelling}: YAML source`,
        send: yaml(definition("cpr-e", `source: ${quoted}`)),
        ...apiCpr("source"),
      },
      {
        name: `CPR ${spelling}: JSON definition, milestone description`,
        send: () =>
          api(
            "POST",
            "/api/workflows",
            JSON.stringify({
              id: "cpr-f",
              title: "Prøve",
              milestones: [
                { id: "plan", title: "Plan", description: cpr, owner: "unit:forvaltning", due: "P1M" },
              ],
            }),
          ),
        ...apiCpr("milestones[0].description"),
      },
      {
        name: `CPR ${spelling}: API instance parameter`,
        send: json("/api/instances", {
          workflowId: "skoleopfoelgning",
          start: "2024-09-01",
          params: { sag: cpr },
        }),
        ...apiCpr("params.sag"),
      },
      {
        name: `CPR ${spelling}: API unit name`,
        send: json("/api/units/skole-a", { ...UNITS[0], name: cpr }, "PUT"),
        ...apiCpr("name"),
      },
      {
        name: `CPR ${spelling}: API leader name`,
        send: json(
          "/api/units/skole-a",
          { ...UNITS[0], leader: { name: cpr, email: "l@example.dk" } },
          "PUT",
        ),
        ...apiCpr("leader.name"),
      },
      {
        name: `CPR ${spelling}: API cancel reason after 490 characters (before the cut to 500)`,
        send: () =>
          api(
            "POST",
            `/api/instances/${app().runningId}/cancel`,
            JSON.stringify({ reason: `${"x".repeat(490)} ${cpr}` }),
          ),
        ...apiCpr("reason"),
      },
      {
        name: `CPR ${spelling}: API delete-version reason`,
        send: json("/api/workflows/skoleopfoelgning/versions/1", { reason: cpr }, "DELETE"),
        ...apiCpr("reason"),
      },
      {
        name: `CPR ${spelling}: dashboard unit name`,
        send: form("/units/_new", unitFields("name", cpr)),
        ...pageCpr,
      },
      {
        name: `CPR ${spelling}: dashboard unit edit, leader name`,
        send: form("/units/skole-b/edit", { ...unitFields("leader_name", cpr), id: "skole-b" }),
        ...pageCpr,
      },
      {
        name: `CPR ${spelling}: CSV import`,
        send: form("/units/_import", { action: "preview", csv: csvRow(cpr) }),
        ...pageCpr,
      },
      {
        name: `CPR ${spelling}: dashboard start form parameter`,
        send: form("/instances/_new", {
          workflowId: "skoleopfoelgning",
          version: "1",
          startDate: "2024-09-01",
          startTime: "",
          "param.sag": cpr,
        }),
        ...pageCpr,
      },
      {
        name: `CPR ${spelling}: dashboard cancel reason after 495 characters`,
        send: form(() => `/instances/${app().runningId}/cancel`, { reason: `${"x".repeat(495)} ${cpr}` }),
        ...pageCpr,
      },
      {
        name: `CPR ${spelling}: dashboard editor, saved with the number in a comment`,
        send: form("/workflows/_editor", {
          action: "save",
          source: definition("cpr-g", `# ${cpr.replace(/[\r\n]/g, " ")}`),
        }),
        ...refused,
      },
    );
  }
  // A number split across a folded YAML line, and in a literal block: one number to a reader.
  for (const [style, lines] of [
    ["folded", ["description: >", "  Sag 010203-", "  1234 er oprettet"]],
    ["folded, more indented", ["description: >-", "    Sag 010203", "    1234"]],
    ["literal", ["description: |", "  Sag 010203-", "  1234"]],
    ["plain multi-line", ["description: Sag 010203", "  -1234"]],
    ["a comment with the number split by a tab and spaces", ["# Sag 010203 \t  - 1234"]],
  ] as [string, string[]][]) {
    cases.push({
      name: `CPR split across lines: ${style}`,
      send: yaml(definition("cpr-split", ...lines)),
      status: [400],
      notEchoed: CPR_TRACES,
    });
  }
  return cases;
}
