/**
 * Where the changes are offered on the instance page: beside each milestone (move its deadline,
 * …) and for the instance as a whole. Shown only to people who may steer a running instance;
 * each link opens the change's form (routes.ts), which previews before anything is saved.
 */
import type { InstanceDetail, MilestoneView } from "../../../app/admin.ts";
import { html, type SafeHtml } from "../../../html/html.ts";
import type { PageContext } from "../../common/layout.ts";

const words = {
  da: { moveDeadline: "Flyt frist", hold: "Sæt på pause", resume: "Genoptag" },
  en: { moveDeadline: "Move deadline", hold: "Put on hold", resume: "Resume" },
};

function changeLink(id: string, action: string, query: Record<string, string>, label: string): SafeHtml {
  const search = new URLSearchParams(query).toString();
  return html`<a class="small" href="/instances/${id}/change/${action}${search === "" ? "" : `?${search}`}">${label}</a>`;
}

/** The changes one milestone occurrence offers, as links. */
export function milestoneActions(ctx: PageContext, detail: InstanceDetail, m: MilestoneView): SafeHtml {
  const w = words[ctx.language];
  const id = detail.instance.instanceId;
  const links: SafeHtml[] = [];
  if (m.confirmedAt === null)
    links.push(changeLink(id, "move-deadline", { occurrenceKey: m.key }, w.moveDeadline));
  return html`${links.map((l, i) => html`${i > 0 ? html` · ` : ""}${l}`)}`;
}

/** The changes of the instance as a whole (on hold, units, version), as buttons. */
export function instanceActions(ctx: PageContext, detail: InstanceDetail): SafeHtml {
  const w = words[ctx.language];
  const id = detail.instance.instanceId;
  const links: SafeHtml[] = [];
  if (detail.instance.status === "running")
    links.push(
      detail.instance.hold === undefined
        ? html`<a class="button secondary" href="/instances/${id}/change/hold">${w.hold}</a>`
        : html`<a class="button" href="/instances/${id}/change/resume">${w.resume}</a>`,
    );
  return links.length === 0 ? html`` : html`<p class="actions">${links}</p>`;
}
