/**
 * The start form's extra step for a start date before today: the first submit shows what a start
 * now would send at once (who, which milestone, which mail) and which deadlines have already
 * passed, and asks for a choice: send catch-up mails, or treat the past as history. The second
 * submit starts with that choice. A start today or later goes straight through, as before.
 *
 * The preview step carries every field of the form as hidden inputs (whatever fields the form
 * has), so "start" and "edit" post exactly what was filled in.
 */
import type { StartInstanceInput } from "../../app/admin.ts";
import { previewStartInstance } from "../../app/start-past.ts";
import { PAST_CHOICES, type PastChoice, type StartMail } from "../../app/start-preview.ts";
import { html, type SafeHtml } from "../../html/html.ts";
import type { HttpDeps } from "../../http/context.ts";
import { looksLikeCpr } from "../../model/cpr.ts";
import type { Unit, Workflow } from "../../model/schema.ts";
import { pickText } from "../../timeline/format.ts";
import { CSRF_FIELD } from "../auth/session.ts";
import { dateTime, localToday } from "../common/format.ts";
import { choice, fieldset, type PostedForm } from "../common/forms.ts";
import { csrfField, type PageContext, renderPage, tableWrap } from "../common/layout.ts";
import { type PastStartStrings, pastStartStrings } from "./past-start-strings.ts";

/** The hidden field that says which button of the preview step was pressed. */
const STEP_FIELD = "pastStep";
const OWN_FIELDS = new Set([CSRF_FIELD, STEP_FIELD, "past"]);

export type PastStep =
  | { kind: "start"; input: StartInstanceInput }
  | { kind: "edit" }
  | { kind: "page"; html: string; status: 200 | 400 };

/**
 * What the start form does with a checked input: start it (with the chosen `past`), show the
 * preview step, or go back to the form. The use case's InvalidInputError passes through.
 */
export async function pastStartStep(
  deps: Pick<HttpDeps, "workflows" | "units" | "clock">,
  ctx: PageContext,
  o: {
    form: PostedForm;
    input: StartInstanceInput;
    definition: Workflow;
    startDate: string;
    directory: readonly Unit[];
    by: string;
  },
): Promise<PastStep> {
  const step = o.form.text(STEP_FIELD);
  if (step === "edit") return { kind: "edit" };
  // A start today or later needs no step (and no second round of checks).
  if (step === "" && o.startDate >= localToday(deps.clock.now(), o.definition.timezone)) {
    return { kind: "start", input: o.input };
  }
  const { preview } = await previewStartInstance(deps, o.input, { by: o.by });
  if (!preview.inPast) return { kind: "start", input: o.input };
  const past = PAST_CHOICES.find((p) => p === o.form.text("past"));
  if (step === "start" && past !== undefined) return { kind: "start", input: { ...o.input, past } };
  const t = pastStartStrings(ctx.language);
  const error = step === "start" ? t.choiceMissing : undefined;
  return {
    kind: "page",
    status: error === undefined ? 200 : 400,
    html: previewPage(ctx, {
      t,
      form: o.form,
      definition: o.definition,
      directory: o.directory,
      mails: preview.catchUp,
      passed: preview.passedDeadlines,
      past,
      error,
    }),
  };
}

interface PreviewView {
  t: PastStartStrings;
  form: PostedForm;
  definition: Workflow;
  directory: readonly Unit[];
  mails: StartMail[];
  passed: { milestoneId: string; unitId: string | null; dueAt: string }[];
  past: PastChoice | undefined;
  error: string | undefined;
}

/** Every posted field but the step's own, as hidden inputs; a CPR-looking value is never echoed. */
function hiddenFields(form: PostedForm): SafeHtml[] {
  return form
    .names("")
    .filter((name) => !OWN_FIELDS.has(name))
    .flatMap((name) =>
      form
        .all(name)
        .filter((value) => !looksLikeCpr(value))
        .map((value) => html`<input type="hidden" name="${name}" value="${value}">`),
    );
}

function unitName(view: PreviewView, unitId: string | null): string {
  if (unitId === null) return view.t.wholeInstance;
  return view.directory.find((u) => u.id === unitId)?.name ?? unitId;
}

function milestoneTitle(view: PreviewView, language: "da" | "en", milestoneId: string): string {
  const milestone = view.definition.milestones.find((m) => m.id === milestoneId);
  return milestone === undefined ? milestoneId : pickText(milestone.title, language);
}

/** "Lene Leder (leder af Skole A)", or the parameter's title for a recipient given at start. */
function recipientText(view: PreviewView, language: "da" | "en", recipient: string): string {
  const at = recipient.indexOf(":");
  const kind = recipient.slice(0, at);
  const rest = recipient.slice(at + 1);
  if (kind === "param") {
    const parameter = view.definition.parameters[rest];
    return parameter?.title === undefined ? rest : pickText(parameter.title, language);
  }
  const unit = view.directory.find((u) => u.id === rest);
  const name = unit?.name ?? rest;
  if (kind === "unitManager") {
    return unit?.manager === undefined
      ? view.t.managerOf(name)
      : `${unit.manager.name} (${view.t.managerOf(name)})`;
  }
  return unit === undefined ? view.t.leaderOf(name) : `${unit.leader.name} (${view.t.leaderOf(name)})`;
}

function previewPage(ctx: PageContext, view: PreviewView): string {
  const { t } = view;
  const { s, language } = ctx;
  const tz = view.definition.timezone;
  const title = pickText(view.definition.title, language);
  const n = view.mails.length;
  const mails = view.mails.map(
    (m) =>
      html`<tr><td data-label="${t.colRecipient}">${recipientText(view, language, m.recipient)}</td><th scope="row">${milestoneTitle(view, language, m.milestoneId)}<br><span class="muted small">${unitName(view, m.unitId)}</span></th><td data-label="${t.colKind}">${t.kind[m.kind]}${m.ordinal === undefined ? "" : ` (${t.rykker(m.ordinal)})`}</td><td class="nowrap" data-label="${t.colDue}">${dateTime(m.dueAt, tz, s)}</td></tr>`,
  );
  const passed = view.passed.map(
    (p) =>
      html`<tr><th scope="row">${milestoneTitle(view, language, p.milestoneId)}</th><td data-label="${t.colUnit}">${unitName(view, p.unitId)}</td><td class="nowrap" data-label="${t.colDue}">${dateTime(p.dueAt, tz, s)}</td></tr>`,
  );
  const body = html`<h1>${s.startTitle}: ${title}</h1>
<p class="notice" id="past-summary">${n === 0 ? t.leadNone : t.leadMails(n)}</p>
${
  n > 0 &&
  tableWrap(
    t.mailsHeading,
    html`<table class="cards" id="past-mails"><thead><tr><th scope="col">${t.colRecipient}</th><th scope="col">${t.colMilestone}</th><th scope="col">${t.colKind}</th><th scope="col">${t.colDue}</th></tr></thead><tbody>${mails}</tbody></table>`,
  )
}
<h2>${passed.length === 0 ? t.passedNone : t.passedHeading(passed.length)}</h2>
${
  passed.length > 0 &&
  tableWrap(
    t.passedHeading(passed.length),
    html`<table class="cards" id="past-deadlines"><thead><tr><th scope="col">${t.colMilestone}</th><th scope="col">${t.colUnit}</th><th scope="col">${t.colDue}</th></tr></thead><tbody>${passed}</tbody></table>`,
  )
}
<p class="muted">${t.notStarted}</p>
<form method="post" action="/instances/_new" class="stack" novalidate>
${csrfField(ctx)}
${hiddenFields(view.form)}
${fieldset({
  name: "past",
  legend: t.choiceLegend,
  error: view.error,
  body: html`${choice({ type: "radio", name: "past", value: "catch-up", label: n === 0 ? t.catchUpNone : t.catchUp(n), checked: view.past === "catch-up", idSuffix: "catch-up" })}${choice({ type: "radio", name: "past", value: "history", label: t.history, checked: view.past === "history", idSuffix: "history" })}`,
})}
<div class="actions"><button type="submit" name="${STEP_FIELD}" value="start">${t.startButton}</button><button type="submit" name="${STEP_FIELD}" value="edit" class="secondary">${t.editButton}</button></div>
</form>`;
  return renderPage(ctx, { title: t.title, nav: "instances", body });
}

/** The instance page's line for a start whose past was treated as history (nothing otherwise). */
export function pastFact(
  instance: { quietUntil?: string },
  timezone: string,
  ctx: Pick<PageContext, "s" | "language">,
): SafeHtml {
  if (instance.quietUntil === undefined) return html``;
  const t = pastStartStrings(ctx.language);
  return html`<dt>${t.factLabel}</dt><dd id="past-fact">${t.factHistory(dateTime(instance.quietUntil, timezone, ctx.s))}</dd>`;
}
