/** The form for adding a unit to a running fan-out: a unit of the directory, of a type it fans out over. */
import { html } from "../../../html/html.ts";
import type { Unit } from "../../../model/schema.ts";
import { input, select } from "../../common/forms.ts";
import type { SteerForm, SteerFormView } from "./forms.ts";

const words = {
  da: {
    title: "Tilføj en enhed",
    unitLabel: "Enhed",
    unitHint:
      "Enheden får forløbets milepæle og påmindelser fra nu. Er en påmindelse allerede gået ud til de andre, får den nye enhed kun den seneste, med det samme.",
    none: (types: string) =>
      `Alle enheder af typen ${types} i enhedsregisteret er allerede med i forløbet. Opret først enheden i enhedsregisteret.`,
    directoryLink: "Gå til enhedsregisteret",
    overdueLabel: "Ny frist, hvis en frist allerede er overskredet (valgfri)",
    overdueHint:
      "Er fristen for en milepæl allerede gået, får den nye enhed ellers en rykker med det samme. Med en ny frist får den påmindelser frem mod den i stedet.",
  },
  en: {
    title: "Add a unit",
    unitLabel: "Unit",
    unitHint:
      "The unit gets the instance's milestones and reminders from now. Where a reminder has gone out to the others already, the new unit gets only the latest, at once.",
    none: (types: string) =>
      `Every unit of type ${types} in the directory is in the instance already. Add the unit to the directory first.`,
    directoryLink: "Go to the directory",
    overdueLabel: "New deadline, where a deadline has passed already (optional)",
    overdueHint:
      "Where a milestone's deadline has passed, the new unit is otherwise sent an escalation at once. With a new deadline it gets reminders towards it instead.",
  },
};

/** The directory units the instance could take: of a fan-out type, not in it yet. */
export function addableUnits(view: Pick<SteerFormView, "definition" | "detail" | "directory">): Unit[] {
  const types = new Set(view.definition.milestones.flatMap((m) => m.forEach ?? []));
  const present = new Set(view.detail.instance.units.map((u) => u.id));
  return (view.directory ?? []).filter((u) => types.has(u.type) && !present.has(u.id));
}

function fields(view: SteerFormView) {
  const w = words[view.ctx.language];
  const units = addableUnits(view);
  if (units.length === 0) {
    const types = [...new Set(view.definition.milestones.flatMap((m) => m.forEach ?? []))].join(", ");
    return html`<p class="notice warn">${w.none(types)}</p><p><a href="/units">${w.directoryLink}</a></p>`;
  }
  return html`${select({
    name: "unitId",
    label: w.unitLabel,
    hint: w.unitHint,
    value: view.values.get("unitId") ?? "",
    options: units.map((u) => ({ value: u.id, label: `${u.name} (${u.type})` })),
    error: view.errors.get("unitId"),
  })}
${input({ name: "overdueTo", label: w.overdueLabel, type: "date", value: view.values.get("overdueTo") ?? "", hint: w.overdueHint, error: view.errors.get("overdueTo") })}`;
}

export const addUnitForm: SteerForm = {
  name: "add-unit",
  title: (language) => words[language].title,
  fields,
  fieldNames: ["unitId", "overdueTo"],
  needsDirectory: true,
  read(values) {
    const overdueTo = values.get("overdueTo") ?? "";
    return { unitId: values.get("unitId") ?? "", ...(overdueTo === "" ? {} : { overdueTo }) };
  },
};
