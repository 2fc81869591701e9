/**
 * GET /instances/:id/notice?occurrence=…&notice=…: the date form; POST with step=preview shows the
 * applicant's mail, step=approve sends it (once), step=edit goes back to the form. Only people who
 * may see the case reach it (loadInstance checks visibility); a refused date changes nothing.
 */
import { Hono } from "hono";
import {
  approveCitizenNotice,
  NoticeDateError,
  noticeCase,
  previewCitizenNotice,
} from "../../app/citizen-notice.ts";
import type { HttpDeps } from "../../http/context.ts";
import { formatLongDate } from "../../time/format.ts";
import { actor, type DashContext, type DashEnv, pageContext, sendPage } from "../common/context.ts";
import { readForm } from "../common/forms.ts";
import { noticePage } from "./notice-page.ts";
import { loadInstance } from "./routes.ts";

export function noticeRoutes(deps: HttpDeps): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  async function open(c: DashContext, occurrence: string, notice: string) {
    const [ctx, { detail }] = await Promise.all([pageContext(c, deps), loadInstance(c, deps)]);
    const found = await noticeCase(deps, detail.instance.instanceId, occurrence, notice);
    const deadline = formatLongDate(found.dueAt, found.definition.timezone, ctx.language);
    const base = { ctx, instanceId: found.instance.instanceId, occurrenceKey: occurrence, notice, deadline };
    return { found, base };
  }

  routes.get("/instances/:id/notice", async (c) => {
    const { base } = await open(c, c.req.query("occurrence") ?? "", c.req.query("notice") ?? "");
    return sendPage(c, noticePage({ ...base, date: "" }));
  });

  routes.post("/instances/:id/notice", async (c) => {
    const posted = await readForm(c);
    const { found, base } = await open(c, posted.text("occurrence"), posted.text("notice"));
    const date = posted.text("expectedDate").trim();
    const step = posted.text("step");
    if (step === "edit") return sendPage(c, noticePage({ ...base, date }));
    try {
      if (step === "approve") {
        const result = await approveCitizenNotice(deps, found, date, actor(c));
        return sendPage(c, noticePage({ ...base, date, result }));
      }
      const preview = previewCitizenNotice(deps, found, date);
      return sendPage(c, noticePage({ ...base, date: preview.expectedDate, preview }));
    } catch (err) {
      if (err instanceof NoticeDateError)
        return sendPage(c, noticePage({ ...base, date, problem: err.problem }), 400);
      throw err;
    }
  });

  return routes;
}
