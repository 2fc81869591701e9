/**
 * The form for moving an instance to the latest version of its workflow: per milestone of the
 * version it runs, where it goes (the same or another milestone of the new version, or away), set
 * to the same id where the new version has it. The preview shows the plan in words above the
 * common tables (what moves, what is sent).
 */
import { html, type SafeHtml } from "../../../html/html.ts";
import type { Workflow } from "../../../model/schema.ts";
import { pickText } from "../../../timeline/format.ts";
import { tableWrap } from "../../common/layout.ts";
import type { SteerForm, SteerFormView } from "./forms.ts";
import { mappingFieldNames, mappingFieldOf, mappingOf, mappingSelects } from "./mapping-fields.ts";

const words = {
  da: {
    title: "Flyt til en nyere version",
    lead: (from: number, to: number) =>
      `Forløbet kører version ${from} af skabelonen. Det flyttes til version ${to}, den nyeste. Vælg for hver milepæl, hvad den bliver til. Bekræftelser følger med.`,
    latestAlready: (version: number) => `Forløbet kører allerede den nyeste version (${version}).`,
    planHeading: "Milepælene i den nye version",
    colOld: "Nu",
    colNew: "Efter flytningen",
    kept: "Beholdes",
    renamed: (title: string) => `Bliver til ${title}`,
    removed: "Fjernes",
    added: "Ny milepæl",
    dropped: (n: number) =>
      n === 1
        ? "1 bekræftelse hører til en milepæl, der fjernes. Den bliver stående i historikken."
        : `${n} bekræftelser hører til milepæle, der fjernes. De bliver stående i historikken.`,
  },
  en: {
    title: "Move to a newer version",
    lead: (from: number, to: number) =>
      `The instance runs version ${from} of the workflow. It moves to version ${to}, the latest. Choose what each milestone becomes. Confirmations come along.`,
    latestAlready: (version: number) => `The instance already runs the latest version (${version}).`,
    planHeading: "The milestones in the new version",
    colOld: "Now",
    colNew: "After the move",
    kept: "Kept",
    renamed: (title: string) => `Becomes ${title}`,
    removed: "Removed",
    added: "New milestone",
    dropped: (n: number) =>
      n === 1
        ? "1 confirmation belongs to a milestone that is removed. It stays in the history."
        : `${n} confirmations belong to milestones that are removed. They stay in the history.`,
  },
};

function titleIn(definition: Workflow | undefined, id: string, language: "da" | "en"): string {
  const milestone = definition?.milestones.find((m) => m.id === id);
  return milestone === undefined ? id : pickText(milestone.title, language);
}

function fields(view: SteerFormView): SafeHtml {
  const w = words[view.ctx.language];
  const language = view.ctx.language;
  const current = view.detail.instance.workflowVersion;
  const latest = view.latest;
  if (latest === undefined || latest === null || latest.version <= current) {
    return html`<p class="notice warn">${w.latestAlready(current)}</p>`;
  }
  const selects = mappingSelects({
    from: view.definition,
    to: latest.definition,
    values: view.values,
    errors: view.errors,
    language,
  });
  return html`<input type="hidden" name="toVersion" value="${String(latest.version)}">
<p>${w.lead(current, latest.version)}</p>
${view.errors.get("toVersion") !== undefined && html`<p class="notice warn">${view.errors.get("toVersion")}</p>`}
${selects}`;
}

interface PlanDetails {
  milestones?: { from: string; fate: "kept" | "renamed" | "removed"; to: string | null }[];
  added?: string[];
  confirmationsDropped?: string[];
}

function describe(view: SteerFormView, preview: { audit: { details: unknown } }): SafeHtml {
  const w = words[view.ctx.language];
  const language = view.ctx.language;
  const details = preview.audit.details as PlanDetails;
  const target = view.latest?.definition;
  const rows = [
    ...(details.milestones ?? []).map((m) => {
      const now = titleIn(view.definition, m.from, language);
      const after =
        m.fate === "kept"
          ? w.kept
          : m.fate === "removed"
            ? w.removed
            : w.renamed(titleIn(target, m.to ?? "", language));
      return html`<tr><th scope="row">${now}</th><td data-label="${w.colNew}">${after}</td></tr>`;
    }),
    ...(details.added ?? []).map(
      (id) =>
        html`<tr><th scope="row">–</th><td data-label="${w.colNew}">${w.added}: ${titleIn(target, id, language)}</td></tr>`,
    ),
  ];
  const dropped = details.confirmationsDropped?.length ?? 0;
  return html`<h3>${w.planHeading}</h3>${tableWrap(
    w.planHeading,
    html`<table class="cards" id="migration-plan"><thead><tr><th scope="col">${w.colOld}</th><th scope="col">${w.colNew}</th></tr></thead><tbody>${rows}</tbody></table>`,
  )}${dropped > 0 && html`<p class="notice warn">${w.dropped(dropped)}</p>`}`;
}

export const migrateForm: SteerForm = {
  name: "migrate",
  title: (language) => words[language].title,
  fields,
  fieldNames: ["toVersion"],
  moreFieldNames: mappingFieldNames,
  fieldOf: mappingFieldOf,
  describe,
  read(values) {
    const mapping = mappingOf(values);
    const toVersion = Number(values.get("toVersion"));
    return { ...(Number.isInteger(toVersion) && toVersion > 0 ? { toVersion } : {}), mapping };
  },
};
