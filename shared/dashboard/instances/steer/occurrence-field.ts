/**
 * The part of a change form that names one milestone occurrence: the occurrence chosen by the link
 * on the instance page (its key in the address, then in a hidden field), and the line that shows
 * which it is. A key that names no occurrence of the instance says where to choose one instead.
 */
import type { MilestoneView } from "../../../app/admin.ts";
import { html, type SafeHtml } from "../../../html/html.ts";
import type { SteerFormView } from "./forms.ts";

const chooseOnPage = {
  da: "Vælg milepælen på forløbets side.",
  en: "Choose the milestone on the instance's page.",
};

/** The occurrence the form is about, with the hidden field and the heading line; or a notice. */
export function occurrenceField(
  view: SteerFormView,
  /** What the line says under the title (its deadline, who confirmed it), if anything. */
  detail: (milestone: MilestoneView) => SafeHtml | string,
): { milestone: MilestoneView; header: SafeHtml } | { milestone: undefined; header: SafeHtml } {
  const key = view.values.get("occurrenceKey") ?? "";
  const milestone = view.detail.units.flatMap((g) => g.milestones).find((m) => m.key === key);
  if (milestone === undefined) {
    return { milestone, header: html`<p class="notice warn">${chooseOnPage[view.ctx.language]}</p>` };
  }
  const below = detail(milestone);
  return {
    milestone,
    header: html`<input type="hidden" name="occurrenceKey" value="${key}">
<p><strong>${milestone.title}</strong>${milestone.unitName === null ? "" : html` – ${milestone.unitName}`}${below === "" ? "" : html`<br><span class="muted">${below}</span>`}</p>`,
  };
}
