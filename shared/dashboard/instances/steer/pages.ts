/**
 * The two pages every change goes through: its form (the change's own fields and a reason), and
 * the preview (what it moves, cancels and sends now) with the button that saves it. The preview
 * carries the form's values and the rev it was made at in hidden fields, so saving repeats exactly
 * what was shown, and is refused if the instance changed meanwhile.
 */
import type { InstanceDetail } from "../../../app/admin.ts";
import type { ChangePreview } from "../../../app/steer/preview.ts";
import { html, type SafeHtml } from "../../../html/html.ts";
import type { Unit, Workflow } from "../../../model/schema.ts";
import type { WorkflowVersionRecord } from "../../../store/records.ts";
import { pickText } from "../../../timeline/format.ts";
import type { RecipientRef, ScheduledNotification } from "../../../timeline/types.ts";
import { dateTime } from "../../common/format.ts";
import { errorSummary, type FieldErrors, textarea } from "../../common/forms.ts";
import { csrfField, type PageContext, renderPage, tableWrap } from "../../common/layout.ts";
import type { SteerForm, SteerFormView } from "./forms.ts";
import { type SteerStrings, steerStrings } from "./strings.ts";

export interface SteerPageView {
  ctx: PageContext;
  form: SteerForm;
  detail: InstanceDetail;
  definition: Workflow;
  values: ReadonlyMap<string, string>;
  reason: string;
  errors: FieldErrors;
  /** A message above the form or preview (the instance changed since the preview). */
  notice?: string;
  /** The latest version of the workflow (a migration's target). */
  latest?: WorkflowVersionRecord | null;
  /** The unit directory, read for a form that lists it (and names a unit not yet in the instance). */
  directory?: readonly Unit[];
}

function formView(view: SteerPageView): SteerFormView {
  return {
    ctx: view.ctx,
    detail: view.detail,
    definition: view.definition,
    values: view.values,
    errors: view.errors,
    ...(view.latest === undefined ? {} : { latest: view.latest }),
    ...(view.directory === undefined ? {} : { directory: view.directory }),
  };
}

function header(view: SteerPageView, t: SteerStrings): SafeHtml {
  const id = view.detail.instance.instanceId;
  return html`<p><a href="/instances/${id}">← ${view.detail.workflowTitle}</a></p>
<h1>${view.form.title(view.ctx.language)}</h1>
<p class="lead"><strong>${view.detail.workflowTitle}</strong> (<code>${id}</code>)</p>
${view.notice !== undefined && html`<p class="notice warn" role="status">${view.notice}</p>`}
<p class="muted">${t.changesLead}</p>`;
}

function hiddenValues(view: SteerPageView): SafeHtml {
  return html`${[...view.values].map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`;
}

export function steerFormPage(view: SteerPageView): string {
  const { ctx, form } = view;
  const t = steerStrings(ctx.language);
  const id = view.detail.instance.instanceId;
  const labels = new Map([["reason", t.reasonLabel]]);
  const body = html`${header(view, t)}
${errorSummary(ctx.s, view.errors, labels)}
<form method="post" action="/instances/${id}/change/${form.name}" class="stack">
${csrfField(ctx)}
<input type="hidden" name="step" value="preview">
${form.fields(formView(view))}
${textarea({ name: "reason", label: t.reasonLabel, hint: t.reasonHint, value: view.reason, error: view.errors.get("reason"), required: true, short: true })}
<div class="actions"><button type="submit">${t.previewButton}</button><a class="button secondary" href="/instances/${id}">${t.cancelLink}</a></div>
</form>`;
  return renderPage(ctx, { title: form.title(ctx.language), nav: "instances", body });
}

/** A unit's name: the instance's copy, else the directory's (a unit being added). */
function unitNameOf(unitId: string, view: SteerPageView): string {
  const inInstance = view.detail.instance.units.find((u) => u.id === unitId);
  return inInstance?.name ?? view.directory?.find((u) => u.id === unitId)?.name ?? unitId;
}

/** "Leder af Skovbørnehaven", a parameter's title: who a mail goes to, without an address. */
function recipientText(ref: RecipientRef, view: SteerPageView): string {
  const language = view.ctx.language;
  const unitName = (unitId: string) => unitNameOf(unitId, view);
  if (ref.kind === "unitLeader")
    return language === "da" ? `Leder af ${unitName(ref.unitId)}` : `Leader of ${unitName(ref.unitId)}`;
  if (ref.kind === "unitManager")
    return language === "da" ? `Chef for ${unitName(ref.unitId)}` : `Manager of ${unitName(ref.unitId)}`;
  const parameter = view.definition.parameters[ref.name];
  return parameter?.title === undefined ? ref.name : pickText(parameter.title, language);
}

function milestoneText(milestoneId: string, unitId: string | null, view: SteerPageView, t: SteerStrings) {
  const milestone = view.definition.milestones.find((m) => m.id === milestoneId);
  const title = milestone === undefined ? milestoneId : pickText(milestone.title, view.ctx.language);
  const unit = unitId === null ? t.wholeInstance : unitNameOf(unitId, view);
  return { title, unit };
}

function mailTable(
  label: string,
  mails: readonly ScheduledNotification[],
  view: SteerPageView,
  t: SteerStrings,
) {
  const tz = view.detail.timezone;
  return html`<h3>${label}</h3>${tableWrap(
    label,
    html`<table class="cards"><thead><tr><th scope="col">${t.colKind}</th><th scope="col">${t.colMilestone}</th><th scope="col">${t.colRecipient}</th><th scope="col">${t.colWhen}</th></tr></thead><tbody>${mails.map(
      (n) => {
        const { title, unit } = milestoneText(n.milestoneId, n.unitId, view, t);
        return html`<tr><td data-label="${t.colKind}">${t.kind[n.kind]}</td><th scope="row">${title}<br><span class="muted small">${unit}</span></th><td data-label="${t.colRecipient}">${recipientText(n.recipient, view)}</td><td class="nowrap" data-label="${t.colWhen}">${dateTime(n.at, tz, view.ctx.s)}</td></tr>`;
      },
    )}</tbody></table>`,
  )}`;
}

/** `<milestone>/<unit or ->/<repetition>` as its parts. */
function occurrenceParts(key: string): { milestoneId: string; unitId: string | null } {
  const [milestoneId = key, unit = "-"] = key.split("/");
  return { milestoneId, unitId: unit === "-" ? null : unit };
}

/** The occurrences a change adds and removes (a unit's), a removed confirmed one marked as such. */
function occurrenceTables(view: SteerPageView & { preview: ChangePreview }, t: SteerStrings): SafeHtml {
  const confirmed = new Set(
    view.detail.units.flatMap((g) => g.milestones).flatMap((m) => (m.confirmedAt === null ? [] : [m.key])),
  );
  const table = (label: string, keys: readonly string[], withState: boolean) =>
    html`<h3>${label}</h3>${tableWrap(
      label,
      html`<table class="cards"><thead><tr><th scope="col">${t.colMilestone}</th><th scope="col">${t.colUnit}</th>${withState && html`<th scope="col">${t.colState}</th>`}</tr></thead><tbody>${keys.map(
        (key) => {
          const { milestoneId, unitId } = occurrenceParts(key);
          const { title, unit } = milestoneText(milestoneId, unitId, view, t);
          return html`<tr><th scope="row">${title}</th><td data-label="${t.colUnit}">${unit}</td>${withState && html`<td data-label="${t.colState}">${confirmed.has(key) ? t.stateConfirmed : t.stateOpen}</td>`}</tr>`;
        },
      )}</tbody></table>`,
    )}`;
  const { addedOccurrences: added, removedOccurrences: removed } = view.preview;
  return html`${added.length > 0 && table(t.addedOccurrencesHeading, added, false)}
${removed.length > 0 && table(t.removedOccurrencesHeading, removed, true)}
${removed.some((key) => confirmed.has(key)) && html`<p class="notice" id="removed-confirmed">${t.removedConfirmedNote}</p>`}`;
}

/** One sentence: "Ændringen flytter 3 frister, aflyser 2 planlagte mails og sender intet nu." */
export function previewSentence(preview: ChangePreview, language: "da" | "en"): string {
  const t = steerStrings(language);
  const parts = [
    preview.movedDeadlines.length > 0 ? t.movesDeadlines(preview.movedDeadlines.length) : t.movesNone,
  ];
  if (preview.addedOccurrences.length > 0) parts.push(t.addsOccurrences(preview.addedOccurrences.length));
  if (preview.removedOccurrences.length > 0)
    parts.push(t.removesOccurrences(preview.removedOccurrences.length));
  if (preview.cancelledNotifications.length > 0)
    parts.push(t.cancelsReminders(preview.cancelledNotifications.length));
  if (preview.movedNotifications.length > 0) parts.push(t.movesReminders(preview.movedNotifications.length));
  if (preview.addedNotifications.length > 0) parts.push(t.addsReminders(preview.addedNotifications.length));
  parts.push(preview.sendsNow.length > 0 ? t.sendsNow(preview.sendsNow.length) : t.sendsNothing);
  return t.summarySentence(parts);
}

export function steerPreviewPage(view: SteerPageView & { preview: ChangePreview }): string {
  const { ctx, form, preview } = view;
  const t = steerStrings(ctx.language);
  const id = view.detail.instance.instanceId;
  const tz = view.detail.timezone;
  const moved = preview.movedDeadlines.map((m) => {
    const { title, unit } = milestoneText(m.milestoneId, m.unitId, view, t);
    return html`<tr><th scope="row">${title}</th><td data-label="${t.colUnit}">${unit}</td><td class="nowrap" data-label="${t.colFrom}">${dateTime(m.from, tz, ctx.s)}</td><td class="nowrap" data-label="${t.colTo}">${dateTime(m.to, tz, ctx.s)}</td></tr>`;
  });
  const body = html`${header(view, t)}
<h2>${t.previewHeading}</h2>
<p class="notice" id="preview-summary">${previewSentence(preview, ctx.language)}</p>
<p class="muted">${t.previewLead}</p>
${form.describe?.(formView(view), preview)}
${
  moved.length > 0 &&
  html`<h3>${t.deadlinesHeading}</h3>${tableWrap(
    t.deadlinesHeading,
    html`<table class="cards"><thead><tr><th scope="col">${t.colMilestone}</th><th scope="col">${t.colUnit}</th><th scope="col">${t.colFrom}</th><th scope="col">${t.colTo}</th></tr></thead><tbody>${moved}</tbody></table>`,
  )}`
}
${occurrenceTables(view, t)}
${preview.sendsNow.length > 0 && mailTable(t.sendsNowHeading, preview.sendsNow, view, t)}
${preview.cancelledNotifications.length > 0 && mailTable(t.cancelledHeading, preview.cancelledNotifications, view, t)}
${preview.addedNotifications.length > 0 && mailTable(t.addedHeading, preview.addedNotifications, view, t)}
<form method="post" action="/instances/${id}/change/${form.name}" class="stack">
${csrfField(ctx)}
${hiddenValues(view)}
<input type="hidden" name="reason" value="${view.reason}">
<input type="hidden" name="expectedRev" value="${String(preview.rev)}">
<div class="actions"><button type="submit" name="step" value="save">${t.saveButton}</button><button type="submit" name="step" value="edit" class="secondary">${t.backButton}</button><a class="button secondary" href="/instances/${id}">${t.cancelLink}</a></div>
</form>`;
  return renderPage(ctx, { title: form.title(ctx.language), nav: "instances", body });
}
