/**
 * The line that tells, at the top of an instance's page, that it is on hold: since when, who put
 * it there and why. While it shows, the milestones say "sat i bero" and nothing is sent.
 */
import type { InstanceDetail } from "../../../app/admin.ts";
import { html, type SafeHtml } from "../../../html/html.ts";
import { dateOnly, describeActor } from "../../common/format.ts";
import type { PageContext } from "../../common/layout.ts";

const words = {
  da: (since: string, who: string, reason: string) => `På pause siden ${since} (${who}): ${reason}`,
  en: (since: string, who: string, reason: string) => `On hold since ${since} (${who}): ${reason}`,
};

/** Empty unless the instance is on hold. */
export function holdNotice(
  ctx: PageContext,
  detail: InstanceDetail,
  unitNames: ReadonlyMap<string, string>,
): SafeHtml {
  const hold = detail.instance.hold;
  if (hold === undefined) return html``;
  const since = dateOnly(hold.since, detail.timezone, ctx.s);
  const who = describeActor(hold.by, unitNames, ctx.s);
  return html`<p class="notice warn" id="hold-notice" role="status">${words[ctx.language](since, who, hold.reason)}</p>`;
}
