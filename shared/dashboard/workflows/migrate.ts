/**
 * Move every running instance of an older version of a workflow to the latest one, from the
 * workflow's page: choose the version, say what each milestone becomes, give a reason, read what
 * it does to each instance, then save. The same use case as the API (shared/app/steer/
 * migrate-all.ts): each instance is its own change, so one that is refused is named and the others
 * go ahead, none half-moved.
 */
import { Hono } from "hono";
import { InvalidInputError } from "../../app/admin.ts";
import { requireGrant } from "../../app/grants.ts";
import { type MigrateAllResult, migrateAll } from "../../app/steer/migrate-all.ts";
import { html, type SafeHtml } from "../../html/html.ts";
import type { HttpDeps } from "../../http/context.ts";
import { IdSchema } from "../../model/schema.ts";
import { NotFoundError } from "../../store/errors.ts";
import type { WorkflowVersionRecord } from "../../store/records.ts";
import { pickText } from "../../timeline/format.ts";
import { actor, type DashContext, type DashEnv, pageContext, sendPage } from "../common/context.ts";
import { refusalText } from "../common/format.ts";
import { errorSummary, type FieldErrors, readForm, select, textarea } from "../common/forms.ts";
import { csrfField, type PageContext, renderPage, tableWrap } from "../common/layout.ts";
import {
  mappingFieldNames,
  mappingFieldOf,
  mappingOf,
  mappingSelects,
} from "../instances/steer/mapping-fields.ts";
import { previewSentence } from "../instances/steer/pages.ts";

const words = {
  da: {
    title: "Flyt kørende forløb til den nyeste version",
    lead: (latest: number) =>
      `Alle kørende forløb af den valgte version flyttes til version ${latest}. Hvert forløb flyttes for sig; et forløb, der ikke kan flyttes, bliver på sin version, og du får at vide hvorfor.`,
    none: (latest: number) => `Ingen kørende forløb kører en ældre version end ${latest}.`,
    fromLabel: "Forløb, der kører version",
    fromOption: (version: number, n: number) =>
      `Version ${version} (${n === 1 ? "1 kørende forløb" : `${n} kørende forløb`})`,
    choose: "Vælg version",
    mappingHeading: "Hvad hver milepæl bliver til",
    reasonLabel: "Begrundelse",
    reasonHint: "Skrives i hvert forløbs historik sammen med dit navn.",
    previewButton: "Se, hvad flytningen gør",
    saveButton: "Flyt forløbene",
    back: "Tilbage til skabelonen",
    previewLead: "Intet er gemt endnu. Sådan går det med hvert forløb:",
    colInstance: "Forløb",
    colOutcome: "Det sker",
    refused: (why: string) => `Kan ikke flyttes: ${why}`,
    moved: "Flyttet.",
    result: (moved: number, refused: number) =>
      `${moved === 1 ? "1 forløb er flyttet" : `${moved} forløb er flyttet`}${refused > 0 ? `, ${refused === 1 ? "1 blev ikke flyttet" : `${refused} blev ikke flyttet`}` : ""}.`,
  },
  en: {
    title: "Move running instances to the latest version",
    lead: (latest: number) =>
      `Every running instance of the chosen version moves to version ${latest}. Each instance moves on its own; one that cannot be moved stays on its version, and you are told why.`,
    none: (latest: number) => `No running instance runs a version older than ${latest}.`,
    fromLabel: "Instances running version",
    fromOption: (version: number, n: number) =>
      `Version ${version} (${n === 1 ? "1 running instance" : `${n} running instances`})`,
    choose: "Choose version",
    mappingHeading: "What each milestone becomes",
    reasonLabel: "Reason",
    reasonHint: "Written in each instance's history with your name.",
    previewButton: "See what the move does",
    saveButton: "Move the instances",
    back: "Back to the workflow",
    previewLead: "Nothing is saved yet. This is what happens to each instance:",
    colInstance: "Instance",
    colOutcome: "What happens",
    refused: (why: string) => `Cannot be moved: ${why}`,
    moved: "Moved.",
    result: (moved: number, refused: number) =>
      `${moved === 1 ? "1 instance moved" : `${moved} instances moved`}${refused > 0 ? `, ${refused} not moved` : ""}.`,
  },
};

interface MigrateView {
  ctx: PageContext;
  latest: WorkflowVersionRecord;
  /** Running instances per older version. */
  running: Map<number, number>;
  from: WorkflowVersionRecord | null;
  values: ReadonlyMap<string, string>;
  reason: string;
  errors: FieldErrors;
  result?: { saved: boolean; outcome: MigrateAllResult };
}

function mappingFields(view: MigrateView, from: WorkflowVersionRecord): SafeHtml {
  const w = words[view.ctx.language];
  return html`<h2>${w.mappingHeading}</h2>${mappingSelects({
    from: from.definition,
    to: view.latest.definition,
    values: view.values,
    errors: view.errors,
    language: view.ctx.language,
  })}`;
}

function outcomeTable(view: MigrateView, outcome: MigrateAllResult): SafeHtml {
  const w = words[view.ctx.language];
  const rows = outcome.instances.map((i) => {
    const what =
      i.outcome === "refused"
        ? w.refused(refusalText(i, view.ctx.language))
        : i.outcome === "migrated"
          ? `${w.moved} ${previewSentence(i.preview, view.ctx.language)}`
          : previewSentence(i.preview, view.ctx.language);
    return html`<tr${i.outcome === "refused" ? html` class="refused"` : ""}><th scope="row"><a href="/instances/${i.instanceId}">${i.instanceId}</a></th><td data-label="${w.colOutcome}">${what}</td></tr>`;
  });
  return tableWrap(
    w.colInstance,
    html`<table class="cards" id="migration-outcome"><thead><tr><th scope="col">${w.colInstance}</th><th scope="col">${w.colOutcome}</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

function migratePage(view: MigrateView): string {
  const { ctx, latest } = view;
  const w = words[ctx.language];
  const id = latest.workflowId;
  const title = pickText(latest.definition.title, ctx.language);
  const older = [...view.running].filter(([version]) => version < latest.version);
  const head = html`<p><a href="/workflows/${id}">← ${title}</a></p><h1>${w.title}</h1><p class="lead"><strong>${title}</strong></p>`;
  if (view.result?.saved) {
    const { counts } = view.result.outcome;
    const body = html`${head}<p class="notice" role="status" id="migration-result">${w.result(counts.migrated, counts.refused)}</p>${outcomeTable(view, view.result.outcome)}<p><a href="/workflows/${id}">${w.back}</a></p>`;
    return renderPage(ctx, { title: w.title, nav: "workflows", body });
  }
  if (older.length === 0 || view.from === null) {
    const body = html`${head}<p class="notice">${w.none(latest.version)}</p><p><a href="/workflows/${id}">${w.back}</a></p>`;
    return renderPage(ctx, { title: w.title, nav: "workflows", body });
  }
  const from = view.from;
  const choose = html`<form method="get" action="/workflows/${id}/migrate" class="inline">${select({
    name: "from",
    label: w.fromLabel,
    value: String(from.version),
    options: older.map(([version, n]) => ({ value: String(version), label: w.fromOption(version, n) })),
  })}<button type="submit" class="secondary">${w.choose}</button></form>`;
  const preview =
    view.result === undefined
      ? html``
      : html`<h2>${w.previewLead}</h2>${outcomeTable(view, view.result.outcome)}`;
  const body = html`${head}<p>${w.lead(latest.version)}</p>
${errorSummary(ctx.s, view.errors, new Map([["reason", w.reasonLabel]]))}
${choose}
<form method="post" action="/workflows/${id}/migrate" class="stack">
${csrfField(ctx)}
<input type="hidden" name="from" value="${String(from.version)}">
${mappingFields(view, from)}
${textarea({ name: "reason", label: w.reasonLabel, hint: w.reasonHint, value: view.reason, error: view.errors.get("reason"), required: true, short: true })}
${preview}
<div class="actions"><button type="submit" name="step" value="preview"${view.result === undefined ? "" : html` class="secondary"`}>${w.previewButton}</button>${view.result !== undefined && view.result.outcome.counts.migrates > 0 && html`<button type="submit" name="step" value="save">${w.saveButton}</button>`}<a class="button secondary" href="/workflows/${id}">${w.back}</a></div>
</form>`;
  return renderPage(ctx, { title: w.title, nav: "workflows", body });
}

export function migrateRoutes(deps: HttpDeps): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  async function load(c: DashContext, fromText: string | undefined) {
    const parsed = IdSchema.safeParse(c.req.param("id"));
    const workflowId = parsed.success ? parsed.data : "-";
    const latest = await deps.workflows.get(workflowId);
    if (latest === null) throw new NotFoundError("workflow", workflowId);
    requireGrant(c.get("principal"), workflowId);
    const running = new Map<number, number>();
    for (const i of await deps.instances.list({ workflowId, status: "running" })) {
      running.set(i.workflowVersion, (running.get(i.workflowVersion) ?? 0) + 1);
    }
    const older = [...running.keys()].filter((v) => v < latest.version).sort((a, b) => a - b);
    const asked = Number(fromText);
    const version = older.includes(asked) ? asked : older[0];
    const from = version === undefined ? null : await deps.workflows.get(workflowId, version);
    return { ctx: await pageContext(c, deps), latest, running, from };
  }

  routes.get("/workflows/:id/migrate", async (c) => {
    const base = await load(c, c.req.query("from"));
    return sendPage(c, migratePage({ ...base, values: new Map(), reason: "", errors: new Map() }));
  });

  routes.post("/workflows/:id/migrate", async (c) => {
    const posted = await readForm(c);
    const base = await load(c, posted.text("from"));
    const reason = posted.text("reason").trim();
    const names = base.from === null ? [] : mappingFieldNames(base.from.definition);
    const values = new Map(names.map((name) => [name, posted.text(name)]));
    const view: MigrateView = { ...base, values, reason, errors: new Map() };
    if (base.from === null) return sendPage(c, migratePage(view));
    const save = posted.text("step") === "save";
    const body = {
      fromVersion: base.from.version,
      toVersion: base.latest.version,
      mapping: mappingOf(values),
      reason,
    };
    try {
      const outcome = await migrateAll(deps, base.latest.workflowId, body, { by: actor(c), save });
      return sendPage(c, migratePage({ ...view, result: { saved: save, outcome } }));
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      const errors: FieldErrors = new Map();
      for (const e of err.errors) {
        const name = mappingFieldOf(e.path) ?? "reason";
        if (!errors.has(name)) errors.set(name, refusalText(e, base.ctx.language));
      }
      return sendPage(c, migratePage({ ...view, errors }), 400);
    }
  });

  return routes;
}
