/**
 * Lists over a page long, a page at a time: which rows a page holds ("Viser 51–100 af 2.000"),
 * and the links to the pages before and after, which keep the list's search (the caller says how
 * a page's URL is written). Pure apart from the markup; no script.
 */
import { html, type SafeHtml } from "../../html/html.ts";
import type { PageContext } from "./layout.ts";
import { PAGE_NUMBER } from "./query-fields.ts";

/** Rows per page. */
export const PAGE_SIZE = 50;

export interface Page<T> {
  rows: T[];
  /** The page shown (the last one when the one asked for lies beyond it). */
  page: number;
  pages: number;
  total: number;
  /** 1-based positions of the first and last row shown; 0 when there are none. */
  first: number;
  last: number;
}

export function pageOf<T>(rows: readonly T[], page: number, size = PAGE_SIZE): Page<T> {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const shown = Math.min(Math.max(1, page), pages);
  const start = (shown - 1) * size;
  const slice = rows.slice(start, start + size);
  return {
    rows: slice,
    page: shown,
    pages,
    total: rows.length,
    first: slice.length === 0 ? 0 : start + 1,
    last: start + slice.length,
  };
}

/** `?page=` as asked: 1 when absent, null when it is not a page number (the page says so). */
export function pageNumber(value: string | undefined): number | null {
  if (value === undefined || value === "") return 1;
  const parsed = PAGE_NUMBER.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** A count as the reader writes numbers (2.000 in Danish, 2,000 in English). */
export function count(ctx: Pick<PageContext, "language">, n: number): string {
  return new Intl.NumberFormat(ctx.language === "da" ? "da-DK" : "en-GB").format(n);
}

/** "Viser 51–100 af 2.000 · Side 2 af 40", and Forrige/Næste to `link(page)`. */
export function pager<T>(ctx: PageContext, page: Page<T>, link: (page: number) => string): SafeHtml {
  const { s } = ctx;
  return html`<nav class="pager" aria-label="${s.pagerLabel}"><p>${s.showing(count(ctx, page.first), count(ctx, page.last), count(ctx, page.total))}${page.pages > 1 && html` · ${s.pageOf(page.page, page.pages)}`}</p>${
    page.pages > 1 &&
    html`<ul>${page.page > 1 && html`<li><a rel="prev" href="${link(page.page - 1)}">${s.pagePrevious}</a></li>`}${page.page < page.pages && html`<li><a rel="next" href="${link(page.page + 1)}">${s.pageNext}</a></li>`}</ul>`
  }</nav>`;
}
