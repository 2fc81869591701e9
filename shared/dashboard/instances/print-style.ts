/**
 * The print rules of the committee report (report.ts) and every other page, added to the
 * dashboard's one stylesheet (layout.ts) after its own print rules: what a printed page or a PDF
 * saved from the browser must not have (buttons and forms, which do nothing on paper) and what it
 * must keep (every milestone and unit name whole: a long name wraps inside its cell, never runs
 * out of it or off the page). A status badge prints as black words in a frame, whatever its
 * colour on screen (the timeline's two statuses of gantt-style.ts included). A4 and the page
 * margins are the stylesheet's `@page` rule.
 */
export const PRINT_STYLE: readonly string[] = [
  "@media print{button,.button,form{display:none}th,td{overflow-wrap:anywhere;hyphens:auto}table.milestones{min-width:0}h1,h2,h3{break-after:avoid}dl.facts{break-inside:avoid}.badge{color:#1a1a1a;background:none}}",
];
