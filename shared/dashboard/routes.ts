/**
 * The administrators' dashboard as one Hono sub-app, mounted at `/` by the HTTP app next to
 * `/confirm` and `/api`. Who may reach each page is the access table (shared/http/access.ts),
 * enforced by the app's one guard in front of every route, with the dashboard's session and CSRF
 * checks (auth/guard.ts); no route here checks for itself.
 *
 * Failures become pages here (the app's own handler answers JSON outside /confirm). The pages
 * are in a folder each (overview, instances, workflows, units, outbox, users, auth), on common/ for
 * what they share; README.md here lists the folders.
 */

import { Hono } from "hono";
import { NotGrantedError } from "../app/grants.ts";
import type { HttpDeps, HttpLogger } from "../http/context.ts";
import { problemOf } from "../http/errors.ts";
import { maskCpr } from "../model/cpr.ts";
import { accessLogRoutes } from "./access-log/routes.ts";
import { authRoutes } from "./auth/routes.ts";
import { type DashEnv, here, languageOf, sendPage } from "./common/context.ts";
import { messageBody, renderBarePage } from "./common/layout.ts";
import { exportRoutes } from "./instances/export-routes.ts";
import { noticeRoutes } from "./instances/notice-routes.ts";
import { instanceRoutes } from "./instances/routes.ts";
import { steerRoutes } from "./instances/steer/routes.ts";
import { outboxRoutes } from "./outbox/routes.ts";
import { overviewRoutes } from "./overview/routes.ts";
import { dashboardStrings } from "./strings.ts";
import { tokenRoutes } from "./tokens/routes.ts";
import { unitDeputyRoutes } from "./units/deputies.ts";
import { unitRoutes } from "./units/routes.ts";
import { grantRoutes } from "./users/grants.ts";
import { userRoutes } from "./users/routes.ts";
import { migrateRoutes } from "./workflows/migrate.ts";
import { workflowRoutes } from "./workflows/routes.ts";

export function createDashboardRoutes(deps: HttpDeps, logger: HttpLogger): Hono<DashEnv> {
  const dashboard = new Hono<DashEnv>();
  dashboard.route("/", authRoutes(deps, logger));
  dashboard.route("/", overviewRoutes(deps));
  dashboard.route("/", workflowRoutes(deps));
  dashboard.route("/", migrateRoutes(deps));
  dashboard.route("/", instanceRoutes(deps, logger));
  dashboard.route("/", steerRoutes(deps, logger));
  dashboard.route("/", noticeRoutes(deps));
  dashboard.route("/", exportRoutes(deps));
  dashboard.route("/", unitRoutes(deps, logger));
  dashboard.route("/", unitDeputyRoutes(deps));
  dashboard.route("/", outboxRoutes(deps, logger));
  dashboard.route("/", userRoutes(deps, logger));
  dashboard.route("/", tokenRoutes(deps, logger));
  dashboard.route("/", accessLogRoutes(deps));
  dashboard.route("/", grantRoutes(deps, logger));

  dashboard.onError((err, c) => {
    const s = dashboardStrings(languageOf(c));
    const requestId = c.get("requestId");
    // The same mapping as the API's (shared/http/errors.ts): only the words are the dashboard's.
    const problem = problemOf(err);
    if (problem.unexpected) {
      // The route pattern, never the URL or the form: both can carry what a person typed.
      logger.error("dashboard request failed", {
        requestId,
        method: c.req.method,
        route: c.req.routePath,
        error: err instanceof Error ? { name: err.name, message: maskCpr(err.message) } : typeof err,
      });
    }
    const page =
      err instanceof NotGrantedError
        ? { title: s.notGrantedTitle, text: s.notGrantedText }
        : pageOf(problem.status, s);
    const body = messageBody(
      page.title,
      page.text,
      problem.unexpected ? s.errorReference(requestId) : undefined,
    );
    if (problem.status === 503) c.header("Retry-After", "1");
    return sendPage(
      c,
      renderBarePage(s, here(c), page.title, body, deps.settings.organisation),
      problem.status,
    );
  });
  return dashboard;
}

/** The dashboard's words for a status of the one error mapping. */
function pageOf(status: number, s: ReturnType<typeof dashboardStrings>): { title: string; text: string } {
  if (status === 404) return { title: s.notFoundTitle, text: s.notFoundText };
  if (status === 409) return { title: s.conflictTitle, text: s.conflictText };
  if (status === 503) return { title: s.busyTitle, text: s.busyText };
  if (status === 413) return { title: s.tooLargeTitle, text: s.tooLargeText };
  return { title: s.failedTitle, text: s.failedText };
}
