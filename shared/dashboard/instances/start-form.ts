/**
 * The "start an instance" form: the workflow's typed parameters as fields with their titles, the
 * start date (and an optional time), and the units to fan out over, by type or one by one. Reading
 * it turns the fields into the admin API's StartInstanceInput, so the same use case validates it;
 * its located errors come back to the fields they concern.
 *
 * A value that looks like a CPR number is refused here, before anything else sees it, and is never
 * echoed back into the form.
 */
import type { StartInstanceInput } from "../../app/admin.ts";
import { html, type SafeHtml } from "../../html/html.ts";
import { looksLikeCpr } from "../../model/cpr.ts";
import type { LocatedError } from "../../model/errors.ts";
import { LineSchema, type Parameter, type Unit, type Workflow } from "../../model/schema.ts";
import { pickText } from "../../timeline/format.ts";
import { MAX_INSTANCE_NAME } from "../../timeline/instance-name.ts";
import { fieldMessage } from "../common/format.ts";
import {
  choice,
  errorSummary,
  type FieldErrors,
  fieldset,
  input,
  type PostedForm,
  select,
} from "../common/forms.ts";
import { csrfField, type PageContext, renderPage } from "../common/layout.ts";
import type { DashboardStrings, Language } from "../strings.ts";
import { fanOutTypes } from "../workflows/plan-preview.ts";
import { unitTypeName } from "../workflows/unit-types.ts";

const PARAM_PREFIX = "param.";

export interface StartFormValues {
  workflowId: string;
  version: string;
  startDate: string;
  startTime: string;
  params: Record<string, string>;
  unitMode: "types" | "ids";
  unitTypes: string[];
  units: string[];
  /** The name given to the instance (blank: the default, timeline/instance-name.ts). */
  name?: string;
}

export interface StartFormView {
  definition: Workflow;
  versions: number[];
  directory: readonly Unit[];
  values: StartFormValues;
  errors: FieldErrors;
}

/** The form as first shown: today, the latest version, every unit of the fanned-out types. */
export function defaultValues(definition: Workflow, version: number, today: string): StartFormValues {
  return {
    workflowId: definition.id,
    version: String(version),
    startDate: today,
    startTime: "",
    params: {},
    unitMode: "types",
    unitTypes: fanOutTypes(definition),
    units: [],
  };
}

/** What was posted, with CPR-looking values already taken out (and reported in `errors`). */
export function readStartForm(
  form: PostedForm,
  definition: Workflow,
  s: DashboardStrings,
): { values: StartFormValues; errors: FieldErrors } {
  const errors: FieldErrors = new Map();
  const params: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(definition.parameters)) {
    const field = `${PARAM_PREFIX}${name}`;
    // An unticked checkbox sends nothing: for a boolean that means false.
    const value =
      parameter.type === "boolean" ? (form.text(field) === "true" ? "true" : "false") : form.text(field);
    if (looksLikeCpr(value)) errors.set(field, s.cprRefused);
    else params[name] = value;
  }
  // Parameters the definition does not declare are not read at all: nothing to store or echo.
  const values: StartFormValues = {
    workflowId: definition.id,
    version: form.text("version"),
    startDate: form.text("startDate").trim(),
    startTime: form.text("startTime").trim(),
    params,
    unitMode: form.text("unitMode") === "ids" ? "ids" : "types",
    unitTypes: form.all("unitTypes"),
    units: form.all("units"),
  };
  const name = form.text("name").trim();
  if (looksLikeCpr(name)) errors.set("name", s.cprRefused);
  else {
    values.name = name;
    if (!LineSchema.max(MAX_INSTANCE_NAME).safeParse(name || "-").success)
      errors.set("name", s.instanceNameInvalid(MAX_INSTANCE_NAME));
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.startDate)) errors.set("startDate", s.field.notADate);
  if (values.startTime !== "" && !/^([01]\d|2[0-3]):[0-5]\d$/.test(values.startTime)) {
    errors.set("startTime", s.field.notATime);
  }
  const fanOut = fanOutTypes(definition).length > 0;
  if (fanOut && values.unitMode === "ids" && values.units.length === 0)
    errors.set("units", s.field.noUnitsChosen);
  if (fanOut && values.unitMode === "types" && values.unitTypes.length === 0) {
    errors.set("unitTypes", s.field.noUnitsChosen);
  }
  return { values, errors };
}

/** The admin API's input; the use case checks the rest (parameter types, units, dates). */
export function toStartInput(values: StartFormValues, definition: Workflow): StartInstanceInput {
  const version = Number(values.version);
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(values.params)) {
    const parameter = definition.parameters[name];
    // An empty optional field is "not given"; validateParams treats it so, and says so for required ones.
    if (parameter !== undefined) params[name] = value;
  }
  const fanOut = fanOutTypes(definition).length > 0;
  return {
    workflowId: values.workflowId,
    ...(Number.isInteger(version) && version > 0 ? { version } : {}),
    start: values.startTime === "" ? values.startDate : `${values.startDate}T${values.startTime}`,
    params,
    // A workflow without fan-out needs no units; the use case's default (its fan-out types) is empty.
    ...(fanOut
      ? values.unitMode === "ids"
        ? { units: values.units }
        : { unitTypes: values.unitTypes }
      : {}),
    ...(values.name ? { name: values.name } : {}),
  };
}

/** The use case's located errors, on the fields they concern, in the page's language. */
export function fieldErrors(
  errors: readonly LocatedError[],
  definition: Workflow,
  s: DashboardStrings,
  language: Language,
): FieldErrors {
  const out: FieldErrors = new Map();
  for (const e of errors) {
    const field = fieldOf(e.path);
    if (out.has(field)) continue;
    out.set(field, fanOutMessage(e.message, definition, s, language) ?? fieldMessage(e.message, s, language));
  }
  return out;
}

function fieldOf(path: string): string {
  if (path.startsWith("params.")) return `${PARAM_PREFIX}${path.slice("params.".length)}`;
  if (path === "start") return "startDate";
  if (path.startsWith("unitTypes")) return "unitTypes";
  if (path.startsWith("units")) return "units";
  if (path === "version") return "version";
  if (path === "name") return "name";
  return "workflowId";
}

/** "milestone 'x' (…) is repeated for every unit of type 'a', but no such unit was chosen", translated. */
function fanOutMessage(message: string, definition: Workflow, s: DashboardStrings, language: Language) {
  const match =
    /^milestone '([^']+)' .* is repeated for every unit of type (.+), but no such unit was chosen$/.exec(
      message,
    );
  if (match === null) return undefined;
  const milestone = definition.milestones.find((m) => m.id === match[1]);
  const title = milestone === undefined ? (match[1] ?? "") : pickText(milestone.title, language);
  return s.field.missingFanOut(title, (milestone?.forEach ?? []).join(", "));
}

function paramLabel(name: string, parameter: Parameter, language: Language): string {
  return parameter.title === undefined ? name : pickText(parameter.title, language);
}

function paramField(
  s: DashboardStrings,
  language: Language,
  name: string,
  parameter: Parameter,
  value: string,
  error: string | undefined,
): SafeHtml {
  const field = `${PARAM_PREFIX}${name}`;
  const label = `${paramLabel(name, parameter, language)}${parameter.required ? "" : ` ${s.optional}`}`;
  if (parameter.type === "boolean") {
    return html`<div class="field">${error ? html`<span class="field-error" id="f-${field.replace(".", "-")}-error">${error}</span>` : ""}${choice(
      {
        type: "checkbox",
        name: field,
        value: "true",
        label,
        checked: value === "true",
        idSuffix: "yes",
      },
    )}</div>`;
  }
  const type = parameter.type === "date" ? "date" : parameter.type === "email" ? "email" : "text";
  return input({
    name: field,
    label,
    value,
    type,
    required: parameter.required,
    error,
    ...(parameter.type === "number" ? { attributes: html` inputmode="decimal"` } : {}),
    autocomplete: "off",
  });
}

export function startFormPage(ctx: PageContext, view: StartFormView): string {
  const { s, language } = ctx;
  const { definition, values, errors } = view;
  const title = pickText(definition.title, language);
  const fanOut = fanOutTypes(definition);
  const types = [...new Set(view.directory.map((u) => u.type))].sort();
  const countOf = (type: string) => view.directory.filter((u) => u.type === type).length;
  const latest = Math.max(...view.versions);

  const labels = new Map<string, string>([
    ["workflowId", s.chooseWorkflowLabel],
    ["version", s.versionSelectLabel],
    ["startDate", s.startDateLabel],
    ["startTime", s.startTimeLabel],
    ["unitTypes", s.typesLegend],
    ["units", s.unitsPickLegend],
    ["name", s.instanceNameLabel],
    ...Object.entries(definition.parameters).map(
      ([name, p]) => [`${PARAM_PREFIX}${name}`, paramLabel(name, p, language)] as [string, string],
    ),
  ]);

  const params = Object.entries(definition.parameters);
  const unitsSection =
    fanOut.length === 0
      ? ""
      : html`<fieldset><legend>${s.unitsLegend}</legend><p class="hint">${s.fanOutLead(fanOut.map((t) => unitTypeName(t, ctx.language)).join(", "))}</p>
${choice({ type: "radio", name: "unitMode", value: "types", label: s.unitModeTypes, checked: values.unitMode === "types", idSuffix: "types" })}
${fieldset({
  name: "unitTypes",
  legend: s.typesLegend,
  error: errors.get("unitTypes"),
  body: html`<div class="cols">${types.map((type) =>
    choice({
      type: "checkbox",
      name: "unitTypes",
      value: type,
      label: unitTypeName(type, ctx.language),
      hint: `(${s.unitCount(countOf(type))})`,
      checked: values.unitTypes.includes(type),
      idSuffix: type,
    }),
  )}</div>`,
})}
${choice({ type: "radio", name: "unitMode", value: "ids", label: s.unitModeIds, checked: values.unitMode === "ids", idSuffix: "ids" })}
${fieldset({
  name: "units",
  legend: s.unitsPickLegend,
  error: errors.get("units"),
  body: html`${types.map(
    (type) =>
      html`<fieldset><legend>${unitTypeName(type, ctx.language)}</legend><div class="cols">${view.directory
        .filter((u) => u.type === type)
        .map((u) =>
          choice({
            type: "checkbox",
            name: "units",
            value: u.id,
            label: u.name,
            checked: values.units.includes(u.id),
            idSuffix: u.id,
          }),
        )}</div></fieldset>`,
  )}`,
})}
</fieldset>`;

  const body = html`<p><a href="/instances/_new">← ${s.back}</a></p>
<h1>${s.startTitle}: ${title}</h1>
${errorSummary(s, errors, labels)}
<form method="post" action="/instances/_new" class="stack" novalidate>
${csrfField(ctx)}
<input type="hidden" name="workflowId" value="${definition.id}">
${select({
  name: "version",
  label: s.versionSelectLabel,
  value: values.version,
  error: errors.get("version"),
  options: [...view.versions]
    .sort((a, b) => b - a)
    .map((v) => ({ value: String(v), label: v === latest ? s.versionLatest(v) : String(v) })),
})}
${input({ name: "startDate", label: s.startDateLabel, type: "date", value: values.startDate, required: true, hint: s.startDateHint, error: errors.get("startDate") })}
${input({ name: "startTime", label: `${s.startTimeLabel} ${s.optional}`, type: "time", value: values.startTime, hint: s.startTimeHint, error: errors.get("startTime") })}
${input({ name: "name", label: `${s.instanceNameLabel} ${s.optional}`, value: values.name ?? "", hint: s.instanceNameHint, error: errors.get("name"), autocomplete: "off", attributes: html` maxlength="${String(MAX_INSTANCE_NAME)}"` })}
<h2>${s.paramsHeading}</h2>
${
  params.length === 0
    ? html`<p class="muted">${s.paramsNone}</p>`
    : params.map(([name, p]) =>
        paramField(s, language, name, p, values.params[name] ?? "", errors.get(`${PARAM_PREFIX}${name}`)),
      )
}
${unitsSection}
<div class="actions"><button type="submit">${s.startButton}</button></div>
</form>`;
  return renderPage(ctx, { title: s.startTitle, nav: "instances", body });
}
