/** The form for confirming on the owner's behalf: which occurrence, and what the confirmation does. */
import { html } from "../../../html/html.ts";
import { dateOnly } from "../../common/format.ts";
import type { SteerForm, SteerFormView } from "./forms.ts";

const words = {
  da: {
    title: "Bekræft for lederen",
    currentDue: (due: string) => `Fristen er ${due}.`,
    effect:
      "Milepælen bekræftes i dit navn på vegne af den ansvarlige. Der sendes ikke flere påmindelser om den, og milepæle, der venter på den, går i gang.",
    unknown: "Vælg milepælen på forløbets side.",
  },
  en: {
    title: "Confirm for the leader",
    currentDue: (due: string) => `The deadline is ${due}.`,
    effect:
      "The milestone is confirmed in your name on behalf of the person responsible. No more reminders are sent about it, and milestones waiting for it start.",
    unknown: "Choose the milestone on the instance's page.",
  },
};

function fields(view: SteerFormView) {
  const w = words[view.ctx.language];
  const key = view.values.get("occurrenceKey") ?? "";
  const milestone = view.detail.units.flatMap((g) => g.milestones).find((m) => m.key === key);
  if (milestone === undefined) return html`<p class="notice warn">${w.unknown}</p>`;
  return html`<input type="hidden" name="occurrenceKey" value="${key}">
<p><strong>${milestone.title}</strong>${milestone.unitName === null ? "" : html` – ${milestone.unitName}`}<br><span class="muted">${w.currentDue(dateOnly(milestone.dueAt, view.detail.timezone, view.ctx.s))}</span></p>
<p>${w.effect}</p>`;
}

export const confirmForForm: SteerForm = {
  name: "confirm-for",
  title: (language) => words[language].title,
  fields,
  fieldNames: ["occurrenceKey"],
  read: (values) => ({ occurrenceKey: values.get("occurrenceKey") ?? "" }),
};
