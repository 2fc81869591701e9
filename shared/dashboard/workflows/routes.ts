/**
 * Workflow pages: the list, one workflow's versions, and the editor (check, preview, save). The
 * editor checks with the same loader as `fristflow validate` and the admin API, and saves through
 * the same use case, so a definition valid here is valid everywhere. This file has every
 * /workflows route; beside it are the list and versions pages (pages.ts), the editor page
 * (editor.ts), the definition listed with its errors at their lines (listing.ts), and the plan a
 * definition would schedule (plan-preview.ts, whose fanOutTypes the start form uses too).
 */
import { Hono } from "hono";
import { getWorkflow, InvalidInputError, saveWorkflow } from "../../app/admin.ts";
import { fanOutWarnings, type WorkflowWarning } from "../../app/workflow-warnings.ts";
import type { HttpDeps } from "../../http/context.ts";
import { maskCpr } from "../../model/cpr.ts";
import type { LocatedError } from "../../model/errors.ts";
import { loadWorkflow } from "../../model/load.ts";
import { IdSchema, type Unit } from "../../model/schema.ts";
import type { WorkflowVersionRecord } from "../../store/records.ts";
import { PlanLimitError } from "../../timeline/ceilings.ts";
import { pickText } from "../../timeline/format.ts";
import { actor, type DashContext, type DashEnv, pageContext, sendPage } from "../common/context.ts";
import { localToday } from "../common/format.ts";
import { type PostedForm, readForm } from "../common/forms.ts";
import { authoringStrings } from "./authoring-strings.ts";
import { type EditorResult, type EditorState, editorPage } from "./editor.ts";
import { workflowListPage, workflowPage } from "./pages.ts";
import { fanOutTypes, renderPlanPreview } from "./plan-preview.ts";
import { referencePage } from "./reference.ts";
import { copySource, SKELETON } from "./starting-points.ts";
import { unitTypeName } from "./unit-types.ts";

/** The file name located errors carry for a definition typed into the editor. */
const EDITOR_FILE = "definition.yaml";

export function workflowRoutes(deps: HttpDeps): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  routes.get("/workflows", async (c) => {
    const ctx = await pageContext(c, deps);
    const workflows = await deps.workflows.list();
    return sendPage(c, workflowListPage(ctx, workflows));
  });

  routes.get("/workflows/_reference", async (c) => sendPage(c, referencePage(await pageContext(c, deps))));

  routes.get("/workflows/_new", async (c) => {
    const ctx = await pageContext(c, deps);
    const directory = await deps.units.list();
    const stored = await deps.workflows.list();
    const from = IdSchema.safeParse(c.req.query("from"));
    const original = from.success ? await deps.workflows.get(from.data) : null;
    const source =
      original === null
        ? SKELETON
        : copySource(
            original.source,
            original.workflowId,
            authoringStrings(ctx.language).copyComment(original.workflowId),
          );
    return sendPage(
      c,
      editorPage(ctx, {
        editing: null,
        startingPoints: stored.map((w) => ({ id: w.workflowId, title: pickText(w.title, ctx.language) })),
        startedFrom: original?.workflowId,
        source,
        previewStart: localToday(deps.clock.now()),
        previewTypes: [],
        typesChosen: false,
        directoryTypes: typeCounts(directory),
        result: { kind: "none" },
      }),
    );
  });

  routes.post("/workflows/_editor", async (c) => {
    const form = await readForm(c);
    const ctx = await pageContext(c, deps);
    const directory = await deps.units.list();
    const state = await checkEditor(c, deps, form, directory);
    if (form.text("action") === "save" && state.result.kind === "valid") {
      try {
        const saved = await saveWorkflow(deps, {
          source: state.source,
          file: EDITOR_FILE,
          by: actor(c),
        });
        return c.redirect(`/workflows/${saved.id}?saved=${saved.version}`, 303);
      } catch (err) {
        // The check just passed, so only a change in between can land here; show it like a check.
        if (!(err instanceof InvalidInputError)) throw err;
        state.result = { kind: "invalid", errors: err.errors };
      }
    }
    const status = state.result.kind === "invalid" || state.result.kind === "unreadable" ? 400 : 200;
    // The source goes back into the editor with any CPR number masked: the errors say where it was.
    return sendPage(c, editorPage(ctx, { ...state, source: maskCpr(state.source) }), status);
  });

  routes.get("/workflows/:id", async (c) => {
    const id = workflowId(c);
    const detail = await getWorkflow(deps, id);
    const versions = await Promise.all(
      detail.versions.map(async (v) =>
        v.version === detail.version ? detail : await deps.workflows.get(id, v.version),
      ),
    );
    const ctx = await pageContext(c, deps);
    const saved = Number(c.req.query("saved"));
    // Just saved: what the save warned about is said again here, from the directory as it is now.
    const warnings =
      Number.isInteger(saved) && saved > 0 ? fanOutWarnings(detail.definition, await deps.units.list()) : [];
    const notice =
      Number.isInteger(saved) && saved > 0
        ? [ctx.s.savedNotice(id, saved), ...warningTexts(ctx.language, warnings)].join(" ")
        : undefined;
    return sendPage(
      c,
      workflowPage(
        ctx,
        versions.filter((v): v is WorkflowVersionRecord => v !== null),
        notice,
        warnings.length > 0,
      ),
    );
  });

  routes.get("/workflows/:id/edit", async (c) => {
    const id = workflowId(c);
    const latest = await getWorkflow(deps, id);
    const ctx = await pageContext(c, deps);
    const directory = await deps.units.list();
    const known = new Set(directory.map((u) => u.type));
    return sendPage(
      c,
      editorPage(ctx, {
        editing: id,
        source: latest.source,
        previewStart: localToday(deps.clock.now()),
        previewTypes: fanOutTypes(latest.definition).filter((t) => known.has(t)),
        typesChosen: true,
        directoryTypes: typeCounts(directory),
        result: { kind: "none" },
      }),
    );
  });

  return routes;
}

/** The save warnings in the page's language, with the Danish names of unit types. */
export function warningTexts(language: "da" | "en", warnings: readonly WorkflowWarning[]): string[] {
  const a = authoringStrings(language);
  return warnings.map((w) => a.unknownUnitType(w.milestoneId, unitTypeName(w.unitType, language)));
}

/** A path id that cannot be a workflow's is answered like one that does not exist. */
function workflowId(c: DashContext): string {
  const parsed = IdSchema.safeParse(c.req.param("id"));
  return parsed.success ? parsed.data : "-";
}

function typeCounts(directory: readonly Unit[]): { type: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const u of directory) counts.set(u.type, (counts.get(u.type) ?? 0) + 1);
  return [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => (a.type < b.type ? -1 : 1));
}

/** Reads the editor form and checks the definition: the page's next state, errors or plan. */
async function checkEditor(
  c: DashContext,
  deps: HttpDeps,
  form: PostedForm,
  directory: readonly Unit[],
): Promise<EditorState> {
  const { language, s } = await pageContext(c, deps);
  const editing = IdSchema.safeParse(form.text("editing"));
  const file = await form.file("file");
  // Browsers send a textarea's line breaks as \r\n; the listing and the stored source use \n.
  const source = (typeof file === "string" ? file : form.text("source")).replace(/\r\n?/g, "\n");
  const startText = form.text("previewStart").trim();
  const startValid = /^\d{4}-\d{2}-\d{2}$/.test(startText);
  const typesChosen = form.text("typesChosen") === "1";
  const known = new Set(directory.map((u) => u.type));

  const state: EditorState = {
    editing: editing.success ? editing.data : null,
    source,
    previewStart: startText === "" ? localToday(deps.clock.now()) : startText,
    previewTypes: form.all("previewTypes").filter((t) => known.has(t)),
    typesChosen,
    directoryTypes: typeCounts(directory),
    result: { kind: "none" },
  };

  let result: EditorResult;
  if (file === "not-utf8") result = { kind: "unreadable", message: s.fileNotUtf8 };
  else if (source.trim() === "") result = { kind: "unreadable", message: s.sourceEmpty };
  else {
    const loaded = loadWorkflow(source, EDITOR_FILE);
    if (!loaded.ok) result = { kind: "invalid", errors: loaded.errors };
    else {
      const definition = loaded.value;
      if (!typesChosen) {
        state.previewTypes = fanOutTypes(definition).filter((t) => known.has(t));
        state.typesChosen = true;
      }
      const latest = await deps.workflows.get(definition.id);
      // A start date that is not one (or does not exist: 2024-02-30) is said at the field; the plan uses today.
      let preview: ReturnType<typeof renderPlanPreview> | undefined;
      let ceiling: PlanLimitError | undefined;
      if (startValid) {
        try {
          preview = renderPlanPreview(s, language, {
            definition,
            start: state.previewStart,
            types: state.previewTypes,
            directory,
          });
        } catch (err) {
          if (err instanceof PlanLimitError) ceiling = err;
          preview = undefined;
        }
      }
      if (preview === undefined && ceiling === undefined) {
        // The field keeps what was typed, with the error under it.
        if (startText !== "") state.previewStartError = s.previewStartInvalid;
        try {
          preview = renderPlanPreview(s, language, {
            definition,
            start: localToday(deps.clock.now()),
            types: state.previewTypes,
            directory,
          });
        } catch (err) {
          if (!(err instanceof PlanLimitError)) throw err;
          ceiling = err;
        }
      }
      // A plan over its ceilings (a daily repetition for hundreds of units) is said, not drawn.
      result =
        ceiling !== undefined || preview === undefined
          ? { kind: "invalid", errors: [ceilingError(ceiling)] }
          : {
              kind: "valid",
              definition,
              nextVersion: (latest?.version ?? 0) + 1,
              preview,
              warnings: warningTexts(language, fanOutWarnings(definition, directory)),
            };
    }
  }
  state.result = result;
  return state;
}

function ceilingError(err: PlanLimitError | undefined): LocatedError {
  return {
    file: EDITOR_FILE,
    line: 0,
    column: 0,
    path: err === undefined ? "" : `milestones[${err.milestoneIndex}].${err.field}`,
    message: err?.message ?? "the plan could not be made",
  };
}
