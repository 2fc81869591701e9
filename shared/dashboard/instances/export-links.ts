/**
 * Download links: "Hent som CSV" and "Hent som Excel (XLSX)", under an instance's milestone table
 * and its history (export-routes.ts), and under the overview's search (overview/export-routes.ts).
 * Each link's name says, to a screen reader, which list it downloads, beginning with the words it
 * shows (WCAG 2.5.3). Shown only to those who may download it.
 */
import { html, type SafeHtml } from "../../html/html.ts";
import type { PageContext } from "../common/layout.ts";

/** Links to `${base}.csv` and `${base}.xlsx`, each with the same query (without `?`; "" for none). */
export function fileLinks(
  ctx: PageContext,
  o: { base: string; query?: string; which: string; id: string },
): SafeHtml {
  const e = ctx.s.export;
  if (!ctx.may("GET", `${o.base}.csv`)) return html``;
  const query = o.query === undefined || o.query === "" ? "" : `?${o.query}`;
  const link = (format: "csv" | "xlsx", words: string) =>
    html`<a class="button secondary" href="${o.base}.${format}${query}" download>${words}<span class="visually-hidden"> (${o.which})</span></a>`;
  return html`<p class="actions no-print" id="${o.id}">${link("csv", e.downloadCsv)} ${link("xlsx", e.downloadXlsx)} <span class="muted small">${e.downloadLead}</span></p>`;
}

export function downloadLinks(ctx: PageContext, instanceId: string, what: "milestones" | "audit"): SafeHtml {
  const e = ctx.s.export;
  return fileLinks(ctx, {
    base: `/instances/${instanceId}/${what}`,
    which: what === "milestones" ? e.milestonesWhich : e.auditWhich,
    id: `${what}-downloads`,
  });
}
