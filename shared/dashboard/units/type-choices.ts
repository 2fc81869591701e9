/**
 * The unit types a unit's form offers (a datalist under the type field): those the directory has
 * and those the stored workflows fan out over, so a new school gets the type the templates expect
 * instead of a typed guess. Each with its Danish name on the Danish page.
 */
import { html, type SafeHtml } from "../../html/html.ts";
import type { HttpDeps } from "../../http/context.ts";
import type { Language } from "../strings.ts";
import { unitTypeName } from "../workflows/unit-types.ts";

export const TYPE_LIST_ID = "unit-types";

export async function unitTypeChoices(deps: Pick<HttpDeps, "units" | "workflows">): Promise<string[]> {
  const types = new Set((await deps.units.list()).map((u) => u.type));
  for (const summary of await deps.workflows.list()) {
    const latest = await deps.workflows.get(summary.workflowId);
    for (const m of latest?.definition.milestones ?? []) for (const t of m.forEach ?? []) types.add(t);
  }
  return [...types].sort();
}

export function typeDatalist(types: readonly string[], language: Language): SafeHtml {
  return html`<datalist id="${TYPE_LIST_ID}">${types.map(
    (t) => html`<option value="${t}" label="${unitTypeName(t, language)}"></option>`,
  )}</datalist>`;
}
