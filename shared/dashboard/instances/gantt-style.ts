/**
 * The timeline's own rules for the dashboard's one stylesheet (layout.ts): on a phone (under about
 * 600px) the list of rows in words replaces the wide picture, so every milestone and unit name is
 * read whole without scrolling; in print both are shown, the picture with its wrapped labels and
 * the list with the dates in words.
 */
export const GANTT_STYLE: readonly string[] = [
  // The two statuses the shared badge rules lack (white on the page's background otherwise), in the picture's colours.
  ".s-due-soon{background:#9c4400}",
  ".s-on-hold{background:#5b3f8c}",
  ".gantt-list{display:none;list-style:none;margin:0;padding:0}",
  ".gantt-list li{padding:.5rem .75rem;border-bottom:1px solid #d4d4ce;overflow-wrap:anywhere;white-space:normal}",
  ".gantt-list .name{font-weight:600}",
  ".gantt-list .when{font-size:.9rem;color:#4a4a46}",
  // The page's "scroll sideways" hint just before the picture is wrong for the list: hidden with it.
  "@media (max-width:37.5rem){.gantt{overflow:visible}.gantt svg{display:none}.gantt-list{display:block}p.phone-only:has(+ .gantt){display:none}}",
  "@media print{.gantt svg{display:block}.gantt-list{display:block;margin-top:.75rem}.gantt-list li{break-inside:avoid;padding:.2rem 0}}",
];
