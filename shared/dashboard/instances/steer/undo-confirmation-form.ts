/** The form for undoing a confirmation: which occurrence, who confirmed it when, and what undoing does. */
import { html } from "../../../html/html.ts";
import { dateTime, describeActor } from "../../common/format.ts";
import type { SteerForm, SteerFormView } from "./forms.ts";
import { occurrenceField } from "./occurrence-field.ts";

const words = {
  da: {
    title: "Fortryd bekræftelse",
    confirmed: (at: string, by: string) => `Bekræftet ${at} af ${by}.`,
    effect:
      "Milepælen bliver åben igen med sin frist, og påmindelserne følger fristen. Den ansvarlige får en mail om, at bekræftelsen er fortrudt, med dit navn og din begrundelse og et nyt link til at bekræfte.",
  },
  en: {
    title: "Undo a confirmation",
    confirmed: (at: string, by: string) => `Confirmed ${at} by ${by}.`,
    effect:
      "The milestone is open again with its deadline, and its reminders follow the deadline. The person responsible gets a mail saying the confirmation was undone, with your name, your reason and a new link to confirm.",
  },
};

function fields(view: SteerFormView) {
  const w = words[view.ctx.language];
  const units = new Map(view.detail.instance.units.map((u) => [u.id, u.name]));
  const { milestone, header } = occurrenceField(view, (m) =>
    m.confirmedAt === null
      ? ""
      : w.confirmed(
          dateTime(m.confirmedAt, view.detail.timezone, view.ctx.s),
          describeActor(m.confirmedBy ?? "", units, view.ctx.s),
        ),
  );
  return milestone === undefined
    ? header
    : html`${header}
<p>${w.effect}</p>`;
}

export const undoConfirmationForm: SteerForm = {
  name: "undo-confirmation",
  title: (language) => words[language].title,
  fields,
  fieldNames: ["occurrenceKey"],
  read: (values) => ({ occurrenceKey: values.get("occurrenceKey") ?? "" }),
};
