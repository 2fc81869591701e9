/**
 * Where the changes are offered on the instance page: beside each milestone (move its deadline,
 * …) and for the instance as a whole. Shown only to people who may steer a running instance;
 * each link opens the change's form (routes.ts), which previews before anything is saved.
 */
import type { InstanceDetail, MilestoneView } from "../../../app/admin.ts";
import { html, type SafeHtml } from "../../../html/html.ts";
import type { Workflow } from "../../../model/schema.ts";
import type { PageContext } from "../../common/layout.ts";

const words = {
  da: {
    moveDeadline: "Flyt frist",
    addUnit: "Tilføj enhed",
    removeUnit: "Fjern enhed",
    hold: "Sæt på pause",
    resume: "Genoptag",
    migrate: (version: number) => `Flyt til version ${version}`,
  },
  en: {
    moveDeadline: "Move deadline",
    addUnit: "Add unit",
    removeUnit: "Remove unit",
    hold: "Put on hold",
    resume: "Resume",
    migrate: (version: number) => `Move to version ${version}`,
  },
};

const confirmWords = {
  da: {
    confirmFor: "Bekræft for lederen",
    undoConfirmation: "Fortryd bekræftelse",
    notice: (milestone: string) => `Orientér ansøgeren om »${milestone}«`,
  },
  en: {
    confirmFor: "Confirm for the leader",
    undoConfirmation: "Undo confirmation",
    notice: (milestone: string) => `Tell the applicant about “${milestone}”`,
  },
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
  const c = confirmWords[ctx.language];
  // Open and active: a waiting one is refused (it must wait for the earlier milestone).
  if (m.confirmable && m.confirmedAt === null && m.status !== "waiting")
    links.push(changeLink(id, "confirm-for", { occurrenceKey: m.key }, c.confirmFor));
  if (m.confirmedAt !== null)
    links.push(changeLink(id, "undo-confirmation", { occurrenceKey: m.key }, c.undoConfirmation));
  return html`${links.map((l, i) => html`${i > 0 ? html` · ` : ""}${l}`)}`;
}

/** The changes of the instance as a whole (on hold, units, version), as buttons. */
export function instanceActions(ctx: PageContext, detail: InstanceDetail, latestVersion?: number): SafeHtml {
  const w = words[ctx.language];
  const id = detail.instance.instanceId;
  const links: SafeHtml[] = [];
  if (detail.instance.status === "running")
    links.push(
      detail.instance.hold === undefined
        ? html`<a class="button secondary" href="/instances/${id}/change/hold">${w.hold}</a>`
        : html`<a class="button" href="/instances/${id}/change/resume">${w.resume}</a>`,
    );
  links.push(...unitActions(ctx, detail));
  if (latestVersion !== undefined && latestVersion > detail.instance.workflowVersion)
    links.push(changeLink(id, "migrate", {}, w.migrate(latestVersion)));
  return links.length === 0
    ? html``
    : html`<p class="actions">${links.map((l, i) => html`${i > 0 ? html` · ` : ""}${l}`)}</p>`;
}

/** Add or remove a unit: offered when the workflow fans out (only then does an instance have units). */
function unitActions(ctx: PageContext, detail: InstanceDetail): SafeHtml[] {
  if (detail.instance.units.length === 0) return [];
  const w = words[ctx.language];
  const id = detail.instance.instanceId;
  return [changeLink(id, "add-unit", {}, w.addUnit), changeLink(id, "remove-unit", {}, w.removeUnit)];
}

/**
 * The notice to the applicant (shared/app/citizen-notice.ts), for each open milestone that has one:
 * the caseworker's mail links to it, and so does the instance page, for anyone who may give the
 * date (seeing the case is enough; steering it is not needed).
 */
export function noticeLinks(ctx: PageContext, detail: InstanceDetail, definition: Workflow): SafeHtml {
  const id = detail.instance.instanceId;
  if (detail.instance.status !== "running" || !ctx.may("GET", `/instances/${id}/notice`)) return html``;
  const c = confirmWords[ctx.language];
  const links = detail.units.flatMap((group) =>
    group.milestones.flatMap((m) => {
      if (m.confirmedAt !== null) return [];
      const notices = definition.milestones.find((d) => d.id === m.milestoneId)?.notices ?? [];
      return notices.map((_notice, index) => {
        const query = new URLSearchParams({ occurrence: m.key, notice: String(index) }).toString();
        return html`<a class="button secondary" href="/instances/${id}/notice?${query}">${c.notice(m.title)}</a>`;
      });
    }),
  );
  return links.length === 0 ? html`` : html`<p class="actions" id="notice-links">${links}</p>`;
}
