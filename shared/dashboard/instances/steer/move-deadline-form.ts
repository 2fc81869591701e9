/** The form for moving a deadline: which occurrence (or the milestone for every unit), and the new date. */
import { html } from "../../../html/html.ts";
import { dateOnly } from "../../common/format.ts";
import { choice, fieldset, input } from "../../common/forms.ts";
import type { SteerForm, SteerFormView } from "./forms.ts";
import { occurrenceField } from "./occurrence-field.ts";

const words = {
  da: {
    title: "Flyt en frist",
    occurrence: "Milepæl",
    currentDue: (due: string) => `Fristen er nu ${due}.`,
    scopeLegend: "Hvilke enheder",
    scopeOne: (unit: string) => `Kun ${unit}`,
    scopeAll: "Alle enheder (samme milepæl)",
    toLabel: "Ny frist",
    toHint:
      "Fristen gælder til skabelonens tidspunkt den dag. Påmindelser planlægges igen ud fra den nye dato.",
  },
  en: {
    title: "Move a deadline",
    occurrence: "Milestone",
    currentDue: (due: string) => `The deadline is now ${due}.`,
    scopeLegend: "Which units",
    scopeOne: (unit: string) => `Only ${unit}`,
    scopeAll: "Every unit (the same milestone)",
    toLabel: "New deadline",
    toHint:
      "The deadline is at the workflow's time of day on that date. Reminders are planned again from it.",
  },
};

function fields(view: SteerFormView) {
  const w = words[view.ctx.language];
  const { milestone, header } = occurrenceField(view, (m) =>
    w.currentDue(dateOnly(m.dueAt, view.detail.timezone, view.ctx.s)),
  );
  if (milestone === undefined) return header;
  const scope = view.values.get("scope") === "all" ? "all" : "one";
  return html`${header}
<input type="hidden" name="milestoneId" value="${milestone.milestoneId}">
<input type="hidden" name="index" value="${String(milestone.index)}">
${
  milestone.unitId !== null &&
  fieldset({
    name: "scope",
    legend: w.scopeLegend,
    body: html`${choice({ type: "radio", name: "scope", value: "one", label: w.scopeOne(milestone.unitName ?? milestone.unitId), checked: scope === "one", idSuffix: "one" })}${choice({ type: "radio", name: "scope", value: "all", label: w.scopeAll, checked: scope === "all", idSuffix: "all" })}`,
  })
}
${input({ name: "to", label: w.toLabel, type: "date", value: view.values.get("to") ?? "", hint: w.toHint, error: view.errors.get("to"), required: true })}`;
}

export const moveDeadlineForm: SteerForm = {
  name: "move-deadline",
  title: (language) => words[language].title,
  fields,
  fieldNames: ["occurrenceKey", "milestoneId", "index", "scope", "to"],
  read(values) {
    const to = values.get("to") ?? "";
    if (values.get("scope") === "all") {
      const index = Number(values.get("index"));
      return {
        milestoneId: values.get("milestoneId") ?? "",
        index: Number.isInteger(index) ? index : -1,
        to,
      };
    }
    return { occurrenceKey: values.get("occurrenceKey") ?? "", to };
  },
};
