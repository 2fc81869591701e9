/**
 * The administrators' dashboard as one Hono sub-app, mounted at `/` by the HTTP app next to
 * `/confirm` and `/api`. Who may reach each page is the access table (shared/http/access.ts),
 * enforced by the app's one guard in front of every route, with the dashboard's session and CSRF
 * checks (auth/guard.ts); no route here checks for itself.
 *
 * Failures become pages here and in errors.ts, which the app's own handler uses for every address
 * outside /api, /confirm and /mine (an unknown one, a failure before a route). The pages
 * are in a folder each (overview, instances, workflows, units, outbox, users, auth), on common/ for
 * what they share; README.md here lists the folders.
 */

import { Hono } from "hono";
import { NotGrantedError } from "../app/grants.ts";
import type { HttpDeps, HttpLogger } from "../http/context.ts";
import { problemOf } from "../http/errors.ts";
import { maskCpr } from "../model/cpr.ts";
import { accessLogRoutes } from "./access-log/routes.ts";
import { accessibilityRoutes } from "./accessibility/routes.ts";
import { authRoutes } from "./auth/routes.ts";
import { type DashEnv, languageOf } from "./common/context.ts";
import { dashboardErrorPage } from "./errors.ts";
import { exportRoutes } from "./instances/export-routes.ts";
import { noticeRoutes } from "./instances/notice-routes.ts";
import { instanceRoutes } from "./instances/routes.ts";
import { steerRoutes } from "./instances/steer/routes.ts";
import { outboxRoutes } from "./outbox/routes.ts";
import { listExportRoutes } from "./overview/export-routes.ts";
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
  dashboard.route("/", listExportRoutes(deps));
  dashboard.route("/", unitRoutes(deps, logger));
  dashboard.route("/", unitDeputyRoutes(deps));
  dashboard.route("/", outboxRoutes(deps, logger));
  dashboard.route("/", userRoutes(deps, logger));
  dashboard.route("/", tokenRoutes(deps, logger));
  dashboard.route("/", accessLogRoutes(deps));
  dashboard.route("/", grantRoutes(deps, logger));
  dashboard.route("/", accessibilityRoutes(deps));

  const errorPage = dashboardErrorPage(deps);
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
    if (problem.status === 503) c.header("Retry-After", "1");
    // The page for every failure (errors.ts): with the menu for a person logged in.
    return errorPage(c, {
      status: problem.status,
      ...(problem.unexpected ? { requestId } : {}),
      ...(err instanceof NotGrantedError
        ? { words: { title: s.notGrantedTitle, text: s.notGrantedText } }
        : {}),
    });
  });
  return dashboard;
}
