/** The form for removing a unit from a running fan-out (a merger): one of the instance's units. */
import { html } from "../../../html/html.ts";
import { select } from "../../common/forms.ts";
import type { SteerForm, SteerFormView } from "./forms.ts";

const words = {
  da: {
    title: "Fjern en enhed",
    unitLabel: "Enhed",
    unitHint:
      "Enhedens milepæle fjernes fra forløbet, også dem, der er bekræftet, og dens planlagte mails sendes ikke. Bekræftelser og sendte mails står fortsat i historikken.",
    none: "Forløbet har ingen enheder.",
  },
  en: {
    title: "Remove a unit",
    unitLabel: "Unit",
    unitHint:
      "The unit's milestones are removed from the instance, confirmed ones too, and its planned mails are not sent. Confirmations and mails sent stay in the history.",
    none: "The instance has no units.",
  },
};

function fields(view: SteerFormView) {
  const w = words[view.ctx.language];
  const units = view.detail.instance.units;
  if (units.length === 0) return html`<p class="notice warn">${w.none}</p>`;
  return select({
    name: "unitId",
    label: w.unitLabel,
    hint: w.unitHint,
    value: view.values.get("unitId") ?? "",
    options: units.map((u) => ({ value: u.id, label: u.name })),
    error: view.errors.get("unitId"),
  });
}

export const removeUnitForm: SteerForm = {
  name: "remove-unit",
  title: (language) => words[language].title,
  fields,
  fieldNames: ["unitId"],
  read: (values) => ({ unitId: values.get("unitId") ?? "" }),
};
