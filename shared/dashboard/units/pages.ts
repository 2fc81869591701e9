/** Directory pages: the list, the edit form, the delete confirmation and the CSV import. */
import { html, type SafeHtml } from "../../html/html.ts";
import type { Unit } from "../../model/schema.ts";
import { errorSummary, type FieldErrors, fileInput, input, textarea } from "../common/forms.ts";
import { csrfField, type PageContext, renderPage, tableWrap } from "../common/layout.ts";
import { type Page, pager } from "../common/paging.ts";
import type { DashboardStrings } from "../strings.ts";
import type { ImportedRow, RowError } from "./csv-import.ts";
import type { UnitColumn, UnitFields } from "./fields.ts";
import { TYPE_LIST_ID, typeDatalist } from "./type-choices.ts";

function person(p: { name: string; email: string } | undefined, s: DashboardStrings) {
  if (p === undefined) return html`${s.none}`;
  return html`${p.name}<br><span class="muted small">${p.email}</span>`;
}

export function unitListPage(
  ctx: PageContext,
  listed: Page<Unit>,
  notice?: string,
  /** After a save: the offer to add the unit to running instances (instance-offer.ts). */
  offer?: SafeHtml,
  /** The page number asked for was not one: said above the list (page 1). */
  badPage = false,
): string {
  const { s } = ctx;
  const units = listed.rows;
  const rows = units.map(
    (u) =>
      html`<tr><td data-label="${s.colId}"><code>${u.id}</code></td><th scope="row">${u.name}</th><td data-label="${s.colType}">${u.type}</td><td data-label="${s.colLeader}">${person(u.leader, s)}</td><td data-label="${s.colManager}">${person(u.manager, s)}</td><td class="nowrap">${ctx.may("GET", `/units/${u.id}/edit`) && html`<a href="/units/${u.id}/edit">${s.edit}<span class="visually-hidden"> ${u.name}</span></a> · <a href="/units/${u.id}/delete">${s.delete}<span class="visually-hidden"> ${u.name}</span></a>`}</td></tr>`,
  );
  const body = html`<h1>${s.unitsTitle}</h1>
<p class="lead">${s.unitsLead}</p>
${offer}
${ctx.may("POST", "/units/_new") && html`<p class="actions"><a class="button" href="/units/_new">${s.newUnit}</a><a class="button secondary" href="/units/_import">${s.importUnits}</a></p>`}
${badPage && html`<p class="notice warn" role="alert">${s.pagerLabel}: ${s.filterProblems.badPage}</p>`}
${
  listed.total === 0
    ? html`<p>${s.unitsNone}</p>`
    : html`${tableWrap(
        s.unitsTitle,
        html`<table class="cards"><thead><tr><th scope="col">${s.colId}</th><th scope="col">${s.colName}</th><th scope="col">${s.colType}</th><th scope="col">${s.colLeader}</th><th scope="col">${s.colManager}</th><th scope="col">${s.actions}</th></tr></thead><tbody>${rows}</tbody></table>`,
      )}${listed.pages > 1 && pager(ctx, listed, (n) => (n === 1 ? "/units" : `/units?page=${n}`))}`
}`;
  return renderPage(ctx, {
    title: s.unitsTitle,
    nav: "units",
    body,
    notice: notice === undefined ? undefined : { text: notice },
  });
}

export function unitFormPage(
  ctx: PageContext,
  options: { editing: Unit | null; values: UnitFields; errors: FieldErrors; types?: readonly string[] },
): string {
  const { s } = ctx;
  const { values, errors, editing } = options;
  const title = editing === null ? s.unitNewTitle : s.unitEditTitle(editing.name);
  const labels = new Map<string, string>([
    ["id", s.unitIdLabel],
    ["name", s.unitNameLabel],
    ["type", s.unitTypeLabel],
    ["leader_name", `${s.leaderLegend}: ${s.personName}`],
    ["leader_email", `${s.leaderLegend}: ${s.personEmail}`],
    ["manager_name", `${s.colManager}: ${s.personName}`],
    ["manager_email", `${s.colManager}: ${s.personEmail}`],
  ]);
  const field = (
    name: UnitColumn,
    label: string,
    extra: { type?: "email"; hint?: string; required?: boolean; attributes?: SafeHtml } = {},
  ) =>
    input({
      name,
      label,
      value: values[name],
      error: errors.get(name),
      autocomplete: "off",
      ...extra,
    });
  const action = editing === null ? "/units/_new" : `/units/${editing.id}/edit`;
  const body = html`<p><a href="/units">← ${s.unitsTitle}</a></p>
<h1>${title}</h1>
${errorSummary(s, errors, labels)}
<form method="post" action="${action}" class="stack" novalidate>
${csrfField(ctx)}
${
  editing === null
    ? field("id", s.unitIdLabel, { hint: s.unitIdHint, required: true })
    : html`<input type="hidden" name="id" value="${editing.id}"><p><strong>${s.unitIdLabel}:</strong> <code>${editing.id}</code></p>`
}
${field("name", s.unitNameLabel, { required: true })}
${field("type", s.unitTypeLabel, { hint: s.unitTypeHint, required: true, attributes: html` list="${TYPE_LIST_ID}"` })}${typeDatalist(options.types ?? [], ctx.language)}
<fieldset><legend>${s.leaderLegend}</legend>
${field("leader_name", s.personName, { required: true })}
${field("leader_email", s.personEmail, { type: "email", required: true })}
</fieldset>
<fieldset><legend>${s.managerLegend}</legend>
${field("manager_name", s.personName)}
${field("manager_email", s.personEmail, { type: "email" })}
</fieldset>
<div class="actions"><button type="submit">${s.saveUnit}</button><a class="button secondary" href="/units">${s.back}</a></div>
</form>
${editing !== null && ctx.may("GET", `/units/${editing.id}/deputies`) && html`<p><a href="/units/${editing.id}/deputies">${s.deputiesLink}</a></p>`}`;
  return renderPage(ctx, { title, nav: "units", body });
}

export function unitDeletePage(ctx: PageContext, unit: Unit): string {
  const { s } = ctx;
  const title = s.unitDeleteTitle(unit.name);
  const body = html`<p><a href="/units">← ${s.unitsTitle}</a></p>
<h1>${title}</h1>
<p class="notice warn">${s.unitDeleteLead}</p>
<form method="post" action="/units/${unit.id}/delete">
${csrfField(ctx)}
<div class="actions"><button type="submit" class="danger">${s.unitDeleteButton}</button><a class="button secondary" href="/units">${s.back}</a></div>
</form>`;
  return renderPage(ctx, { title, nav: "units", body });
}

export interface ImportView {
  csv: string;
  /** A problem with the input as a whole (empty, not UTF-8). */
  problem?: string | undefined;
  errors?: readonly RowError[] | undefined;
  preview?: { rows: readonly ImportedRow[]; existing: ReadonlySet<string>; hash: string } | undefined;
}

export function importPage(ctx: PageContext, view: ImportView): string {
  const { s } = ctx;
  const errors = view.errors ?? [];
  const top =
    view.problem !== undefined
      ? html`<div class="errors" role="alert"><h2>${view.problem}</h2></div>`
      : errors.length > 0
        ? html`<div class="errors" role="alert" aria-labelledby="import-errors">
<h2 id="import-errors">${s.importErrorsHeading(errors.length)}</h2>
<p>${s.importErrorsLead}</p>
<ul>${errors.map((e) => html`<li>${s.rowError(e.row, e.field, e.message)}</li>`)}</ul>
</div>`
        : "";

  const preview =
    view.preview === undefined
      ? ""
      : html`<section aria-labelledby="preview-heading">
<h2 id="preview-heading">${s.previewHeading}</h2>
<p>${s.previewLead}</p>
${tableWrap(
  s.previewHeading,
  html`<table class="cards"><thead><tr><th scope="col" class="num">${s.colRow}</th><th scope="col">${s.colChange}</th><th scope="col">${s.colId}</th><th scope="col">${s.colName}</th><th scope="col">${s.colType}</th><th scope="col">${s.colLeader}</th><th scope="col">${s.colManager}</th></tr></thead><tbody>${view.preview.rows.map(
    ({ row, unit }) =>
      html`<tr><td class="num" data-label="${s.colRow}">${row}</td><td data-label="${s.colChange}">${view.preview?.existing.has(unit.id) ? s.changeUpdate : s.changeNew}</td><td data-label="${s.colId}"><code>${unit.id}</code></td><th scope="row">${unit.name}</th><td data-label="${s.colType}">${unit.type}</td><td data-label="${s.colLeader}">${person(unit.leader, s)}</td><td data-label="${s.colManager}">${person(unit.manager, s)}</td></tr>`,
  )}</tbody></table>`,
)}
<input type="hidden" name="previewHash" value="${view.preview.hash}" form="import-form">
<div class="actions"><button type="submit" name="action" value="import" form="import-form">${s.importButton(view.preview.rows.length)}</button></div>
</section>`;

  const body = html`<p><a href="/units">← ${s.unitsTitle}</a></p>
<h1>${s.importTitle}</h1>
<p class="lead">${s.importLead}</p>
<p class="muted">${s.importRowsNote}</p>
${top}
<form method="post" action="/units/_import" enctype="multipart/form-data" id="import-form" class="stack">
${csrfField(ctx)}
${textarea({ name: "csv", label: s.csvTextLabel, value: view.csv, short: true })}
${fileInput({ name: "csvFile", label: s.csvFileLabel, accept: ".csv,text/csv" })}
<div class="actions"><button type="submit" name="action" value="preview"${view.preview === undefined ? "" : html` class="secondary"`}>${s.previewButton}</button></div>
</form>
${preview}`;
  return renderPage(ctx, { title: s.importTitle, nav: "units", body });
}
