/**
 * The access log's export, for administrators (the access table): a page with a form for the case
 * reference, and the CSV of every entry with it. The export is itself recorded, before it is read
 * (shared/app/access-log.ts), so it is in the file it makes.
 */
import { Hono } from "hono";
import { actorFor, CaseRefSchema, DEFAULT_ACCESS_LOG_DAYS, exportCaseLog } from "../../app/access-log.ts";
import { html } from "../../html/html.ts";
import { originOf } from "../../http/access-record.ts";
import type { HttpDeps } from "../../http/context.ts";
import { type DashEnv, pageContext, sendPage } from "../common/context.ts";
import { input } from "../common/forms.ts";
import { type PageContext, renderPage } from "../common/layout.ts";
import { accessLogCsv } from "./csv.ts";

export function accessLogRoutes(deps: HttpDeps): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();
  const days = deps.settings.accessLogRetentionDays ?? DEFAULT_ACCESS_LOG_DAYS;

  routes.get("/access-log", async (c) => {
    const ctx = await pageContext(c, deps);
    return sendPage(c, accessLogPage(ctx, days, c.req.query("caseRef") ?? ""));
  });

  routes.get("/access-log.csv", async (c) => {
    const typed = c.req.query("caseRef") ?? "";
    const parsed = CaseRefSchema.safeParse(typed);
    if (!parsed.success) {
      const ctx = await pageContext(c, deps);
      const error = typed.trim() === "" ? ctx.s.accessLogCaseRefMissing : ctx.s.accessLogCaseRefInvalid;
      return sendPage(c, accessLogPage(ctx, days, typed.slice(0, 100), error), 400);
    }
    const caseRef = parsed.data;
    const entries = await exportCaseLog(
      deps,
      caseRef,
      actorFor(c.get("principal")),
      originOf(c, { trustForwardedFor: deps.trustForwardedFor }),
    );
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="${fileName(caseRef)}"`);
    return c.body(accessLogCsv(entries));
  });

  return routes;
}

/** `adgangslog-UND-2026-00123.csv`; anything but letters, digits, `.`, `_` and `-` becomes `_`. */
export function fileName(caseRef: string): string {
  return `adgangslog-${caseRef.replace(/[^A-Za-z0-9._-]/g, "_")}.csv`;
}

export function accessLogPage(ctx: PageContext, days: number, value: string, error?: string): string {
  const { s } = ctx;
  const body = html`<h1>${s.accessLogTitle}</h1>
<p class="lead">${s.accessLogLead}</p>
<p>${s.accessLogRetention(days)}</p>
<form method="get" action="/access-log.csv" class="stack" novalidate>
${input({
  name: "caseRef",
  label: s.accessLogCaseRef,
  value,
  required: true,
  autocomplete: "off",
  hint: s.accessLogCaseRefHint,
  error,
})}
<button type="submit">${s.accessLogDownload}</button>
</form>
<p class="muted small">${s.accessLogNote}</p>`;
  return renderPage(ctx, { title: s.accessLogTitle, nav: "accessLog", body });
}
