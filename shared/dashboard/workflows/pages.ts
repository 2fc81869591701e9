/** The workflow list and the page of one workflow with its versions and their YAML. */
import { html } from "../../html/html.ts";
import type { WorkflowSummary, WorkflowVersionRecord } from "../../store/records.ts";
import { pickText } from "../../timeline/format.ts";
import { DEFAULT_TIMEZONE, dateTime, describeActor } from "../common/format.ts";
import { type PageContext, renderPage, tableWrap } from "../common/layout.ts";

export function workflowListPage(ctx: PageContext, workflows: readonly WorkflowSummary[]): string {
  const { s } = ctx;
  const names = new Map<string, string>();
  const rows = workflows.map(
    (w) =>
      html`<tr><td data-label="${s.colId}"><code>${w.workflowId}</code></td><th scope="row"><a href="/workflows/${w.workflowId}">${pickText(w.title, ctx.language)}</a></th><td class="num" data-label="${s.colLatest}">${w.latestVersion}</td><td class="nowrap" data-label="${s.colSavedAt}">${dateTime(w.latestAt, DEFAULT_TIMEZONE, s)}</td><td data-label="${s.colBy}">${describeActor(w.latestBy, names, s)}</td></tr>`,
  );
  const body = html`<h1>${s.workflowsTitle}</h1>
<p class="lead">${s.workflowsLead}</p>
${ctx.may("POST", "/workflows/_editor") && html`<p class="actions"><a class="button" href="/workflows/_new">${s.newWorkflow}</a></p>`}
${
  workflows.length === 0
    ? html`<p>${s.workflowsNone}</p>`
    : tableWrap(
        s.workflowsTitle,
        html`<table class="cards"><thead><tr><th scope="col">${s.colId}</th><th scope="col">${s.colTitle}</th><th scope="col" class="num">${s.colLatest}</th><th scope="col">${s.colSavedAt}</th><th scope="col">${s.colBy}</th></tr></thead><tbody>${rows}</tbody></table>`,
      )
}`;
  return renderPage(ctx, { title: s.workflowsTitle, nav: "workflows", body });
}

export function workflowPage(
  ctx: PageContext,
  versions: readonly WorkflowVersionRecord[],
  notice?: string,
  warn = false,
): string {
  const { s } = ctx;
  // Newest first: the version an administrator edits next is on top and open.
  const ordered = [...versions].sort((a, b) => b.version - a.version);
  const latest = ordered[0];
  if (latest === undefined) throw new Error("workflowPage needs at least one version");
  const title = pickText(latest.definition.title, ctx.language);
  const names = new Map<string, string>();
  const body = html`<p><a href="/workflows">← ${s.workflowsTitle}</a></p>
<h1>${title}</h1>
<p class="muted"><code>${latest.workflowId}</code></p>
${latest.definition.description !== undefined && html`<p>${pickText(latest.definition.description, ctx.language)}</p>`}
<p class="actions">${ctx.may("GET", `/workflows/${latest.workflowId}/edit`) && html`<a class="button" href="/workflows/${latest.workflowId}/edit">${s.editWorkflow}</a>`}${ctx.may("GET", "/instances/_new") && html`<a class="button secondary" href="/instances/_new?workflow=${latest.workflowId}">${s.startFromWorkflow}</a>`}${latest.version > 1 && ctx.may("GET", `/workflows/${latest.workflowId}/migrate`) && html`<a class="button secondary" href="/workflows/${latest.workflowId}/migrate">${s.migrateRunning}</a>`}</p>
<h2>${s.versionsHeading}</h2>
${ordered.map(
  (v, i) => html`<section aria-labelledby="v${v.version}">
<h3 id="v${v.version}">${s.versionLabel(v.version)}</h3>
<p class="muted small">${s.versionMeta(dateTime(v.createdAt, DEFAULT_TIMEZONE, s), describeActor(v.createdBy, names, s))}</p>
<details${i === 0 ? html` open` : ""}><summary>${s.showSource}</summary><pre><code>${v.source}</code></pre></details>
</section>`,
)}`;
  return renderPage(ctx, {
    title,
    nav: "workflows",
    body,
    notice: notice === undefined ? undefined : { text: notice, warn },
  });
}
