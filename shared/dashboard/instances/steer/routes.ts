/**
 * The change pages of a running instance: GET shows a change's form, POST either previews it
 * (step=preview), goes back to the form (step=edit) or saves it (step=save), always through the
 * use cases the API calls (shared/app/steer/actions.ts). Nothing is written before step=save, and
 * a save of a preview the instance has outrun shows the fresh preview instead.
 */
import { Hono } from "hono";
import { InvalidInputError } from "../../../app/admin.ts";
import { requireSteer } from "../../../app/grants.ts";
import { previewAction, saveAction, steerAction } from "../../../app/steer/actions.ts";
import type { HttpDeps, HttpLogger } from "../../../http/context.ts";
import type { Workflow } from "../../../model/schema.ts";
import { ConflictError, NotFoundError } from "../../../store/errors.ts";
import { actor, type DashContext, type DashEnv, pageContext, sendPage } from "../../common/context.ts";
import { refusalText } from "../../common/format.ts";
import { type FieldErrors, readForm } from "../../common/forms.ts";
import type { Language } from "../../strings.ts";
import { instanceId, loadInstance } from "../routes.ts";
import { fieldNamesOf, postedValues, type SteerForm, steerForm } from "./forms.ts";
import { type SteerPageView, steerFormPage, steerPreviewPage } from "./pages.ts";
import { steerStrings } from "./strings.ts";

function chosen(c: DashContext) {
  const name = c.req.param("action") ?? "";
  const action = steerAction(name);
  const form = steerForm(name);
  if (action === undefined || form === undefined) throw new NotFoundError("change", name);
  return { action, form };
}

/**
 * Located errors at the form's fields (`to`, `units[0]` → `units`; the rest at the reason), in the
 * page's language.
 */
function fieldErrorsOf(
  err: InvalidInputError,
  form: SteerForm,
  definition: Workflow,
  language: Language,
): FieldErrors {
  const errors: FieldErrors = new Map();
  const names = fieldNamesOf(form, definition);
  for (const e of err.errors) {
    const field = form.fieldOf?.(e.path) ?? /^[A-Za-z]+/.exec(e.path)?.[0] ?? "";
    const name = names.includes(field) || field === "reason" ? field : "reason";
    if (!errors.has(name)) errors.set(name, refusalText(e, language));
  }
  return errors;
}

export function steerRoutes(deps: HttpDeps, logger: HttpLogger): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  async function view(c: DashContext, form: SteerForm, values: ReadonlyMap<string, string>, reason: string) {
    const [ctx, { detail, definition }] = await Promise.all([pageContext(c, deps), loadInstance(c, deps)]);
    const latest = await deps.workflows.get(detail.instance.workflowId);
    const base: SteerPageView = { ctx, form, detail, definition, values, reason, errors: new Map(), latest };
    if (form.needsDirectory === true) base.directory = await deps.units.list();
    if (detail.instance.status !== "running") base.notice = steerStrings(ctx.language).notRunning;
    return base;
  }

  routes.get("/instances/:id/change/:action", async (c) => {
    const { form } = chosen(c);
    await requireSteer(deps, c.get("principal"), instanceId(c));
    const page = await view(c, form, new Map(), "");
    const values = new Map(
      fieldNamesOf(form, page.definition).map((name) => [name, c.req.query(name) ?? ""]),
    );
    return sendPage(c, steerFormPage({ ...page, values }));
  });

  routes.post("/instances/:id/change/:action", async (c) => {
    const { action, form } = chosen(c);
    const id = instanceId(c);
    await requireSteer(deps, c.get("principal"), id);
    const posted = await readForm(c);
    const reason = posted.text("reason").trim();
    const first = await view(c, form, new Map(), reason);
    const values = postedValues(form, posted, first.definition);
    const step = posted.text("step");
    const rev = Number.parseInt(posted.text("expectedRev"), 10);
    const body = {
      ...form.read(values),
      reason,
      ...(step === "save" && Number.isInteger(rev) ? { expectedRev: rev } : {}),
    };
    const page = { ...first, values };
    if (step === "edit") return sendPage(c, steerFormPage(page));
    try {
      if (step === "save") {
        const { wake } = await saveAction(deps, id, action, body, { by: actor(c) });
        if (wake.status === "failed") {
          logger.warn("instance changed, loop not woken", { requestId: c.get("requestId"), instanceId: id });
        }
        return c.redirect(`/instances/${id}?changed=${action.name}`, 303);
      }
      const preview = await previewAction(deps, id, action, body, { by: actor(c) });
      return sendPage(c, steerPreviewPage({ ...page, preview }));
    } catch (err) {
      if (err instanceof InvalidInputError) {
        return sendPage(
          c,
          steerFormPage({ ...page, errors: fieldErrorsOf(err, form, page.definition, page.ctx.language) }),
          400,
        );
      }
      if (err instanceof ConflictError && /changed since/.test(err.message)) {
        const { expectedRev: _stale, ...fresh } = body;
        const preview = await previewAction(deps, id, action, fresh, { by: actor(c) });
        const notice = steerStrings(page.ctx.language).changedSince;
        return sendPage(c, steerPreviewPage({ ...page, preview, notice }), 409);
      }
      throw err;
    }
  });

  return routes;
}
