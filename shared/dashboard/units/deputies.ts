/**
 * A unit's deputies, set by an administrator or editor: while one is in force, the unit leader's
 * reminders and "your turn" mails go to the deputy with the leader in Cc (shared/app/deputy-routing.ts);
 * escalations still go to the manager. The leader sets their own from Mine frister; this page is
 * for when they cannot (an unplanned absence). Setting and ending are audited by the store, with
 * the person who did it.
 */
import { Hono } from "hono";
import { InvalidInputError } from "../../app/admin-input.ts";
import { current, endDeputy, setDeputy } from "../../app/deputies.ts";
import { html } from "../../html/html.ts";
import type { HttpDeps } from "../../http/context.ts";
import type { Unit } from "../../model/schema.ts";
import { IdSchema } from "../../model/schema.ts";
import { NotFoundError } from "../../store/errors.ts";
import type { DeputyRecord } from "../../store/records.ts";
import { actor, type DashEnv, pageContext, sendPage } from "../common/context.ts";
import { describeActor, localToday } from "../common/format.ts";
import { input, readForm } from "../common/forms.ts";
import { csrfField, type PageContext, renderPage, tableWrap } from "../common/layout.ts";

const DEPUTY_ID = /^[A-Za-z0-9_-]{1,24}$/;

export function unitDeputyRoutes(deps: HttpDeps): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  async function unitOf(id: string): Promise<Unit> {
    const parsed = IdSchema.safeParse(id);
    const unit = parsed.success ? await deps.units.get(parsed.data) : null;
    if (unit === null) throw new NotFoundError("unit", id);
    return unit;
  }

  routes.get("/units/:id/deputies", async (c) => {
    const unit = await unitOf(c.req.param("id"));
    const ctx = await pageContext(c, deps);
    const done = c.req.query("done");
    const notice = done === "ended" ? { text: ctx.s.deputyEnded } : undefined;
    const set = c.req.query("set");
    return sendPage(
      c,
      await deputiesPage(ctx, deps, unit, set === undefined ? notice : { text: ctx.s.deputySet(set) }),
    );
  });

  routes.post("/units/:id/deputies", async (c) => {
    const unit = await unitOf(c.req.param("id"));
    const form = await readForm(c);
    const ctx = await pageContext(c, deps);
    const values = {
      name: form.text("name"),
      email: form.text("email").trim(),
      from: form.text("from"),
      to: form.text("to"),
    };
    try {
      const record = await setDeputy(deps, { kind: "unit", unitId: unit.id }, values, actor(c));
      return c.redirect(`/units/${unit.id}/deputies?${new URLSearchParams({ set: record.name })}`, 303);
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      return sendPage(
        c,
        await deputiesPage(ctx, deps, unit, { text: ctx.s.deputyInvalid, warn: true }, values),
        400,
      );
    }
  });

  routes.post("/units/:id/deputies/:deputyId/end", async (c) => {
    const unit = await unitOf(c.req.param("id"));
    const deputyId = c.req.param("deputyId");
    if (!DEPUTY_ID.test(deputyId)) throw new NotFoundError("deputy", deputyId);
    await endDeputy(
      deps,
      { kind: "unit", unitId: unit.id },
      deputyId,
      localToday(deps.clock.now()),
      actor(c),
    );
    return c.redirect(`/units/${unit.id}/deputies?done=ended`, 303);
  });

  return routes;
}

async function deputiesPage(
  ctx: PageContext,
  deps: HttpDeps,
  unit: Unit,
  notice?: { text: string; warn?: boolean },
  values: { name: string; email: string; from: string; to: string } = {
    name: "",
    email: "",
    from: "",
    to: "",
  },
): Promise<string> {
  const { s } = ctx;
  const today = localToday(deps.clock.now());
  const deputies = current(await deps.deputies.list({ kind: "unit", unitId: unit.id }), today);
  const rows = deputies.map(
    (d: DeputyRecord) =>
      html`<tr><th scope="row">${d.name}<br><span class="muted small">${d.email}</span></th><td data-label="${s.colPeriod}" class="nowrap">${d.from} – ${d.to}</td><td data-label="${s.colSetBy}">${describeActor(d.createdBy, new Map(), s)}</td><td><form method="post" action="/units/${unit.id}/deputies/${d.deputyId}/end">${csrfField(ctx)}<button type="submit" class="secondary">${s.deputyEnd}<span class="visually-hidden">: ${d.name}</span></button></form></td></tr>`,
  );
  const title = s.deputiesTitle(unit.name);
  const body = html`<p><a href="/units/${unit.id}/edit">← ${unit.name}</a></p>
<h1>${title}</h1>
<p class="lead">${s.deputiesLead}</p>
${
  deputies.length === 0
    ? html`<p>${s.deputiesNone}</p>`
    : tableWrap(
        title,
        html`<table class="cards"><thead><tr><th scope="col">${s.colDeputy}</th><th scope="col">${s.colPeriod}</th><th scope="col">${s.colSetBy}</th><th scope="col"><span class="visually-hidden">${s.deputyEnd}</span></th></tr></thead><tbody>${rows}</tbody></table>`,
      )
}
<h2>${s.deputyAddHeading}</h2>
<form method="post" action="/units/${unit.id}/deputies" class="stack">
${csrfField(ctx)}
${input({ name: "name", label: s.deputyName, value: values.name, required: true, autocomplete: "off" })}
${input({ name: "email", label: s.deputyEmail, value: values.email, type: "email", required: true, autocomplete: "off" })}
${input({ name: "from", label: s.deputyFrom, value: values.from || today, type: "date", required: true })}
${input({ name: "to", label: s.deputyTo, value: values.to, type: "date", required: true })}
<div class="actions"><button type="submit">${s.deputySave}</button></div>
</form>`;
  return renderPage(ctx, { title, nav: "units", body, notice });
}
