/**
 * The workflow editor page: the YAML in a textarea (or an uploaded file), "check and show plan"
 * and, once the definition is valid, "save as new version". One form, no script: each button
 * posts the whole form back and the server answers with the next state of the page.
 */
import { html, type SafeHtml } from "../../html/html.ts";
import type { LocatedError } from "../../model/errors.ts";
import { messageDa } from "../../model/messages-da.ts";
import type { Workflow } from "../../model/schema.ts";
import { choice, fieldset, fileInput, input, textarea } from "../common/forms.ts";
import { type PageContext, renderPage } from "../common/layout.ts";
import { authoringStrings } from "./authoring-strings.ts";
import { errorList, sourceListing, splitLines } from "./listing.ts";
import { REFERENCE_PATH } from "./reference-anchors.ts";
import { unitTypeName } from "./unit-types.ts";

export type EditorResult =
  | { kind: "none" }
  /** Nothing to check: no text, or a file that is not UTF-8. */
  | { kind: "unreadable"; message: string }
  | { kind: "invalid"; errors: LocatedError[] }
  | {
      kind: "valid";
      definition: Workflow;
      nextVersion: number;
      preview: SafeHtml;
      warnings?: readonly string[];
    };

export interface EditorState {
  /** The workflow being edited, or null for a new one. */
  editing: string | null;
  source: string;
  previewStart: string;
  previewTypes: readonly string[];
  /**
   * Whether the type boxes on the page reflect a choice (the administrator's, or the definition's
   * fan-out types once it was read); until then a check starts from the definition's types.
   */
  typesChosen: boolean;
  /** The directory's unit types with how many units each has. */
  directoryTypes: readonly { type: string; count: number }[];
  result: EditorResult;
  /** Set when the start date was not a date: the preview is skipped and the field says why. */
  previewStartError?: string | undefined;
  /** For a new workflow: the stored workflows it may start as a copy of (the skeleton is always offered). */
  startingPoints?: readonly { id: string; title: string }[] | undefined;
  /** The starting point chosen (a workflow id, or "" for the skeleton). */
  startedFrom?: string | undefined;
}

export const EDITOR_FORM_ID = "editor";

export function editorPage(ctx: PageContext, state: EditorState): string {
  const { s } = ctx;
  const title = state.editing === null ? s.editorNewTitle : s.editorEditTitle(state.editing);
  const result = inPageLanguage(state.result, ctx.language);
  const lineCount = splitLines(state.source).length;

  const top =
    result.kind === "invalid"
      ? html`<div class="errors" role="alert" aria-labelledby="errors-heading">
<h2 id="errors-heading">${s.errorsHeading(result.errors.length)}</h2>
<p>${s.errorsLead}</p>
${errorList(s, result.errors, lineCount, ctx.language)}
</div>`
      : result.kind === "valid"
        ? html`<div class="ok" role="status" aria-labelledby="ok-heading">
<h2 id="ok-heading">${s.validHeading}</h2>
<p>${s.validText(result.definition.id, result.nextVersion)}</p>
${(result.warnings ?? []).map((w) => html`<p class="warning">${w}</p>`)}
<button type="submit" form="${EDITOR_FORM_ID}" name="action" value="save">${s.saveButton}</button>
</div>`
        : result.kind === "unreadable"
          ? html`<div class="errors" role="alert"><h2>${result.message}</h2></div>`
          : "";

  const a = authoringStrings(ctx.language);
  const types =
    state.directoryTypes.length === 0
      ? html`<p class="muted">${s.noUnitTypes}</p>`
      : html`<div class="cols">${state.directoryTypes.map(({ type, count }) =>
          choice({
            type: "checkbox",
            name: "previewTypes",
            value: type,
            label: a.typeWithCount(unitTypeName(type, ctx.language), type),
            hint: `(${s.unitCount(count)})`,
            checked: state.previewTypes.includes(type),
            idSuffix: type,
          }),
        )}</div>`;

  // A new workflow starts from something: the commented skeleton or a copy (a GET, so no token).
  const start =
    state.startingPoints === undefined
      ? ""
      : html`<form method="get" action="/workflows/_new" class="starting-point no-print">
<fieldset><legend>${a.startLegend}</legend><span class="hint">${a.startHint}</span>
<label for="f-from" class="visually-hidden">${a.startLegend}</label>
<select id="f-from" name="from"><option value=""${state.startedFrom ? "" : html` selected`}>${a.startSkeleton}</option>${state.startingPoints.map(
          (p) =>
            html`<option value="${p.id}"${state.startedFrom === p.id ? html` selected` : ""}>${a.startCopy(p.title, p.id)}</option>`,
        )}</select>
<button type="submit" class="secondary">${a.startButton}</button></fieldset></form>`;

  const form = html`<form method="post" action="/workflows/_editor" enctype="multipart/form-data" id="${EDITOR_FORM_ID}" class="editor">
<input type="hidden" name="_csrf" value="${ctx.csrf}">
<input type="hidden" name="editing" value="${state.editing ?? ""}">
${state.typesChosen && html`<input type="hidden" name="typesChosen" value="1">`}
${textarea({ name: "source", label: s.sourceLabel, value: state.source, hint: s.sourceHint })}
${fileInput({ name: "file", label: s.fileLabel, accept: ".yaml,.yml,.json,text/yaml,application/json", hint: s.fileHint })}
${fieldset({
  name: "preview",
  legend: s.planHeading,
  body: html`${input({
    name: "previewStart",
    label: s.previewStartLabel,
    value: state.previewStart,
    type: "date",
    error: state.previewStartError,
  })}
<fieldset id="f-previewTypes"><legend>${s.previewUnitsLegend}</legend><span class="hint">${s.previewUnitsHint}</span>${types}</fieldset>`,
})}
<div class="actions">
<button type="submit" name="action" value="check">${s.checkButton}</button>
${result.kind === "valid" && html`<button type="submit" name="action" value="save" class="secondary">${s.saveButton}</button>`}
</div>
</form>`;

  const below =
    result.kind === "invalid"
      ? html`<section aria-labelledby="listing-heading"><h2 id="listing-heading">${s.listingHeading}</h2>${sourceListing(s, state.source, result.errors, "listing-heading")}</section>`
      : result.kind === "valid"
        ? html`${result.preview}<div class="actions"><button type="submit" form="${EDITOR_FORM_ID}" name="action" value="save">${s.saveButton}</button></div>`
        : "";

  const body = html`<p><a href="${state.editing === null ? "/workflows" : `/workflows/${state.editing}`}">← ${s.back}</a></p>
<h1>${title}</h1>
<p><a href="${REFERENCE_PATH}">${a.referenceOpen}</a></p>
${top}
${start}
${form}
${below}`;
  return renderPage(ctx, { title, nav: "workflows", body });
}

/** The validator writes English (for the CLI and the API); the Danish page says it in Danish. */
function inPageLanguage(result: EditorResult, language: PageContext["language"]): EditorResult {
  if (result.kind !== "invalid" || language !== "da") return result;
  return { kind: "invalid", errors: result.errors.map((e) => ({ ...e, message: messageDa(e.message) })) };
}
