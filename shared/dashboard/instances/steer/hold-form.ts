/** The form for putting an instance on hold: what a pause does; the reason is the page's field. */
import { html } from "../../../html/html.ts";
import type { SteerForm, SteerFormView } from "./forms.ts";

const words = {
  da: {
    title: "Sæt forløbet på pause",
    lead: "Mens forløbet er på pause, sendes ingen påmindelser, rykkere eller andre mails fra det. Milepælene vises som sat i bero.",
    resumeLater:
      "Når du genoptager forløbet, vælger du, om fristerne skal blive, som de er, eller udskydes med lige så lang tid, som pausen varede.",
    alreadyHeld: "Forløbet er allerede på pause. Genoptag det i stedet.",
  },
  en: {
    title: "Put the instance on hold",
    lead: "While the instance is on hold, it sends no reminders, escalations or other mail. Its milestones show as on hold.",
    resumeLater:
      "When you resume it, you choose whether the deadlines stay as they are or are put off by as long as the pause lasted.",
    alreadyHeld: "The instance is on hold already. Resume it instead.",
  },
};

function fields(view: SteerFormView) {
  const w = words[view.ctx.language];
  if (view.detail.instance.hold !== undefined) return html`<p class="notice warn">${w.alreadyHeld}</p>`;
  return html`<p>${w.lead}</p>
<p>${w.resumeLater}</p>`;
}

export const holdForm: SteerForm = {
  name: "hold",
  title: (language) => words[language].title,
  fields,
  fieldNames: [],
  read: () => ({}),
};
