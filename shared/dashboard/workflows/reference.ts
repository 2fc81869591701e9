/** The grammar reference page: every section of reference-content.ts with its anchor, in the page's language. */
import { html } from "../../html/html.ts";
import { type PageContext, renderPage, tableWrap } from "../common/layout.ts";
import { authoringStrings } from "./authoring-strings.ts";
import { REFERENCE, type ReferenceSection, type SectionId } from "./reference-content.ts";

export function referencePage(ctx: PageContext): string {
  const { s, language } = ctx;
  const a = authoringStrings(language);
  const sections = Object.entries(REFERENCE) as [SectionId, ReferenceSection][];
  const toc = html`<nav aria-labelledby="toc-heading"><h2 id="toc-heading">${a.referenceContents}</h2><ol>${sections.map(
    ([id, section]) => html`<li><a href="#${id}">${section.title[language]}</a></li>`,
  )}</ol></nav>`;
  const body = html`<p><a href="/workflows">← ${s.workflowsTitle}</a></p>
<h1>${a.referenceTitle}</h1>
<p class="lead">${a.referenceLead}</p>
${toc}
${sections.map(
  ([id, section]) => html`<section id="${id}" aria-labelledby="${id}-heading">
<h2 id="${id}-heading">${section.title[language]}</h2>
<p>${section.lead[language]}</p>
${
  section.keys !== undefined &&
  tableWrap(
    section.title[language],
    html`<table><thead><tr><th scope="col">${a.referenceKey}</th><th scope="col">${a.referenceMeaning}</th></tr></thead><tbody>${section.keys.map(
      (key) => html`<tr><th scope="row"><code>${key.key}</code></th><td>${key.text[language]}</td></tr>`,
    )}</tbody></table>`,
  )
}
${section.example !== undefined && html`<pre><code>${section.example}</code></pre>`}
</section>`,
)}`;
  return renderPage(ctx, { title: a.referenceTitle, nav: "workflows", body });
}
