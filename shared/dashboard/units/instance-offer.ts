/**
 * After a unit is saved in the directory, the directory page offers to add it to the running
 * instances that fan out over its type and do not have it yet (a new school joins the plans
 * already running). Each offer links to the add-unit change, which previews before it saves, and
 * only instances the person may see and steer are offered (the directory page is everyone's).
 */
import { mayRun } from "../../app/grants.ts";
import type { AppDeps } from "../../app/ports.ts";
import type { Principal } from "../../app/sessions.ts";
import { visibleAmong } from "../../app/visibility.ts";
import { html, type SafeHtml } from "../../html/html.ts";
import type { Unit, Workflow } from "../../model/schema.ts";
import { pickText } from "../../timeline/format.ts";
import { dateOnly } from "../common/format.ts";
import type { PageContext } from "../common/layout.ts";

export interface OfferedInstance {
  instanceId: string;
  workflowId: string;
  workflowTitle: string;
  startAt: string;
  timezone: string;
}

const words = {
  da: {
    heading: (unit: string) => `Skal ${unit} med i de forløb, der kører?`,
    lead: (type: string) =>
      `Disse forløb gentager milepæle for hver enhed af typen ${type}, men har ikke enheden med. Du ser, hvad det gør, før noget gemmes.`,
    add: "Tilføj enheden",
    started: (date: string) => `startet ${date}`,
  },
  en: {
    heading: (unit: string) => `Should ${unit} join the running instances?`,
    lead: (type: string) =>
      `These instances repeat milestones for every unit of type ${type} but do not have this unit. You see what it does before anything is saved.`,
    add: "Add the unit",
    started: (date: string) => `started ${date}`,
  },
};

/** The running instances whose workflow fans out over the unit's type and that do not have it. */
export async function instancesToOffer(
  deps: Pick<AppDeps, "instances" | "workflows">,
  unit: Unit,
  language: "da" | "en",
): Promise<OfferedInstance[]> {
  const running = await deps.instances.list({ status: "running" });
  const definitions = new Map<string, Promise<Workflow | undefined>>();
  const definition = (workflowId: string, version: number) => {
    const key = `${workflowId}@${version}`;
    let found = definitions.get(key);
    if (found === undefined) {
      found = deps.workflows.get(workflowId, version).then((r) => r?.definition);
      definitions.set(key, found);
    }
    return found;
  };
  const offered = await Promise.all(
    running.map(async (summary): Promise<OfferedInstance | null> => {
      const workflow = await definition(summary.workflowId, summary.workflowVersion);
      if (workflow === undefined || !workflow.milestones.some((m) => m.forEach?.includes(unit.type))) {
        return null;
      }
      const instance = await deps.instances.get(summary.instanceId);
      if (instance === null || instance.units.some((u) => u.id === unit.id)) return null;
      return {
        instanceId: summary.instanceId,
        workflowId: summary.workflowId,
        workflowTitle: pickText(workflow.title, language),
        startAt: summary.startAt,
        timezone: workflow.timezone,
      };
    }),
  );
  return offered.filter((o): o is OfferedInstance => o !== null);
}

/** The offer as a section of the directory page; empty when there is nothing to offer. */
export function instanceOffer(ctx: PageContext, unit: Unit, instances: readonly OfferedInstance[]): SafeHtml {
  const w = words[ctx.language];
  const items = instances
    .map((i) => ({ ...i, href: `/instances/${i.instanceId}/change/add-unit` }))
    .filter((i) => ctx.may("GET", i.href));
  if (items.length === 0) return html``;
  return html`<section class="notice" id="unit-offer" aria-labelledby="unit-offer-heading"><h2 id="unit-offer-heading">${w.heading(unit.name)}</h2>
<p>${w.lead(unit.type)}</p>
<ul>${items.map(
    (i) =>
      html`<li><strong>${i.workflowTitle}</strong> (<code>${i.instanceId}</code>, ${w.started(dateOnly(i.startAt, i.timezone, ctx.s))}) – <a href="${i.href}?${new URLSearchParams({ unitId: unit.id }).toString()}">${w.add}<span class="visually-hidden"> ${unit.name}: ${i.workflowTitle}</span></a></li>`,
  )}</ul></section>`;
}

/** The offer for the unit just saved (by id), of the instances this person may steer, or nothing. */
export async function offerForSaved(
  deps: Pick<AppDeps, "instances" | "workflows" | "units">,
  ctx: PageContext,
  principal: Principal,
  unitId: string,
): Promise<SafeHtml | undefined> {
  if (!ctx.may("GET", "/instances/-/change/add-unit")) return undefined;
  const unit = await deps.units.get(unitId);
  if (unit === null) return undefined;
  const candidates = (await instancesToOffer(deps, unit, ctx.language)).filter((i) =>
    mayRun(principal, i.workflowId),
  );
  const visible = await visibleAmong(
    deps,
    principal,
    candidates.map((i) => i.instanceId),
  );
  return instanceOffer(
    ctx,
    unit,
    candidates.filter((i) => visible(i.instanceId)),
  );
}
