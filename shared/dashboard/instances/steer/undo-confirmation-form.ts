/** The form for undoing a confirmation: which occurrence, who confirmed it when, and what undoing does. */
import { html } from "../../../html/html.ts";
import { dateTime, describeActor } from "../../common/format.ts";
import type { SteerForm, SteerFormView } from "./forms.ts";

const words = {
  da: {
    title: "Fortryd bekræftelse",
    confirmed: (at: string, by: string) => `Bekræftet ${at} af ${by}.`,
    effect:
      "Milepælen bliver åben igen med sin frist, og påmindelserne følger fristen. Den ansvarlige får en mail om, at bekræftelsen er fortrudt, med dit navn og din begrundelse og et nyt link til at bekræfte.",
    unknown: "Vælg milepælen på forløbets side.",
  },
  en: {
    title: "Undo a confirmation",
    confirmed: (at: string, by: string) => `Confirmed ${at} by ${by}.`,
    effect:
      "The milestone is open again with its deadline, and its reminders follow the deadline. The person responsible gets a mail saying the confirmation was undone, with your name, your reason and a new link to confirm.",
    unknown: "Choose the milestone on the instance's page.",
  },
};

function fields(view: SteerFormView) {
  const w = words[view.ctx.language];
  const key = view.values.get("occurrenceKey") ?? "";
  const milestone = view.detail.units.flatMap((g) => g.milestones).find((m) => m.key === key);
  if (milestone === undefined) return html`<p class="notice warn">${w.unknown}</p>`;
  const units = new Map(view.detail.instance.units.map((u) => [u.id, u.name]));
  const by = describeActor(milestone.confirmedBy ?? "", units, view.ctx.s);
  return html`<input type="hidden" name="occurrenceKey" value="${key}">
<p><strong>${milestone.title}</strong>${milestone.unitName === null ? "" : html` – ${milestone.unitName}`}${
    milestone.confirmedAt === null
      ? ""
      : html`<br><span class="muted">${w.confirmed(dateTime(milestone.confirmedAt, view.detail.timezone, view.ctx.s), by)}</span>`
  }</p>
<p>${w.effect}</p>`;
}

export const undoConfirmationForm: SteerForm = {
  name: "undo-confirmation",
  title: (language) => words[language].title,
  fields,
  fieldNames: ["occurrenceKey"],
  read: (values) => ({ occurrenceKey: values.get("occurrenceKey") ?? "" }),
};
