/** The form for confirming on the owner's behalf: which occurrence, and what the confirmation does. */
import { html } from "../../../html/html.ts";
import { dateOnly } from "../../common/format.ts";
import type { SteerForm, SteerFormView } from "./forms.ts";
import { occurrenceField } from "./occurrence-field.ts";

const words = {
  da: {
    title: "Bekræft for lederen",
    currentDue: (due: string) => `Fristen er ${due}.`,
    effect:
      "Milepælen bekræftes i dit navn på vegne af den ansvarlige. Der sendes ikke flere påmindelser om den, og milepæle, der venter på den, går i gang.",
  },
  en: {
    title: "Confirm for the leader",
    currentDue: (due: string) => `The deadline is ${due}.`,
    effect:
      "The milestone is confirmed in your name on behalf of the person responsible. No more reminders are sent about it, and milestones waiting for it start.",
  },
};

function fields(view: SteerFormView) {
  const w = words[view.ctx.language];
  const { milestone, header } = occurrenceField(view, (m) =>
    w.currentDue(dateOnly(m.dueAt, view.detail.timezone, view.ctx.s)),
  );
  return milestone === undefined
    ? header
    : html`${header}
<p>${w.effect}</p>`;
}

export const confirmForForm: SteerForm = {
  name: "confirm-for",
  title: (language) => words[language].title,
  fields,
  fieldNames: ["occurrenceKey"],
  read: (values) => ({ occurrenceKey: values.get("occurrenceKey") ?? "" }),
};
