/**
 * The HTTP app: confirm pages and the admin JSON API, as one Hono app built from its
 * dependencies. API Gateway + Lambda serve it in AWS (functions/http.ts), Node locally and in
 * tests; nothing in it knows which.
 */
import { randomUUID } from "node:crypto";
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createDashboardRoutes } from "../dashboard/routes.ts";
import { adminRoutes } from "./admin-routes.ts";
import { confirmRoutes } from "./confirm-routes.ts";
import { consoleLogger, type HttpDeps, type HttpEnv } from "./context.ts";
import { errorHandler, HttpError, notFound } from "./errors.ts";
import { STYLE_HASH } from "./pages.ts";

export type { HttpDeps, HttpLogger } from "./context.ts";

/** The largest definition the loader takes; no request needs more. */
export const MAX_BODY_BYTES = 512 * 1024;

/**
 * Pages may use their one hashed stylesheet and post their form back here, nothing else;
 * JSON needs nothing at all. Both forbid framing (clickjacking a "confirm" button).
 */
const PAGE_POLICY = `default-src 'none'; style-src ${STYLE_HASH}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

export function createHttpApp(deps: HttpDeps): Hono<HttpEnv> {
  const logger = deps.logger ?? consoleLogger;
  const app = new Hono<HttpEnv>();

  app.use(requestIdAndHeaders());
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new HttpError(413, "too_large", `the body is larger than ${MAX_BODY_BYTES / 1024} KiB`);
      },
    }),
  );
  app.route("/confirm", confirmRoutes(deps, logger));
  app.route("/api", adminRoutes(deps, logger));
  // After /confirm and /api, so their routes match first; the dashboard's pages set their own policy.
  app.route("/", createDashboardRoutes(deps, logger));
  app.notFound(notFound);
  app.onError(errorHandler(logger));
  return app;
}

/**
 * A fresh id per request (never taken from the client, so log lines cannot be forged into
 * another request's), echoed in a header and in error bodies; then the security headers, set
 * after the handler so error and 404 responses get them too.
 */
function requestIdAndHeaders(): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const id = randomUUID();
    c.set("requestId", id);
    await next();
    const isPage = (c.res.headers.get("content-type") ?? "").startsWith("text/html");
    // Through c.header, which rebuilds the finished response: headers set on c.res directly can be
    // lost once the body is read (@hono/node-server's lightweight Response), e.g. in the Lambda adapter.
    // A page that brings its own policy keeps it (the dashboard pins its own stylesheet's hash).
    if (!c.res.headers.has("Content-Security-Policy")) {
      c.header("Content-Security-Policy", isPage ? PAGE_POLICY : DATA_POLICY);
    }
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "no-store");
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Request-Id", id);
  };
}
