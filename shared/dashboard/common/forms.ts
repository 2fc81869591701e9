/**
 * Reading posted forms and rendering accessible fields: every input has a label, hints and errors
 * are tied to it with aria-describedby, an invalid field says so (aria-invalid), and a summary at
 * the top links to each field, so a screen-reader or keyboard user finds what to fix.
 */
import { html, type SafeHtml } from "../../html/html.ts";
import type { DashboardStrings } from "../strings.ts";
import type { DashContext } from "./context.ts";

/** Field name to message, in the order the fields appear. */
export type FieldErrors = Map<string, string>;

/** The largest text a form field may carry (a workflow definition is the largest). */
const MAX_FILE_BYTES = 512 * 1024;

export class PostedForm {
  constructor(private readonly values: Record<string, string | File | (string | File)[]>) {}

  /** The field's text (the first, if repeated); "" when absent or a file. */
  text(name: string): string {
    const value = this.values[name];
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === "string" ? first : "";
  }

  /** Every text value of a repeated field (checkboxes). */
  all(name: string): string[] {
    const value = this.values[name];
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return list.filter((v): v is string => typeof v === "string");
  }

  /** Names of the fields that start with a prefix (the parameters of a start form). */
  names(prefix: string): string[] {
    return Object.keys(this.values).filter((n) => n.startsWith(prefix));
  }

  /**
   * An uploaded file as UTF-8 text (a BOM removed): null when no file was chosen (browsers send an
   * empty part), "not-utf8" when the bytes are not UTF-8 (an Excel "CSV" in Windows-1252).
   */
  async file(name: string): Promise<string | null | "not-utf8"> {
    const value = this.values[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (!(first instanceof File) || first.size === 0) return null;
    if (first.size > MAX_FILE_BYTES) return "not-utf8";
    try {
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(await first.arrayBuffer());
    } catch {
      return "not-utf8";
    }
  }
}

export async function readForm(c: DashContext): Promise<PostedForm> {
  const body = await c.req.parseBody({ all: true });
  return new PostedForm(body as Record<string, string | File | (string | File)[]>);
}

/** Field ids are derived from names, so the summary can link to a field without more bookkeeping. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/** The "fix the following" box: each message links to its field. */
export function errorSummary(
  s: DashboardStrings,
  errors: FieldErrors,
  labels: Map<string, string>,
): SafeHtml {
  if (errors.size === 0) return html``;
  return html`<div class="errors" role="alert" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${s.errorSummaryTitle}</h2>
<ul>${[...errors].map(
    ([name, message]) =>
      html`<li><a href="#${fieldId(name)}">${labels.get(name) ?? name}: ${message}</a></li>`,
  )}</ul>
</div>`;
}

export interface InputOptions {
  name: string;
  label: string;
  value: string;
  type?: "text" | "email" | "date" | "time" | "number" | "password" | "url";
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  autocomplete?: string;
  /** Extra attributes such as `inputmode`: markup written by the caller, never user input. */
  attributes?: SafeHtml;
}

function describedBy(name: string, hint: unknown, error: unknown): SafeHtml {
  const ids = [hint ? `${fieldId(name)}-hint` : "", error ? `${fieldId(name)}-error` : ""].filter(Boolean);
  return ids.length === 0 ? html`` : html` aria-describedby="${ids.join(" ")}"`;
}

function hintAndError(name: string, hint: string | undefined, error: string | undefined): SafeHtml {
  return html`${hint ? html`<span class="hint" id="${fieldId(name)}-hint">${hint}</span>` : ""}${
    error ? html`<span class="field-error" id="${fieldId(name)}-error">${error}</span>` : ""
  }`;
}

export function input(o: InputOptions): SafeHtml {
  const id = fieldId(o.name);
  return html`<div class="field"><label for="${id}">${o.label}</label>${hintAndError(o.name, o.hint, o.error)}<input type="${o.type ?? "text"}" id="${id}" name="${o.name}" value="${o.value}"${o.required ? html` required` : ""}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ""}${o.error ? html` aria-invalid="true"` : ""}${describedBy(o.name, o.hint, o.error)}${o.attributes ?? ""}></div>`;
}

export function textarea(o: Omit<InputOptions, "type"> & { short?: boolean }): SafeHtml {
  const id = fieldId(o.name);
  return html`<div class="field"><label for="${id}">${o.label}</label>${hintAndError(o.name, o.hint, o.error)}<textarea id="${id}" name="${o.name}"${o.short ? html` class="short"` : ""} wrap="off" spellcheck="false" autocapitalize="off"${o.required ? html` required` : ""}${o.error ? html` aria-invalid="true"` : ""}${describedBy(o.name, o.hint, o.error)}>${o.value}</textarea></div>`;
}

export function fileInput(o: {
  name: string;
  label: string;
  accept: string;
  hint?: string;
  error?: string;
}): SafeHtml {
  const id = fieldId(o.name);
  return html`<div class="field"><label for="${id}">${o.label}</label>${hintAndError(o.name, o.hint, o.error)}<input type="file" id="${id}" name="${o.name}" accept="${o.accept}"${o.error ? html` aria-invalid="true"` : ""}${describedBy(o.name, o.hint, o.error)}></div>`;
}

export function select(o: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value: string;
  hint?: string;
  error?: string | undefined;
}): SafeHtml {
  const id = fieldId(o.name);
  return html`<div class="field"><label for="${id}">${o.label}</label>${hintAndError(o.name, o.hint, o.error)}<select id="${id}" name="${o.name}"${o.error ? html` aria-invalid="true"` : ""}${describedBy(o.name, o.hint, o.error)}>${o.options.map(
    (opt) =>
      html`<option value="${opt.value}"${opt.value === o.value ? html` selected` : ""}>${opt.label}</option>`,
  )}</select></div>`;
}

/** A checkbox or radio with its label after it; `idSuffix` keeps ids unique within a group. */
export function choice(o: {
  type: "checkbox" | "radio";
  name: string;
  value: string;
  label: string;
  checked: boolean;
  idSuffix: string;
  hint?: string;
}): SafeHtml {
  const id = `${fieldId(o.name)}-${o.idSuffix.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return html`<div class="${o.type === "checkbox" ? "check" : "radio"}"><input type="${o.type}" id="${id}" name="${o.name}" value="${o.value}"${o.checked ? html` checked` : ""}><label for="${id}">${o.label}${o.hint ? html` <span class="muted small">${o.hint}</span>` : ""}</label></div>`;
}

/**
 * A group of choices under a legend. The group's first input carries the field's id, so an error
 * summary link lands on it.
 */
export function fieldset(o: {
  name: string;
  legend: string;
  body: SafeHtml;
  hint?: string | undefined;
  error?: string | undefined;
}): SafeHtml {
  return html`<fieldset id="${fieldId(o.name)}"${describedBy(o.name, o.hint, o.error)}><legend>${o.legend}</legend>${hintAndError(o.name, o.hint, o.error)}${o.body}</fieldset>`;
}
