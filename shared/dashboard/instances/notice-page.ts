/**
 * The page of the notice to an applicant: the caseworker gives the expected decision date, sees
 * the mail composed from it (preview) and approves it; the mail is sent only on approval.
 */
import type { DateProblem } from "../../app/citizen-notice.ts";
import { html } from "../../html/html.ts";
import { csrfField, type PageContext, renderPage } from "../common/layout.ts";

const words = {
  da: {
    title: "Besked til ansøgeren om forventet afgørelse",
    lead: (deadline: string) =>
      `Fristen for afgørelsen er ${deadline}. Kan den ikke overholdes, skal ansøgeren have skriftlig besked om, hvornår afgørelsen kan forventes.`,
    dateLabel: "Forventet dato for afgørelsen",
    preview: "Se mailen til ansøgeren",
    previewHeading: "Sådan ser mailen til ansøgeren ud",
    to: (to: string) => `Sendes til: ${to}`,
    subject: "Emne",
    approve: "Godkend og send",
    edit: "Ret datoen",
    notYet: "Mailen er ikke sendt endnu. Den sendes først, når du godkender den.",
    sent: (date: string) => `Beskeden er sendt til ansøgeren med forventet afgørelse senest ${date}.`,
    alreadySent: "Beskeden til ansøgeren er allerede sendt. Den er ikke sendt igen.",
    busy: "Beskeden er ved at blive sendt. Prøv at genindlæse siden om lidt.",
    problems: {
      invalid: "Skriv datoen som en gyldig dato, fx 2025-03-14.",
      past: "Datoen ligger før i dag. Vælg en dato fra i dag og frem.",
      "not-after-deadline":
        "Datoen ligger inden for fristen, så ansøgeren skal ikke have besked. Vælg en dato efter fristen.",
    } satisfies Record<DateProblem, string>,
    back: "Tilbage til forløbet",
  },
  en: {
    title: "Notice to the applicant of the expected decision",
    lead: (deadline: string) =>
      `The decision is due ${deadline}. If that cannot be met, the applicant must be told in writing when to expect a decision.`,
    dateLabel: "Expected date of the decision",
    preview: "See the mail to the applicant",
    previewHeading: "The mail to the applicant",
    to: (to: string) => `To: ${to}`,
    subject: "Subject",
    approve: "Approve and send",
    edit: "Change the date",
    notYet: "The mail has not been sent. It is sent only when you approve it.",
    sent: (date: string) => `The notice was sent to the applicant: a decision is expected by ${date}.`,
    alreadySent: "The notice to the applicant was sent already. It was not sent again.",
    busy: "The notice is being sent. Reload the page in a moment.",
    problems: {
      invalid: "Enter a valid date, e.g. 2025-03-14.",
      past: "The date is before today. Choose today or a later date.",
      "not-after-deadline":
        "The date is within the deadline, so the applicant needs no notice. Choose a date after the deadline.",
    } satisfies Record<DateProblem, string>,
    back: "Back to the instance",
  },
};

export interface NoticePageView {
  ctx: PageContext;
  instanceId: string;
  occurrenceKey: string;
  notice: string;
  deadline: string;
  date: string;
  problem?: DateProblem;
  preview?: { to: string; subject: string; text: string };
  result?: { status: "sent"; expectedDate: string } | { status: "already-sent" } | { status: "busy" };
}

export function noticePage(v: NoticePageView): string {
  const w = words[v.ctx.language];
  const action = `/instances/${v.instanceId}/notice`;
  const hidden = html`${csrfField(v.ctx)}<input type="hidden" name="occurrence" value="${v.occurrenceKey}"><input type="hidden" name="notice" value="${v.notice}">`;
  const back = html`<p><a href="/instances/${v.instanceId}">${w.back}</a></p>`;
  if (v.result !== undefined) {
    const text =
      v.result.status === "sent"
        ? w.sent(v.result.expectedDate)
        : v.result.status === "already-sent"
          ? w.alreadySent
          : w.busy;
    return renderPage(v.ctx, {
      title: w.title,
      nav: "instances",
      body: html`<h1>${w.title}</h1><p class="notice" role="status" id="notice-result">${text}</p>${back}`,
    });
  }
  const error = v.problem === undefined ? "" : w.problems[v.problem];
  const dateField = html`<div class="field${error && " invalid"}"><label for="expectedDate">${w.dateLabel}</label>
${error && html`<p class="field-error" id="expectedDate-error" role="alert">${error}</p>`}
<input type="date" id="expectedDate" name="expectedDate" value="${v.date}"${error && html` aria-invalid="true" aria-describedby="expectedDate-error"`} required></div>`;
  const form =
    v.preview === undefined
      ? html`<form method="post" action="${action}">${hidden}${dateField}<button type="submit" name="step" value="preview">${w.preview}</button></form>`
      : html`<h2>${w.previewHeading}</h2>
<p id="notice-to">${w.to(v.preview.to)}</p>
<p><strong>${w.subject}:</strong> <span id="notice-subject">${v.preview.subject}</span></p>
<pre id="notice-text" class="mail">${v.preview.text}</pre>
<p class="notice">${w.notYet}</p>
<form method="post" action="${action}">${hidden}<input type="hidden" name="expectedDate" value="${v.date}">
<button type="submit" name="step" value="approve">${w.approve}</button>
<button type="submit" name="step" value="edit" class="secondary">${w.edit}</button></form>`;
  return renderPage(v.ctx, {
    title: w.title,
    nav: "instances",
    body: html`<h1>${w.title}</h1><p>${w.lead(v.deadline)}</p>${form}${back}`,
  });
}
