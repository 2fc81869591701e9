/**
 * Bad-input cases: control characters (a line break forges a mail header or an iCalendar
 * property) in unit, leader and manager names and in workflow and milestone titles, through the
 * API, YAML, the dashboard's forms and a CSV import.
 */
import { UNITS } from "../http/app-harness.ts";
import { type BadCase, csvRow, form, json, unitFields, yaml } from "./support.ts";
import { CONTROL_CHARACTERS, definition } from "./tables.ts";

export function controlCases(): BadCase[] {
  const cases: BadCase[] = [];
  for (const [what, char] of CONTROL_CHARACTERS) {
    const name = `Skole${char}X-Injected: ja`;
    const refusal = { status: [400], error: { path: "", message: "control characters" } };
    cases.push(
      {
        name: `control ${what}: API unit name`,
        send: json("/api/units/skole-a", { ...UNITS[0], name }, "PUT"),
        ...refusal,
        error: { path: "name", message: "control characters" },
      },
      {
        name: `control ${what}: API leader name`,
        send: json("/api/units/skole-a", { ...UNITS[0], leader: { name, email: "l@example.dk" } }, "PUT"),
        ...refusal,
        error: { path: "leader.name", message: "control characters" },
      },
      {
        name: `control ${what}: API manager name`,
        send: json("/api/units/skole-a", { ...UNITS[0], manager: { name, email: "m@example.dk" } }, "PUT"),
        ...refusal,
        error: { path: "manager.name", message: "control characters" },
      },
      {
        name: `control ${what}: workflow title`,
        send: yaml(definition("ctl").replace("title: Prøve", `title: ${JSON.stringify(name)}`)),
        ...refusal,
        error: { path: "title", message: "control characters" },
      },
      {
        name: `control ${what}: milestone title`,
        send: yaml(definition("ctl").replace("title: Plan", `title: ${JSON.stringify(name)}`)),
        ...refusal,
        error: { path: "milestones[0].title", message: "control characters" },
      },
      {
        name: `control ${what}: dashboard unit name`,
        send: form("/units/_new", unitFields("name", name)),
        status: [400],
        page: "kontroltegn",
      },
      {
        name: `control ${what}: dashboard leader name`,
        send: form("/units/_new", unitFields("leader_name", name)),
        status: [400],
        page: "kontroltegn",
      },
    );
    // Trimming takes a leading or trailing line break off a form field; inside a CSV cell it stays.
    if (char !== "\n" && char !== "\r\n" && char !== "\r") {
      cases.push({
        name: `control ${what}: CSV import name`,
        send: form("/units/_import", { action: "preview", csv: csvRow(name) }),
        status: [400],
        page: "kontroltegn",
      });
    }
  }
  return cases;
}
