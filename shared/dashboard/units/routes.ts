/**
 * Directory pages: list, create and edit a unit (field errors in the form), delete (with a
 * confirmation step), and import from CSV with a preview step. The import writes only a file
 * whose every row is valid, and only the text that was previewed (its hash travels with the form).
 * This file has every /units route; beside it are the pages (pages.ts), a unit from flat text
 * fields, shared by the form and a CSV row (fields.ts), the import of a CSV text (csv-import.ts)
 * and the CSV reader it uses (csv.ts).
 */
import { createHash } from "node:crypto";
import { Hono } from "hono";
import { deleteUnit, getUnit, putUnit } from "../../app/admin.ts";
import type { HttpDeps, HttpLogger } from "../../http/context.ts";
import { maskCpr } from "../../model/cpr.ts";
import { IdSchema } from "../../model/schema.ts";
import { MAX_UNITS_PER_WRITE, NotFoundError } from "../../store/errors.ts";
import { type DashContext, type DashEnv, pageContext, sendPage } from "../common/context.ts";
import { type FieldErrors, type PostedForm, readForm } from "../common/forms.ts";
import { pageNumber, pageOf } from "../common/paging.ts";
import { readUnitCsv } from "./csv-import.ts";
import { fieldsOf, UNIT_COLUMNS, type UnitFields, unitFromFields } from "./fields.ts";
import { offerForSaved } from "./instance-offer.ts";
import { importPage, unitDeletePage, unitFormPage, unitListPage } from "./pages.ts";
import { unitTypeChoices } from "./type-choices.ts";

export function unitRoutes(deps: HttpDeps, logger: HttpLogger): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  routes.get("/units", async (c) => {
    const ctx = await pageContext(c, deps);
    const units = await deps.units.list();
    const saved = IdSchema.safeParse(c.req.query("saved"));
    const deleted = IdSchema.safeParse(c.req.query("deleted"));
    const imported = Number(c.req.query("imported"));
    const notice = saved.success
      ? ctx.s.unitSaved(units.find((u) => u.id === saved.data)?.name ?? saved.data)
      : deleted.success
        ? ctx.s.unitDeleted(deleted.data)
        : Number.isInteger(imported) && imported > 0
          ? ctx.s.imported(imported)
          : undefined;
    const offer = saved.success ? await offerForSaved(deps, ctx, c.get("principal"), saved.data) : undefined;
    // A directory of hundreds of units is shown 50 at a time; a page number that is not one is a 400.
    const page = pageNumber(c.req.query("page"));
    return sendPage(
      c,
      unitListPage(ctx, pageOf(units, page ?? 1), notice, offer, page === null),
      page === null ? 400 : 200,
    );
  });

  routes.get("/units/_new", async (c) => {
    const ctx = await pageContext(c, deps);
    return sendPage(
      c,
      unitFormPage(ctx, {
        editing: null,
        values: fieldsOf(null),
        errors: new Map(),
        types: await unitTypeChoices(deps),
      }),
    );
  });

  routes.post("/units/_new", async (c) => {
    const form = await readForm(c);
    const ctx = await pageContext(c, deps);
    const values = formFields(form);
    const checked = unitFromFields(values, ctx.s);
    const errors: FieldErrors = new Map(checked.ok ? [] : checked.errors.map((e) => [e.field, e.message]));
    if (checked.ok && (await deps.units.get(checked.unit.id)) !== null)
      errors.set("id", ctx.s.field.idExists);
    if (!checked.ok || errors.size > 0) {
      return sendPage(
        c,
        unitFormPage(ctx, {
          editing: null,
          values: scrub(values, errors, ctx.s.cprRefused),
          errors,
          types: await unitTypeChoices(deps),
        }),
        400,
      );
    }
    await putUnit(deps, checked.unit.id, checked.unit);
    return c.redirect(`/units?saved=${checked.unit.id}`, 303);
  });

  routes.get("/units/_import", async (c) => {
    const ctx = await pageContext(c, deps);
    return sendPage(c, importPage(ctx, { csv: "" }));
  });

  routes.post("/units/_import", async (c) => {
    const form = await readForm(c);
    const ctx = await pageContext(c, deps);
    const { s } = ctx;
    const file = await form.file("csvFile");
    if (file === "not-utf8") return sendPage(c, importPage(ctx, { csv: "", problem: s.csvNotUtf8 }), 400);
    // Browsers send a textarea's line breaks as \r\n, a file as it is; the hash must not care.
    const csv = (file ?? form.text("csv")).replace(/\r\n?/g, "\n").replace(/^\uFEFF/, "");
    if (csv.trim() === "") return sendPage(c, importPage(ctx, { csv, problem: s.csvEmpty }), 400);
    const result = readUnitCsv(csv, s);
    // Shown again for fixing, with any CPR number masked (the errors name its row and field).
    if (!result.ok) return sendPage(c, importPage(ctx, { csv: maskCpr(csv), errors: result.errors }), 400);

    if (result.rows.length > MAX_UNITS_PER_WRITE) {
      const problem = s.csvTooMany(result.rows.length, MAX_UNITS_PER_WRITE);
      return sendPage(c, importPage(ctx, { csv, problem }), 400);
    }

    const hash = createHash("sha256").update(csv, "utf8").digest("hex");
    if (form.text("action") === "import" && form.text("previewHash") === hash) {
      // One transaction: the directory gets all of the file or none of it, even if the process
      // dies half-way (the import used to write unit by unit, and a crash left some).
      await deps.units.putAll(result.rows.map((row) => row.unit));
      logger.info("directory imported", { requestId: c.get("requestId"), units: result.rows.length });
      return c.redirect(`/units?imported=${result.rows.length}`, 303);
    }
    const existing = new Set((await deps.units.list()).map((u) => u.id));
    return sendPage(c, importPage(ctx, { csv, preview: { rows: result.rows, existing, hash } }));
  });

  routes.get("/units/:id/edit", async (c) => {
    const ctx = await pageContext(c, deps);
    const unit = await getUnit(deps, unitId(c));
    return sendPage(
      c,
      unitFormPage(ctx, {
        editing: unit,
        values: fieldsOf(unit),
        errors: new Map(),
        types: await unitTypeChoices(deps),
      }),
    );
  });

  routes.post("/units/:id/edit", async (c) => {
    const form = await readForm(c);
    const ctx = await pageContext(c, deps);
    const editing = await getUnit(deps, unitId(c));
    // The id is the address's: a form cannot move a unit to another id.
    const values = { ...formFields(form), id: editing.id };
    const checked = unitFromFields(values, ctx.s);
    if (!checked.ok) {
      const errors: FieldErrors = new Map(checked.errors.map((e) => [e.field, e.message]));
      return sendPage(
        c,
        unitFormPage(ctx, {
          editing,
          values: scrub(values, errors, ctx.s.cprRefused),
          errors,
          types: await unitTypeChoices(deps),
        }),
        400,
      );
    }
    await putUnit(deps, editing.id, checked.unit);
    return c.redirect(`/units?saved=${editing.id}`, 303);
  });

  routes.get("/units/:id/delete", async (c) => {
    const ctx = await pageContext(c, deps);
    return sendPage(c, unitDeletePage(ctx, await getUnit(deps, unitId(c))));
  });

  routes.post("/units/:id/delete", async (c) => {
    const id = unitId(c);
    await deleteUnit(deps, id);
    return c.redirect(`/units?deleted=${id}`, 303);
  });

  return routes;
}

function unitId(c: DashContext): string {
  const parsed = IdSchema.safeParse(c.req.param("id"));
  if (!parsed.success) throw new NotFoundError("unit", "-");
  return parsed.data;
}

function formFields(form: PostedForm): UnitFields {
  return Object.fromEntries(UNIT_COLUMNS.map((column) => [column, form.text(column)])) as UnitFields;
}

/** A value refused as a CPR number is not put back into the form. */
function scrub(values: UnitFields, errors: FieldErrors, cprMessage: string): UnitFields {
  const out = { ...values };
  for (const column of UNIT_COLUMNS) if (errors.get(column) === cprMessage) out[column] = "";
  return out;
}
