/**
 * The administrators' dashboard as one Hono sub-app, mounted at `/` by the HTTP app next to
 * `/confirm` and `/api`. Every page sits behind the session guard and every form behind the
 * CSRF check; the guards are attached per route, not as a `*` middleware, because a sub-app
 * mounted at `/` would otherwise put them in front of the confirm pages and the API too.
 *
 * Failures become pages here (the app's own handler answers JSON outside /confirm).
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { InvalidInputError } from "../app/admin.ts";
import type { HttpDeps, HttpLogger } from "../http/context.ts";
import { HttpError } from "../http/errors.ts";
import { maskCpr } from "../model/cpr.ts";
import { ConflictError, ContentionError, NotFoundError } from "../store/errors.ts";
import { authRoutes, requireCsrf, requireSession } from "./auth.ts";
import { type DashEnv, type Guards, here, languageOf, sendPage } from "./context.ts";
import { instanceRoutes } from "./instances.ts";
import { messageBody, renderBarePage } from "./layout.ts";
import { outboxRoutes } from "./outbox.ts";
import { overviewRoutes } from "./overview.ts";
import { dashboardStrings } from "./strings.ts";
import { unitRoutes } from "./units.ts";
import { workflowRoutes } from "./workflows.ts";

export function createDashboardRoutes(deps: HttpDeps, logger: HttpLogger): Hono<DashEnv> {
  const guard: Guards = { session: requireSession(deps), csrf: requireCsrf(logger) };
  const dashboard = new Hono<DashEnv>();
  dashboard.route("/", authRoutes(deps, logger));
  dashboard.route("/", overviewRoutes(deps, guard));
  dashboard.route("/", workflowRoutes(deps, guard));
  dashboard.route("/", instanceRoutes(deps, logger, guard));
  dashboard.route("/", unitRoutes(deps, logger, guard));
  dashboard.route("/", outboxRoutes(deps, logger, guard));

  dashboard.onError((err, c) => {
    const s = dashboardStrings(languageOf(c));
    const requestId = c.get("requestId");
    const known = describe(err, s);
    if (known === null) {
      // The route pattern, never the URL or the form: both can carry what a person typed.
      logger.error("dashboard request failed", {
        requestId,
        method: c.req.method,
        route: c.req.routePath,
        error: err instanceof Error ? { name: err.name, message: maskCpr(err.message) } : typeof err,
      });
    }
    const page = known ?? { status: 500 as const, title: s.failedTitle, text: s.failedText };
    const body = messageBody(page.title, page.text, known === null ? s.errorReference(requestId) : undefined);
    if (page.status === 503) c.header("Retry-After", "1");
    return sendPage(c, renderBarePage(s, here(c), page.title, body, deps.settings.organisation), page.status);
  });
  return dashboard;
}

function describe(
  err: unknown,
  s: ReturnType<typeof dashboardStrings>,
): { status: ContentfulStatusCode; title: string; text: string } | null {
  if (err instanceof NotFoundError) return { status: 404, title: s.notFoundTitle, text: s.notFoundText };
  if (err instanceof ConflictError) return { status: 409, title: s.conflictTitle, text: s.conflictText };
  if (err instanceof ContentionError) return { status: 503, title: s.busyTitle, text: s.busyText };
  if (err instanceof InvalidInputError) return { status: 400, title: s.failedTitle, text: s.failedText };
  if (err instanceof HttpError && err.status === 413) {
    return { status: 413, title: s.tooLargeTitle, text: s.tooLargeText };
  }
  if (err instanceof HTTPException) {
    if (err.status === 413) return { status: 413, title: s.tooLargeTitle, text: s.tooLargeText };
    if (err.status < 500) return { status: 400, title: s.failedTitle, text: s.failedText };
  }
  return null;
}
