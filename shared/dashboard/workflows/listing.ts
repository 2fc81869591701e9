/**
 * A definition as numbered lines with the validator's errors at their line: the bad lines marked,
 * each message right under its line, and a list of all errors linking down to them. This is how
 * an administrator who edits YAML by hand finds "line 14: unknown key 'dew'" without counting.
 */
import { html, type SafeHtml } from "../../html/html.ts";
import type { LocatedError } from "../../model/errors.ts";
import type { DashboardStrings, Language } from "../strings.ts";
import { authoringStrings } from "./authoring-strings.ts";
import { referenceHref, sectionFor } from "./reference-anchors.ts";
import { REFERENCE } from "./reference-content.ts";

export function lineAnchor(line: number): string {
  return `line-${line}`;
}

/**
 * The errors' summary: each entry says where, links to the line in the listing, and links to the
 * section of the grammar reference that explains the rule.
 */
export function errorList(
  s: DashboardStrings,
  errors: readonly LocatedError[],
  lineCount: number,
  language: Language = "da",
): SafeHtml {
  const a = authoringStrings(language);
  return html`<ul>${errors.map((e) => {
    const where = e.path === "" ? "" : html` <code>${e.path}</code>`;
    const section = sectionFor(e);
    const help = html` <a class="reference" href="${referenceHref(section)}">${a.referenceLink(REFERENCE[section].title[language])}</a>`;
    if (e.line < 1 || e.line > lineCount) return html`<li>${s.wholeFile}${where}: ${e.message}${help}</li>`;
    return html`<li><a href="#${lineAnchor(e.line)}">${s.atLine(e.line, e.column)}</a>${where}: ${e.message}${help}</li>`;
  })}</ul>`;
}

/** Every line numbered; a line with errors is marked and followed by its messages. */
export function sourceListing(
  s: DashboardStrings,
  source: string,
  errors: readonly LocatedError[],
  labelId: string,
): SafeHtml {
  const lines = splitLines(source);
  const byLine = new Map<number, LocatedError[]>();
  for (const e of errors) {
    if (e.line < 1 || e.line > lines.length) continue;
    byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
  }
  // A long line scrolls the frame, not the page: the frame is a named region a keyboard can reach
  // and scroll (axe: scrollable-region-focusable); the list inside keeps its list semantics.
  return html`<div class="listing-frame" role="region" tabindex="0" aria-labelledby="${labelId}"><ol class="listing" aria-labelledby="${labelId}">${lines.map(
    (text, i) => {
      const n = i + 1;
      const here = byLine.get(n);
      if (here === undefined) {
        return html`<li id="${lineAnchor(n)}"><span class="ln" aria-hidden="true">${n}</span>${text}</li>`;
      }
      return html`<li id="${lineAnchor(n)}" class="bad"><span class="ln">${n}</span>${text}${here.map(
        (e) =>
          html`<span class="msg">${s.atLine(e.line, e.column)}${e.path === "" ? "" : ` ${e.path}`}: ${e.message}</span>`,
      )}</li>`;
    },
  )}</ol></div>`;
}

/** Lines as the YAML parser counts them (the editor has turned \r\n into \n already). */
export function splitLines(source: string): string[] {
  const lines = source.split(/\r?\n/);
  // A final newline ends the last line; it does not start an empty one.
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}
