/**
 * The instance page's download links, under its milestone table and under its history: "Hent som
 * CSV" and "Hent som Excel (XLSX)" (export-routes.ts). Each link's name says, to a screen reader,
 * which of the two it downloads, beginning with the words it shows (WCAG 2.5.3).
 */
import { html, type SafeHtml } from "../../html/html.ts";
import type { PageContext } from "../common/layout.ts";

export function downloadLinks(ctx: PageContext, instanceId: string, what: "milestones" | "audit"): SafeHtml {
  const e = ctx.s.export;
  if (!ctx.may("GET", `/instances/${instanceId}/${what}.csv`)) return html``;
  const which = what === "milestones" ? e.milestonesWhich : e.auditWhich;
  const link = (format: "csv" | "xlsx", words: string) =>
    html`<a class="button secondary" href="/instances/${instanceId}/${what}.${format}" download>${words}<span class="visually-hidden"> (${which})</span></a>`;
  return html`<p class="actions no-print" id="${what}-downloads">${link("csv", e.downloadCsv)} ${link("xlsx", e.downloadXlsx)} <span class="muted small">${e.downloadLead}</span></p>`;
}
