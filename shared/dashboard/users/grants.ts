/**
 * A caseworker's grants on the user's page: the workflows they may start and steer instances of,
 * as checkboxes in a form of their own (POST /users/:id/grants, administrators only by the access
 * table). Saving goes through the grants use case, which audits the change with before and after.
 */
import { Hono } from "hono";
import { setGrants, UnknownWorkflowError } from "../../app/grants.ts";
import { html, type SafeHtml } from "../../html/html.ts";
import type { HttpDeps, HttpLogger } from "../../http/context.ts";
import { UserIdSchema } from "../../model/people.ts";
import { NotFoundError } from "../../store/errors.ts";
import type { UserRecord, WorkflowSummary } from "../../store/records.ts";
import { pickText } from "../../timeline/format.ts";
import { actor, type DashEnv, pageContext, sendPage } from "../common/context.ts";
import { choice, fieldset, readForm } from "../common/forms.ts";
import { csrfField, type PageContext } from "../common/layout.ts";
import { fieldsOfUser, userFormPage } from "./pages.ts";

/** The section under the user's form: one checkbox per workflow, the granted ones ticked. */
export function grantsSection(
  ctx: PageContext,
  user: UserRecord,
  workflows: readonly WorkflowSummary[],
  chosen: readonly string[] = user.grants ?? [],
  error?: string,
): SafeHtml {
  const { s, language } = ctx;
  const boxes = workflows.map((w) =>
    choice({
      type: "checkbox",
      name: "grants",
      value: w.workflowId,
      label: `${pickText(w.title, language)} (${w.workflowId})`,
      checked: chosen.includes(w.workflowId),
      idSuffix: w.workflowId,
    }),
  );
  return html`<h2>${s.grantsHeading}</h2>
<p class="muted">${s.grantsLead}</p>
${
  workflows.length === 0
    ? html`<p>${s.grantsNone}</p>`
    : html`<form method="post" action="/users/${user.userId}/grants" class="stack" novalidate>
${csrfField(ctx)}
${fieldset({ name: "grants", legend: s.grantsHeading, body: html`${boxes}`, error })}
<button type="submit">${s.saveGrants}</button>
</form>`
}`;
}

export function grantRoutes(deps: HttpDeps, logger: HttpLogger): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  routes.post("/users/:id/grants", async (c) => {
    const form = await readForm(c);
    const id = UserIdSchema.safeParse(c.req.param("id"));
    if (!id.success) throw new NotFoundError("user", "-");
    const posted = form.all("grants").map((g) => g.trim());
    try {
      // Whatever was posted, only existing workflow ids pass the use case (UnknownWorkflowError).
      const { before, after } = await setGrants(deps, id.data, posted, actor(c));
      logger.info("grants changed", {
        requestId: c.get("requestId"),
        granted: after.filter((g) => !before.includes(g)).length,
        withdrawn: before.filter((g) => !after.includes(g)).length,
      });
      return c.redirect(`/users?saved=${id.data}`, 303);
    } catch (err) {
      if (!(err instanceof UnknownWorkflowError)) throw err;
      const ctx = await pageContext(c, deps);
      const [user, workflows] = await Promise.all([deps.users.get(id.data), deps.workflows.list()]);
      if (user === null) throw new NotFoundError("user", "-");
      const sessions = (await deps.sessions.list(user.userId)).length;
      const grants = grantsSection(ctx, user, workflows, posted, ctx.s.grantsUnknown);
      const page = userFormPage(ctx, {
        editing: user,
        values: fieldsOfUser(user),
        errors: new Map(),
        sessions,
        grants,
      });
      return sendPage(c, page, 400);
    }
  });

  return routes;
}
