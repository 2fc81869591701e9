/** The form for resuming an instance on hold: keep the deadlines, or shift them by the pause. */
import { html } from "../../../html/html.ts";
import { choice, fieldset } from "../../common/forms.ts";
import type { SteerForm, SteerFormView } from "./forms.ts";
import { holdNotice } from "./hold-notice.ts";

const words = {
  da: {
    title: "Genoptag forløbet",
    legend: "Hvad skal der ske med fristerne?",
    keep: "Behold fristerne",
    keepHint:
      "Fristerne står, som de var før pausen. Det, der skulle være sendt under pausen, sendes, når du gemmer: for hver milepæl højst den seneste påmindelse og den seneste rykker. Du ser mailene, før du gemmer.",
    shift: "Udskyd fristerne med pausens længde",
    shiftHint:
      "Alle frister, der ikke er bekræftet og ikke var overskredet, da pausen begyndte, udskydes med lige så lang tid, som pausen har varet. Påmindelserne planlægges igen ud fra de nye frister.",
    notHeld: "Forløbet er ikke på pause, så der er intet at genoptage.",
  },
  en: {
    title: "Resume the instance",
    legend: "What should happen to the deadlines?",
    keep: "Keep the deadlines",
    keepHint:
      "The deadlines stay as they were before the pause. What should have been sent during the pause goes out when you save: for each milestone at most the latest reminder and the latest escalation. You see the mails before you save.",
    shift: "Put the deadlines off by the length of the pause",
    shiftHint:
      "Every deadline that is not confirmed and had not passed when the pause began is put off by as long as the pause lasted. Reminders are planned again from the new deadlines.",
    notHeld: "The instance is not on hold, so there is nothing to resume.",
  },
};

function fields(view: SteerFormView) {
  const w = words[view.ctx.language];
  if (view.detail.instance.hold === undefined) return html`<p class="notice warn">${w.notHeld}</p>`;
  const chosen = view.values.get("deadlines") ?? "";
  const names = new Map(view.detail.instance.units.map((u) => [u.id, u.name]));
  return html`${holdNotice(view.ctx, view.detail, names)}
${fieldset({
  name: "deadlines",
  legend: w.legend,
  error: view.errors.get("deadlines"),
  body: html`${choice({ type: "radio", name: "deadlines", value: "keep", label: w.keep, hint: w.keepHint, checked: chosen === "keep", idSuffix: "keep" })}${choice({ type: "radio", name: "deadlines", value: "shift", label: w.shift, hint: w.shiftHint, checked: chosen === "shift", idSuffix: "shift" })}`,
})}`;
}

export const resumeForm: SteerForm = {
  name: "resume",
  title: (language) => words[language].title,
  fields,
  fieldNames: ["deadlines"],
  read: (values) => ({ deadlines: values.get("deadlines") ?? "" }),
};
